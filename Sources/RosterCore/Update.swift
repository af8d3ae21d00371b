import Foundation

/// Roster's behaviour: every change a user can see is decided here, from the state and one
/// event, and every piece of I/O is returned as an effect for the runtime to perform.
public func update(_ state: inout AppState, _ event: Event) -> [Effect] {
    switch event {
    case .pageLoaded(_, let generation, _) where generation == state.generation,
         .pageReread(_, let generation, _) where generation == state.generation:
        state.expireMessage(.untilNextPage)
        state.expireMessage(.untilAnswer)
    case .lookupFinished, .deleteFinished, .deactivateFinished, .goneChecked:
        state.expireMessage(.untilAnswer)
    default:
        break
    }
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
    case .tick(let now):
        state.clock = now
        if let deadline = state.exitDeadline, now >= deadline { state.isFinished = true }
        return undoWindowElapsed(in: &state)
    case .notice(let message):
        state.message = message
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
private func extendUndoWindow(heldFrom since: Date, to now: Date, in state: inout AppState) -> Int? {
    guard var batch = state.batch, case .waiting(let until) = batch.phase else { return nil }
    batch.phase = .waiting(until: until.addingTimeInterval(max(0, now.timeIntervalSince(since))))
    state.batch = batch
    return Int(until.timeIntervalSince(since).rounded(.up))
}

/// The quit question is answered: the undo countdown gets back the time it was asked for.
/// The seconds it has left, when one was held.
private func releaseCountdown(in state: inout AppState) -> Int? {
    guard let since = state.countdownHeldSince else { return nil }
    state.countdownHeldSince = nil
    return extendUndoWindow(heldFrom: since, to: state.clock, in: &state)
}

/// Time spent stopped (Ctrl-Z until `fg`) does not count against a countdown: the undo
/// window gets back what it had left, and so does a deadline to leave.
private func resumeAfterSuspend(at time: Date, in state: inout AppState) {
    guard let since = state.suspendedAt else { return }
    state.suspendedAt = nil
    if let left = extendUndoWindow(heldFrom: since, to: time, in: &state) {
        state.message = StatusMessage("Welcome back: \(left)s left to undo (u); nothing has been sent.", level: .warning)
    }
    if let deadline = state.exitDeadline { state.exitDeadline = deadline.addingTimeInterval(max(0, time.timeIntervalSince(since))) }
}

/// The first effects of a session: load page one, unless it is already on its way.
public func start(_ state: inout AppState) -> [Effect] {
    guard state.pageInFlight == nil, state.contacts.isEmpty else { return [] }
    return requestPage(1, in: &state)
}

private func handle(_ action: UserAction, in state: inout AppState) -> [Effect] {
    if action == .repaint { return [.repaintScreen] }
    let effects = handleInMode(action, in: &state)
    showResultsIfReady(&state)
    return effects
}

private func handleInMode(_ action: UserAction, in state: inout AppState) -> [Effect] {
    if state.filter.isEditing { return editFilter(action, in: &state) }
    if state.exportPrompt != nil { return editExportPath(action, in: &state) }
    switch state.overlay {
    case .confirmDelete(let contact):
        state.overlay = .none
        if action == .confirm { return startBatch(BatchPlan(contacts: [contact], locked: [], hidden: 0, estimate: nil), in: &state) }
        state.message = StatusMessage("Delete cancelled: \(contact.displayName) was not deleted.", level: .info)
        return []
    case .confirmBatch(let plan):
        return answerBatchConfirmation(action, plan: plan, in: &state)
    case .confirmDeactivate(let contact):
        state.overlay = .none
        if action == .confirm {
            if state.isDryRun {
                state.message = StatusMessage("DRY RUN: \(contact.displayName) would be deactivated; nothing was sent.", level: .warning)
                return []
            }
            state.activity[contact.id] = .deactivating
            state.message = StatusMessage("Deactivating \(contact.displayName)…", level: .info)
            return [.deactivate(contact)]
        }
        state.message = StatusMessage("Deactivation cancelled: \(contact.displayName) is unchanged.", level: .info)
        return []
    case .history(let view):
        return handleHistory(action, view: view, in: &state)
    case .duplicates(let review):
        return handleDuplicates(action, review: review, in: &state)
    case .copyChoice(let choice):
        return handleCopyChoice(action, choice: choice, in: &state)
    case .confirmStop:
        state.overlay = .none
        if action == .confirm { return stopBatch("stopped by you", in: &state) }
        state.message = StatusMessage("The batch goes on.", level: .info)
        return []
    case .confirmQuit:
        state.overlay = .none
        let held = releaseCountdown(in: &state)
        if action == .confirm {
            if state.batch?.isActive == true { return leaveDuringBatch("Roster was told to quit", in: &state) }
            state.isFinished = true
            return []
        }
        if let left = held {
            state.message = StatusMessage("Not quitting: the countdown goes on, \(left)s left to undo (u); nothing has been sent.", level: .info)
        } else {
            state.message = StatusMessage("Not quitting.", level: .info)
        }
        return []
    case .help(let scroll):
        if [.toggleHelp, .dismiss, .quit, .cancel].contains(action) {
            state.overlay = state.overlayUnderHelp ?? .none
            state.overlayUnderHelp = nil
        } else if scrollActions.contains(action) {
            // The help view stops at its last line; here it only must not run away.
            state.overlay = .help(scroll: scrolled(scroll, by: action, lines: 100, page: state.listHeight))
        }
        return []
    case .results(let scroll):
        return handleResults(action, scroll: scroll, in: &state)
    case .info(var panel):
        switch action {
        case _ where scrollActions.contains(action):
            panel.scroll = scrolled(panel.scroll, by: action, lines: panel.lines.count, page: state.listHeight)
            state.overlay = .info(panel)
        case .dismiss, .cancel, .quit, .submit, .openDetail:
            state.overlay = .none
        default:
            break
        }
        return []
    case .detail(var pane):
        switch action {
        case _ where scrollActions.contains(action):
            pane.scroll = scrolled(pane.scroll, by: action, lines: 200, page: state.listHeight)
            state.overlay = .detail(pane)
            return []
        case .dismiss, .openDetail, .quit, .cancel:
            state.overlay = .none
            return []
        case .delete where state.isReadOnly, .deactivate where state.isReadOnly:
            state.message = readOnlyRefusal(action, state)
            return []
        case .delete:
            return askToDelete(pane.contact, in: &state)
        case .deactivate:
            return askToDeactivate(pane.contact, in: &state)
        case .toggleHelp:
            state.overlay = .help(scroll: 0)
            state.overlayUnderHelp = nil
            return []
        case .copyID:
            return copyID(in: &state)
        default:
            return []
        }
    case .none:
        break
    }

    if state.isReadOnly, let refusal = readOnlyRefusal(action, state) {
        state.message = refusal
        return []
    }
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
        guard !state.allPagesLoaded else { return moveCursor(to: state.rows.count - 1, in: &state) }
        state.message = StatusMessage("Last loaded contact; more are loading from the server.", level: .info, lifetime: .untilNextPage)
        let effects = moveCursor(to: state.rows.count - 1, in: &state)
        // A sorted list loads no more by itself: End asks for the next page on purpose.
        if effects.isEmpty, state.sort != .server, state.pageInFlight == nil, state.paging.reread == nil,
           let next = state.nextPageNumber {
            return requestPage(next, in: &state)
        }
        return effects
    case .reload:
        state.generation += 1
        state.reloadAnchor = state.selectedContact?.id
        state.pageInFlight = nil
        state.message = StatusMessage("Reloading from the server…", level: .info)
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
            state.message = StatusMessage("No contact to delete.", level: .info)
            return []
        }
        return askToDelete(contact, in: &state)
    case .deactivate:
        guard let contact = state.selectedContact else { return [] }
        return askToDeactivate(contact, in: &state)
    case .toggleHelp:
        state.overlay = .help(scroll: 0)
        state.overlayUnderHelp = nil
        return []
    case .showMessages:
        state.overlay = .info(messageHistory(state))
        return []
    case .showHistory:
        return openHistory(in: &state)
    case .restore:
        state.message = StatusMessage("R restores in the history view: H lists the contacts Roster deleted.", level: .info)
        return []
    case .showDuplicates:
        return showDuplicates(in: &state)
    case .makeKeeper, .unmarkGroup:
        state.message = StatusMessage("K and U work in the duplicates view: D opens it.", level: .info)
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
        state.message = StatusMessage(count == 0 ? "Nothing was marked." : "Cleared \(count) mark\(count == 1 ? "" : "s").", level: .info)
        return []
    case .startFilter:
        state.filter.isEditing = true
        return []
    case .cycleSort:
        state.sort = state.sort.next
        state.rebuildRows()
        if state.sort == .server || state.allPagesLoaded {
            state.message = StatusMessage("Sorted by \(state.sort.label).", level: .info)
        } else {
            // Sorting needs every contact; it never loads the account behind the user's back.
            let more = state.totalOnServer.map { " of \($0)" } ?? ""
            state.message = StatusMessage(
                "Sorted by \(state.sort.label): the \(state.order.count)\(more) contacts loaded only; End loads more, page by page.",
                level: .info)
        }
        return prefetchIfNeeded(&state)
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
            state.message = StatusMessage("Range cancelled: nothing marked.", level: .info)
            return []
        }
        if let task = state.whenAccountLoaded {
            state.whenAccountLoaded = nil
            let undone = task == .findDuplicates ? "no duplicates were looked for" : "nothing was marked"
            state.message = StatusMessage(
                "Stopped loading the rest of the account: \(undone) (\(state.order.count) contacts loaded).", level: .info)
            return []
        }
        if state.filter.isActive {
            clearFilter(in: &state)
            return prefetchIfNeeded(&state)
        }
        if state.batch?.phase == .running {
            state.message = StatusMessage("The batch goes on: x stops it (asks first), p pauses it.", level: .info)
            return []
        }
        state.message = nil
        return []
    case .confirm, .retryFailed, .typed, .backspace, .submit, .complete, .repaint:
        return []
    }
}

