import Foundation

// The history view (`H`): the contacts Roster deleted on this account, this session's and
// earlier ones, read from the journal; marks work there, and `R` re-creates the marked ones
// (or the one under the cursor) after a confirmation that says what cannot come back.

/// How restoring one contact ended, or that it is under way.
public enum RestoreResult: Sendable, Equatable {
    case restoring
    /// Re-created; `duplicate` names a duplicate of it that was there all along.
    case restored(newID: String, duplicate: String? = nil)
    /// Already back on the account (the same person, or its own id): nothing created.
    case present(id: String, by: String)
    case failed(String)
    /// `--dry-run`: what would be sent.
    case wouldRestore(String)

    public var summary: String {
        switch self {
        case .restoring: return "restoring…"
        case .restored(let id, let duplicate): return "restored as \(id)" + (duplicate.map { "; duplicate \($0) still there" } ?? "")
        case .present(let id, let by): return "already back as \(id) (same \(by))"
        case .failed(let reason): return "FAILED: \(reason)"
        case .wouldRestore: return "would be restored (dry run)"
        }
    }
}

public struct HistoryView: Sendable, Equatable {
    /// Newest first; nil while the journal is read.
    public var deletions: [RestoreLedger.Deletion]?
    public var cursor = 0
    public var scroll = 0
    /// Marked deletions, by journal entry.
    public var marks: Set<String> = []
    public var results: [String: RestoreResult] = [:]
    /// The confirmation is open for these entries.
    public var confirming: [String]?
    public var problem: String?

    public init() {}

    /// The deletions `R` acts on: the marked ones, else the one under the cursor; not those
    /// restored or under way already.
    public var chosen: [RestoreLedger.Deletion] {
        guard let deletions else { return [] }
        let open = deletions.filter { deletion in
            switch results[deletion.entry] {
            case nil, .failed, .wouldRestore: return true
            default: return false
            }
        }
        if !marks.isEmpty { return open.filter { marks.contains($0.entry) } }
        guard deletions.indices.contains(cursor) else { return [] }
        return open.filter { $0.entry == deletions[cursor].entry }
    }
}

func openHistory(in state: inout AppState) -> [Effect] {
    state.overlay = .history(HistoryView())
    return [.loadHistory]
}

func historyLoaded(_ result: Result<[RestoreLedger.Deletion], JournalReadError>, in state: inout AppState) {
    // The history view, on top or under the help.
    state.updateScreens { screen in
        guard case .history(var view) = screen else { return }
        switch result {
        case .success(let deletions): view.deletions = deletions.reversed()
        case .failure(let error):
            view.deletions = []
            view.problem = error.message
        }
        screen = .history(view)
    }
}

func handleHistory(_ action: UserAction, view: HistoryView, in state: inout AppState) -> [Effect] {
    var view = view
    if let confirming = view.confirming {
        view.confirming = nil
        state.overlay = .history(view)
        guard action == .confirm else {
            state.message = .nothingRestored
            return []
        }
        let chosen = (view.deletions ?? []).filter { confirming.contains($0.entry) }
        for deletion in chosen { view.results[deletion.entry] = .restoring }
        view.marks = []
        state.overlay = .history(view)
        state.message = .restoring(chosen.count)
        return [.restore(chosen, dryRun: state.isDryRun)]
    }
    let count = view.deletions?.count ?? 0
    switch action {
    case _ where scrollActions.contains(action):
        view.cursor = scrolled(view.cursor, by: action, lines: count, page: state.listHeight)
    case .selectRow(let index):
        // A click on a deletion.
        view.cursor = min(max(0, index), max(0, count - 1))
    case .toggleMark:
        guard let deletions = view.deletions, deletions.indices.contains(view.cursor) else { break }
        let entry = deletions[view.cursor].entry
        if view.marks.remove(entry) == nil { view.marks.insert(entry) }
        view.cursor = min(view.cursor + 1, max(0, count - 1))
    case .clearMarks:
        view.marks = []
    case .markAllShown:
        view.marks = Set((view.deletions ?? []).map(\.entry))
    case .restore:
        let chosen = view.chosen
        guard !chosen.isEmpty else {
            state.message = .nothingToRestore
            break
        }
        view.confirming = chosen.map(\.entry)
    case .dismiss, .cancel, .quit, .showHistory:
        state.overlay = .none
        return []
    case .toggleHelp:
        state.overlay = .history(view)
        return openHelp(in: &state)
    default:
        break
    }
    if view.cursor < view.scroll { view.scroll = view.cursor }
    if view.cursor >= view.scroll + state.listHeight { view.scroll = view.cursor - state.listHeight + 1 }
    state.overlay = .history(view)
    return []
}

func restoreFinished(entry: String, result: RestoreResult, in state: inout AppState) {
    if let said = StatusMessage.restored(result) { state.message = said }
    state.updateScreens { screen in
        guard case .history(var view) = screen else { return }
        view.results[entry] = result
        screen = .history(view)
    }
}

/// Reading the journal failed.
public struct JournalReadError: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}
