/// A key as the terminal reports it.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, delete, tab
    /// Ctrl and a letter (lowercase): `control("d")` is Ctrl-D.
    case control(Character)
    /// Alt (Meta) and a letter, which a terminal sends as Esc and the letter: `alt("b")` is Alt-B.
    case alt(Character)
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
        case .alt(let letter): return "Alt-" + String(letter)
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
