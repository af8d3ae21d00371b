@testable import RosterCore

func sampleContacts(_ range: Range<Int>) -> [Contact] {
    range.map { index in
        Contact(
            id: ContactID("id-\(index)"), name: "Person \(index)", phone: "+57 30000000\(index)",
            email: "p\(index)@example.com", status: "ACTIVE")
    }
}

func makeState(dialect: Dialect = .sendme123, pageSize: Int = 10, listRows: Int = 5) -> AppState {
    let capabilities = ProviderCapabilities(
        canLookUp: dialect == .sendme123, canDeactivate: dialect == .sendme123, pageSize: pageSize,
        detailFieldOrder: [])
    var state = AppState(
        account: AccountInfo(profile: "test", dialect: dialect, baseURL: "http://127.0.0.1:1", isDemo: false),
        capabilities: capabilities)
    state.listHeight = listRows
    // Deletions go out at once unless a test opens the undo window itself.
    state.session.undoDelay = 0
    return state
}

/// A state with the first page loaded.
func loadedState(dialect: Dialect = .sendme123, contacts: Int = 10, pageSize: Int = 10, total: Int = 30) -> AppState {
    var state = makeState(dialect: dialect, pageSize: pageSize)
    _ = start(&state)
    let page = ContactPage(contacts: sampleContacts(0..<contacts), page: 1, total: total, hasMore: contacts < total)
    _ = update(&state, .pageLoaded(page: 1, generation: 0, .success(page)))
    return state
}

func conflict() -> ProviderError {
    ProviderError(kind: .conflict, status: 409, message: "Contact cannot be deleted (has pending messages)")
}

func notFound() -> ProviderError {
    ProviderError(kind: .notFound, status: 404, message: "Contact not found")
}

/// Deletes one contact the way a user does: cursor on it, d, y, then the server's answers.
func deleteAtCursor(_ id: ContactID, in state: inout AppState) {
    guard let row = state.rows.firstIndex(where: { state.store.id(at: $0) == id }) else { return }
    state.cursor = row
    _ = update(&state, .action(.delete))
    let effects = update(&state, .action(.confirm))
    let contact = state.contact(atRow: row)
    if effects.contains(.lookUp(id, .beforeDelete)) {
        _ = update(&state, .lookupFinished(id, .beforeDelete, .success(contact)))
    }
    _ = update(&state, .deleteFinished(id, .success(DeleteReceipt(id: id, message: "ok"))))
}
