import Testing
@testable import RosterCore

@Suite("Browsing: paging, cursor and reload")
struct BrowsingTests {
    @Test func startAsksForTheFirstPageOnce() {
        var state = makeState()
        #expect(start(&state) == [.fetchPage(page: 1, generation: 0)])
        #expect(start(&state) == [])
        #expect(update(&state, .viewportChanged(listRows: 5)) == [])
    }

    @Test func pagesAreFetchedOnlyAsTheCursorNearsTheEnd() {
        var state = loadedState(contacts: 30, pageSize: 30, total: 90)
        #expect(state.contacts.count == 30)
        var effects: [Effect] = []
        for _ in 0..<19 { effects += update(&state, .action(.moveDown)) }
        #expect(effects == [], "more than two screens of loaded rows below the cursor")
        #expect(update(&state, .action(.moveDown)) == [.fetchPage(page: 2, generation: 0)])
        #expect(update(&state, .action(.moveDown)) == [], "no second request while one is in flight")
    }

    @Test func theLastPageEndsFetching() {
        var state = loadedState(contacts: 10, pageSize: 10, total: 10)
        #expect(state.pages.allLoaded)
        #expect(update(&state, .action(.moveToBottom)) == [])
        #expect(state.cursor == 9)
    }

    @Test func cursorStaysInsideTheListAndTheViewport() {
        var state = loadedState(contacts: 10, total: 10)
        _ = update(&state, .action(.moveUp))
        #expect(state.cursor == 0)
        _ = update(&state, .action(.pageDown))
        #expect(state.cursor == 5)
        #expect(state.scrollTop == 1)
        _ = update(&state, .action(.moveToBottom))
        #expect(state.cursor == 9 && state.scrollTop == 5)
        _ = update(&state, .action(.moveToTop))
        #expect(state.cursor == 0 && state.scrollTop == 0)
    }

    @Test func aPageFromAnEarlierLoadIsIgnored() {
        var state = loadedState()
        _ = update(&state, .action(.reload))
        let stale = ContactPage(contacts: sampleContacts(50..<60), page: 1, total: 10, hasMore: false)
        _ = update(&state, .pageLoaded(page: 1, generation: 0, .success(stale)))
        #expect(state.contacts.first?.id == ContactID("id-0"))
    }

    @Test func reloadKeepsTheCursorOnTheSameContact() {
        var state = loadedState(contacts: 10, total: 10)
        _ = update(&state, .action(.moveDown))
        _ = update(&state, .action(.moveDown))
        #expect(update(&state, .action(.reload)) == [.fetchPage(page: 1, generation: 1)])
        let reordered = ContactPage(contacts: Array(sampleContacts(0..<10).reversed()), page: 1, total: 10, hasMore: false)
        _ = update(&state, .pageLoaded(page: 1, generation: 1, .success(reordered)))
        #expect(state.selectedContact?.id == ContactID("id-2"))
        #expect(state.message?.text == "Reloaded from the server.")
    }

    @Test func deletedRowsDoNotMakeTheNextPageSkipContacts() {
        var state = loadedState(contacts: 10, pageSize: 10, total: 30)
        deleteAtCursor(ContactID("id-3"), in: &state)
        // Nine rows left: the server's page 1 now ends with id-10, so page 1 is asked again and
        // its overlap dropped.
        #expect(state.nextPageNumber == 1)
        state.pages.inFlight = 1
        let shifted = ContactPage(contacts: sampleContacts(0..<3) + sampleContacts(4..<11), page: 1, total: 29, hasMore: true)
        _ = update(&state, .pageLoaded(page: 1, generation: 0, .success(shifted)))
        #expect(state.contacts.map(\.id.rawValue).last == "id-10")
    }

    @Test func aFailedPageSaysSoAndKeepsRunning() {
        var state = makeState()
        _ = start(&state)
        let error = ProviderError(kind: .unauthorized, status: 401, message: "Missing or invalid API key")
        _ = update(&state, .pageLoaded(page: 1, generation: 0, .failure(error)))
        #expect(state.message?.level == .error)
        #expect(state.message?.text.contains("401: Missing or invalid API key") == true)
        #expect(update(&state, .action(.reload)) == [.fetchPage(page: 1, generation: 1)])
    }

    @Test func detailLooksTheContactUpFreshWhereTheDialectCan() {
        var state = loadedState()
        #expect(update(&state, .action(.openDetail)) == [.lookUp(ContactID("id-0"), .detail)])
        var fresh = state.contacts[0]
        fresh.status = "INACTIVE"
        _ = update(&state, .lookupFinished(fresh.id, .detail, .success(fresh)))
        #expect(state.overlay == .detail(DetailPane(contact: fresh, freshness: .fresh)))
        #expect(state.contacts[0].status == "INACTIVE")
        _ = update(&state, .action(.dismiss))
        #expect(state.overlay == .none)
    }

    @Test func detailOnEasifyShowsTheListRecordAndSaysSo() {
        var state = loadedState(dialect: .easify)
        #expect(update(&state, .action(.openDetail)) == [])
        #expect(state.overlay == .detail(DetailPane(contact: state.contacts[0], freshness: .listRecordOnly)))
    }

    @Test func quittingWithRequestsInFlightAsksFirst() {
        var state = loadedState()
        _ = update(&state, .action(.delete))
        _ = update(&state, .action(.confirm))
        _ = update(&state, .action(.quit))
        #expect(!state.isFinished)
        #expect(state.overlay == .confirmQuit)
        _ = update(&state, .action(.confirm))
        #expect(!state.isFinished, "the request in flight is answered and journalled first")
        #expect(state.batch?.phase == .stopping("Roster was told to quit"))
        let target = state.contacts[0]
        _ = update(&state, .lookupFinished(target.id, .beforeDelete, .success(target)))
        #expect(state.isFinished, "no DELETE follows the look-up once quitting")
    }

    /// A message that has stopped being true leaves the line; every message stays, in full,
    /// in the history (m), newest first.
    @Test func staleMessagesLeaveAndTheHistoryKeepsEverything() {
        var state = loadedState(contacts: 10, pageSize: 10, total: 20)
        _ = update(&state, .action(.moveToBottom))
        #expect(state.message?.text.contains("more are loading") == true)
        _ = update(&state, .pageLoaded(page: 2, generation: 0, .success(
            ContactPage(contacts: sampleContacts(10..<20), page: 2, total: 20, hasMore: false))))
        #expect(state.message == nil, "everything is loaded: the message is no longer true")
        _ = update(&state, .notice(StatusMessage("Waiting for an answer from 10.0.0.1:443: 8 s so far…", level: .info, lifetime: .untilAnswer)))
        let contact = state.contacts[0]
        _ = update(&state, .lookupFinished(contact.id, .detail, .success(contact)))
        #expect(state.message == nil, "an answer came")
        let long = String(repeating: "a long reason ", count: 30)
        state.message = StatusMessage(long, level: .error)
        _ = update(&state, .action(.showMessages))
        guard case .info(let panel) = state.overlay else { Issue.record("m shows the history"); return }
        #expect(panel.wraps)
        #expect(panel.lines.count == 3)
        #expect(panel.lines[0].hasSuffix("✗ " + long), "newest first, in full")
        #expect(panel.lines[2].contains("more are loading"))
    }
}
