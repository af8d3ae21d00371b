import Foundation

/// Roster's behaviour: every change a user can see is decided here, from the state and one
/// event, and every piece of I/O is returned as an effect for the runtime to perform.
public func update(_ state: inout AppState, _ event: Event) -> [Effect] {
    switch event {
    case .action(let action):
        return handle(action, in: &state)
    case .viewportChanged(let rows):
        state.listHeight = max(1, rows)
        keepCursorVisible(&state)
        return prefetchIfNeeded(&state)
    case .pageLoaded(let page, let generation, let result):
        return pageLoaded(page: page, generation: generation, result: result, in: &state)
    case .lookupFinished(let id, .detail, let result):
        detailLookupFinished(id: id, result: result, in: &state)
        return []
    case .lookupFinished(let id, .beforeDelete, let result):
        return preDeleteLookupFinished(id: id, result: result, in: &state)
    case .deleteFinished(let id, let result):
        deleteFinished(id: id, result: result, in: &state)
        return prefetchIfNeeded(&state)
    case .deactivateFinished(let id, let result):
        deactivateFinished(id: id, result: result, in: &state)
        return []
    case .headroomChanged(let headroom):
        state.headroom = headroom
        return []
    case .tick(let now):
        state.clock = now
        return []
    case .notice(let message):
        state.message = message
        return []
    case .terminationRequested:
        state.isFinished = true
        return []
    }
}

/// The first effects of a session: load page one, unless it is already on its way.
public func start(_ state: inout AppState) -> [Effect] {
    guard state.pageInFlight == nil, state.contacts.isEmpty else { return [] }
    return requestPage(1, in: &state)
}

private func handle(_ action: UserAction, in state: inout AppState) -> [Effect] {
    switch state.overlay {
    case .confirmDelete(let contact):
        state.overlay = .none
        if action == .confirm { return beginDelete(contact, in: &state) }
        state.message = StatusMessage("Delete cancelled: \(contact.displayName) was not deleted.", level: .info)
        return []
    case .confirmDeactivate(let contact):
        state.overlay = .none
        if action == .confirm {
            state.activity[contact.id] = .deactivating
            state.message = StatusMessage("Deactivating \(contact.displayName)…", level: .info)
            return [.deactivate(contact)]
        }
        state.message = StatusMessage("Deactivation cancelled: \(contact.displayName) is unchanged.", level: .info)
        return []
    case .help:
        if [.toggleHelp, .dismiss, .quit, .cancel].contains(action) { state.overlay = .none }
        return []
    case .detail(let pane):
        switch action {
        case .dismiss, .openDetail, .quit, .cancel:
            state.overlay = .none
            return []
        case .delete:
            return askToDelete(pane.contact, in: &state)
        case .deactivate:
            return askToDeactivate(pane.contact, in: &state)
        case .toggleHelp:
            state.overlay = .help
            return []
        default:
            return []
        }
    case .none:
        break
    }

    if action != .quit { state.quitRequested = false }
    switch action {
    case .moveUp: return moveCursor(to: state.cursor - 1, in: &state)
    case .moveDown: return moveCursor(to: state.cursor + 1, in: &state)
    case .pageUp: return moveCursor(to: state.cursor - state.listHeight, in: &state)
    case .pageDown: return moveCursor(to: state.cursor + state.listHeight, in: &state)
    case .moveToTop: return moveCursor(to: 0, in: &state)
    case .moveToBottom:
        if !state.allPagesLoaded {
            state.message = StatusMessage("Last loaded contact; more are loading from the server.", level: .info)
        }
        return moveCursor(to: state.contacts.count - 1, in: &state)
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
        guard let contact = state.selectedContact else {
            state.message = StatusMessage("No contact to delete.", level: .info)
            return []
        }
        return askToDelete(contact, in: &state)
    case .deactivate:
        guard let contact = state.selectedContact else { return [] }
        return askToDeactivate(contact, in: &state)
    case .toggleHelp:
        state.overlay = .help
        return []
    case .quit:
        let inFlight = state.activity.count
        if inFlight > 0 && !state.quitRequested {
            state.quitRequested = true
            state.message = StatusMessage(
                "\(inFlight) request\(inFlight == 1 ? "" : "s") still in flight. Press q again to quit anyway.",
                level: .warning)
            return []
        }
        state.isFinished = true
        return []
    case .dismiss, .cancel:
        state.message = nil
        return []
    case .confirm:
        return []
    }
}

private func moveCursor(to target: Int, in state: inout AppState) -> [Effect] {
    guard !state.contacts.isEmpty else { return prefetchIfNeeded(&state) }
    state.cursor = min(max(0, target), state.contacts.count - 1)
    keepCursorVisible(&state)
    return prefetchIfNeeded(&state)
}

func keepCursorVisible(_ state: inout AppState) {
    let count = state.contacts.count
    state.cursor = min(max(0, state.cursor), max(0, count - 1))
    if state.cursor < state.scrollTop { state.scrollTop = state.cursor }
    if state.cursor >= state.scrollTop + state.listHeight { state.scrollTop = state.cursor - state.listHeight + 1 }
    state.scrollTop = max(0, min(state.scrollTop, max(0, count - state.listHeight)))
}

