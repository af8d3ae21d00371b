import Foundation

/// What the user asked for, after the key map has read the key.
public enum UserAction: Sendable, Equatable, Hashable {
    case moveUp
    case moveDown
    case pageUp
    case pageDown
    case halfPageUp
    case halfPageDown
    /// `n` / `N`: the next or previous contact the last filter matches, from the cursor.
    case nextMatch
    case previousMatch
    /// `v`: starts a range at the cursor; again, marks every contact from there to the cursor.
    case markRange
    /// Ctrl-L: draw the whole screen again.
    case repaint
    /// A click on a row of the list: the cursor goes there.
    case selectRow(Int)
    /// `y`: copy the contact's id to the clipboard; `Y`: choose which field.
    case copyID
    case copyField
    /// `e`: write the marked contacts, or else those shown, to a CSV file (asks its name).
    case export
    case moveToTop
    case moveToBottom
    case reload
    case openDetail
    case dismiss
    case delete
    case deactivate
    case confirm
    case cancel
    case toggleHelp
    case quit
    /// Space: mark or unmark the row under the cursor.
    case toggleMark
    /// `+`: mark every contact the filter shows.
    case markAllShown
    /// `-`: clear every mark.
    case clearMarks
    /// `/`: open the filter prompt.
    case startFilter
    /// `o`: the next sort order.
    case cycleSort
    /// `O`: the sort the other way round (Z to A).
    case reverseSort
    /// A click on a column's heading: sort by it, or the other way round when it already sorts.
    case sortBy(SortOrder)
    /// `u`: cancel deletions still in their undo window.
    case undo
    /// `p`: pause or resume the running batch.
    case togglePause
    /// `x`: stop the running batch (asks first); what was not sent stays marked.
    case stopBatch
    /// In the results panel: try the failed contacts again (asks first).
    case retryFailed
    /// `m`: every message of the session, in full, newest first.
    case showMessages
    /// `H`: the contacts Roster deleted on this account, to restore.
    case showHistory
    /// `R` in the history view: restore the marked ones (asks first).
    case restore
    /// `D`: groups of contacts that look like one person, with a keeper proposed in each.
    case showDuplicates
    /// `K` in the duplicates view: keep this one instead (the rest of its group is marked).
    case makeKeeper
    /// `U` in the duplicates view: unmark the whole group under the cursor.
    case unmarkGroup
    /// A character typed into a prompt.
    case typed(Character)
    case backspace
    /// Enter in a prompt.
    case submit
    /// Tab in the filter prompt: complete the field, value or saved filter being typed.
    case complete
    /// A shell's editing keys in the filter prompt: move the cursor, delete a word or a line's part.
    case editLine(LineEdit)
    /// `:`: the command line (`:profile`, `:sort`, `:theme`, `:filter`, `:export`, `:help`).
    case startCommand
    /// ↑ and ↓ in the filter prompt: an earlier query kept on this profile, or a later one.
    case recallOlder
    case recallNewer
}

public enum LookupPurpose: Sendable, Equatable {
    case detail
    /// The fresh look-up just before a DELETE: 404 means already gone.
    case beforeDelete
}

/// Everything that can change the state: the user, the terminal and the API's answers.
public enum Event: Sendable, Equatable {
    case action(UserAction)
    /// The list area now holds this many rows.
    case viewportChanged(listRows: Int)
    case pageLoaded(page: Int, generation: Int, Result<ContactPage, ProviderError>)
    /// A page read again to mend a shift (`Effect.rereadPage`).
    case pageReread(page: Int, generation: Int, Result<ContactPage, ProviderError>)
    /// The page read to tell whether a contact the server called invalid is gone (`Effect.checkGone`).
    case goneChecked(GoneCheck, Result<ContactPage, ProviderError>)
    case lookupFinished(ContactID, LookupPurpose, Result<Contact, ProviderError>)
    case deleteFinished(ContactID, Result<DeleteReceipt, ProviderError>)
    case deactivateFinished(ContactID, Result<Contact, ProviderError>)
    case headroomChanged(Headroom)
    /// The contacts other operators on the team's journal have a request on the way for, and
    /// who (read every few seconds): their rows say so.
    case claimsSeen([ContactID: String])
    /// The clock moved on (once a second while a countdown is shown).
    case tick(Date)
    /// Something the user should read that no request of theirs asked for.
    case notice(StatusMessage)
    /// The session starts with these contacts marked: a plan under review.
    case marksGiven(Set<ContactID>)
    /// SIGINT, SIGTERM or SIGHUP: leave cleanly (a running batch first finishes the
    /// requests in flight and their journal records).
    case terminationRequested
    /// The journal was read for the history view: the deletions that can be restored.
    case historyLoaded(Result<[RestoreLedger.Deletion], JournalReadError>)
    /// One contact's restore ended (or, in a dry run, what it would send).
    case restoreFinished(entry: String, RestoreResult)
    /// The marked contacts were written as a plan (`path`), or could not be (nil), as `message` says.
    case planSaved(path: String?, message: String)
    /// The export was written, or could not be, as `message` says.
    case exported(path: String?, message: String)
    /// Ctrl-Z: the process is about to stop; countdowns hold until `resumed`.
    case suspended(Date)
    /// `fg` continued the process.
    case resumed(Date)
}

