import Foundation
import Testing
@testable import RosterTUI

@Suite("Themes")
struct ThemeTests {
    static var themesDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("themes")
    }

    @Test func theShippedDefaultFileIsTheBuiltInTheme() throws {
        let text = try String(contentsOf: Self.themesDirectory.appendingPathComponent("default.toml"), encoding: .utf8)
        let parsed = try ThemeFile.parse(text, name: "default", base: Theme(name: "empty", styles: [:]))
        #expect(parsed == Theme.standard)
        for role in StyleRole.allCases {
            #expect(text.contains("[\(role.rawValue)]"), "default.toml names every role: \(role.rawValue) is missing")
        }
    }

    @Test func aPartialThemeOverridesOnlyItsRoles() throws {
        let theme = try ThemeFile.parse("[header]\nbg = \"#aa0000\" # production\n", name: "prod")
        #expect(theme.style(for: .header).background == .rgb(0xAA, 0, 0))
        #expect(theme.style(for: .header).foreground == Theme.standard.style(for: .header).foreground)
        #expect(theme.style(for: .row) == Theme.standard.style(for: .row))
    }

    @Test func mistakesAreReportedWithTheirLine() {
        #expect(throws: ThemeFile.Problem(line: 3, reason: "'pinkish' is not a colour (use a name, 0-255, #rrggbb or default)")) {
            try ThemeFile.parse("[row]\nfg = \"red\"\nbg = \"pinkish\"\n", name: "x")
        }
        #expect(throws: ThemeFile.Problem(line: 1, reason: "unknown role 'rows'")) {
            try ThemeFile.parse("[rows]\n", name: "x")
        }
        #expect(throws: ThemeFile.Problem(line: 2, reason: "unknown attribute 'blink' (bold, dim, reverse, underline)")) {
            try ThemeFile.parse("[row]\nattrs = [\"blink\"]\n", name: "x")
        }
    }

    @Test func coloursDegradeToWhatTheTerminalHas() {
        #expect(ThemeColor.rgb(255, 0, 0).index(forPalette: 256) == 196)
        #expect(ThemeColor.rgb(250, 10, 10).index(forPalette: 8) == 1)
        #expect(ThemeColor.index(196).index(forPalette: 8) == 1)
        #expect(ThemeColor.index(12).index(forPalette: 8) == 4)
        #expect(ThemeColor.terminalDefault.index(forPalette: 256) == nil)
    }
}

@Suite("Shipped themes")
struct ShippedThemeTests {
    @Test(arguments: Theme.builtInFiles.map(\.name))
    func eachBuiltInThemeIsTheFileInThemes(name: String) throws {
        let file = try String(contentsOf: ThemeTests.themesDirectory.appendingPathComponent("\(name).toml"), encoding: .utf8)
        let builtIn = try #require(Theme.builtInFiles.first { $0.name == name }).text
        #expect(file == builtIn, "themes/\(name).toml and the built-in copy differ")
        let (theme, problem) = ThemeLoader.load(name, themesDirectory: "/nonexistent")
        #expect(problem == nil)
        #expect(theme.name == name)
    }

    @Test func monochromeUsesNoColourAtAll() {
        let (theme, _) = ThemeLoader.load("monochrome", themesDirectory: "/nonexistent")
        for role in StyleRole.allCases {
            #expect(theme.style(for: role).foreground == .terminalDefault && theme.style(for: role).background == .terminalDefault, "\(role)")
        }
        #expect(theme.style(for: .cursorRow).attributes.contains(.reverse))
    }

