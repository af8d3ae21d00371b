import Foundation

// The values a session is described by: its account, what it says, how it draws its cursor,
// what waits for the whole account, and the work in flight on a row.

/// Which account Roster is working on, for the header.
public struct AccountInfo: Sendable, Equatable {
    public var profile: String
    public var dialect: Dialect
    public var baseURL: String
    /// Set when talking to the built-in sandbox, so the screen can say so.
    public var isDemo: Bool
    /// Where the key was read from (never the key), for a 401's message.
    public var keySource: String
    /// The key goes to another machine over plain http:// (allowed by `--allow-http`): the
    /// header says so for as long as the session lasts.
    public var sendsKeyInClear = false

    public init(profile: String, dialect: Dialect, baseURL: String, isDemo: Bool, keySource: String = "") {
        self.profile = profile
        self.dialect = dialect
        self.baseURL = baseURL
        self.isDemo = isDemo
        self.keySource = keySource
    }
}

public struct StatusMessage: Sendable, Equatable {
    public enum Level: Sendable, Equatable { case info, success, warning, error }
    /// When a message stops being true by itself, so it leaves the line then.
    public enum Lifetime: Sendable, Equatable {
        /// Until something else is said.
        case untilReplaced
        /// Until the next list page arrives ("more are loading").
        case untilNextPage
        /// Until any answer from the server arrives ("waiting for an answer…").
        case untilAnswer
        /// Until the filter being typed is kept or cleared ("not applied yet: …").
        case whileTypingFilter
    }

    public var text: String
    public var level: Level
    public var lifetime: Lifetime
    /// A report of progress ("Loading … 3000 of 5000"): the message history keeps only the
    /// latest of a run of them, one line that updates, not one line a page.
    public var isProgress = false

    public init(_ text: String, level: Level, lifetime: Lifetime = .untilReplaced, isProgress: Bool = false) {
        self.text = text
        self.level = level
        self.lifetime = lifetime
        self.isProgress = isProgress
    }
}

/// A message as the history keeps it: when it was said, in full.
public struct LoggedMessage: Sendable, Equatable {
    public var at: Date
    public var message: StatusMessage
}

/// The list's cursor: `arrow` (a reverse block with `›` at the row's start, as mutt's
/// arrow_cursor for slow links) or `bar` (the whole row in reverse).
public enum CursorStyle: String, Sendable, Equatable {
    case arrow, bar
}

/// What waits for the whole account to be loaded.
public enum WholeAccountTask: Sendable, Equatable {
    /// `--select-from`: mark the contacts these lines name.
    case select(PendingSelection)
    /// `+`: mark everything this query matches.
    case mark(Query)
    /// `D`: find the duplicates.
    case findDuplicates
    /// `d` with marked contacts a reload has not brought back: find them, then ask.
    case deleteMarked

    /// Asked for with `+` or `D`: one at a time, Esc stops it, and a page that fails
    /// abandons it (saying so).
    public var isOnRequest: Bool {
        switch self {
        case .mark, .findDuplicates: return true
        case .select, .deleteMarked: return false
        }
    }

    /// When it runs once every page is in: the lines first, then `+` or `D`, then `d`.
    var turn: Int {
        switch self {
        case .select: return 0
        case .mark, .findDuplicates: return 1
        case .deleteMarked: return 2
        }
    }
}

/// Work in flight on one row.
public enum RowActivity: Sendable, Equatable {
    /// Confirmed, waiting for the undo window or its turn in the batch.
    case queued
    case checking
    case deleting
    case deactivating
}
