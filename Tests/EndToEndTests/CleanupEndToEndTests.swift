import Foundation
import Testing
import RosterCore
@testable import RosterSandbox
import RosterTestSupport

/// A cleanup session in the real binary against a `roster sandbox` process: marks by filter,
/// the typed-count confirmation, the undo window, progress, locked rows, the results panel,
/// and a journal that agrees with the server after SIGKILL and SIGTERM.
extension EndToEnd {
    @Suite("End to end: cleanup sessions")
    struct CleanupEndToEndTests {
        let key = ["ROSTER_API_KEY": SandboxConfiguration.demoKey]

        /// A seed and a last name the filter finds on exactly `count` contacts, some of
        /// them locked by pending messages and some not.
        func pickFilter(contacts: Int, count: Int) throws -> (seed: UInt64, text: String, matches: [SeedContact]) {
            for seed in UInt64(1)...100 {
                let seeded = SeedData.contacts(count: contacts, seed: seed)
                for last in SeedData.lastNames {
                    let query = FilterQuery(last)
                    let matches = seeded.filter { query.matches(asShown($0)) }
                    if matches.count == count, matches.contains(where: \.hasPendingMessages),
                       matches.contains(where: { !$0.hasPendingMessages }) {
                        return (seed, last, matches)
                    }
                }
            }
            throw HarnessError("no seed gives a filter with exactly \(count) matches")
        }

        /// A seeded contact as Roster shows it on SendMe123.
        func asShown(_ seed: SeedContact) -> Contact {
            Contact(
                id: ContactID(seed.uuid), name: "\(seed.firstName) \(seed.lastName)",
                phone: "+\(seed.countryCode) \(seed.phone)", email: seed.email)
        }

