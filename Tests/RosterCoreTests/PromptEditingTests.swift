import Foundation
import Testing
@testable import RosterCore

/// The filter prompt edits like a shell's line: the cursor moves by character, word and line,
/// Ctrl-W, Ctrl-U and Ctrl-K delete, and ↑/↓ recall the queries kept on the profile.
@Suite("The filter prompt edits like a shell")
struct PromptEditingTests {
    private func edit(_ state: inout AppState, _ edits: LineEdit...) {
        for edit in edits { _ = update(&state, .action(.editLine(edit))) }
    }

    @Test func theCursorMovesAndTypingGoesWhereItIs() {
        var state = loadedState(contacts: 10, total: 10)
        _ = update(&state, .action(.startFilter))
        _ = typeKeys("status:active", into: &state)
        edit(&state, .start)
        _ = typeKeys("!", into: &state)
        #expect(state.filter.typed == "!status:active")
        #expect(state.filter.cursor == 1)
        edit(&state, .end, .wordLeft)
        #expect(state.filter.cursor == 8, "Alt-B stops at the value, after the colon")
        edit(&state, .wordLeft)
        #expect(state.filter.cursor == 1)
        edit(&state, .wordRight)
        #expect(state.filter.cursor == 7)
        edit(&state, .right, .deleteUnder)
        #expect(state.filter.typed == "!status:ctive")
        _ = update(&state, .action(.backspace))
        #expect(state.filter.typed == "!statusctive")
        #expect(state.filter.cursor == 7)
    }

    @Test func ctrlWCtrlUAndCtrlKDeleteAsAShellDoes() {
        var state = loadedState(contacts: 10, total: 10)
        _ = update(&state, .action(.startFilter))
        _ = typeKeys("status:active person  ", into: &state)
        edit(&state, .deleteWordBefore)
        #expect(state.filter.typed == "status:active ")
        #expect(state.filter.query.root == (try? state.queryLanguage.parse("status:active"))?.root, "the rows follow every edit")
        edit(&state, .start, .wordRight, .deleteToEnd)
        #expect(state.filter.typed == "status")
        edit(&state, .left, .left, .deleteToStart)
        #expect(state.filter.typed == "us")
        #expect(state.filter.cursor == 0)
        // Tab completes the word before the cursor and keeps what follows.
        _ = update(&state, .action(.editLine(.deleteToEnd)))
        _ = typeKeys("sta", into: &state)
        _ = update(&state, .action(.complete))
        #expect(state.filter.typed.hasPrefix("status:"))
    }

    @Test func upAndDownRecallEarlierQueriesAndGiveBackWhatWasTyped() {
        var state = loadedState(contacts: 10, total: 10)
        state = AppState(session: {
            var session = state.session
            session.queryHistory = ["status:blocked", "person 3"]
            return session
        }())
        _ = update(&state, .action(.startFilter))
        _ = typeKeys("per", into: &state)
        _ = update(&state, .action(.recallOlder))
        #expect(state.filter.typed == "person 3")
        _ = update(&state, .action(.recallOlder))
        #expect(state.filter.typed == "status:blocked")
        _ = update(&state, .action(.recallOlder))
        #expect(state.filter.typed == "status:blocked", "the oldest stays")
        #expect(state.filter.hint == "the oldest query kept")
        _ = update(&state, .action(.recallNewer))
        _ = update(&state, .action(.recallNewer))
        #expect(state.filter.typed == "per", "past the newest, what was being typed")

        // Enter keeps the query and asks for it to be remembered across sessions, once.
        _ = typeKeys("son 5", into: &state)
        let effects = update(&state, .action(.submit))
        #expect(effects.contains(.rememberQuery("person 5")))
        #expect(state.queryHistory.entries == ["status:blocked", "person 3", "person 5"])
        _ = update(&state, .action(.startFilter))
        _ = update(&state, .action(.recallOlder))
        #expect(state.filter.typed == "person 5")
        _ = update(&state, .action(.recallOlder))
        _ = update(&state, .action(.recallOlder))
        _ = update(&state, .action(.submit))
        #expect(state.queryHistory.entries == ["person 3", "person 5", "status:blocked"], "a query used again moves to the newest")
    }

    @Test func theHistoryKeepsAtMostItsLimit() {
        var history = PromptHistory((0..<600).map { "query \($0)" })
        #expect(history.entries.count == PromptHistory.limit)
        #expect(history.entries.first == "query 100")
        history.add("query 600")
        #expect(history.entries.count == PromptHistory.limit)
        #expect(history.entries.last == "query 600")
        let added = history.add("   ")
        #expect(!added, "a blank query is not kept")
    }
}