/// What a destructive key says in a read-only session (or while a plan is reviewed), instead
/// of doing nothing; nil for a key that is allowed there.
func readOnlyRefusal(_ action: UserAction, _ state: AppState) -> StatusMessage? {
    let deed: String
    switch action {
    case .delete: deed = "nothing is deleted"
    case .deactivate: deed = "nothing is deactivated"
    case .toggleMark, .markAllShown, .clearMarks, .makeKeeper, .unmarkGroup, .markRange: deed = "marks do not change"
    case .restore: deed = "nothing is restored"
    case .undo, .togglePause, .stopBatch: deed = "no batch runs"
    default: return nil
    }
    if state.planBanner != nil {
        return StatusMessage("Reviewing a plan: \(deed) here; roster approve and roster apply take it from here.", level: .info)
    }
    return StatusMessage("Read-only session: \(deed) here (--read-only, or the profile's read_only = true).", level: .info)
}

/// The message history as a panel: every message of the session, newest first, with the
/// time it was said and its level in text.
func messageHistory(_ state: AppState) -> InfoPanel {
    let time = DateFormatter()
    time.dateFormat = "HH:mm:ss"
    let lines = state.messageLog.reversed().map { logged -> String in
        let mark: String
        switch logged.message.level {
        case .info: mark = " "
        case .success: mark = "✓"
        case .warning: mark = "!"
        case .error: mark = "✗"
        }
        return "\(time.string(from: logged.at))  \(mark) \(logged.message.text)"
    }
    return InfoPanel(
        title: "Messages of this session, newest first",
        lines: lines.isEmpty ? ["Nothing has been said yet."] : lines, wraps: true)
}

