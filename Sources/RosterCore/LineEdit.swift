import Foundation

/// A prompt's editing keys, as a shell's line editor has them (readline's emacs keys): the
/// cursor moves by character, word or line, and text is deleted before, under or after it.
public enum LineEdit: Sendable, Equatable, Hashable, CaseIterable {
    /// ← and →, Ctrl-B and Ctrl-F.
    case left, right
    /// Home and Ctrl-A; End and Ctrl-E.
    case start, end
    /// Alt-B and Alt-F: to the start of this word or the previous one, past the end of the next.
    case wordLeft, wordRight
    /// Backspace: the character before the cursor.
    case deleteBefore
    /// Del and Ctrl-D: the character under the cursor (at the end of the line, the one before).
    case deleteUnder
    /// Ctrl-W: the word before the cursor, with the spaces after it.
    case deleteWordBefore
    /// Ctrl-U and Ctrl-K: everything before the cursor, everything from it.
    case deleteToStart, deleteToEnd

    /// The line with `character` typed at the cursor, and the cursor after it.
    public static func insert(_ character: Character, into text: String, cursor: Int) -> (text: String, cursor: Int) {
        var characters = Array(text)
        let at = min(max(0, cursor), characters.count)
        characters.insert(character, at: at)
        return (String(characters), at + 1)
    }

    /// The line and its cursor (characters before it) after this edit.
    public func apply(to text: String, cursor: Int) -> (text: String, cursor: Int) {
        var characters = Array(text)
        let at = min(max(0, cursor), characters.count)
        switch self {
        case .left: return (text, max(0, at - 1))
        case .right: return (text, min(characters.count, at + 1))
        case .start: return (text, 0)
        case .end: return (text, characters.count)
        case .wordLeft: return (text, Self.wordStart(before: at, in: characters))
        case .wordRight:
            var end = at
            while end < characters.count, !Self.isWord(characters[end]) { end += 1 }
            while end < characters.count, Self.isWord(characters[end]) { end += 1 }
            return (text, end)
        case .deleteBefore:
            guard at > 0 else { return (text, at) }
            characters.remove(at: at - 1)
            return (String(characters), at - 1)
        case .deleteUnder:
            if at < characters.count {
                characters.remove(at: at)
                return (String(characters), at)
            }
            return LineEdit.deleteBefore.apply(to: text, cursor: at)
        case .deleteWordBefore:
            // As a shell's Ctrl-W: back over spaces, then over the word (up to a space).
            var start = at
            while start > 0, characters[start - 1] == " " { start -= 1 }
            while start > 0, characters[start - 1] != " " { start -= 1 }
            characters.removeSubrange(start..<at)
            return (String(characters), start)
        case .deleteToStart:
            characters.removeSubrange(0..<at)
            return (String(characters), 0)
        case .deleteToEnd:
            characters.removeSubrange(at...)
            return (String(characters), at)
        }
    }

    /// Letters and digits make words; `:`, quotes, spaces and the rest separate them, so Alt-B
    /// stops at `status:` and its value apart.
    private static func isWord(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "@" || character == "."
    }

    private static func wordStart(before cursor: Int, in characters: [Character]) -> Int {
        var start = cursor
        while start > 0, !isWord(characters[start - 1]) { start -= 1 }
        while start > 0, isWord(characters[start - 1]) { start -= 1 }
        return start
    }
}

/// Lines kept and recalled with ↑ and ↓ in a prompt, oldest first: the filter prompt's
/// queries (the session starts with those kept from earlier sessions on this profile) and the
/// command line's commands (this Roster's, across `:profile` switches).
public struct PromptHistory: Sendable, Equatable {
    /// At most this many, the oldest dropped first.
    public static let limit = 500

    public private(set) var entries: [String]
    /// Where ↑ has got to (an index into `entries`), nil while the line is the user's own.
    public private(set) var position: Int?
    /// What was being typed when ↑ was first pressed, given back by ↓ past the newest.
    public private(set) var draft = ""

    public init(_ entries: [String] = []) {
        self.entries = Array(entries.suffix(Self.limit))
    }

    /// Keeps `text` as the newest entry (an earlier copy of it goes). Returns whether it was added.
    @discardableResult
    public mutating func add(_ text: String) -> Bool {
        position = nil
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return false }
        entries.removeAll { $0 == trimmed }
        entries.append(trimmed)
        if entries.count > Self.limit { entries.removeFirst(entries.count - Self.limit) }
        return true
    }

    /// ↑: the entry before the one shown (from the newest), or nil at the oldest.
    public mutating func older(than typed: String) -> String? {
        guard !entries.isEmpty else { return nil }
        guard let position else {
            draft = typed
            self.position = entries.count - 1
            return entries[entries.count - 1]
        }
        guard position > 0 else { return nil }
        self.position = position - 1
        return entries[position - 1]
    }

    /// ↓: the entry after the one shown, or past the newest, what was being typed.
    public mutating func newer() -> String? {
        guard let position else { return nil }
        if position + 1 < entries.count {
            self.position = position + 1
            return entries[position + 1]
        }
        self.position = nil
        return draft
    }

    /// The prompt was opened anew or typed into: ↑ starts again from the newest.
    public mutating func reset() {
        position = nil
    }
}

/// A line being typed into a prompt (the `:` command line, the export's file name): the text,
/// the cursor, and what the prompt has to say about it.
public struct PromptLine: Sendable, Equatable {
    public var typed = ""
    /// Characters of `typed` before the cursor.
    public var cursor = 0
    /// What Tab offered, or what is wrong with the line.
    public var hint: String?

    public init(_ typed: String = "") {
        self.typed = typed
        cursor = typed.count
    }

    /// A key that edits the line: a character typed at the cursor (up to `maxLength`), or a
    /// line-editing key. Returns false for any other key (and for Backspace on an empty line,
    /// which closes a prompt).
    mutating func edit(_ action: UserAction, maxLength: Int = FilterState.maxLength) -> Bool {
        switch action {
        case .typed(let character):
            guard typed.count < maxLength else { return true }
            (typed, cursor) = LineEdit.insert(character, into: typed, cursor: cursor)
        case .backspace where typed.isEmpty:
            return false
        case .backspace, .editLine:
            let edit: LineEdit = if case .editLine(let edit) = action { edit } else { .deleteBefore }
            (typed, cursor) = edit.apply(to: typed, cursor: cursor)
        default:
            return false
        }
        hint = nil
        return true
    }

    /// The line replaced by one recalled from a history, the cursor at its end.
    mutating func recall(_ text: String) {
        typed = text
        cursor = text.count
        hint = nil
    }
}
