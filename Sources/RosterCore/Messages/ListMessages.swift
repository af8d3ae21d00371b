import Foundation

// What Roster says on the list, in its questions and when it leaves: every sentence in one
// place, to be read (and reviewed) together. The update functions name the one they say.

extension StatusMessage {
    // MARK: Moving and loading

    static let moreAreLoading = StatusMessage("Last loaded contact; more are loading from the server.", level: .info, lifetime: .untilNextPage)
    static let reloading = StatusMessage("Reloading from the server…", level: .info)

    static func sorted(by sort: SortOrder, descending: Bool) -> StatusMessage {
        StatusMessage("Sorted by \(sort.label)\(way(sort, descending)).", level: .info)
    }

    /// Sorting needs every contact; it never loads the account behind the user's back.
    static func sortedLoadedOnly(by sort: SortOrder, descending: Bool, loaded: Int, total: Int?) -> StatusMessage {
        let more = total.map { " of \($0)" } ?? ""
        return StatusMessage(
            "Sorted by \(sort.label)\(way(sort, descending)): the \(loaded)\(more) contacts loaded only; End loads more, page by page.", level: .info)
    }

    private static func way(_ sort: SortOrder, _ descending: Bool) -> String {
        sort == .server ? "" : (descending ? ", Z to A (O turns it round)" : ", A to Z")
    }

    static func filtered(by text: String, shown: Int) -> StatusMessage {
        StatusMessage("Filtered by “\(text)”: \(shown) shown. Esc clears it.", level: .info)
    }

    static func noSwitchWhileDeleting(_ profile: String) -> StatusMessage {
        StatusMessage(
            "Not now: a deletion is under way or waits in its undo window. Once it has ended, :profile \(profile) opens that account.",
            level: .warning)
    }

    static func stayed(on profile: String) -> StatusMessage {
        StatusMessage("Still on \(profile); nothing was dropped.", level: .info)
    }

    static let serverOrderHasOneWay = StatusMessage(
        "The server's order runs one way: sort by a field first (o, or click a heading), then O turns it round.", level: .info)

    static func stoppedLoading(_ task: WholeAccountTask, loaded: Int) -> StatusMessage {
        let undone = task == .findDuplicates ? "no duplicates were looked for" : "nothing was marked"
        return StatusMessage("Stopped loading the rest of the account: \(undone) (\(loaded) contacts loaded).", level: .info)
    }

    // MARK: Marks

    static func clearedMarks(_ count: Int) -> StatusMessage {
        StatusMessage(count == 0 ? "Nothing was marked." : "Cleared \(count) mark\(count == 1 ? "" : "s").", level: .info)
    }

    static let rangeCancelled = StatusMessage("Range cancelled: nothing marked.", level: .info)

    // MARK: Keys of other screens, pressed on the list

    static let restoreIsInTheHistory = StatusMessage("R restores in the history view: H lists the contacts Roster deleted.", level: .info)
    static let keepIsInTheDuplicatesView = StatusMessage("K and U work in the duplicates view: D opens it.", level: .info)

    // MARK: Deleting and deactivating one contact

    static let nothingToDelete = StatusMessage("No contact to delete.", level: .info)

    static func deletionUnderWay(_ batch: Batch) -> StatusMessage {
        StatusMessage("A deletion is under way (\(batch.done)/\(batch.total)); wait for it, or x to stop it.", level: .info)
    }

    /// The way forward first, so a narrow message line never cuts it off.
    static func locked(_ contact: Contact, reason: String, canDeactivate: Bool) -> StatusMessage {
        let alternative = canDeactivate ? "s deactivates instead: " : "No soft alternative on this account: "
        return StatusMessage("\(alternative)\(contact.displayName) is locked: \(reason)", level: .warning)
    }

    static func alreadyBeingDeleted(_ contact: Contact) -> StatusMessage {
        StatusMessage("\(contact.displayName) is already being deleted.", level: .info)
    }