/// Work `update` asks the runtime to do; its result comes back as an Event.
public enum Effect: Sendable, Equatable {
    case fetchPage(page: Int, generation: Int)
    /// Reads a page again: the list shifted while it was read (`PageContinuity`).
    case rereadPage(page: Int, generation: Int)
    /// Reads the page a contact was on, to tell whether it is gone: Easify answers 400
    /// "Invalid contact id" for a contact deleted elsewhere, and has no look-up to ask.
    case checkGone(GoneCheck)
    case lookUp(ContactID, LookupPurpose, priority: RequestPriority = .interactive)
    /// `batch`: the session's serial number of the batch it belongs to, for the journal.
    case delete(Contact, priority: RequestPriority = .interactive, batch: Int = 0)
    case deactivate(Contact)
    /// Confirmed deletions cancelled before anything was sent (undo, or a signal during the
    /// undo window): the journal records them as such.
    case recordNotSent([Contact], reason: String)
    /// Reads the journal's deletions on this account for the history view.
    case loadHistory
    /// Re-creates these deleted contacts (after looking for each on the account first).
    case restore([RestoreLedger.Deletion], dryRun: Bool)
    /// Writes a plan of deleting these contacts instead (each looked up first where the dialect
    /// allows); `locked` are skipped in it with the server's reason.
    case savePlan([Contact], locked: [ContactID: String])
    /// Draws the whole screen again (Ctrl-L), as if nothing were on it.
    case repaintScreen
    /// Puts this text on the terminal's clipboard (OSC 52).
    case copyToClipboard(String)
    /// Writes `text` to a new file at `path` (mode 0600), for what is too much for the
    /// clipboard (`what` names it in the message); answered with `.exported`.
    case writeText(String, path: String, what: String)
    /// `:theme NAME`: the terminal's. The session says how it went.
    case switchTheme(String)
    /// `:profile NAME`, confirmed: this session ends and one on that profile begins.
    case switchProfile(String)
    /// Keeps a query the filter prompt ran in this profile's history file, for later sessions.
    case rememberQuery(String)
    /// Writes these contacts as CSV with every field of their records (read again where they
    /// are not kept) to `path`.
    case export([Contact], path: String)
    /// The batch is paused: its requests not yet on the wire wait, in the pacer too.
    case holdBatchRequests
    case releaseBatchRequests
    /// The batch is stopped: its requests not yet on the wire are withdrawn (they come back
    /// as `.cancelled` failures); those on the wire finish.
    case withdrawBatchRequests
}

/// Telling whether a contact is gone by reading the list: which page to read, how many more
/// may be read, and on which sides of it loaded contacts were already seen (on both sides and
/// not it: it is gone).
public struct GoneCheck: Sendable, Equatable {
    public var id: ContactID
    public var page: Int
    public var triesLeft: Int
    /// What the server said to the DELETE ("400: Invalid contact id"), for the message.
    public var said: String
    public var seenBefore = false
    public var seenAfter = false

    public init(id: ContactID, page: Int, triesLeft: Int, said: String) {
        self.id = id
        self.page = page
        self.triesLeft = triesLeft
        self.said = said
    }
}
