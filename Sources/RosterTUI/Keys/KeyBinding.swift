import RosterCore

/// One line of a screen's keys: the keys, what they do, how the help screen says it, and
/// how the manual (`docs/keys.md`, generated from these) says it in full.
public struct KeyBinding: Sendable, Equatable {
    public var keys: [Key]
    public var action: UserAction
    /// The help screen's line: short enough for one column at 80 columns.
    public var summary: String
    /// The manual's sentence, where it says more than the summary.
    public var manual: String?

    public init(_ keys: [Key], _ action: UserAction, _ summary: String, manual: String? = nil) {
        self.keys = keys
        self.action = action
        self.summary = summary
        self.manual = manual
    }

    /// The keys as the help screen writes them: `↓ j`.
    public var label: String { keys.map(\.label).joined(separator: " ") }
}

/// A key the status bar offers on a screen: the binding's action, said in one or two words.
public struct KeyHint: Sendable, Equatable {
    public var action: UserAction
    public var word: String
    /// Where the bar is short, the hints of the highest rank go first (help and close stay).
    public var rank: Int

    public init(_ action: UserAction, _ word: String, rank: Int) {
        self.action = action
        self.word = word
        self.rank = rank
    }
}