/// `q` leaves at once when nothing is under way; otherwise it asks, in a dialog that stays
/// until answered.
private func quit(in state: inout AppState) -> [Effect] {
    if state.batch?.isActive == true || !state.activity.isEmpty {
        state.overlay = .confirmQuit
        if state.batch?.isWaiting == true { state.countdownHeldSince = state.clock }
        return []
    }
    state.isFinished = true
    return []
}

/// Quitting or a signal with a batch on: cancel what waits, stop sending, let the requests
/// in flight be answered and journalled (for a few seconds at most), then leave.
private func leaveDuringBatch(_ reason: String, in state: inout AppState) -> [Effect] {
    guard var batch = state.batch, batch.isActive, state.exitDeadline == nil else {
        state.isFinished = true
        return []
    }
    if batch.isWaiting {
        let abandoned = batch.abandonQueue("cancelled: \(reason) during the undo window")
        for contact in abandoned { state.activity[contact.id] = nil }
        state.batch = nil
        state.isFinished = true
        return [.recordNotSent(abandoned, reason: "cancelled: \(reason) during the undo window")]
    }
    state.batch = batch
    state.exitDeadline = state.clock.addingTimeInterval(10)
    return stopBatch(reason, in: &state)
}

private func editFilter(_ action: UserAction, in state: inout AppState) -> [Effect] {
    switch action {
    case .typed(let character):
        guard state.filter.typed.count < FilterState.maxLength else {
            state.message = StatusMessage(
                "The filter holds \(FilterState.maxLength) characters at most: the rest was not typed.", level: .warning)
            return []
        }
        retype(state.filter.typed + String(character), in: &state)
    case .backspace:
        guard !state.filter.typed.isEmpty else {
            state.filter.isEditing = false
            return []
        }
        retype(String(state.filter.typed.dropLast()), in: &state)
    case .complete:
        completeFilter(in: &state)
    case .submit:
        if let error = state.filter.error {
            state.message = StatusMessage(
                "The filter is not applied yet: \(error). Fix it, or Esc clears it.", level: .warning, lifetime: .whileTypingFilter)
            return []
        }
        state.filter.isEditing = false
        state.expireMessage(.whileTypingFilter)
    case .dismiss, .cancel:
        clearFilter(in: &state)
    default:
        return []
    }
    return prefetchIfNeeded(&state)
}