        func serverIDs(_ sandbox: SandboxProcess) throws -> Set<String> {
            let list = try runProcess(try rosterBinary, ["list", "--json", "--dialect", "sendme123", "--base-url", sandbox.baseURL], environment: key)
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]])
            return Set(rows.compactMap { $0["id"] as? String })
        }

        func journal(of sandbox: SandboxProcess) throws -> [JournalRecord] {
            try journalRecords().filter { $0.baseURL == sandbox.baseURL }
        }

        /// The journal and the server agree contact by contact: every deletion it claims
        /// happened, every contact that went is in it, and no intent is left without an outcome.
        @discardableResult
        func expectJournalAgrees(with sandbox: SandboxProcess, before: Set<String>) throws -> Int {
            let records = try journal(of: sandbox)
            let outcomes = Dictionary(records.filter { $0.kind == .outcome }.map { ($0.entry, $0) }) { $1 }
            let intents = records.filter { $0.kind == .intent }
            #expect(intents.allSatisfy { outcomes[$0.entry] != nil }, "an intent has no outcome")
            let claimed = Set(intents.filter { outcomes[$0.entry]?.result == "deleted" }.map(\.contactID))
            let after = try serverIDs(sandbox)
            let gone = before.subtracting(after)
            #expect(claimed == gone, "journal says deleted: \(claimed.count), gone from the server: \(gone.count)")
            // A contact left undeleted by one batch (killed before its DELETE left) may be deleted
            // by the next: only its last intent says where it stands.
            let last = Dictionary(intents.map { ($0.contactID, $0) }, uniquingKeysWith: { $1 })
            for intent in last.values where outcomes[intent.entry]?.result != "deleted" && outcomes[intent.entry]?.result != "gone" {
                #expect(after.contains(intent.contactID), "\(intent.contactID) is journalled as not deleted but is gone")
            }
            #expect(intents.allSatisfy { $0.contact?["id"]?.stringValue == $0.contactID }, "each intent keeps the contact's record")
            for intent in intents where outcomes[intent.entry]?.result == "deleted" {
                let message = outcomes[intent.entry]?.message ?? ""
                #expect(message == "Contact successfully deleted" || message.hasPrefix("reconciled: "), "the server's own words are kept: \(message)")
            }
            return gone.count
        }

        @Test func thirtyByFilterWithUndoProgressLockedRowsAndResults() throws {
            // 40 last names over 1,200 contacts: about 30 each.
            let pick = try pickFilter(contacts: 1200, count: 30)
            let locked = pick.matches.filter(\.hasPendingMessages)
            let sandbox = try SandboxProcess([
                "--dialect", "sendme123", "--contacts", "1200", "--seed", String(pick.seed), "--rate-limit", "40/4",
            ])
            let before = try serverIDs(sandbox)
            let tmux = try TmuxSession()
            try tmux.run("ROSTER_API_KEY=\(SandboxConfiguration.demoKey) \(try rosterBinary) --dialect sendme123 --base-url \(sandbox.baseURL) --undo-seconds 3")
            try tmux.waitFor(text: "contacts loaded")

            // Filter, mark every match, and see the count in the header.
            try tmux.press("/")
            try tmux.type(pick.text)
            try tmux.waitFor(text: "filter “\(pick.text)”: 30 of 1200", timeout: 30)
            try tmux.press("Enter")
            try tmux.press("+")
            try tmux.waitFor(text: "● 30 marked")

            // One confirmation for the batch; y alone does nothing, the count does.
            try tmux.press("d")
            let dialog = try tmux.waitFor(text: "Type 30 and Enter to delete")
            #expect(dialog.contains("30 contacts will be deleted:"))
            #expect(dialog.contains("Expected time:"))
            try tmux.type("y")
            try tmux.press("Enter")
            try tmux.waitFor(text: "Type 30 and press Enter to delete them")

            // The undo window: u cancels and nothing reaches the server.
            try tmux.type("30")
            try tmux.press("Enter")
            try tmux.waitFor(text: "Deleting 30 contacts in")
            let requestsBefore = try sandbox.stats()["requests"] as? Int
            try tmux.press("u")
            try tmux.waitFor(text: "Undone: 30 contacts will not be deleted; nothing was sent.")
            Thread.sleep(forTimeInterval: 4)
            #expect(try sandbox.stats()["requests"] as? Int == requestsBefore, "undo within the window sent no request")
            #expect(try sandbox.requestCount("DELETE") == 0)
            let undone = try journal(of: sandbox).filter { $0.kind == .notSent }
            #expect(undone.count == 30, "the undone deletions are journalled as such")
            #expect(undone.allSatisfy { $0.contact?["id"]?.stringValue == $0.contactID && $0.contact?["name"] != nil },
                    "each keeps the contact as it was listed")

            // Again, for real: progress, then the results panel.
            try tmux.deleteMarked(30)
            let running = try tmux.waitFor("the progress line", timeout: 20) { progressCount($0, total: 30) != nil }
            #expect(running.contains("p pause · x stop"))
            let results = try tmux.waitFor(text: "Batch results", timeout: 40)
            #expect(results.contains("Batch finished: \(30 - locked.count) deleted, \(locked.count) locked."))
            #expect(results.contains("locked: Contact cannot be deleted (has pending messages)"))

            // The server agrees: the locked ones are still there, the rest are gone.
            let after = try serverIDs(sandbox)
            for contact in pick.matches {
                #expect(after.contains(contact.uuid) == contact.hasPendingMessages, "\(contact.uuid)")
            }
            #expect(try expectJournalAgrees(with: sandbox, before: before) == 30 - locked.count)

            try tmux.press("Escape")
            try tmux.waitFor("the panel to close") { !$0.contains("Batch results") }
            try tmux.press("q")
            try tmux.waitFor("the shell to come back") { !$0.contains("Roster ·") }
        }

        @Test func killedMidBatchTheJournalAndTheServerStillAgree() throws {
            let sandbox = try SandboxProcess([
                "--dialect", "sendme123", "--contacts", "200", "--seed", "3", "--rate-limit", "20/2", "--faults", "latency=0.4",
            ])
            let before = try serverIDs(sandbox)
            let tmux = try TmuxSession()
            let command = "ROSTER_API_KEY=\(SandboxConfiguration.demoKey) \(try rosterBinary) --dialect sendme123 --base-url \(sandbox.baseURL) --undo-seconds 0"
            try tmux.run(command)
            try tmux.waitFor(text: "100 of 200 contacts loaded")
            // + marks every contact on the account: the second page loads first.
            try tmux.press("+")
            try tmux.waitFor(text: "● 200 marked")
            try tmux.deleteMarked(200)
            try tmux.waitFor("ten contacts done", timeout: 30) { (progressCount($0, total: 200) ?? 0) >= 10 }

            // SIGKILL: no chance to write anything more.
            kill(try rosterPID(in: tmux), SIGKILL)
            try tmux.run("stty sane; clear; echo KILLED")
            try tmux.waitFor(text: "KILLED")
            let killedGone = before.subtracting(try serverIDs(sandbox)).count
            #expect(killedGone > 0 && killedGone < 200, "the kill landed mid-batch (\(killedGone) gone)")

            // The restart settles what was in flight, says so, and the journal agrees.
            let records = try journal(of: sandbox)
            let answered = Set(records.filter { $0.kind == .outcome }.map(\.entry))
            let open = records.filter { $0.kind == .intent && !answered.contains($0.entry) }.count
            try tmux.run(command)
            if open > 0 {
                try tmux.waitFor(text: "\(open) request\(open == 1 ? " was" : "s were") left unsettled last time", timeout: 30)
            } else {
                try tmux.waitFor(text: "contacts loaded")
                Thread.sleep(forTimeInterval: 1)
            }
            #expect(try expectJournalAgrees(with: sandbox, before: before) == killedGone)

            // SIGTERM mid-batch: stop sending, finish the journal, restore the terminal.
            try tmux.waitFor(text: "contacts loaded")
            let total = before.count - killedGone
            try tmux.press("+")
            try tmux.waitFor(text: "● \(total) marked")
            try tmux.deleteMarked(total)
            try tmux.waitFor("five contacts done", timeout: 30) { (progressCount($0, total: total) ?? 0) >= 5 }
            kill(try rosterPID(in: tmux), SIGTERM)
            // Keys typed before it is gone would go to Roster, not the shell.
            try tmux.waitFor("the shell to come back", timeout: 20) { !$0.contains("Roster ·") }
            try tmux.run("echo EXIT=$?")
            let back = try tmux.waitFor(text: "EXIT=143", timeout: 20)
            #expect(!back.contains("Roster ·"), "the terminal was restored")
            let deleted = try expectJournalAgrees(with: sandbox, before: before)
            #expect(deleted > killedGone)
        }
    }
}
