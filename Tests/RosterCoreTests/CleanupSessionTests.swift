import Foundation
import Testing
@testable import RosterCore

private func ids(_ contacts: [Contact]) -> [String] { contacts.map(\.id.rawValue) }

@Suite("Selecting: marks, filter, sort")
struct SelectingTests {
    @Test func spaceMarksAndMovesDownPlusMarksTheFilterMinusClears() {
        var state = cleanupSession()
        _ = update(&state, .action(.toggleMark))
        #expect(state.marks == [ContactID("id-0")])
        #expect(state.cursor == 1)
        _ = update(&state, .action(.startFilter))
        _ = typeKeys("Person 1", into: &state)
        #expect(ids(state.matchingContacts) == ["id-1"])
        _ = update(&state, .action(.submit))
        _ = update(&state, .action(.markAllShown))
        #expect(state.marks == [ContactID("id-0"), ContactID("id-1")])
        #expect(state.hiddenMarkCount == 1, "id-0 is marked but the filter hides it")
        _ = update(&state, .action(.clearMarks))
        #expect(state.marks.isEmpty)
    }

    @Test func theFilterMatchesNamePhoneDigitsEmailAndIdAndEscClearsIt() {
        var state = cleanupSession()
        _ = update(&state, .action(.startFilter))
        _ = typeKeys("P7@EXAMPLE", into: &state)
        #expect(ids(state.matchingContacts) == ["id-7"])
        _ = update(&state, .action(.cancel))
        #expect(state.rows.count == 10 && !state.filter.isActive && !state.filter.isEditing)
        _ = update(&state, .action(.startFilter))
        _ = typeKeys("300000003", into: &state)
        #expect(ids(state.matchingContacts) == ["id-3"], "digits match '+57 300000003'")
        for _ in 0..<9 { _ = update(&state, .action(.backspace)) }
        _ = typeKeys("id-9", into: &state)
        #expect(ids(state.matchingContacts) == ["id-9"])
    }

    /// The filter and the name sort ignore case and accents, both ways, and names in other
    /// scripts are found by their Latin transliteration on any terminal, UTF-8 or not: a
    /// support person who cannot type Cyrillic types `dmitrij`.
    @Test func filterAndSortIgnoreAccentsAndCaseBothWays() {
        var plain = makeState(pageSize: 10, listRows: 10)
        _ = start(&plain)
        let cyrillic = Contact(id: ContactID("d"), name: "Дмитрий Иванов", phone: "", email: "")
        _ = update(&plain, .pageLoaded(page: 1, generation: 0, .success(ContactPage(contacts: [cyrillic], page: 1, total: 1, hasMore: false))))
        _ = update(&plain, .action(.startFilter))
        _ = typeKeys("ДМИТРИЙ", into: &plain)
        #expect(plain.matchingContacts.map(\.name) == ["Дмитрий Иванов"], "other scripts ignore case too")

        let base = makeState(pageSize: 10, listRows: 10)
        var state = AppState(account: base.account, capabilities: base.capabilities)
        state.listHeight = 10
        _ = start(&state)
        let names = ["Zoë Müller", "Çağla Yılmaz", "Cagla Smith", "Ana Pérez", "Dmitrij Perez", "Дмитрий Иванов", "山田 太郎", "Łukasz Nowak"]
        let contacts = names.enumerated().map { Contact(id: ContactID("c\($0.offset)"), name: $0.element, phone: "", email: "") }
        _ = update(&state, .pageLoaded(page: 1, generation: 0, .success(ContactPage(contacts: contacts, page: 1, total: 8, hasMore: false))))
        func shown(_ query: String) -> [String] {
            _ = update(&state, .action(.startFilter))
            _ = typeKeys(query, into: &state)
            let found = state.matchingContacts.map(\.name)
            _ = update(&state, .action(.cancel))
            return found
        }
        #expect(shown("perez") == ["Ana Pérez", "Dmitrij Perez"])
        #expect(shown("PÉREZ") == ["Ana Pérez", "Dmitrij Perez"], "an accent typed finds the plain spelling too")
        #expect(shown("cagla") == ["Çağla Yılmaz", "Cagla Smith"])
        #expect(shown("dmitrij") == ["Dmitrij Perez", "Дмитрий Иванов"], "as LANG=C shows Дмитрий, and in UTF-8 too")
        #expect(shown("дмитрий") == ["Dmitrij Perez", "Дмитрий Иванов"], "the script itself still finds it")
        #expect(shown("shan tian") == ["山田 太郎"])
        #expect(shown("lukasz") == ["Łukasz Nowak"])
        _ = update(&state, .action(.cycleSort))
        #expect(state.matchingContacts.map(\.name) == [
            "Ana Pérez", "Cagla Smith", "Çağla Yılmaz", "Дмитрий Иванов", "Dmitrij Perez", "Łukasz Nowak", "山田 太郎", "Zoë Müller",
        ])
    }

    /// Sorting sorts what is loaded and says so: it never loads the rest of the account by
    /// itself, however the cursor lands; End loads the next page on purpose.
    @Test func sortingNeverLoadsTheAccountBehindTheUsersBack() {
        var state = loadedState(contacts: 10, pageSize: 10, total: 1000)
        state.pages.inFlight = nil
        state.cursor = 9
        let sorted = update(&state, .action(.cycleSort))
        #expect(sorted.isEmpty, "no page asked for")
        #expect(state.message?.text.contains("loaded only") == true)
        #expect(update(&state, .action(.moveUp)).isEmpty)
        #expect(update(&state, .action(.moveDown)).isEmpty)
        #expect(update(&state, .action(.moveToBottom)) == [.fetchPage(page: 2, generation: 0)])
    }

    @Test func theCursorStaysOnItsContactThroughFilterSortAndPages() {
        var state = loadedState(contacts: 10, pageSize: 10, total: 12)
        state.cursor = 4
        _ = update(&state, .action(.cycleSort))
        #expect(state.sort == .name)
        #expect(state.selectedContact?.id == ContactID("id-4"))
        state.pages.inFlight = 2
        let page2 = ContactPage(contacts: [
            Contact(id: ContactID("x-1"), name: "Aaron", phone: "", email: ""),
            Contact(id: ContactID("x-2"), name: "Zoe", phone: "", email: ""),
        ], page: 2, total: 12, hasMore: false)
        _ = update(&state, .pageLoaded(page: 2, generation: 0, .success(page2)))
        #expect(state.matchingContacts.first?.name == "Aaron", "sorted by name, the new page's Aaron comes first")
        #expect(state.selectedContact?.id == ContactID("id-4"), "a page arriving never moves the cursor to another contact")
        _ = update(&state, .action(.toggleMark))
        #expect(state.marks == [ContactID("id-4")])
    }
}

