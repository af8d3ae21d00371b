import Foundation
import Testing
@testable import RosterCore

/// An account as a server holds it, serving offset pages of its current contents, so a test
/// can change it between pages as another client would.
private struct Account {
    var contacts: [Contact]
    let pageSize: Int
    var served = 0

    init(count: Int, pageSize: Int) {
        contacts = sampleContacts(0..<count)
        self.pageSize = pageSize
    }

    mutating func page(_ number: Int) -> ContactPage {
        served += 1
        let start = min(contacts.count, (number - 1) * pageSize)
        let slice = Array(contacts[start..<min(contacts.count, start + pageSize)])
        return ContactPage(
            contacts: slice, page: number, total: contacts.count, hasMore: start + pageSize < contacts.count, pageSize: pageSize)
    }

    mutating func delete(_ ids: [Int]) {
        let gone = Set(ids.map { ContactID("id-\($0)") })
        contacts.removeAll { gone.contains($0.id) }
    }
}

/// Answers every page request the state makes, reading again as asked, until none is left.
private func answerPages(_ effects: [Effect], from account: inout Account, into state: inout AppState) {
    var queue = effects
    while !queue.isEmpty {
        switch queue.removeFirst() {
        case .fetchPage(let page, let generation):
            queue += update(&state, .pageLoaded(page: page, generation: generation, .success(account.page(page))))
        case .rereadPage(let page, let generation):
            queue += update(&state, .pageReread(page: page, generation: generation, .success(account.page(page))))
        default:
            break
        }
    }
}

/// Scrolls to the end, loading every page.
private func scrollToTheEnd(_ account: inout Account, _ state: inout AppState) {
    for _ in 0..<50 {
        answerPages(update(&state, .action(.moveToBottom)), from: &account, into: &state)
        if state.pages.allLoaded && state.pages.inFlight == nil { return }
    }
}

private func loadedIDs(_ state: AppState) -> [ContactID] { state.contacts.map(\.id) }

@Suite("Paging: every contact is reached while the account changes")
struct PagingTests {
    fileprivate func firstPage(_ account: inout Account, dialect: Dialect = .sendme123, newestFirst: Bool = false) -> AppState {
        var state = makeState(dialect: dialect, pageSize: account.pageSize, listRows: 20)
        state.session.capabilities.newestFirst = newestFirst
        answerPages(start(&state), from: &account, into: &state)
        return state
    }

    /// The case: pages of 100, 300 contacts; after page one is drawn another client
    /// deletes 10 contacts from it. Scrolling to the end still shows the 10 that followed.
    @Test func anotherClientDeletingFromAShownPageSkipsNothing() {
        var account = Account(count: 300, pageSize: 100)
        var state = firstPage(&account)
        #expect(account.served == 1)
        account.delete(Array(10..<20))
        scrollToTheEnd(&account, &state)
        #expect(loadedIDs(state) == account.contacts.map(\.id), "every surviving contact, in order, and none of the deleted")
        #expect(state.order.count == 290)
        #expect(state.pages.check.doubt == nil)
        #expect(account.served == 4, "three pages and one read again")
        #expect(state.pages.check.rereads == 1)
    }

    /// Roster's own deletions answered while the next page is on its way: the page was cut
    /// after them, so the contacts it starts past are read again.
    @Test func ownDeletionsAnsweredDuringAPageRequestSkipNothing() {
        var account = Account(count: 300, pageSize: 100)
        var state = firstPage(&account)
        state.cursor = 95
        let request = update(&state, .action(.moveDown))
        #expect(request == [.fetchPage(page: 2, generation: 0)])
        // Meanwhile three deletions of Roster's own are carried out and answered.
        for index in [3, 4, 5] {
            account.delete([index])
            deleteAtCursor(ContactID("id-\(index)"), in: &state)
        }
        answerPages(request, from: &account, into: &state)
        scrollToTheEnd(&account, &state)
        #expect(loadedIDs(state) == account.contacts.map(\.id))
        #expect(state.order.count == 297)
    }

    /// Newest first (Easify's default): contacts another client adds land on the first page;
    /// the next page repeats the loaded ones they pushed down, which tells Roster to read the
    /// top again.
    @Test func contactsAddedAtTheTopOfANewestFirstListAreShown() {
        var account = Account(count: 300, pageSize: 100)
        var state = firstPage(&account, dialect: .easify, newestFirst: true)
        let added = (1000..<1005).map {
            Contact(id: ContactID("id-\($0)"), name: "New \($0)", phone: "", email: "new\($0)@example.com")
        }
        account.contacts.insert(contentsOf: added.reversed(), at: 0)
        state.cursor = 95
        answerPages(update(&state, .action(.moveDown)), from: &account, into: &state)
        #expect(state.selectedContact?.id == ContactID("id-96"), "the cursor stayed on its contact as the new ones came in above")
        #expect(state.order.count == 200, "two pages, five repeated, and the five new")
        scrollToTheEnd(&account, &state)
        #expect(loadedIDs(state) == account.contacts.map(\.id), "the new ones first, then the rest, each once")
        #expect(state.pages.check.doubt == nil)
    }

    /// Oldest first: added contacts come at the end and need nothing more than the pages.
    @Test func contactsAddedAtTheEndCostNothingExtra() {
        var account = Account(count: 250, pageSize: 100)
        var state = firstPage(&account)
        account.contacts += (1000..<1010).map { Contact(id: ContactID("id-\($0)"), name: "New", phone: "", email: "") }
        scrollToTheEnd(&account, &state)
        #expect(loadedIDs(state) == account.contacts.map(\.id))
        #expect(account.served == 3, "no page read twice")
    }

