import RosterCore

/// The manual's keys page (`docs/keys.md`), generated from the bindings so that it cannot
/// disagree with them; a test fails when the page in the repository is stale.
public enum KeysPage {
    /// Ends the generated part of the page; what follows it is written by hand.
    public static let endMarker = "<!-- End of the part generated from the key bindings. -->"

    /// The generated part of the page, up to and including `endMarker`.
    public static func markdown(_ keyMap: KeyMap = .standard) -> String {
        var lines = [
            "# Keys",
            "",
            "<!-- Generated from Roster's key bindings (Sources/RosterTUI/Keys/StandardKeys.swift): after changing them, run",
            "     ROSTER_WRITE_KEYS_PAGE=1 swift test --filter KeysPageTests   (a test fails while this part is stale). -->",
            "",
            "Every screen has its own keys. The status bar offers the few it needs most, `?` lists the keys",
            "of the screen it is pressed on, and this page lists them all. `Ctrl-L` repaints the whole screen",
            "on every screen and never answers a question; the mouse wheel scrolls what is open.",
        ]
        for screen in keyMap.screens {
            lines += ["", "## \(screen.title)", "", "| key | what it does |", "|---|---|"]
            for binding in screen.bindings where binding.action != .repaint || screen.mode == .browse {
                lines.append("| \(binding.keys.map { "`\(manualLabel($0))`" }.joined(separator: " ")) | \(cell(binding.manual ?? binding.summary)) |")
            }
            if let other = screen.otherKeysSummary { lines.append("| other keys | \(cell(other)) |") }
            if let note = screen.note { lines += ["", note] }
        }
        lines += ["", endMarker]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A key as the manual writes it: `Ctrl-F` rather than the help's `^F`.
    static func manualLabel(_ key: Key) -> String {
        if case .control(let letter) = key { return "Ctrl-" + letter.uppercased() }
        return key.label
    }

    private static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|")
    }
}
