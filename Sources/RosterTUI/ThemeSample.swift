/// One line that shows a theme's main roles, for `roster themes`: as ANSI escapes for a
/// colour terminal, or as plain text.
public enum ThemeSample {
    static let parts: [(String, StyleRole)] = [
        (" Roster · acme ", .header), (" ", .normal), ("› Ana Pérez ", .cursorRow), (" ", .normal),
        ("● Bo Díaz ", .rowMarked), (" ", .normal), ("LOCKED", .rowLocked), (" ", .normal), ("FAILED", .rowFailed),
        (" ", .normal), (" y delete ", .dialogDanger), (" ", .normal), (" API 45/60 ", .gaugeOk), (" ! 12/60 ", .gaugeWarn),
        (" !! 3/60 ", .gaugeCritical),
    ]

    /// The sample as the terminal can show it: `palette` is how many colours it has (0 for
    /// none: the monochrome theme's attributes, as Roster itself shows it there; 8, 16, 256,
    /// or `truecolor` where COLORTERM says so). Colours beyond the palette go to the nearest.
    public static func line(_ theme: Theme, palette: Int) -> String {
        let label = theme.label.map { " Roster · \($0) · acme " }
        let shown = parts.map { $0.1 == .header ? (label ?? $0.0, $0.1) : $0 }
        guard palette > 0 else {
            return shown.map { text, role in sgr(Theme.monochrome.style(for: role), palette: 0) + text + "\u{1B}[0m" }.joined()
        }
        return shown.map { text, role in sgr(theme.style(for: role), palette: palette) + text + "\u{1B}[0m" }.joined()
    }

    /// Plain text, no escapes (not a terminal, NO_COLOR with --no-color).
    public static func plain(_ theme: Theme) -> String {
        parts.map { $0.1 == .header ? (theme.label.map { " Roster · \($0) · acme " } ?? $0.0) : $0.0 }.joined()
    }

    public static let truecolor = 1 << 24

    /// The SGR sequence for a style: attributes, then colour codes the palette has.
    static func sgr(_ style: RoleStyle, palette: Int) -> String {
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
            if case .rgb(let red, let green, let blue) = colour, palette >= truecolor {
                return "\(base + 8);2;\(red);\(green);\(blue)"
            }
            guard palette >= 8, let index = colour.index(forPalette: min(palette, 256)) else { return nil }
            if index < 8 { return "\(base + index)" }
            if index < 16 { return "\(base + 60 + index - 8)" }
            return "\(base + 8);5;\(index)"
        }
        if let foreground = colour(style.foreground, base: 30) { codes.append(foreground) }
        if let background = colour(style.background, base: 40) { codes.append(background) }
        return "\u{1B}[" + codes.joined(separator: ";") + "m"
    }
}
