import Foundation
import Testing
@testable import RosterTUI

@Suite("Choosing a theme")
struct ThemeLoaderTests {
    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("roster-themes-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func aNamedUserThemeOverridesSomeRoles() throws {
        let themes = try folder()
        try "[header]\nbg = \"red\"\n".write(toFile: themes + "/production.toml", atomically: true, encoding: .utf8)
        let (theme, problem) = ThemeLoader.load("production", themesDirectory: themes)
        #expect(problem == nil)
        #expect(theme.name == "production")
        #expect(theme.style(for: .header).background == .index(1))
        #expect(theme.style(for: .row) == Theme.standard.style(for: .row))
    }

    @Test func aBrokenThemeFallsBackToTheDefaultAndSaysWhere() throws {
        let themes = try folder()
        try "[row]\nfg = \"pinkish\"\n".write(toFile: themes + "/broken.toml", atomically: true, encoding: .utf8)
        let (theme, problem) = ThemeLoader.load(themes + "/broken.toml", themesDirectory: themes)
        #expect(theme == .standard)
        #expect(problem == "theme \(themes)/broken.toml line 2: 'pinkish' is not a colour (use a name, 0-255, #rrggbb or default); using the default theme")
        let missing = ThemeLoader.load("nope", themesDirectory: themes)
        #expect(missing.theme == .standard)
        #expect(missing.problem?.hasPrefix("theme 'nope' not found") == true)
    }
}
