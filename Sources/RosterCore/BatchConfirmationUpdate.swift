import Foundation

// `d` with marks: the confirmation that names what will be deleted and takes the typed count.

/// `among`: only the marked contacts among these (the duplicates view's), the other marks
/// left out, and said so.
func askToDeleteMarked(among: Set<ContactID>? = nil, in state: inout AppState) -> [Effect] {
    // Marks on contacts a reload has not brought back yet: find them first, so the count
    // confirmed is the count marked, or say plainly which are gone.
    var dropped = 0
    if among == nil, !state.unloadedMarks.isEmpty {
        if !state.pages.allLoaded {
            state.awaitWholeAccount(.deleteMarked)
            let count = state.unloadedMarks.count
            state.message = StatusMessage(
                "\(count) of the \(state.marks.count) marked contacts are not loaded; loading the rest of the account to find them before asking…",
                level: .info)
            return prefetchIfNeeded(&state)
        }
        dropped = state.unloadedMarks.count
        state.marks.subtract(state.unloadedMarks)
    }
    // In the server's order; found by id, so a million loaded contacts are not all built.
    let chosen = among.map { state.marks.intersection($0) } ?? state.marks
    let marked = chosen.compactMap { id in state.store.slot(of: id) }.sorted().map { state.store.contact(at: $0) }
    let locked = marked.filter { state.locked[$0.id] != nil }
    let sendable = marked.filter { state.locked[$0.id] == nil && state.activity[$0.id] == nil }
    guard !sendable.isEmpty else {
        state.message = StatusMessage(
            "All \(marked.count) marked contacts are locked; nothing to delete (s deactivates one instead).", level: .warning)
        return []
    }
    let requests = sendable.count * state.capabilities.requestsPerDeletion
    var plan = BatchPlan(
        contacts: sendable, locked: locked, hidden: state.hiddenMarkCount(among: chosen),
        estimate: state.headroom?.secondsToSend(requests, now: state.clock))
    plan.leftOut = state.marks.count - chosen.count
    state.overlay = .confirmBatch(plan)
    if dropped > 0 {
        state.message = StatusMessage(
            "\(dropped) marked contact\(dropped == 1 ? " is" : "s are") no longer on the server (deleted elsewhere); \(dropped == 1 ? "its mark was" : "their marks were") dropped.",
            level: .warning)
    }
    return []
}

/// Every page is in after `d` asked for marked contacts that were not loaded: ask now, unless
/// the user has something else open.
func deleteMarkedNowLoaded(in state: inout AppState) -> [Effect] {
    guard state.pages.allLoaded, state.takeWholeAccountTask({ $0 == .deleteMarked }) != nil else { return [] }
    guard state.overlay == .none, !state.filter.isEditing, state.batch?.isActive != true else {
        state.message = StatusMessage("Every marked contact that still exists is loaded: d deletes them.", level: .info)
        return []
    }
    return askToDeleteMarked(in: &state)
}

func answerBatchConfirmation(_ action: UserAction, plan: BatchPlan, in state: inout AppState) -> [Effect] {
    var plan = plan
    let count = plan.contacts.count
    guard plan.requiresTypedCount else {
        state.overlay = .none
        if action == .confirm { return startBatch(plan, in: &state) }
        state.message = StatusMessage("Delete cancelled: nothing was deleted.", level: .info)
        return []
    }
    switch action {
    case .typed("P"):
        // Decided by one, applied after another's review: a plan instead of deleting now.
        state.overlay = .none
        let locked = Dictionary(uniqueKeysWithValues: plan.locked.map { ($0.id, state.locked[$0.id] ?? "locked") })
        state.message = StatusMessage(
            "Writing a plan of the \(count) contact\(count == 1 ? "" : "s")\(state.capabilities.canLookUp ? ", each looked up first" : "")…; nothing is deleted.",
            level: .info)
        return [.savePlan(plan.contacts + plan.locked, locked: locked)]
    case .typed(let character) where character.isNumber:
        if plan.typed.count < 9 { plan.typed.append(character) }
    case .typed:
        break
    case .backspace:
        if !plan.typed.isEmpty { plan.typed.removeLast() }
    case .submit:
        if plan.typed == String(count) {
            state.overlay = .none
            return startBatch(plan, in: &state)
        }
        state.message = StatusMessage("Type \(count) and press Enter to delete them, or Esc to cancel.", level: .warning)
        plan.typed = ""
    default:
        state.overlay = .none
        state.message = StatusMessage("Delete cancelled: nothing was deleted; the marks stay.", level: .info)
        return []
    }
    state.overlay = .confirmBatch(plan)
    return []
}
