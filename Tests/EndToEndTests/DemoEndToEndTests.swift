import Foundation
import Testing
@testable import RosterSandbox
import RosterTestSupport

/// Drives the real binary's demo inside tmux, as a person would, and checks the screen and
/// the sandbox's state.
extension EndToEnd {
    @Suite("End to end: roster --demo in tmux")
    struct DemoEndToEndTests {
        func demoURL(_ screen: String) throws -> String {
            guard let range = screen.range(of: #"http://127\.0\.0\.1:\d+(/api/v2)?"#, options: .regularExpression) else {
                throw HarnessError("no sandbox URL in the banner:\n\(screen)")
            }
            return String(screen[range])
        }

        func cursorLine(_ screen: String) -> String? {
            screen.split(separator: "\n").first { $0.hasPrefix("›") }.map(String.init)
        }

        func lookUp(_ id: String, dialect: String, url: String) throws -> ProcessResult {
            try runProcess(try rosterBinary, ["get", id, "--dialect", dialect, "--base-url", url],
                           environment: ["ROSTER_API_KEY": SandboxConfiguration.demoKey])
        }

        @Test func browseLookUpAndDeleteWithConfirmationOnSendMe123() throws {
            let binary = try rosterBinary
            let seeded = SeedData.contacts(count: 300, seed: 1)
            let targetIndex = try #require((3..<300).first { !seeded[$0].hasPendingMessages })
            let lockedIndex = try #require((0..<300).first {
                seeded[$0].hasPendingMessages && seeded[$0].status == "ACTIVE" && $0 != targetIndex
            })
            let target = seeded[targetIndex]
            let targetName = "\(target.firstName) \(target.lastName)"

            let tmux = try TmuxSession()
            try tmux.run("printf 'BEFORE-ROSTER\\n'; \(binary) --demo")
            let first = try tmux.waitFor(text: "100 of 300 contacts loaded")
            #expect(first.contains("DEMO: built-in sandbox at"))
            let url = try demoURL(first)

            // Move to the target and open its details: a fresh look-up.
            for _ in 0..<targetIndex { try tmux.press("j") }
            try tmux.waitFor("the cursor on \(targetName)") { self.cursorLine($0)?.contains(targetName) == true }
            try tmux.press("Enter")
            try tmux.waitFor(text: "Fresh from the server just now.")
            try tmux.press("Escape")
            try tmux.waitFor("the detail pane to close") { !$0.contains("Fresh from the server") }

            // d asks; n keeps the contact.
            try tmux.press("d")
            // The dialog's last line: the whole frame has been drawn.
            let dialog = try tmux.waitFor(text: "keep it (any other key)")
            #expect(dialog.contains("Name   \(targetName)"))
            #expect(dialog.contains("ID     \(target.uuid)"))
            #expect(dialog.contains("A deletion, once sent, cannot be undone."))
            try tmux.press("n")
            try tmux.waitFor(text: "Delete cancelled")
            #expect(try lookUp(target.uuid, dialect: "sendme123", url: url).status == 0)

            // d then y deletes it, on the screen and on the server.
            try tmux.answer("d", asks: "Delete this contact?", with: "y")
            try tmux.waitFor(text: "Deleting \(targetName) in")
            let afterDelete = try tmux.waitFor(text: "Deleted \(targetName)")
            #expect(afterDelete.contains("99 of 299 contacts loaded"), "the deleted row left the list")
            let rows = afterDelete.split(separator: "\n").filter { $0.hasPrefix("  ") || $0.hasPrefix("›") }
            #expect(!rows.contains { $0.contains(String(target.uuid.prefix(12))) })
            let gone = try lookUp(target.uuid, dialect: "sendme123", url: url)
            #expect(gone.status == 1)
            #expect(gone.errorOutput.contains("not found"))
            let journal = try runProcess(binary, ["journal", "--demo"])
            #expect(journal.output.contains("\(target.uuid)  \(targetName)  → deleted 200"), "the demo's journal kept it")

            // A contact with pending messages becomes a locked row.
            try tmux.press("g")
            // Rows after the deleted one moved up by one.
            for _ in 0..<(lockedIndex > targetIndex ? lockedIndex - 1 : lockedIndex) { try tmux.press("j") }
            let lockedName = "\(seeded[lockedIndex].firstName) \(seeded[lockedIndex].lastName)"
            try tmux.waitFor("the cursor on \(lockedName)") { self.cursorLine($0)?.contains(lockedName) == true }
            try tmux.answer("d", asks: "Delete this contact?", with: "y")
            let locked = try tmux.waitFor(text: "409: Contact cannot be deleted (has pending messages)")
            #expect(cursorLine(locked)?.contains("LOCKED") == true)
            #expect(try lookUp(seeded[lockedIndex].uuid, dialect: "sendme123", url: url).status == 0)

