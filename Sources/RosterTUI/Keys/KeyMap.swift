import RosterCore

/// Reads keys into actions, screen by screen: the screen on top (`AppState.inputMode`) owns
/// its keys. The help screen, the status bar's hints and the manual's keys page are generated
/// from the same bindings.
public struct KeyMap: Sendable, Equatable {
    /// Every screen's keys, in the order the manual lists them.
    public var screens: [ScreenKeys]

    public init(screens: [ScreenKeys]) {
        self.screens = screens
    }

    /// The keys of one screen.
    public func keys(for mode: InputMode) -> ScreenKeys {
        screens.first { $0.mode == mode } ?? ScreenKeys(mode, title: "", bindings: [])
    }

    /// The list's bindings: what `?` shows over the list.
    public var bindings: [KeyBinding] { keys(for: .browse).bindings }

    /// The list's keys read but not offered.
    public var unoffered: [KeyBinding] { keys(for: .browse).unoffered }

    /// The map for `--read-only` (and a plan under review): no key that deletes, deactivates,
    /// restores or marks is offered; pressed anyway, it says the session is read-only.
    public var readOnly: KeyMap {
        KeyMap(screens: screens.map { screen in
            var screen = screen
            screen.withhold { $0.readOnlyDeed != nil }
            if screen.mode == .browse { screen.note = "Read-only session: nothing here deletes, deactivates or marks." }
            return screen
        })
    }

    /// The map for an account with these capabilities: `s` is not offered where the account
    /// has no soft alternative (pressed, it says so).
    public func offering(_ capabilities: ProviderCapabilities) -> KeyMap {
        guard !capabilities.canDeactivate else { return self }
        return KeyMap(screens: screens.map { screen in
            var screen = screen
            screen.withhold { $0 == .deactivate }
            return screen
        })
    }

    /// The session's map: its account's capabilities, and read-only where it is.
    public static func session(_ state: AppState) -> KeyMap {
        let map = standard.offering(state.capabilities)
        return state.isReadOnly ? map.readOnly : map
    }

    /// The action for a key on the screen that reads keys now. Ctrl-L repaints whatever is
    /// open and never answers a question; the wheel scrolls what is open and never answers or
    /// types; a click is read from what the screen drew there (`Canvas.regions`), not here.
    public func action(for key: Key, mode: InputMode) -> UserAction? {
        if key == .control("l") { return .repaint }
        if case .mouse(let event) = key {
            guard event.kind != .click, ![.confirmKey, .confirmQuit, .typedCount, .filterText, .pathText, .commandText].contains(mode) else { return nil }
            return event.kind == .wheelUp ? .moveUp : .moveDown
        }
        return keys(for: mode).action(for: key)
    }
}
