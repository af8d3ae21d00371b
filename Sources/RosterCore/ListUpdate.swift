import Foundation

/// The list's keys: moving, marking, filtering, sorting, and asking to delete or deactivate.
func handleList(_ action: UserAction, in state: inout AppState) -> [Effect] {
    switch action {
    case .moveUp: return moveCursor(to: state.cursor - 1, in: &state)
    case .moveDown: return moveCursor(to: state.cursor + 1, in: &state)
    case .pageUp: return moveCursor(to: state.cursor - state.listHeight, in: &state)
    case .pageDown: return moveCursor(to: state.cursor + state.listHeight, in: &state)
    case .halfPageUp: return moveCursor(to: state.cursor - max(1, state.listHeight / 2), in: &state)
    case .halfPageDown: return moveCursor(to: state.cursor + max(1, state.listHeight / 2), in: &state)
    case .nextMatch: return jumpToMatch(forward: true, in: &state)
    case .previousMatch: return jumpToMatch(forward: false, in: &state)
    case .markRange: return markRange(in: &state)
    case .selectRow(let row): return moveCursor(to: row, in: &state)
    case .copyID: return copyID(in: &state)
    case .copyField: return chooseFieldToCopy(in: &state)
    case .export: return askExportPath(in: &state)
    case .moveToTop: return moveCursor(to: 0, in: &state)
    case .moveToBottom:
        guard !state.pages.allLoaded else { return moveCursor(to: state.rows.count - 1, in: &state) }
        state.message = .moreAreLoading
        let effects = moveCursor(to: state.rows.count - 1, in: &state)
        // A sorted list loads no more by itself: End asks for the next page on purpose.
        if effects.isEmpty, state.sort != .server, state.pages.inFlight == nil, state.pages.check.reread == nil,
           let next = state.nextPageNumber {
            return requestPage(next, in: &state)
        }
        return effects
    case .reload:
        state.pages.generation += 1
        state.pages.reloadAnchor = state.selectedContact?.id
        state.pages.inFlight = nil
        state.message = .reloading
        return requestPage(1, in: &state)
    case .openDetail:
        guard let contact = state.selectedContact else { return [] }
        if state.capabilities.canLookUp {
            state.overlay = .detail(DetailPane(contact: contact, freshness: .loading))
            return [.lookUp(contact.id, .detail)]
        }
        state.overlay = .detail(DetailPane(contact: contact, freshness: .listRecordOnly))
        return []
    case .delete:
        if !state.marks.isEmpty && state.batch?.isActive != true { return askToDeleteMarked(in: &state) }
        guard let contact = state.selectedContact else {
            state.message = .nothingToDelete
            return []
        }
        return askToDelete(contact, in: &state)
    case .deactivate:
        guard let contact = state.selectedContact else { return [] }
        return askToDeactivate(contact, in: &state)
    case .toggleHelp:
        return openHelp(in: &state)
    case .showMessages:
        state.overlay = .info(messageHistory(state))
        return []
    case .showHistory:
        return openHistory(in: &state)
    case .restore:
        state.message = .restoreIsInTheHistory
        return []
    case .showDuplicates:
        return showDuplicates(in: &state)
    case .makeKeeper, .unmarkGroup:
        state.message = .keepIsInTheDuplicatesView
        return []
    case .toggleMark:
        guard let contact = state.selectedContact else { return [] }
        if state.marks.remove(contact.id) == nil { state.marks.insert(contact.id) }
        return moveCursor(to: state.cursor + 1, in: &state)
    case .markAllShown:
        return markAllMatching(in: &state)
    case .clearMarks:
        let count = state.marks.count
        state.marks = []
        state.message = .clearedMarks(count)
        return []
    case .startCommand:
        state.commandPrompt = PromptLine()
        state.commandHistory.reset()
        return []
    case .startFilter:
        state.filter.isEditing = true
        state.filter.cursor = state.filter.typed.count
        state.queryHistory.reset()
        return []
    case .cycleSort:
        return resort(state.sort.next, descending: false, in: &state)
    case .reverseSort:
        guard state.sort != .server else {
            state.message = .serverOrderHasOneWay
            return []
        }
        return resort(state.sort, descending: !state.sortDescending, in: &state)
    case .sortBy(let order):
        // A click on the heading already sorting turns it round; on another, A to Z by it.
        return resort(order, descending: order == state.sort && order != .server && !state.sortDescending, in: &state)
    case .undo:
        return undo(in: &state)
    case .togglePause:
        return togglePause(in: &state)
    case .stopBatch:
        return askToStopBatch(in: &state)
    case .quit:
        return quit(in: &state)
    case .dismiss, .cancel:
        // Esc closes the innermost thing. A countdown is cancelled first (nothing has been
        // sent, so that is always safe); a running batch is never stopped by Esc: that is
        // its own key, and it asks.
        if state.batch?.isWaiting == true { return undo(in: &state) }
        if state.rangeAnchor != nil {
            state.rangeAnchor = nil
            state.message = .rangeCancelled
            return []
        }
        if let task = state.takeWholeAccountTask(\.isOnRequest) {
            state.message = .stoppedLoading(task, loaded: state.order.count)
            return []
        }
        if state.filter.isActive {
            clearFilter(in: &state)
            return prefetchIfNeeded(&state)
        }
        if state.batch?.phase == .running {
            state.message = .batchGoesOnEscDoesNotStopIt
            return []
        }
        state.message = nil
        return []
    case .confirm, .retryFailed, .typed, .backspace, .submit, .complete, .editLine, .recallOlder, .recallNewer, .repaint:
        return []
    }
}

