import RosterCore

/// What one screen does with keys: its bindings, how it reads a key it does not bind, the
/// hints its status bar offers, and the note its help ends with. The help screen, the status
/// bar and the manual's keys page are all drawn from this, so none can disagree with what the
/// keys do.
public struct ScreenKeys: Sendable, Equatable {
    /// How a key no binding names is read.
    public enum OtherKeys: Sendable, Equatable {
        /// It does nothing.
        case ignored
        /// It answers no (a question only `y` answers yes).
        case cancel
        /// A character is typed (prompts).
        case text
        /// A digit is typed (choosing by number).
        case digits
    }

    /// The screen, as `AppState.inputMode` names it.
    public var mode: InputMode
    /// The screen's name in the help and the manual: "The list", "The duplicates view".
    public var title: String
    public var bindings: [KeyBinding]
    /// Keys read but not offered (the help, hints and manual leave them out): a destructive
    /// key in a read-only session, `s` on an account with no soft alternative. Pressed, each
    /// says why it does nothing.
    public var unoffered: [KeyBinding]
    public var otherKeys: OtherKeys
    /// How the manual says what other keys do ("any other key keeps it").
    public var otherKeysSummary: String?
    public var hints: [KeyHint]
    /// The help's last line before how to close it.
    public var note: String?

    public init(
        _ mode: InputMode, title: String, bindings: [KeyBinding], otherKeys: OtherKeys = .ignored, otherKeysSummary: String? = nil,
        hints: [KeyHint] = [], note: String? = nil
    ) {
        self.mode = mode
        self.title = title
        self.bindings = bindings
        self.unoffered = []
        self.otherKeys = otherKeys
        self.otherKeysSummary = otherKeysSummary
        self.hints = hints
        self.note = note
    }

    /// The action a key has here; nil where it has none.
    func action(for key: Key) -> UserAction? {
        if let bound = (bindings + unoffered).first(where: { $0.keys.contains(key) }) { return bound.action }
        switch otherKeys {
        case .ignored:
            return nil
        case .cancel:
            return .cancel
        case .text:
            if case .character(let character) = key { return .typed(character) }
            return nil
        case .digits:
            if case .character(let character) = key, character.isNumber { return .typed(character) }
            return nil
        }
    }

    /// The status bar's hints: those whose action a binding here offers, with its first key.
    public var offeredHints: [(key: String, word: String, rank: Int)] {
        hints.compactMap { hint in
            bindings.first { $0.action == hint.action }.map { ($0.keys[0].label, hint.word, hint.rank) }
        }
    }

    /// Moves the bindings of these actions to `unoffered`: still read, never offered.
    mutating func withhold(_ withheld: (UserAction) -> Bool) {
        unoffered += bindings.filter { withheld($0.action) }
        bindings.removeAll { withheld($0.action) }
    }
}
