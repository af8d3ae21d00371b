import RosterCore

/// A key as the terminal reports it.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, delete, tab
    /// Ctrl and a letter (lowercase): `control("d")` is Ctrl-D.
    case control(Character)
    /// A click or the wheel, at a cell of the screen.
    case mouse(MouseEvent)
    /// A function or other key Roster has no name for.
    case other(Int)

    /// How the help screen writes the key.
    public var label: String {
        switch self {
        case .character(" "): return "Space"
        case .character(let character): return String(character)
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .home: return "Home"
        case .end: return "End"
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .backspace: return "Backspace"
        case .delete: return "Del"
        case .tab: return "Tab"
        case .control(let letter): return "^" + letter.uppercased()
        case .mouse(let event): return event.kind.rawValue
        case .other(let code): return "key \(code)"
        }
    }
}

/// What the mouse did, and where (columns and rows from 0).
public struct MouseEvent: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case click, wheelUp = "wheel up", wheelDown = "wheel down"
    }

    public var kind: Kind
    public var x: Int
    public var y: Int

    public init(_ kind: Kind, x: Int, y: Int) {
        self.kind = kind
        self.x = x
        self.y = y
    }
}

/// One line of the key map: the keys, what they do, and how the help screen says it.
public struct KeyBinding: Sendable, Equatable {
    public var keys: [Key]
    public var action: UserAction
    public var summary: String

    public init(_ keys: [Key], _ action: UserAction, _ summary: String) {
        self.keys = keys
        self.action = action
        self.summary = summary
    }
}

/// Reads keys into actions. The help screen is generated from the same bindings, so it can
/// never disagree with what the keys do.
public struct KeyMap: Sendable, Equatable {
    public var bindings: [KeyBinding]
    /// Keys read but not offered (help and hints leave them out): in a read-only session the
    /// destructive keys, so that pressing one says why it does nothing instead of nothing.
    public var unoffered: [KeyBinding]

    public init(bindings: [KeyBinding], unoffered: [KeyBinding] = []) {
        self.bindings = bindings
        self.unoffered = unoffered
    }

    public static let standard = KeyMap(bindings: [
        KeyBinding([.down, .character("j")], .moveDown, "move down"),
        KeyBinding([.up, .character("k")], .moveUp, "move up"),
        KeyBinding([.pageDown, .character("f"), .control("f")], .pageDown, "page down"),
        KeyBinding([.pageUp, .character("b"), .control("b")], .pageUp, "page up"),
        KeyBinding([.control("d")], .halfPageDown, "half a page down"),
        KeyBinding([.control("u")], .halfPageUp, "half a page up"),
        KeyBinding([.home, .character("g")], .moveToTop, "first contact"),
        KeyBinding([.end, .character("G")], .moveToBottom, "last loaded contact (loads more)"),
        KeyBinding([.enter], .openDetail, "details, looked up fresh"),
        KeyBinding([.character(" ")], .toggleMark, "mark or unmark, move down"),
        KeyBinding([.character("v")], .markRange, "range: v here, move, v marks it"),
        KeyBinding([.character("+")], .markAllShown, "mark every match on the account"),
        KeyBinding([.character("-")], .clearMarks, "clear every mark"),
        KeyBinding([.character("/")], .startFilter, "filter by text or field:value"),
        KeyBinding([.character("n")], .nextMatch, "next match of the filter"),
        KeyBinding([.character("N")], .previousMatch, "previous match of the filter"),
        KeyBinding([.character("o")], .cycleSort, "sort: server, name, phone, email"),
        KeyBinding([.character("y")], .copyID, "copy the id (OSC 52 clipboard)"),
        KeyBinding([.character("Y")], .copyField, "copy a field you choose"),
        KeyBinding([.character("e")], .export, "export marked or shown as CSV"),
        KeyBinding([.character("d"), .delete], .delete, "delete it, or the marked (asks)"),
        KeyBinding([.character("u")], .undo, "undo a countdown (nothing sent)"),
        KeyBinding([.character("p")], .togglePause, "pause or resume the batch"),
        KeyBinding([.character("x")], .stopBatch, "stop the batch (asks first)"),
        KeyBinding([.character("s")], .deactivate, "deactivate instead (it stays)"),
        KeyBinding([.character("r")], .reload, "reload; results: retry, resume"),
        KeyBinding([.character("m")], .showMessages, "every message, in full"),
        KeyBinding([.character("H")], .showHistory, "history of deletions, to restore"),
        KeyBinding([.character("R")], .restore, "in history: restore the marked"),
        KeyBinding([.character("D")], .showDuplicates, "duplicates; K keeps, U unmarks"),
        KeyBinding([.character("?")], .toggleHelp, "this help"),
        KeyBinding([.control("l")], .repaint, "repaint the whole screen"),
        KeyBinding([.escape], .dismiss, "close: countdown, filter, pane"),
        KeyBinding([.character("q")], .quit, "quit"),
    ])

    /// The map for `--read-only`: no key that deletes, deactivates or marks is shown in the
    /// help or the hints; pressed anyway, it says the session is read-only.
    public var readOnly: KeyMap {
        let destructive: Set<UserAction> = [
            .delete, .deactivate, .toggleMark, .markAllShown, .clearMarks, .undo, .togglePause, .stopBatch, .restore, .markRange,
        ]
        return KeyMap(
            bindings: bindings.filter { !destructive.contains($0.action) }, unoffered: bindings.filter { destructive.contains($0.action) })
    }

    /// The action for a key given how the screen reads keys. A confirmation of one contact
    /// takes only `y` as yes (every other key answers no); a batch's takes the typed count
    /// and Enter; the filter prompt takes text.
    public func action(for key: Key, mode: InputMode) -> UserAction? {
        // Ctrl-L repaints whatever is open; it never answers a question.
        if key == .control("l") { return .repaint }
        if case .mouse(let event) = key {
            // The wheel scrolls what is open; it never answers a question or types. A click is
            // read from what the screen drew there (`Canvas.regions`), not here.
            guard event.kind != .click, ![.confirmKey, .confirmQuit, .typedCount, .filterText, .pathText].contains(mode) else { return nil }
            return event.kind == .wheelUp ? .moveUp : .moveDown
        }
        switch mode {
        case .confirmKey:
            return key == .character("y") ? .confirm : .cancel
        case .confirmQuit:
            return key == .character("y") || key == .character("q") ? .confirm : .cancel
        case .typedCount, .filterText, .pathText:
            switch key {
            case .character(let character): return .typed(character)
            case .backspace, .delete: return .backspace
            case .enter: return .submit
            case .escape: return .cancel
            case .tab where mode == .filterText: return .complete
            default: return nil
            }
        case .panel:
            if key == .character("r") { return .retryFailed }
        case .copyChoice:
            if case .character(let character) = key, character.isNumber { return .typed(character) }
            if key == .enter { return .submit }
        case .duplicates:
            // The view's own keys, named in D's summary.
            if key == .character("K") { return .makeKeeper }
            if key == .character("U") { return .unmarkGroup }
        case .browse, .help, .detail, .history:
            break
        }
        return (bindings + unoffered).first { $0.keys.contains(key) }?.action
    }
}