/// Pages are fetched as the user scrolls: the next one is asked for when the cursor comes
/// within a screen of the end of what is loaded, never the whole account up front.
private func prefetchIfNeeded(_ state: inout AppState) -> [Effect] {
    guard let next = state.nextPageNumber, state.pageInFlight == nil else { return [] }
    guard state.cursor + 2 * state.listHeight >= state.contacts.count else { return [] }
    return requestPage(next, in: &state)
}

private func requestPage(_ page: Int, in state: inout AppState) -> [Effect] {
    state.pageInFlight = page
    return [.fetchPage(page: page, generation: state.generation)]
}

private func pageLoaded(
    page: Int, generation: Int, result: Result<ContactPage, ProviderError>, in state: inout AppState
) -> [Effect] {
    guard generation == state.generation, state.pageInFlight == page else { return [] }
    state.pageInFlight = nil
    switch result {
    case .success(let loaded):
        if page == 1 {
            state.replaceContacts(with: loaded.contacts)
            state.allPagesLoaded = false
            if case .info = state.message?.level, state.message?.text.hasPrefix("Reloading") == true {
                state.message = StatusMessage("Reloaded from the server.", level: .success)
            }
        } else {
            state.append(loaded.contacts)
        }
        state.totalOnServer = loaded.total
        if !loaded.hasMore || loaded.contacts.isEmpty { state.allPagesLoaded = true }
        if let anchor = state.reloadAnchor, let index = state.contacts.firstIndex(where: { $0.id == anchor }) {
            state.cursor = index
            state.reloadAnchor = nil
        } else if page == 1 {
            state.reloadAnchor = nil
        }
        keepCursorVisible(&state)
        return prefetchIfNeeded(&state)
    case .failure(let error):
        state.message = StatusMessage("Could not load contacts (page \(page)): \(explain(error, state)). Press r to retry.", level: .error)
        return []
    }
}

private func askToDelete(_ contact: Contact, in state: inout AppState) -> [Effect] {
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
    if contact.status == "INACTIVE" {
        state.message = StatusMessage("\(contact.displayName) is already inactive.", level: .info)
        return []
    }
    state.overlay = .confirmDeactivate(contact)
    return []
}

private func deactivateFinished(id: ContactID, result: Result<Contact, ProviderError>, in state: inout AppState) {
    state.activity[id] = nil
    let name = state.contacts.first { $0.id == id }?.displayName ?? id.rawValue
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

private func beginDelete(_ contact: Contact, in state: inout AppState) -> [Effect] {
    if state.capabilities.canLookUp {
        state.activity[contact.id] = .checking
        state.message = StatusMessage("Checking \(contact.displayName) before deleting…", level: .info)
        return [.lookUp(contact.id, .beforeDelete)]
    }
    state.activity[contact.id] = .deleting
    state.message = StatusMessage("Deleting \(contact.displayName)…", level: .info)
    return [.delete(contact)]
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

private func preDeleteLookupFinished(
    id: ContactID, result: Result<Contact, ProviderError>, in state: inout AppState
) -> [Effect] {
    let name = state.contacts.first { $0.id == id }?.displayName ?? id.rawValue
    switch result {
    case .success(let fresh):
        state.replace(fresh)
        state.failed[id] = nil
        state.activity[id] = .deleting
        state.message = StatusMessage("Deleting \(fresh.displayName)…", level: .info)
        return [.delete(fresh)]
    case .failure(let error) where error.kind == .notFound:
        state.remove(id)
        keepCursorVisible(&state)
        state.message = StatusMessage("\(name) was already gone; nothing was deleted.", level: .warning)
        return prefetchIfNeeded(&state)
    case .failure(let error):
        state.activity[id] = nil
        state.message = StatusMessage("Not deleted: could not check \(name) first: \(explain(error, state))", level: .error)
        return []
    }
}

private func deleteFinished(id: ContactID, result: Result<DeleteReceipt, ProviderError>, in state: inout AppState) {
    let contact = state.contacts.first { $0.id == id }
    let name = contact?.displayName ?? id.rawValue
    switch result {
    case .success:
        let phone = contact.map { $0.phone.isEmpty ? "" : "\($0.phone), " } ?? ""
        state.remove(id)
        state.message = StatusMessage("Deleted \(name) (\(phone)id \(id)).", level: .success)
    case .failure(let error) where error.kind == .notFound:
        state.remove(id)
        state.message = StatusMessage("\(name) was already gone.", level: .warning)
    case .failure(let error) where error.kind == .conflict:
        state.activity[id] = nil
        state.locked[id] = error.message
        state.message = StatusMessage("\(name) cannot be deleted: \(error)", level: .warning)
    case .failure(let error):
        state.activity[id] = nil
        state.failed[id] = error.description
        state.message = StatusMessage("\(name) was not deleted: \(explain(error, state))", level: .error)
    }
    keepCursorVisible(&state)
}
