import RosterCore

/// A key as the terminal reports it.
public enum Key: Hashable, Sendable {
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, escape, backspace, delete, tab
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
        case .other(let code): return "key \(code)"
        }
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

    public init(bindings: [KeyBinding]) {
        self.bindings = bindings
    }

    public static let standard = KeyMap(bindings: [
        KeyBinding([.down, .character("j")], .moveDown, "move down"),
        KeyBinding([.up, .character("k")], .moveUp, "move up"),
        KeyBinding([.pageDown, .character(" ")], .pageDown, "page down"),
        KeyBinding([.pageUp, .character("b")], .pageUp, "page up"),
        KeyBinding([.home, .character("g")], .moveToTop, "first contact"),
        KeyBinding([.end, .character("G")], .moveToBottom, "last loaded contact (loads more)"),
        KeyBinding([.enter], .openDetail, "contact details (looked up fresh where the API allows)"),
        KeyBinding([.character("d"), .delete], .delete, "delete contact (asks first)"),
        KeyBinding([.character("s")], .deactivate, "deactivate instead (it stays, gets no messages)"),
        KeyBinding([.character("r")], .reload, "reload from the server"),
        KeyBinding([.character("?")], .toggleHelp, "this help"),
        KeyBinding([.escape], .dismiss, "close pane or dialog"),
        KeyBinding([.character("q")], .quit, "quit"),
    ])

    /// The action for a key given what is on screen. A delete confirmation takes only `y`
    /// as yes; every other key answers no.
    public func action(for key: Key, overlay: Overlay) -> UserAction? {
        switch overlay {
        case .confirmDelete, .confirmDeactivate:
            return key == .character("y") ? .confirm : .cancel
        default:
            break
        }
        return bindings.first { $0.keys.contains(key) }?.action
    }
}
