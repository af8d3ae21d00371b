import Foundation

// What Roster says while browsing: `n` and `N`, ranges, copying and exporting, pages that
// arrive, fail or show the account changed, and work that waits for the whole account.

extension StatusMessage {
    // MARK: Matches and ranges

    static let noFilterForNext = StatusMessage("n and N go to the next and previous match of a filter: / sets one.", level: .info)

    static func wentRound(_ label: String, forward: Bool) -> StatusMessage {
        StatusMessage("No more matches of \(label) \(forward ? "below" : "above"): went round to the \(forward ? "top" : "bottom").", level: .info)
    }

    static func noOtherMatch(_ label: String, thisOneMatches: Bool) -> StatusMessage {
        StatusMessage(thisOneMatches ? "This is the only loaded contact matching \(label)." : "No loaded contact matches \(label).", level: .info)
    }

    static func rangeFrom(_ contact: Contact) -> StatusMessage {
        StatusMessage("Range from \(contact.displayName): move, then v marks every contact in between (Esc cancels).", level: .info)
    }

    static func rangeStartsAgain(at contact: Contact) -> StatusMessage {
        StatusMessage("The range's first contact is not shown any more; it starts again at \(contact.displayName).", level: .warning)
    }

    static func markedRange(added: Int, of rows: Int, marked: Int) -> StatusMessage {
        StatusMessage("Marked \(added) more contact\(added == 1 ? "" : "s") (a range of \(rows)); \(marked) marked in all.", level: .info)
    }

    // MARK: Copying and exporting

    static func copiedIDs(_ count: Int) -> StatusMessage {
        StatusMessage(
            "Copied the \(count) marked id\(count == 1 ? "" : "s"), one a line, to the clipboard (OSC 52: where the terminal allows it; in tmux, set-clipboard on).",
            level: .success)
    }

    static func copied(_ field: CopyChoice.Field, of contact: Contact) -> StatusMessage {
        let shown = field.value.count > 40 ? String(field.value.prefix(39)) + "…" : field.value
        return StatusMessage(
            "Copied \(contact.displayName)'s \(field.name) to the clipboard: \(shown) (OSC 52: where the terminal allows it; in tmux, set-clipboard on).",
            level: .success)
    }

    static let nothingToExport = StatusMessage("Nothing to export: no contact is shown or marked.", level: .info)
    static let nothingExported = StatusMessage("Nothing exported.", level: .info)

    static func exporting(_ what: String, to path: String, unloaded: Int) -> StatusMessage {
        StatusMessage("Exporting \(what) to \(path)…" + (unloaded > 0 ? " (\(unloaded) marked are not loaded and are left out)" : ""), level: .info)
    }

    // MARK: Pages

    static let reloaded = StatusMessage("Reloaded from the server.", level: .success)

    static func couldNotLoad(page: Int, because explanation: String) -> StatusMessage {
        StatusMessage("Could not load contacts (page \(page)): \(explanation). Press r to retry.", level: .error)
    }

    static func mayBeIncomplete(_ reason: String) -> StatusMessage {
        StatusMessage("The list may be incomplete: \(reason). r reloads it.", level: .warning)
    }

    static func deletedElsewhere(_ count: Int) -> StatusMessage {
        StatusMessage("\(count) contact\(count == 1 ? " was" : "s were") deleted elsewhere meanwhile; taken off the list.", level: .info)
    }

    // MARK: Work that waits for the whole account

    static func loadingTheRest(to purpose: String, cost: String) -> StatusMessage {
        StatusMessage("Loading the rest of the account to \(purpose): \(cost). Esc stops.", level: .info, isProgress: true)
    }

    static func loadingProgress(to purpose: String, loaded: Int, total: Int?) -> StatusMessage {
        StatusMessage("Loading to \(purpose): \(loaded)\(total.map { " of \($0)" } ?? "") loaded… Esc stops.", level: .info, isProgress: true)
    }

    static func markedAcrossTheAccount(added: Int, scope: String, marked: Int, doubt: String?) -> StatusMessage {
        let caveat = doubt.map { " The list may be incomplete (\($0)): r reloads it." } ?? ""
        return StatusMessage(
            "Marked \(added) more contact\(added == 1 ? "" : "s")\(scope) across the account; \(marked) marked in all." + caveat,
            level: caveat.isEmpty ? .info : .warning)
    }

    static func markedFromLines(_ marked: Int, source: String, unmatched: Int) -> StatusMessage {
        StatusMessage(
            "Marked \(marked) contact\(marked == 1 ? "" : "s") from \(source)"
                + (unmatched == 0 ? "." : "; \(unmatched) line\(unmatched == 1 ? "" : "s") not matched."),
            level: unmatched == 0 ? .success : .warning)
    }
}