private func moveCursor(to target: Int, in state: inout AppState) -> [Effect] {
    guard !state.rows.isEmpty else { return prefetchIfNeeded(&state) }
    state.cursor = min(max(0, target), state.rows.count - 1)
    keepCursorVisible(&state)
    return prefetchIfNeeded(&state)
}

func keepCursorVisible(_ state: inout AppState) {
    let count = state.rows.count
    state.cursor = min(max(0, state.cursor), max(0, count - 1))
    if state.cursor < state.scrollTop { state.scrollTop = state.cursor }
    if state.cursor >= state.scrollTop + state.listHeight { state.scrollTop = state.cursor - state.listHeight + 1 }
    state.scrollTop = max(0, min(state.scrollTop, max(0, count - state.listHeight)))
}

func askToDelete(_ contact: Contact, in state: inout AppState) -> [Effect] {
    if let batch = state.batch, batch.isActive {
        state.message = .deletionUnderWay(batch)
        return []
    }
    if let reason = state.locked[contact.id] {
        state.message = .locked(contact, reason: reason, canDeactivate: state.capabilities.canDeactivate)
        return []
    }
    if state.activity[contact.id] != nil {
        state.message = .alreadyBeingDeleted(contact)
        return []
    }
    if let reason = state.failed[contact.id] {
        state.message = .lastTryFailed(reason)
    }
    state.overlay = .confirmDelete(contact)
    return []
}

func askToDeactivate(_ contact: Contact, in state: inout AppState) -> [Effect] {
    if state.activity[contact.id] != nil {
        state.message = .requestInFlight(contact)
        return []
    }
    if let inactive = state.capabilities.inactiveStatus, contact.status == inactive {
        state.message = .alreadyInactive(contact)
        return []
    }
    state.overlay = .confirmDeactivate(contact)
    return []
}

/// Sorts the shown rows by `order`, one way or the other, and says so: the loaded contacts
/// only, while the account is not all loaded.
func resort(_ order: SortOrder, descending: Bool, in state: inout AppState) -> [Effect] {
    state.sort = order
    state.sortDescending = descending && order != .server
    state.rebuildRows()
    if state.sort == .server || state.pages.allLoaded {
        state.message = .sorted(by: state.sort, descending: state.sortDescending)
    } else {
        state.message = .sortedLoadedOnly(by: state.sort, descending: state.sortDescending, loaded: state.order.count, total: state.pages.total)
    }
    return prefetchIfNeeded(&state)
}
