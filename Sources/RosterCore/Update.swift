import Foundation

/// Roster's behaviour: every change a user can see is decided here, from the state and one
/// event, and every piece of I/O is returned as an effect for the runtime to perform.
public func update(_ state: inout AppState, _ event: Event) -> [Effect] {
    switch event {
    case .pageLoaded(_, let generation, _) where generation == state.pages.generation,
         .pageReread(_, let generation, _) where generation == state.pages.generation:
        state.expireMessage(.untilNextPage)
        state.expireMessage(.untilAnswer)
    case .lookupFinished, .deleteFinished, .deactivateFinished, .goneChecked:
        state.expireMessage(.untilAnswer)
    default:
        break
    }
    let effects = route(event, in: &state)
    quitIfNoLongerWaiting(&state)
    return effects
}

/// Each event to what handles it.
private func route(_ event: Event, in state: inout AppState) -> [Effect] {
    switch event {
    case .action(let action):
        return handle(action, in: &state)
    case .viewportChanged(let rows):
        state.listHeight = max(1, rows)
        keepCursorVisible(&state)
        return prefetchIfNeeded(&state)
    case .pageLoaded(let page, let generation, let result):
        return pageLoaded(page: page, generation: generation, result: result, in: &state)
    case .pageReread(let page, let generation, let result):
        return pageReread(page: page, generation: generation, result: result, in: &state)
    case .lookupFinished(let id, .detail, let result):
        detailLookupFinished(id: id, result: result, in: &state)
        return []
    case .lookupFinished(let id, .beforeDelete, let result):
        let effects = batchLookupFinished(id: id, result: result, in: &state)
        showResultsIfReady(&state)
        return effects + prefetchIfNeeded(&state)
    case .deleteFinished(let id, let result):
        let effects = batchDeleteFinished(id: id, result: result, in: &state)
        showResultsIfReady(&state)
        return effects + prefetchIfNeeded(&state)
    case .goneChecked(let check, let result):
        let effects = goneChecked(check, result: result, in: &state)
        showResultsIfReady(&state)
        return effects + prefetchIfNeeded(&state)
    case .deactivateFinished(let id, let result):
        deactivateFinished(id: id, result: result, in: &state)
        return []
    case .headroomChanged(let headroom):
        state.headroom = headroom
        return []
    case .claimsSeen(let held):
        state.heldElsewhere = held
        return []
    case .tick(let now):
        state.clock = now
        if let deadline = state.exitDeadline, now >= deadline { state.isFinished = true }
        return undoWindowElapsed(in: &state)
    case .notice(let message):
        state.message = message
        return []
    case .marksGiven(let ids):
        state.marks = ids
        return []
    case .terminationRequested:
        return leaveDuringBatch("a termination signal arrived", in: &state)
    case .historyLoaded(let result):
        historyLoaded(result, in: &state)
        return []
    case .restoreFinished(let entry, let result):
        restoreFinished(entry: entry, result: result, in: &state)
        return []
    case .planSaved(let path, let message), .exported(let path, let message):
        state.message = StatusMessage(message, level: path == nil ? .error : .success)
        return []
    case .suspended(let time):
        state.suspendedAt = time
        return []
    case .resumed(let time):
        resumeAfterSuspend(at: time, in: &state)
        return []
    }
}

/// The undo window, held from `since` until `now`, gets that time back; the seconds it had
/// left when held, or nil when no batch is waiting.
func extendUndoWindow(heldFrom since: Date, to now: Date, in state: inout AppState) -> Int? {
    guard var batch = state.batch, case .waiting(let until) = batch.phase else { return nil }
    batch.phase = .waiting(until: until.addingTimeInterval(max(0, now.timeIntervalSince(since))))
    state.batch = batch
    return Int(until.timeIntervalSince(since).rounded(.up))
}

/// Time spent stopped (Ctrl-Z until `fg`) does not count against a countdown: the undo
/// window gets back what it had left, and so does a deadline to leave.
private func resumeAfterSuspend(at time: Date, in state: inout AppState) {
    guard let since = state.suspendedAt else { return }
    state.suspendedAt = nil
    if let left = extendUndoWindow(heldFrom: since, to: time, in: &state) {
        state.message = .welcomeBack(countdownLeft: left)
    }
    if let deadline = state.exitDeadline { state.exitDeadline = deadline.addingTimeInterval(max(0, time.timeIntervalSince(since))) }
}

/// The first effects of a session: load page one, unless it is already on its way.
public func start(_ state: inout AppState) -> [Effect] {
    guard state.pages.inFlight == nil, state.contacts.isEmpty else { return [] }
    return requestPage(1, in: &state)
}

private func handle(_ action: UserAction, in state: inout AppState) -> [Effect] {
    if action == .repaint { return [.repaintScreen] }
    let effects = handleInMode(action, in: &state)
    showResultsIfReady(&state)
    return effects
}

/// Routes a key's action to the screen on top, after the one place that refuses a key.
private func handleInMode(_ action: UserAction, in state: inout AppState) -> [Effect] {
    if state.filter.isEditing { return editFilter(action, in: &state) }
    if state.exportPrompt != nil { return editExportPath(action, in: &state) }
    if state.commandPrompt != nil { return editCommandPrompt(action, in: &state) }
    if let refusal = refusal(of: action, in: state) {
        state.message = refusal
        return []
    }
    switch state.overlay {
    case .none: return handleList(action, in: &state)
    case .confirmDelete(let contact): return answerDelete(action, contact: contact, in: &state)
    case .confirmBatch(let plan): return answerBatchConfirmation(action, plan: plan, in: &state)
    case .confirmDeactivate(let contact): return answerDeactivate(action, contact: contact, in: &state)
    case .confirmStop: return answerStop(action, in: &state)
    case .confirmQuit: return answerQuit(action, in: &state)
    case .confirmSwitch(let profile): return answerSwitch(action, profile: profile, in: &state)
    case .history(let view): return handleHistory(action, view: view, in: &state)
    case .duplicates(let review): return handleDuplicates(action, review: review, in: &state)
    case .copyChoice(let choice): return handleCopyChoice(action, choice: choice, in: &state)
    case .help(let scroll): return handleHelp(action, scroll: scroll, in: &state)
    case .results(let scroll): return handleResults(action, scroll: scroll, in: &state)
    case .info(let panel): return handleInfo(action, panel: panel, in: &state)
    case .detail(let pane): return handleDetail(action, pane: pane, in: &state)
    }
}
