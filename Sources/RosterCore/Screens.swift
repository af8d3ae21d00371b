import Foundation

// The screens that open over the list (`AppState.screens`), and how each reads keys.

/// The detail pane: the contact shown and how fresh it is.
public struct DetailPane: Sendable, Equatable {
    public enum Freshness: Sendable, Equatable {
        case loading
        /// Fetched by id just now.
        case fresh
        /// The dialect has no single-contact lookup: this is the list record.
        case listRecordOnly
        case failed(String)
        case gone
    }

    public var contact: Contact
    public var freshness: Freshness
    /// Fields scrolled past, where they do not fit.
    public var scroll = 0

    public init(contact: Contact, freshness: Freshness) {
        self.contact = contact
        self.freshness = freshness
    }
}

/// The confirmation for deleting marked contacts.
public struct BatchPlan: Sendable, Equatable {
    /// What will be sent, in list order.
    public var contacts: [Contact]
    /// Marked but locked: skipped, and said so.
    public var locked: [Contact]
    /// Marked contacts the filter hides.
    public var hidden: Int
    /// Marked contacts this batch leaves out (outside the duplicates view it was asked from):
    /// they stay marked.
    public var leftOut = 0
    /// Seconds the pacer expects the batch to take; nil while the limit is unknown.
    public var estimate: TimeInterval?
    /// What the user has typed so far; more than one contact needs the count typed.
    public var typed = ""

    public init(contacts: [Contact], locked: [Contact], hidden: Int, estimate: TimeInterval?) {
        self.contacts = contacts
        self.locked = locked
        self.hidden = hidden
        self.estimate = estimate
    }

    public var requiresTypedCount: Bool { contacts.count > 1 }
}

/// A panel of lines to read, dismissed with Esc: for example the `--select-from` lines that
/// matched no contact.
public struct InfoPanel: Sendable, Equatable {
    public var title: String
    public var lines: [String]
    public var scroll = 0
    /// Long lines are wrapped in full rather than cut (the message history), and the panel
    /// scrolls by whole lines of `lines`.
    public var wraps = false
    /// Where a wrapped line's continuation starts (past a time, or a command's form).
    public var wrapIndent = 13
    /// What the panel holds, said under its title ("12 messages"); "N lines" where unset.
    public var summary: String?

    public init(title: String, lines: [String], wraps: Bool = false, wrapIndent: Int = 13, summary: String? = nil) {
        self.title = title
        self.lines = lines
        self.wraps = wraps
        self.wrapIndent = wrapIndent
        self.summary = summary
    }
}

public enum Overlay: Sendable, Equatable {
    case none
    /// The keys, scrolled down this many lines where they do not fit.
    case help(scroll: Int)
    case detail(DetailPane)
    case confirmDelete(Contact)
    case confirmBatch(BatchPlan)
    case confirmDeactivate(Contact)
    /// The finished batch's outcomes, scrolled to this line.
    case results(scroll: Int)
    case info(InfoPanel)
    /// "Stop the running batch?": `y` stops it, any other key keeps it going.
    case confirmStop
    /// "Quit with work in flight?": `y` or `q` quits, any other key stays. It stays on screen
    /// until answered, whatever arrives meanwhile.
    case confirmQuit
    /// "Open profile NAME?": `y` ends this session for one on that profile; any other key stays.
    case confirmSwitch(profile: String)
    /// The contacts Roster deleted, to restore.
    case history(HistoryView)
    /// Groups of contacts that look like one person.
    case duplicates(DuplicatesReview)
    /// `Y`: which of the contact's fields to copy.
    case copyChoice(CopyChoice)
}

/// The fields `Y` offers to copy, and the one under the cursor.
public struct CopyChoice: Sendable, Equatable {
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    public var fields: [Field]
    public var cursor = 0

    public init(fields: [Field]) {
        self.fields = fields
    }
}

/// How keys are read for what is on screen.
public enum InputMode: Sendable, Equatable {
    case browse
    /// `y` confirms, every other key cancels.
    case confirmKey
    /// As `confirmKey`, and `q` confirms too (quitting).
    case confirmQuit
    /// Digits, Backspace, Enter to confirm, Esc to cancel.
    case typedCount
    /// The `/` prompt: keys are text.
    case filterText
    /// The export's file name prompt: keys are text.
    case pathText
    /// The `:` command line: keys are text.
    case commandText
    /// A panel: scrolling and closing.
    case panel
    /// A batch's results: scrolling, closing, `r` tries the failed again.
    case results
    /// The history view: moving, marking, `R` restores.
    case history
    /// The duplicates view: moving, marking, `K` keeps another, `U` unmarks a group.
    case duplicates
    /// The `Y` chooser: a digit or Enter copies a field.
    case copyChoice
    case help
    case detail
}