    static func lastTryFailed(_ reason: String) -> StatusMessage {
        StatusMessage("The last try failed (\(reason)); confirm to try again.", level: .warning)
    }

    static func requestInFlight(_ contact: Contact) -> StatusMessage {
        StatusMessage("\(contact.displayName) has a request in flight; wait for it.", level: .info)
    }

    static func alreadyInactive(_ contact: Contact) -> StatusMessage {
        StatusMessage("\(contact.displayName) is already inactive.", level: .info)
    }

    static func deleteCancelled(_ contact: Contact) -> StatusMessage {
        StatusMessage("Delete cancelled: \(contact.displayName) was not deleted.", level: .info)
    }

    static func deactivationCancelled(_ contact: Contact) -> StatusMessage {
        StatusMessage("Deactivation cancelled: \(contact.displayName) is unchanged.", level: .info)
    }

    static func wouldDeactivate(_ contact: Contact) -> StatusMessage {
        StatusMessage("DRY RUN: \(contact.displayName) would be deactivated; nothing was sent.", level: .warning)
    }

    static func deactivating(_ contact: Contact) -> StatusMessage {
        StatusMessage("Deactivating \(contact.displayName)…", level: .info)
    }

    static func deactivated(_ name: String, as updated: Contact) -> StatusMessage {
        let text = updated.status.map { "Deactivated \(name): it stays on the account, with status \($0), and receives no messages." }
            ?? "Deactivated \(name) as this profile defines it: it stays on the account."
        return StatusMessage(text, level: .success)
    }

    static func notDeactivated(_ name: String, because explanation: String) -> StatusMessage {
        StatusMessage("\(name) was not deactivated: \(explanation)", level: .error)
    }

    static func alreadyGone(_ name: String) -> StatusMessage {
        StatusMessage("\(name) is already gone from the server.", level: .warning)
    }

    // MARK: A batch running

    static let batchGoesOn = StatusMessage("The batch goes on.", level: .info)
    static let batchGoesOnEscDoesNotStopIt = StatusMessage("The batch goes on: x stops it (asks first), p pauses it.", level: .info)

    // MARK: Quitting, stopping, coming back

    static func notQuitting(countdownLeft: Int?) -> StatusMessage {
        guard let left = countdownLeft else { return StatusMessage("Not quitting.", level: .info) }
        return StatusMessage("Not quitting: the countdown goes on, \(left)s left to undo (u); nothing has been sent.", level: .info)
    }

    static func welcomeBack(countdownLeft left: Int) -> StatusMessage {
        StatusMessage("Welcome back: \(left)s left to undo (u); nothing has been sent.", level: .warning)
    }

    // MARK: Refused keys

    static func noSoftAlternative(_ dialect: Dialect) -> StatusMessage {
        StatusMessage("This \(dialect.displayName) account offers no soft alternative: contacts can only be deleted.", level: .warning)
    }

    static func reviewingAPlan(_ deed: String) -> StatusMessage {
        StatusMessage("Reviewing a plan: \(deed) here; roster approve and roster apply take it from here.", level: .info)
    }

    static func journalUnavailable(_ deed: String, _ reason: String) -> StatusMessage {
        StatusMessage("The journal is unavailable, so \(deed) (nothing leaves unjournalled): \(reason).", level: .error)
    }

    static func readOnly(_ deed: String) -> StatusMessage {
        StatusMessage("Read-only session: \(deed) here (--read-only, or the profile's read_only = true).", level: .info)
    }

    // MARK: The filter prompt

    static let filterIsFull = StatusMessage(
        "The filter holds \(FilterState.maxLength) characters at most: the rest was not typed.", level: .warning)

    static func filterNotApplied(_ error: QueryError) -> StatusMessage {
        StatusMessage("The filter is not applied yet: \(error). Fix it, or Esc clears it.", level: .warning, lifetime: .whileTypingFilter)
    }
}