/// The prompt now holds `text`: the rows follow when it reads as a query; otherwise they stay
/// and the error says why.
func retype(_ text: String, in state: inout AppState) {
    state.filter.typed = text
    state.filter.hint = nil
    let query: Query
    do {
        query = try state.queryLanguage.parse(text)
    } catch {
        state.filter.error = error
        return
    }
    state.filter.error = nil
    state.filter.notice = unknownStatus(in: query.root, state: state)
    let previous = state.filter.query
    state.filter.query = query
    if !query.isEmpty { state.lastQuery = query }
    if query.root != previous.root { state.rebuildRows(narrowingFrom: previous) }
}

/// A `status:` value no loaded contact has, said while typing: a typo (`status:inactve`)
/// matches nothing, and nothing says why otherwise.
private func unknownStatus(in node: QueryNode?, state: AppState) -> String? {
    guard let node, !state.store.statusNames.isEmpty else { return nil }
    switch node {
    case .field(let term) where term.field.source == .status:
        guard case .equals(let wanted) = term.match else { return nil }
        let known = state.store.statusNames.map { TextFolding.fold($0) }
        let value = String(decoding: wanted, as: UTF8.self)
        if known.contains(value) { return nil }
        return "no loaded contact has status “\(value)” (they have \(known.joined(separator: ", ")))"
    case .not(let inner): return unknownStatus(in: inner, state: state)
    case .all(let nodes), .any(let nodes): return nodes.lazy.compactMap { unknownStatus(in: $0, state: state) }.first
    case .text, .field: return nil
    }
}

private func clearFilter(in state: inout AppState) {
    state.filter = FilterState()
    state.expireMessage(.whileTypingFilter)
    state.rebuildRows()
}

/// The keys that scroll a pane or panel.
let scrollActions: Set<UserAction> = [.moveDown, .moveUp, .pageDown, .pageUp, .halfPageDown, .halfPageUp, .moveToTop, .moveToBottom]