            // The locked row offers deactivate instead, which works.
            try tmux.press("d")
            try tmux.waitFor(text: "s deactivates instead: \(lockedName) is locked")
            try tmux.press("s")
            let deactivate = try tmux.waitFor("the whole deactivate dialog") {
                $0.contains("Deactivate this contact?") && $0.contains("keep it (any other key)")
            }
            #expect(deactivate.contains("stops receiving"))
            try tmux.press("y")
            let deactivated = try tmux.waitFor(text: "Deactivated \(lockedName)")
            #expect(cursorLine(deactivated)?.contains("LOCKED INACTIVE") == true)
            #expect(try lookUp(seeded[lockedIndex].uuid, dialect: "sendme123", url: url).output.contains("INACTIVE"))

            // Help is generated from the key map; it scrolls to its last keys.
            try tmux.press("?")
            try tmux.waitFor(text: "move down")
            try tmux.press("G")
            try tmux.waitFor(text: "reload from the server")
            try tmux.press("Escape")

            // Resizing redraws at the new size, and a tiny window asks to be enlarged.
            try tmux.resize(width: 70, height: 20)
            try tmux.waitFor("a 70-column redraw") { screen in
                let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
                return lines.count >= 20 && lines[19].contains("? help") && lines[1].contains("Roster · demo")
            }
            try tmux.resize(width: 40, height: 8)
            try tmux.waitFor(text: "Roster needs a larger terminal")
            try tmux.resize(width: 100, height: 30)
            try tmux.waitFor(text: "of 299 contacts loaded")

            // q quits and gives the terminal back as it was.
            try tmux.press("q")
            let after = try tmux.waitFor("the shell to come back") { $0.contains("BEFORE-ROSTER") && !$0.contains("Roster ·") }
            #expect(!after.contains("DEMO"))
        }

        @Test func easifyDemoShowsSharedContactsAndDeletesWithoutALookUp() throws {
            let binary = try rosterBinary
            let tmux = try TmuxSession()
            try tmux.run("\(binary) --demo --dialect easify")
            let first = try tmux.waitFor(text: "100 of 300 contacts loaded")
            #expect(first.contains("SHARED"))
            #expect(first.contains("2812300"), "newest first, as Easify orders by default")
            let url = try demoURL(first)
            try tmux.press("Enter")
            try tmux.waitFor(text: "Easify has no single-contact look-up: this is the record from the list.")
            try tmux.answer("d", asks: "Delete this contact?", with: "y")
            try tmux.waitFor(text: "id 2812300)")
            let list = try runProcess(binary, ["list", "--json", "--max", "1", "--dialect", "easify", "--base-url", url],
                                      environment: ["ROSTER_API_KEY": SandboxConfiguration.demoKey])
            #expect(list.output.contains("2812299"))
            #expect(!list.output.contains("2812300"))
            try tmux.press("q")
            try tmux.waitFor("the shell to come back") { !$0.contains("Roster ·") }
        }
    }
}

extension EndToEnd {
    @Suite("End to end: the headroom gauge agrees with the sandbox")
    struct GaugeEndToEndTests {
        @Test func theGaugeShowsWhatTheServerCounted() throws {
            let binary = try rosterBinary
            // A day-long window, so the count cannot roll over while the test runs.
            let sandbox = try SandboxProcess(["--dialect", "sendme123", "--contacts", "250", "--rate-limit", "100000/86400"])
            let tmux = try TmuxSession()
            try tmux.run("ROSTER_API_KEY=\(SandboxConfiguration.demoKey) \(binary) --dialect sendme123 --base-url \(sandbox.baseURL) --page-size 50")
            try tmux.waitFor(text: "contacts loaded")
            try tmux.press("Enter")
            try tmux.waitFor(text: "Fresh from the server just now.")
            try tmux.press("Escape")
            for _ in 0..<60 { try tmux.press("j") }
            let screen = try tmux.waitFor("more pages to load") { $0.contains("150 of 250") || $0.contains("200 of 250") }
            Thread.sleep(forTimeInterval: 0.5)
            let settled = try tmux.screen()
            let stats = try runProcess(try #require(which("curl")), ["-s", sandbox.origin + "/_sandbox/stats"])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(stats.output.utf8)) as? [String: Any])
            let requests = try #require(json["requests"] as? Int)
            #expect(settled.contains("API \(100_000 - requests)/100000"), "gauge after \(requests) requests:\n\(screen)")
            try tmux.press("q")
        }
    }
}
