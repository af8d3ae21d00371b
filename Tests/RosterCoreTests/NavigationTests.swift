import Foundation
import Testing
@testable import RosterCore

private func shownID(_ state: AppState) -> String? { state.selectedContact?.id.rawValue }

@Suite("Moving as terminal tools move")
struct NavigationTests {
    /// Thirty contacts, all loaded, ten rows on screen.
    func session() -> AppState {
        var state = makeState(pageSize: 30, listRows: 10)
        _ = start(&state)
        _ = update(&state, .pageLoaded(page: 1, generation: 0, .success(ContactPage(contacts: sampleContacts(0..<30), page: 1, total: 30, hasMore: false))))
        return state
    }

    @Test func halfPagesMoveHalfTheScreen() {
        var state = session()
        _ = update(&state, .action(.halfPageDown))
        #expect(state.cursor == 5)
        _ = update(&state, .action(.halfPageDown))
        _ = update(&state, .action(.halfPageUp))
        #expect(state.cursor == 5)
    }

    @Test func nAndNGoToTheMatchesOfTheLastFilterAfterItIsCleared() {
        var state = session()
        _ = update(&state, .action(.nextMatch))
        #expect(state.message?.text.contains("/ sets one") == true)
        _ = update(&state, .action(.startFilter))
        for character in "id-2" { _ = update(&state, .action(.typed(character))) }
        _ = update(&state, .action(.submit))
        #expect(shownID(state) == "id-2")
        _ = update(&state, .action(.dismiss))
        #expect(!state.filter.isActive && state.rows.count == 30, "the filter is off, the whole list shows")
        #expect(shownID(state) == "id-2", "the cursor stays on its contact")
        _ = update(&state, .action(.nextMatch))
        #expect(shownID(state) == "id-20")
        _ = update(&state, .action(.nextMatch))
        #expect(shownID(state) == "id-21")
        _ = update(&state, .action(.previousMatch))
        #expect(shownID(state) == "id-20")
        _ = update(&state, .action(.moveToTop))
        _ = update(&state, .action(.previousMatch))
        #expect(shownID(state) == "id-29", "round the top to the last match")
        #expect(state.message?.text.contains("went round to the bottom") == true)
    }

    @Test func vMarksARangeBothEndsIncludedAndEscCancelsIt() {
        var state = session()
        _ = update(&state, .action(.moveDown))
        _ = update(&state, .action(.markRange))
        for _ in 0..<4 { _ = update(&state, .action(.moveDown)) }
        #expect(state.rangeSize == 5)
        _ = update(&state, .action(.markRange))
        #expect(state.marks == Set((1...5).map { ContactID("id-\($0)") }))
        #expect(state.rangeAnchor == nil)
        _ = update(&state, .action(.markRange))
        _ = update(&state, .action(.dismiss))
        #expect(state.rangeAnchor == nil)
        #expect(state.message?.text == "Range cancelled: nothing marked.")
        var readOnly = session()
        readOnly.session.isReadOnly = true
        _ = update(&readOnly, .action(.markRange))
        #expect(readOnly.rangeAnchor == nil)
    }

    @Test func ctrlLRepaintsWhateverIsOpenAndAnswersNothing() {
        var state = session()
        _ = update(&state, .action(.delete))
        guard case .confirmDelete = state.overlay else {
            Issue.record("d asks")
            return
        }
        #expect(update(&state, .action(.repaint)) == [.repaintScreen])
        guard case .confirmDelete = state.overlay else {
            Issue.record("the question stays")
            return
        }
    }

    @Test func theHelpAndTheDetailPaneScroll() {
        var state = session()
        _ = update(&state, .action(.toggleHelp))
        _ = update(&state, .action(.pageDown))
        #expect(state.overlay == .help(scroll: 10))
        _ = update(&state, .action(.moveToTop))
        #expect(state.overlay == .help(scroll: 0))
        _ = update(&state, .action(.dismiss))
        _ = update(&state, .action(.openDetail))
        _ = update(&state, .action(.moveDown))
        guard case .detail(let pane) = state.overlay else {
            Issue.record("the detail pane is open")
            return
        }
        #expect(pane.scroll == 1)
    }
}