func scrolled(_ scroll: Int, by action: UserAction, lines: Int, page: Int) -> Int {
    let target: Int
    switch action {
    case .moveDown: target = scroll + 1
    case .moveUp: target = scroll - 1
    case .pageDown: target = scroll + page
    case .pageUp: target = scroll - page
    case .halfPageDown: target = scroll + max(1, page / 2)
    case .halfPageUp: target = scroll - max(1, page / 2)
    case .moveToTop: target = 0
    case .moveToBottom: target = lines
    default: target = scroll
    }
    return min(max(0, target), max(0, lines - 1))
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

private func askToDelete(_ contact: Contact, in state: inout AppState) -> [Effect] {
    if let batch = state.batch, batch.isActive {
        state.message = StatusMessage(
            "A deletion is under way (\(batch.done)/\(batch.total)); wait for it, or x to stop it.", level: .info)
        return []
    }
    if let reason = state.locked[contact.id] {
        // The way forward first, so a narrow message line never cuts it off.
        let alternative = state.capabilities.canDeactivate
            ? "s deactivates instead: "
            : "No soft alternative on this account: "
        state.message = StatusMessage("\(alternative)\(contact.displayName) is locked: \(reason)", level: .warning)
        return []
    }
    if state.activity[contact.id] != nil {
        state.message = StatusMessage("\(contact.displayName) is already being deleted.", level: .info)
        return []
    }
    if let reason = state.failed[contact.id] {
        state.message = StatusMessage("The last try failed (\(reason)); confirm to try again.", level: .warning)
    }
    state.overlay = .confirmDelete(contact)
    return []
}

private func askToDeactivate(_ contact: Contact, in state: inout AppState) -> [Effect] {
    guard state.capabilities.canDeactivate else {
        state.message = StatusMessage(
            "This \(state.account.dialect.displayName) account offers no soft alternative: contacts can only be deleted.",
            level: .warning)
        return []
    }
    if state.activity[contact.id] != nil {
        state.message = StatusMessage("\(contact.displayName) has a request in flight; wait for it.", level: .info)
        return []
    }
    if let inactive = state.capabilities.inactiveStatus, contact.status == inactive {
        state.message = StatusMessage("\(contact.displayName) is already inactive.", level: .info)
        return []
    }
    state.overlay = .confirmDeactivate(contact)
    return []
}

private func deactivateFinished(id: ContactID, result: Result<Contact, ProviderError>, in state: inout AppState) {
    state.activity[id] = nil
    let name = state.contact(withID: id)?.displayName ?? id.rawValue
    switch result {
    case .success(let updated):
        state.replace(updated)
        if case .detail(var pane) = state.overlay, pane.contact.id == id {
            pane.contact = updated
            state.overlay = .detail(pane)
        }
        let text = updated.status.map { "Deactivated \(name): it stays on the account, with status \($0), and receives no messages." }
            ?? "Deactivated \(name) as this profile defines it: it stays on the account."
        state.message = StatusMessage(text, level: .success)
    case .failure(let error) where error.kind == .notFound:
        state.remove(id)
        state.message = StatusMessage("\(name) is already gone from the server.", level: .warning)
    case .failure(let error):
        state.message = StatusMessage("\(name) was not deactivated: \(explain(error, state))", level: .error)
    }
}

/// A failure as the user reads it; a 401 also says where the key came from.
func explain(_ error: ProviderError, _ state: AppState) -> String {
    guard error.kind == .unauthorized, !state.account.keySource.isEmpty else { return error.description }
    return "\(error) (the API key from the \(state.account.keySource) is missing or invalid)"
}

private func detailLookupFinished(id: ContactID, result: Result<Contact, ProviderError>, in state: inout AppState) {
    guard case .detail(var pane) = state.overlay, pane.contact.id == id else {
        if case .success(let contact) = result { state.replace(contact) }
        return
    }
    switch result {
    case .success(let contact):
        pane.contact = contact
        pane.freshness = .fresh
        state.replace(contact)
    case .failure(let error) where error.kind == .notFound:
        pane.freshness = .gone
        state.remove(id)
        state.message = StatusMessage("\(pane.contact.displayName) is already gone from the server.", level: .warning)
    case .failure(let error):
        pane.freshness = .failed(explain(error, state))
    }
    state.overlay = .detail(pane)
    keepCursorVisible(&state)
}
