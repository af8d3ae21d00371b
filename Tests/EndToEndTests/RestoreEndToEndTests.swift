import Foundation
import Testing
import RosterCore
@testable import RosterSandbox
import RosterTestSupport

/// Deleted contacts re-created from the journal: the real binary against `roster sandbox`.
extension EndToEnd {
    @Suite("End to end: restoring deleted contacts")
    struct RestoreEndToEndTests: JournalledSuite {
        static let stateTag = "restore"

        func records(_ account: [String], state: String) throws -> [[String: Any]] {
            let list = try roster(["list", "--json"] + account, state: state)
            return try #require(try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]])
        }

        /// A record without what the service gives anew: its id and dates.
        func comparable(_ record: [String: Any]) -> NSDictionary {
            var fields = record
            for key in ["id", "createdAt", "updatedAt", "created_at", "updated_at"] { fields[key] = nil }
            return fields as NSDictionary
        }

        /// 20 deleted, restored by `--batch last`: the same fields under new ids; a second
        /// restore creates nothing.
        @Test(arguments: ["sendme123", "easify"])
        func twentyDeletedComeBackOnceWithTheirFields(dialect: String) throws {
            let sandbox = try SandboxProcess(["--dialect", dialect, "--contacts", "60", "--seed", "9", "--rate-limit", "1000/60"])
            let account = ["--dialect", dialect, "--base-url", sandbox.baseURL]
            let state = try freshState()
            let before = try records(account, state: state)
            // Twenty that can be deleted (SendMe123 refuses those with pending messages) and are
            // nobody's duplicate (a restore leaves one alone when its phone or email is there).
            let seeded = withoutDuplicates(SeedData.contacts(count: 60, seed: 9)).filter { !$0.hasPendingMessages }.prefix(20)
            let ids = seeded.map { dialect == "easify" ? String($0.numericID) : $0.uuid }
            let deleted = try roster(["delete", "--yes", "--ids-from", "-"] + account, state: state, input: ids.joined(separator: "\n"))
            #expect(deleted.status == 0, "\(deleted.errorOutput)")
            #expect(try records(account, state: state).count == 40)

            let listed = try roster(["restore"] + account, state: state)
            #expect(listed.errorOutput.contains("20 deleted contacts can be restored"))
            let restore = try roster(["restore", "--batch", "last", "--yes", "--json"] + account, state: state)
            #expect(restore.status == 0, "\(restore.errorOutput)")
            let lines = restore.output.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            #expect(lines.count == 20)
            #expect(lines.allSatisfy { $0["outcome"] as? String == "restored" })

            let after = try records(account, state: state)
            #expect(after.count == 60)
            let beforeByID = Dictionary(uniqueKeysWithValues: before.map { ("\($0["id"]!)", $0) })
            let afterByID = Dictionary(uniqueKeysWithValues: after.map { ("\($0["id"]!)", $0) })
            for line in lines {
                let old = try #require(beforeByID[line["id"] as? String ?? ""])
                let newID = try #require(line["newID"] as? String)
                #expect(newID != line["id"] as? String, "a new id")
                let restored = try #require(afterByID[newID], "\(newID) is on the account")
                // Easify's shared flag follows the group the contact comes back to.
                var expected = comparable(old) as! [String: Any]
                var actual = comparable(restored) as! [String: Any]
                expected["shared_contact"] = nil
                actual["shared_contact"] = nil
                #expect(NSDictionary(dictionary: actual) == NSDictionary(dictionary: expected), "\(newID) has the fields \(line["id"]!) had")
            }

            let again = try roster(["restore", "--batch", "last", "--yes"] + account, state: state)
            #expect(again.status == 0)
            #expect(again.output.isEmpty, "nothing created the second time: \(again.output)")
            #expect(try records(account, state: state).count == 60)
            let journal = try roster(["journal", "--csv"], state: state)
            #expect(journal.output.split(separator: "\n").first?.contains("new_contact_id") == true)
        }

        /// A restore killed half-way and run again neither loses nor duplicates a contact; one
        /// re-added by someone else meanwhile is found, not created twice.
        @Test func aRestoreKilledHalfWayIsFinishedWithoutDuplicates() throws {
            let sandbox = try SandboxProcess([
                "--dialect", "sendme123", "--contacts", "40", "--seed", "4", "--rate-limit", "1000/60", "--faults", "latency=0.6",
            ])
            let account = ["--dialect", "sendme123", "--base-url", sandbox.baseURL]
            let state = try freshState()
            let seeded = withoutDuplicates(SeedData.contacts(count: 40, seed: 4)).filter { !$0.hasPendingMessages }.prefix(12)
            _ = try roster(["delete", "--yes"] + seeded.map(\.uuid) + account, state: state)
            #expect(try records(account, state: state).count == 28)

            try killRoster(["restore", "--batch", "last", "--yes"] + account, state: state, when: sandbox, counts: 4, of: "POST", timeout: 30)
            let halfWay = try records(account, state: state).count
            #expect(halfWay > 28 && halfWay < 40, "killed half-way (\(halfWay) on the account)")

            let rerun = try roster(["restore", "--batch", "last", "--yes"] + account, state: state)
            #expect(rerun.status == 0, "\(rerun.errorOutput)")
            let after = try records(account, state: state)
            #expect(after.count == 40, "every one back")
            for contact in seeded where !contact.email.isEmpty {
                #expect(after.filter { ($0["email"] as? String) == contact.email }.count == 1, "\(contact.email) is back once")
            }
        }

        /// In the UI: H lists what Roster deleted, marks work there, R asks and restores.
        @Test func theHistoryViewRestoresMarkedContacts() throws {
            let sandbox = try SandboxProcess(["--dialect", "sendme123", "--contacts", "30", "--seed", "6", "--rate-limit", "1000/60"])
            let account = ["--dialect", "sendme123", "--base-url", sandbox.baseURL]
            let state = try freshState()
            let seeded = SeedData.contacts(count: 30, seed: 6).filter { !$0.hasPendingMessages }.prefix(3)
            _ = try roster(["delete", "--yes"] + seeded.map(\.uuid) + account, state: state)
            #expect(try records(account, state: state).count == 27)
            let tmux = try TmuxSession()
            try tmux.run("XDG_STATE_HOME=\(state) ROSTER_API_KEY=\(SandboxConfiguration.demoKey) \(try rosterBinary) " + account.joined(separator: " "))
            try tmux.waitFor("the list") { $0.contains("Roster ·") && $0.contains("@example") }
            try tmux.type("H")
            try tmux.waitFor(text: "3 contacts can be restored")
            try tmux.type("  ")
            try tmux.waitFor(text: "● 2 marked")
            try tmux.type("R")
            let dialog = try tmux.waitFor(text: "keep them deleted")
            #expect(dialog.contains("Restore 2 contacts?"))
            #expect(dialog.contains("Each gets a new id. Its message history"))
            try tmux.type("y")
            let restored = try tmux.waitFor("two restored", timeout: 20) { $0.components(separatedBy: "restored as").count == 3 }
            #expect(restored.contains("1 contact can be restored · 2 back on the account"), "the count follows what was restored:\n\(restored)")
            #expect(try records(account, state: state).count == 29)
            try tmux.press("Escape")
            try tmux.type("H")
            try tmux.waitFor(text: "1 contact can be restored")
            try tmux.press("Escape")
            try tmux.type("q")
        }
    }
}