    @Test func aUserThemeOfTheSameNameWins() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-themes-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try "[header]\nbg = \"green\"\n".write(to: folder.appendingPathComponent("light.toml"), atomically: true, encoding: .utf8)
        let (theme, problem) = ThemeLoader.load("light", themesDirectory: folder.path)
        #expect(problem == nil)
        #expect(theme.style(for: .header).background == .index(2))
        #expect(ThemeLoader.available(themesDirectory: folder.path).first { $0.name == "light" }?.source.hasSuffix("light.toml") == true)
    }

    @Test func anUnknownNameListsWhatThereIs() {
        let (theme, problem) = ThemeLoader.load("solarized", themesDirectory: "/nonexistent")
        #expect(theme == .standard)
        #expect(problem?.contains("themes: default, high-contrast, light, monochrome, production") == true)
    }
}

@Suite("ASCII fallback")
struct ASCIITests {
    @Test func symbolsAndNamesBecomeLegibleASCII() {
        #expect(ASCIIText.convert("› ● Pérez Дмитрий 山田 Øvergaard “x” …") == "> * Perez Dmitrij shan tian Overgaard \"x\" ...")
        #expect(ASCIIText.convert("plain") == "plain")
    }

    @Test func anASCIIScreenHasOnlyASCII() {
        var state = screenState(contacts: people)
        state.overlay = .help(scroll: 0)
        let canvas = Screen.render(state, width: 80, height: 24, asciiOnly: true)
        for cell in canvas.cells {
            #expect(cell.text.map { $0.isASCII } ?? true)
        }
        #expect(canvas.line(0).contains("Roster - acme"))
        #expect(canvas.lines.contains { $0.contains("+- Keys -") })
    }
}

@Suite("Theme labels and palettes")
struct ThemeLabelTests {
    @Test func aThemeMayNameItsAccountInWordsAndTheProductionThemeDoes() throws {
        let theme = try ThemeFile.parse("label = \"LIVE\"\n[header]\nbg = \"red\"\n", name: "live")
        #expect(theme.label == "LIVE")
        #expect(throws: ThemeFile.Problem.self) { try ThemeFile.parse("label = LIVE\n", name: "bad") }
        let production = ThemeLoader.load("production", themesDirectory: "/nonexistent").theme
        #expect(production.label == "PRODUCTION")
    }

    @Test func aSampleUsesNoMoreColoursThanTheTerminalHas() {
        let production = ThemeLoader.load("production", themesDirectory: "/nonexistent").theme
        #expect(!ThemeSample.line(production, palette: 0).contains("48;"), "none on a vt100")
        #expect(ThemeSample.line(production, palette: 8).contains("[0;1;37;41m Roster · PRODUCTION · acme "))
        #expect(ThemeSample.line(production, palette: 256).contains("48;5;124"))
        #expect(ThemeSample.line(production, palette: ThemeSample.truecolor).contains("48;2;170;0;0"))
        #expect(ThemeSample.plain(production).hasPrefix(" Roster · PRODUCTION · acme "))
    }
}

@Suite("Synchronized output")
struct SyncProbeTests {
    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test func aTerminalThatKnowsTheModeSaysSoBeforeItsDeviceAttributes() {
        #expect(SyncProbe.read(bytes("\u{1B}[?2026;2$y\u{1B}[?62;22c")) == .decided(supported: true, rest: []))
        #expect(SyncProbe.read(bytes("\u{1B}[?2026;1$y\u{1B}[?1;2c")) == .decided(supported: true, rest: []))
        #expect(SyncProbe.read(bytes("\u{1B}[?2026;0$y\u{1B}[?1;2c")) == .decided(supported: false, rest: []), "0: not recognised")
        #expect(SyncProbe.read(bytes("\u{1B}[?1;2c")) == .decided(supported: false, rest: []), "only the attributes: no sync")
        #expect(SyncProbe.read(bytes("\u{1B}[?2026;2$y")) == .waiting)
        #expect(SyncProbe.read(bytes("\u{1B}[?1;")) == .waiting)
        #expect(SyncProbe.read(bytes("jj\u{1B}[?1;2cq")) == .decided(supported: false, rest: bytes("jjq")), "keys typed meanwhile are kept")
    }
}
