import Foundation
import Testing
@testable import RosterTUI

/// `docs/keys.md` is generated from the bindings; this fails while it is stale, as lazygit's
/// cheatsheet check does. `ROSTER_WRITE_KEYS_PAGE=1 swift test --filter KeysPageTests`
/// writes it.
@Suite("The keys page")
struct KeysPageTests {
    @Test func docsKeysIsGeneratedFromTheBindings() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let page = root.appendingPathComponent("docs/keys.md")
        let text = try String(contentsOf: page, encoding: .utf8)
        let generated = KeysPage.markdown()
        let handWritten = text.range(of: KeysPage.endMarker).map { String(text[$0.upperBound...]) } ?? "\n\n" + text
        if ProcessInfo.processInfo.environment["ROSTER_WRITE_KEYS_PAGE"] == "1" {
            try (generated + "\n" + handWritten.drop { $0 == "\n" }).write(to: page, atomically: true, encoding: .utf8)
            return
        }
        let current = text.range(of: KeysPage.endMarker).map { String(text[..<$0.upperBound]) + "\n" }
        #expect(current == generated, "docs/keys.md is stale: run ROSTER_WRITE_KEYS_PAGE=1 swift test --filter KeysPageTests")
    }

    @Test func everyOfferedBindingIsOnThePage() {
        let page = KeysPage.markdown()
        for screen in KeyMap.standard.screens {
            #expect(page.contains("## \(screen.title)"))
            for binding in screen.bindings { #expect(page.contains(binding.manual ?? binding.summary), "\(binding.summary)") }
        }
    }
}
