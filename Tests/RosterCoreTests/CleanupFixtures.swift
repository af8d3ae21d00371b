import Foundation
@testable import RosterCore

// Shared by the selecting and batch tests.

/// The clock the cleanup sessions start at.
let cleanupStart = Date(timeIntervalSince1970: 1_800_000_000)

func typeKeys(_ text: String, into state: inout AppState) -> [Effect] {
    text.flatMap { update(&state, .action(.typed($0))) }
}

/// Ten contacts named Person 0…9 with page size 10, at cleanupStart.
func cleanupSession(dialect: Dialect = .sendme123, undo: TimeInterval = 5) -> AppState {
    var state = loadedState(dialect: dialect, contacts: 10, total: 10)
    state.session.undoDelay = undo
    _ = update(&state, .tick(cleanupStart))
    return state
}
