/// A colour as a theme names it.
public enum ThemeColor: Equatable, Sendable {
    /// The terminal's own foreground or background.
    case terminalDefault
    /// 0–255: the 16 ANSI colours then the 256-colour cube and greys.
    case index(Int)
    case rgb(UInt8, UInt8, UInt8)

    static let names: [String: Int] = [
        "black": 0, "red": 1, "green": 2, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6, "white": 7,
        "bright_black": 8, "gray": 8, "grey": 8, "bright_red": 9, "bright_green": 10, "bright_yellow": 11,
        "bright_blue": 12, "bright_magenta": 13, "bright_cyan": 14, "bright_white": 15,
    ]

    /// Parses a colour name, a 256-colour index, `#rrggbb`, or `default`.
    public static func parse(_ text: String) -> ThemeColor? {
        let name = text.lowercased().replacingOccurrences(of: "-", with: "_")
        if name == "default" || name == "none" { return .terminalDefault }
        if let index = names[name] { return .index(index) }
        if let index = Int(name), (0...255).contains(index) { return .index(index) }
        if name.hasPrefix("#"), name.count == 7, let value = UInt32(name.dropFirst(), radix: 16) {
            return .rgb(UInt8(value >> 16), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF))
        }
        return nil
    }

    /// The nearest colour a terminal with `available` colours can show (256, 16, 8), or nil
    /// for the terminal's default.
    public func index(forPalette available: Int) -> Int? {
        switch self {
        case .terminalDefault: return nil
        case .index(let value):
            if value < available { return value }
            return ThemeColor.nearestBasic(rgb: ThemeColor.rgbOf(index: value), available: available)
        case .rgb(let red, let green, let blue):
            if available >= 256 { return ThemeColor.cubeIndex(red, green, blue) }
            return ThemeColor.nearestBasic(rgb: (Int(red), Int(green), Int(blue)), available: available)
        }
    }

    static func cubeIndex(_ red: UInt8, _ green: UInt8, _ blue: UInt8) -> Int {
        func level(_ value: UInt8) -> Int { value < 48 ? 0 : (value < 115 ? 1 : (Int(value) - 35) / 40) }
        return 16 + 36 * level(red) + 6 * level(green) + level(blue)
    }

    static let basicRGB: [(Int, Int, Int)] = [
        (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229),
        (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255), (255, 0, 255), (0, 255, 255), (255, 255, 255),
    ]

    static func rgbOf(index: Int) -> (Int, Int, Int) {
        if index < 16 { return basicRGB[index] }
        if index >= 232 { let grey = 8 + (index - 232) * 10; return (grey, grey, grey) }
        let cube = index - 16
        func value(_ level: Int) -> Int { level == 0 ? 0 : 55 + level * 40 }
        return (value(cube / 36), value((cube / 6) % 6), value(cube % 6))
    }

    static func nearestBasic(rgb: (Int, Int, Int), available: Int) -> Int {
        let count = min(16, max(8, available))
        var best = 0
        var bestDistance = Int.max
        for index in 0..<count {
            let candidate = basicRGB[index]
            let distance = (candidate.0 - rgb.0) * (candidate.0 - rgb.0) + (candidate.1 - rgb.1) * (candidate.1 - rgb.1)
                + (candidate.2 - rgb.2) * (candidate.2 - rgb.2)
            if distance < bestDistance { bestDistance = distance; best = index }
        }
        return best
    }
}

public enum TextAttribute: String, CaseIterable, Sendable {
    case bold, dim, reverse, underline
}

/// How one role looks.
public struct RoleStyle: Equatable, Sendable {
    public var foreground: ThemeColor
    public var background: ThemeColor
    public var attributes: Set<TextAttribute>

    public init(
        foreground: ThemeColor = .terminalDefault, background: ThemeColor = .terminalDefault,
        attributes: Set<TextAttribute> = []
    ) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }
}

/// Maps every role to a style. A theme file overrides some roles; the rest keep the
/// built-in default, which `themes/default.toml` spells out.
public struct Theme: Equatable, Sendable {
    public var name: String
    public private(set) var styles: [StyleRole: RoleStyle]
    /// Said in the header in words (`PRODUCTION`), so the account is marked without colour too.
    public var label: String?

    public func style(for role: StyleRole) -> RoleStyle {
        styles[role] ?? RoleStyle()
    }

    public mutating func set(_ role: StyleRole, _ style: RoleStyle) {
        styles[role] = style
    }

    public init(name: String, styles: [StyleRole: RoleStyle]) {
        self.name = name
        self.styles = styles
    }

    /// The default theme: themes/default.toml, built in, which names every role. (Were it
    /// ever unreadable, every role would be drawn plain rather than Roster stopping; a test
    /// keeps it whole.)
    public static let standard: Theme = {
        let plain = Theme(name: "default", styles: [:])
        guard let text = builtInFiles.first(where: { $0.name == "default" })?.text else { return plain }
        return (try? ThemeFile.parse(text, name: "default", base: plain)) ?? plain
    }()
}
