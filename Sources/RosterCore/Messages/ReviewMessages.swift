import Foundation

// What Roster says about marked contacts: the batch's confirmation, the duplicates view and
// the history of deletions.

extension StatusMessage {
    // MARK: Deleting the marked

    static func findingMarked(notLoaded: Int, marked: Int) -> StatusMessage {
        StatusMessage(
            "\(notLoaded) of the \(marked) marked contacts are not loaded; loading the rest of the account to find them before asking…",
            level: .info)
    }

    static func allMarkedLocked(_ count: Int) -> StatusMessage {
        StatusMessage("All \(count) marked contacts are locked; nothing to delete (s deactivates one instead).", level: .warning)
    }

    static func marksDropped(_ dropped: Int) -> StatusMessage {
        StatusMessage(
            "\(dropped) marked contact\(dropped == 1 ? " is" : "s are") no longer on the server (deleted elsewhere); "
                + "\(dropped == 1 ? "its mark was" : "their marks were") dropped.",
            level: .warning)
    }

    static let markedAreLoaded = StatusMessage("Every marked contact that still exists is loaded: d deletes them.", level: .info)
    static let deleteCancelledNothingDeleted = StatusMessage("Delete cancelled: nothing was deleted.", level: .info)
    static let deleteCancelledMarksStay = StatusMessage("Delete cancelled: nothing was deleted; the marks stay.", level: .info)

    static func writingAPlan(of count: Int, looksUp: Bool) -> StatusMessage {
        StatusMessage(
            "Writing a plan of the \(count) contact\(count == 1 ? "" : "s")\(looksUp ? ", each looked up first" : "")…; nothing is deleted.",
            level: .info)
    }

    static func typeTheCount(_ count: Int) -> StatusMessage {
        StatusMessage("Type \(count) and press Enter to delete them, or Esc to cancel.", level: .warning)
    }

    static let nothingToTryAgain = StatusMessage("Nothing failed or was left unsent: nothing to try again.", level: .info)

    // MARK: The duplicates view

    static func noDuplicates(among count: Int) -> StatusMessage {
        StatusMessage("No duplicates among the \(count) contacts: none share a phone number or an email.", level: .success)
    }

    static func duplicatesFound(_ found: String, readOnly: Bool, marked: Int) -> StatusMessage {
        if readOnly { return StatusMessage("\(found). Read-only session: nothing is marked.", level: .info) }
        return StatusMessage(
            "\(found): \(marked) marked, the most complete of each kept (ties: the oldest). K keeps another, U unmarks a group, d deletes the marked.",
            level: .info)
    }

    static func keeping(_ name: String) -> StatusMessage {
        StatusMessage("Keeping \(name); the rest of its group is marked.", level: .info)
    }

    static func groupUnmarked(_ number: Int) -> StatusMessage {
        StatusMessage("Group \(number) unmarked: none of it will be deleted.", level: .info)
    }

    static func filterHides(_ name: String) -> StatusMessage {
        StatusMessage("The filter hides \(name); Esc clears it.", level: .info)
    }

    static func stillMarked(_ marked: Int, readOnly: Bool) -> StatusMessage {
        StatusMessage(
            readOnly ? "\(marked) marked; read-only: nothing is deleted from here." : "\(marked) marked: d deletes them after the usual confirmation.",
            level: .info)
    }

    static let duplicatesAreReady = StatusMessage("Every contact is loaded: D shows the duplicates.", level: .info)

    // MARK: The history

    static let nothingRestored = StatusMessage("Nothing restored.", level: .info)
    static let nothingToRestore = StatusMessage("Nothing to restore here: mark contacts with Space, or move to one.", level: .info)

    static func restoring(_ count: Int) -> StatusMessage {
        StatusMessage("Restoring \(count) contact\(count == 1 ? "" : "s")…", level: .info)
    }

    static func restored(_ result: RestoreResult) -> StatusMessage? {
        switch result {
        case .restored(let id, let duplicate):
            let twin = duplicate.map { " Its duplicate \($0) is still there." } ?? ""
            return StatusMessage("Restored as \(id); r reloads the list to show it.\(twin)", level: .success)
        case .present(let id, let by): return StatusMessage("Already back as \(id) (same \(by)); nothing created.", level: .info)
        case .failed(let reason): return StatusMessage("Not restored: \(reason)", level: .error)
        case .wouldRestore(let body): return StatusMessage("DRY RUN: would create \(body)", level: .warning)
        case .restoring: return nil
        }
    }
}