@Suite("--select-from")
struct SelectFromTests {
    @Test func linesMatchByIdEmailOrPhoneDigitsAndAmbiguityMarksNothing() {
        let contacts = [
            Contact(id: ContactID("a1"), name: "Ana", phone: "+57 300 111 2233", email: "Ana@Example.com"),
            Contact(id: ContactID("b2"), name: "Bo", phone: "3001112244", email: "bo@example.com"),
            Contact(id: ContactID("c3"), name: "Cy", phone: "+1 555 0100", email: "cy@example.com"),
            Contact(id: ContactID("d4"), name: "Di", phone: "+1 555 0100", email: "di@example.com"),
        ]
        let selection = PendingSelection(source: "ticket.txt", lines: [
            "a1", "ana@example.com", "300-111-2244", "+15550100", "nobody@example.com", "", "# comment", "a1",
        ])
        let result = selection.resolve(in: contacts)
        #expect(result.marked == [ContactID("a1"), ContactID("b2")])
        #expect(result.unmatched == ["nobody@example.com"])
        #expect(result.ambiguous == ["+15550100"])
    }

    @Test func everyPageIsLoadedBeforeMatching() {
        var state = makeState(pageSize: 10)
        state.selectWhenLoaded(PendingSelection(source: "t", lines: ["id-15", "id-99"]))
        _ = start(&state)
        let next = update(&state, .pageLoaded(page: 1, generation: 0, .success(
            ContactPage(contacts: sampleContacts(0..<10), page: 1, total: 20, hasMore: true))))
        #expect(next == [.fetchPage(page: 2, generation: 0)], "loads on although the screen is full")
        _ = update(&state, .pageLoaded(page: 2, generation: 0, .success(
            ContactPage(contacts: sampleContacts(10..<20), page: 2, total: 20, hasMore: false))))
        #expect(state.marks == [ContactID("id-15")])
        guard case .info(let panel) = state.overlay else { Issue.record("unmatched lines are listed"); return }
        #expect(panel.lines == ["not found:  id-99"])
    }
}