    /// Nothing changed: not one extra request.
    @Test func anUnchangedAccountCostsOnlyItsPages() {
        var account = Account(count: 1000, pageSize: 250)
        var state = firstPage(&account)
        scrollToTheEnd(&account, &state)
        #expect(account.served == 4)
        #expect(state.pages.check.rereads == 0 && state.pages.check.doubt == nil)
    }

    /// A shift larger than a page cannot be mended by one more read: the header says the list
    /// may be incomplete, and r reloads it whole.
    @Test func aShiftLargerThanAPageIsSaidAndReloadMendsIt() {
        var account = Account(count: 400, pageSize: 100)
        var state = firstPage(&account)
        answerPages(update(&state, .action(.moveToBottom)), from: &account, into: &state)
        #expect(state.order.count == 200)
        account.delete(Array(0..<150))
        scrollToTheEnd(&account, &state)
        #expect(state.pages.check.doubt != nil)
        #expect(state.message?.text.contains("r reloads") == true)
        answerPages(update(&state, .action(.reload)), from: &account, into: &state)
        #expect(state.pages.check.doubt == nil)
        scrollToTheEnd(&account, &state)
        #expect(loadedIDs(state) == account.contacts.map(\.id))
    }

    /// Issue: a server that answers every page with its first (`totalPages: 99999999999`) was
    /// read forever by the UI's paging too. Loading stops after three pages that bring nothing
    /// new, the header says why, and a task that waited for the whole account is not done on
    /// a part of it.
    @Test(arguments: [false, true])
    func aServerThatRepeatsItsPagesIsNotReadForever(newestFirst: Bool) {
        var account = Account(count: 100, pageSize: 100)
        var state = makeState(dialect: .sendme123, pageSize: 100, listRows: 20)
        state.session.capabilities.newestFirst = newestFirst
        var served = 0
        func answer(_ effects: [Effect]) {
            var queue = effects
            while !queue.isEmpty, served < 200 {
                served += 1
                var first = account.page(1)
                first.hasMore = true
                first.total = 99_999
                switch queue.removeFirst() {
                case .fetchPage(let page, let generation):
                    first.page = page
                    queue += update(&state, .pageLoaded(page: page, generation: generation, .success(first)))
                case .rereadPage(let page, let generation):
                    first.page = page
                    queue += update(&state, .pageReread(page: page, generation: generation, .success(first)))
                default:
                    break
                }
            }
        }
        answer(start(&state))
        answer(update(&state, .action(.showDuplicates)))
        for _ in 0..<20 where !state.pages.allLoaded { answer(update(&state, .action(.moveToBottom))) }
        let stopped = state.pages.allLoaded
        #expect(stopped)
        #expect(served < 12, "a few pages, not hundreds: \(served)")
        #expect(state.pages.check.doubt?.contains("keeps sending contacts already loaded") == true, "\(String(describing: state.pages.check.doubt))")
        let overlay = state.overlay
        #expect(overlay == .none, "no duplicate review of part of the account")
        let waiting = state.whenAccountLoaded
        #expect(waiting.isEmpty)
        #expect(state.order.count == 100)
    }

    /// Issue: one record whose id is an object lost the whole list. It is left out, the rest
    /// is shown, and the count of contacts read agrees with the server's once it is counted.
    @Test func aRecordWithNoUsableIDIsLeftOutAndSaid() {
        var account = Account(count: 100, pageSize: 10)
        var state = firstPage(&account)
        var effects = update(&state, .action(.moveToBottom))
        while let effect = effects.first {
            effects.removeFirst()
            guard case .fetchPage(let page, let generation) = effect else { continue }
            var loaded = account.page(page)
            if page == 8 {
                loaded.contacts.removeFirst()
                loaded.leftOut = 1
            }
            effects += update(&state, .pageLoaded(page: page, generation: generation, .success(loaded)))
        }
        let loadedAll = state.pages.allLoaded
        #expect(loadedAll)
        #expect(state.order.count == 99)
        #expect(state.pages.check.leftOut == 1)
        #expect(state.pages.check.doubt == nil, "the server's count is met once the record left out is counted")
        #expect(state.messageLog.contains { $0.message.text == "1 record on page 8 has no usable id, so it is left out." })
    }

    /// `m` shows one line for loading the rest of the account, updated as pages arrive, not
    /// one line a page.
    @Test func loadingTheAccountIsOneLineInTheMessageHistory() {
        var account = Account(count: 100, pageSize: 10)
        var state = firstPage(&account)
        answerPages(update(&state, .action(.showDuplicates)), from: &account, into: &state)
        let allLoaded = state.pages.allLoaded
        #expect(allLoaded)
        let loading = state.messageLog.filter { $0.message.text.hasPrefix("Loading") }
        #expect(loading.count == 1, "\(loading.map(\.message.text))")
        #expect(loading.first?.message.text.contains("90 of 100 loaded") == true, "the latest count: \(loading.map(\.message.text))")
    }

    @Test func continuityReadsWhatThePageSays() {
        #expect(PageContinuity(start: 100, readBefore: 100, leadingKnown: 0, expectedTotal: 300, reportedTotal: 300).isContinuous)
        #expect(PageContinuity(start: 100, readBefore: 100, leadingKnown: 0, expectedTotal: 300, reportedTotal: 290).maySkip == 10)
        #expect(PageContinuity(start: 100, readBefore: 97, leadingKnown: 0, expectedTotal: 297, reportedTotal: 297).maySkip == 3)
        #expect(PageContinuity(start: 100, readBefore: 103, leadingKnown: 3, expectedTotal: 300, reportedTotal: 300).isContinuous)
        let added = PageContinuity(start: 100, readBefore: 100, leadingKnown: 5, expectedTotal: 300, reportedTotal: 305)
        #expect(added.addedBefore == 5 && added.maySkip == 0)
    }
}
