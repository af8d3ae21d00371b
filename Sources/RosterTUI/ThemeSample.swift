/// One line that shows a theme's main roles, for `roster themes`: as ANSI escapes for a
/// colour terminal, or as plain text.
public enum ThemeSample {
    static let parts: [(String, StyleRole)] = [
        (" Roster · acme ", .header), (" ", .normal), ("› Ana Pérez ", .cursorRow), (" ", .normal),
        ("● Bo Díaz ", .rowMarked), (" ", .normal), ("LOCKED", .rowLocked), (" ", .normal), ("FAILED", .rowFailed),
        (" ", .normal), (" y delete ", .dialogDanger), (" ", .normal), (" API 45/60 ", .gaugeOk), (" ! 12/60 ", .gaugeWarn),
        (" !! 3/60 ", .gaugeCritical),
    ]

    public static func line(_ theme: Theme, colour: Bool) -> String {
        guard colour else { return parts.map(\.0).joined() }
        return parts.map { text, role in sgr(theme.style(for: role)) + text + "\u{1B}[0m" }.joined()
    }

    /// The SGR sequence for a style: attributes, then 256-colour or truecolour codes.
    static func sgr(_ style: RoleStyle) -> String {
        var codes = ["0"]
        for attribute in style.attributes.sorted(by: { $0.rawValue < $1.rawValue }) {
            switch attribute {
            case .bold: codes.append("1")
            case .dim: codes.append("2")
            case .underline: codes.append("4")
            case .reverse: codes.append("7")
            }
        }
        func colour(_ colour: ThemeColor, base: Int) -> String? {
            switch colour {
            case .terminalDefault: return nil
            case .index(let index): return "\(base + 8);5;\(index)"
            case .rgb(let red, let green, let blue): return "\(base + 8);2;\(red);\(green);\(blue)"
            }
        }
        if let foreground = colour(style.foreground, base: 30) { codes.append(foreground) }
        if let background = colour(style.background, base: 40) { codes.append(background) }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }
}
