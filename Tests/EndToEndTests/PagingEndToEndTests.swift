import Foundation
import Testing
import RosterCore
@testable import RosterSandbox
import RosterTestSupport

/// Another client changes the account while Roster pages through it: every contact that
/// still exists stays reachable, in the real binary against `roster sandbox`.
extension EndToEnd {
    @Suite("End to end: paging while another client changes the account")
    struct PagingEndToEndTests {
        /// Runs curl as the other client.
        func curl(_ arguments: [String]) throws -> ProcessResult {
            let curl = try which("curl") ?? { throw HarnessError("curl is needed as the other client") }()
            return try runProcess(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}"] + arguments)
        }

        func openRoster(_ sandbox: SandboxProcess, dialect: String) throws -> TmuxSession {
            let tmux = try TmuxSession()
            try tmux.run("ROSTER_API_KEY=\(SandboxConfiguration.demoKey) \(try rosterBinary) --dialect \(dialect) --base-url \(sandbox.baseURL)")
            try tmux.waitFor(text: "100 of 300 contacts loaded")
            return tmux
        }

        /// End until every page is in, then the header's count.
        func scrollToTheEnd(_ tmux: TmuxSession, count: Int) throws -> String {
            try tmux.waitFor("all \(count) contacts", timeout: 30) { screen in
                if !screen.contains(" \(count) contacts") { try? tmux.press("End") }
                return screen.contains(" \(count) contacts")
            }
        }

        /// Filters for one contact and says whether the list shows it.
        func shows(_ text: String, in tmux: TmuxSession) throws -> Bool {
            try tmux.press("/")
            try tmux.type(text)
            // The header says it in full, or shorter where the terminal is narrow.
            let screen = try tmux.waitFor("the filter on \(text)") { $0.contains("“\(text)”") }
            try tmux.press("Escape")
            try tmux.waitFor("the filter to close") { !$0.contains("“\(text)”") }
            return screen.contains("filter “\(text)”: 1 of") || screen.contains("“\(text)” 1/")
        }

        /// The issue's case: SendMe123, pages of 100, 300 contacts; after page one is drawn another
        /// client deletes 10 contacts from it. Scrolling to the end reaches the ten that followed.
        @Test func contactsDeletedFromAShownPageSkipNothing() throws {
            let sandbox = try SandboxProcess(["--dialect", "sendme123", "--contacts", "300", "--max-page-size", "100", "--rate-limit", "1000/60"])
            let seeded = SeedData.contacts(count: 300, seed: 1)
            let tmux = try openRoster(sandbox, dialect: "sendme123")
            for contact in seeded[10..<20] {
                let status = try curl(["-X", "DELETE", "-H", "api-key: \(SandboxConfiguration.demoKey)", "\(sandbox.baseURL)/api/contacts/\(contact.uuid)"])
                #expect(status.output == "200")
            }
            let end = try scrollToTheEnd(tmux, count: 290)
            #expect(!end.contains("may be incomplete"))
            // The ten that followed page one, which a shifted page 2 would have skipped.
            // By id: some seeded contacts have no email, and some share one.
            for contact in seeded[100..<110] {
                #expect(try shows(contact.uuid, in: tmux), "\(contact.uuid) is reachable")
            }
            // And the deleted ones are no longer shown.
            #expect(try !shows(seeded[12].uuid, in: tmux))
            try tmux.press("q")
        }

        /// Easify, newest first: contacts another client adds appear at the top, and the rest
        /// are all reached once.
        @Test func contactsAddedAtTheTopOfANewestFirstListAppear() throws {
            let sandbox = try SandboxProcess(["--dialect", "easify", "--contacts", "300", "--max-page-size", "100", "--rate-limit", "1000/60"])
            let tmux = try openRoster(sandbox, dialect: "easify")
            for index in 1...5 {
                let body = #"{"group_id":2,"first_name":"Added\#(index)","email_address":"added\#(index)@example.com"}"#
                let status = try curl([
                    "-X", "POST", "-H", "Authorization: Bearer \(SandboxConfiguration.demoKey)", "-H", "Content-Type: application/json",
                    "-d", body, "\(sandbox.baseURL)/contacts/create",
                ])
                #expect(status.output == "200")
            }
            let end = try scrollToTheEnd(tmux, count: 305)
            #expect(!end.contains("may be incomplete"))
            for index in 1...5 { #expect(try shows("added\(index)@example.com", in: tmux)) }
            try tmux.press("g")
            let top = try tmux.waitFor("the top of the list") { $0.contains("›") }
            #expect(top.split(separator: "\n").first { $0.hasPrefix("›") }?.contains("Added5") == true, "the newest is first")
            try tmux.press("q")
        }

        /// Easify answers 400 "Invalid contact id" for a contact another client deleted after
        /// Roster listed it: Roster reads the list to tell, and says "already gone".
        @Test func easifysInvalidIdForAContactDeletedElsewhereReadsAsAlreadyGone() throws {
            let sandbox = try SandboxProcess(["--dialect", "easify", "--contacts", "300", "--max-page-size", "100", "--rate-limit", "1000/60"])
            let tmux = try openRoster(sandbox, dialect: "easify")
            // The cursor's contact is the newest: 2812300. Another client deletes it.
            let status = try curl([
                "-X", "DELETE", "-H", "Authorization: Bearer \(SandboxConfiguration.demoKey)",
                "\(sandbox.baseURL)/contacts/delete?contact_id=2812300",
            ])
            #expect(status.output == "200")
            try tmux.answer("d", asks: "Delete this contact?", with: "y")
            let screen = try tmux.waitFor(text: "was already gone (deleted elsewhere)", timeout: 20)
            #expect(!screen.contains("FAILED"))
            #expect(try sandbox.requestCount("DELETE") == 2, "the other client's and Roster's one: not sent again")
            try tmux.press("q")
        }
    }
}
