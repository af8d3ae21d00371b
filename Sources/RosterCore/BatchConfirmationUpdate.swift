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
            state.message = .findingMarked(notLoaded: count, marked: state.marks.count)
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
        state.message = .allMarkedLocked(marked.count)
        return []
    }
    let requests = sendable.count * state.capabilities.requestsPerDeletion
    var plan = BatchPlan(
        contacts: sendable, locked: locked, hidden: state.hiddenMarkCount(among: chosen),
        estimate: state.headroom?.secondsToSend(requests, now: state.clock))
    plan.leftOut = state.marks.count - chosen.count
    state.overlay = .confirmBatch(plan)
    if dropped > 0 {
        state.message = .marksDropped(dropped)
    }
    return []
}

/// Every page is in after `d` asked for marked contacts that were not loaded: ask now, unless
/// the user has something else open.
func deleteMarkedNowLoaded(in state: inout AppState) -> [Effect] {
    guard state.pages.allLoaded, state.takeWholeAccountTask({ $0 == .deleteMarked }) != nil else { return [] }
    guard state.overlay == .none, !state.filter.isEditing, state.batch?.isActive != true else {
        state.message = .markedAreLoaded
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
        state.message = .deleteCancelledNothingDeleted
        return []
    }
    switch action {
    case .typed("P"):
        // Decided by one, applied after another's review: a plan instead of deleting now.
        state.overlay = .none
        let locked = Dictionary(uniqueKeysWithValues: plan.locked.map { ($0.id, state.locked[$0.id] ?? "locked") })
        state.message = .writingAPlan(of: count, looksUp: state.capabilities.canLookUp)
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
        state.message = .typeTheCount(count)
        plan.typed = ""
    default:
        state.overlay = .none
        state.message = .deleteCancelledMarksStay
        return []
    }
    state.overlay = .confirmBatch(plan)
    return []
}
