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
