import Foundation
import Testing
import RosterCore
@testable import RosterSandbox
import RosterTestSupport

/// A person asks to be forgotten: `roster erase` against two sandboxes, one of each dialect,
/// named as profiles, the real binary.
extension EndToEnd {
    @Suite("End to end: erasure requests")
    struct EraseEndToEndTests: SandboxKeyed {
        struct Accounts {
            var sendme: SandboxProcess
            var easify: SandboxProcess
            var environment: [String: String]
            var state: String
        }

        /// Both dialects seeded alike (the same people), and a config.toml naming them.
        func accounts() throws -> Accounts {
            let sendme = try SandboxProcess(["--dialect", "sendme123", "--contacts", "30", "--seed", "12", "--rate-limit", "1000/60"])
            let easify = try SandboxProcess(["--dialect", "easify", "--contacts", "30", "--seed", "12", "--rate-limit", "1000/60"])
            let home = try freshStateFolder("erase")
            try writeConfig(
                """
                [profiles.sm]
                dialect = "sendme123"
                base_url = "\(sendme.baseURL)"
                key_env = "ROSTER_API_KEY"

                [profiles.ez]
                dialect = "easify"
                base_url = "\(easify.baseURL)"
                key_env = "ROSTER_API_KEY"
                deactivate_fields = { additional_3 = "inactive" }
                """, configHome: home + "/config")
            let environment = key.merging(["HOME": home, "XDG_STATE_HOME": home + "/state", "XDG_CONFIG_HOME": home + "/config", "USER": "ops-a"]) { $1 }
            return Accounts(sendme: sendme, easify: easify, environment: environment, state: home + "/state")
        }

        func listed(_ profile: String, _ accounts: Accounts) throws -> [[String: Any]] {
            let list = try runProcess(try rosterBinary, ["list", "--json", "--profile", profile], environment: accounts.environment)
            return try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]] ?? []
        }

        /// Erased on both accounts, no copy left in the journal, the history or the old
        /// journal, and restore refuses the person and says why.
        @Test func aPersonIsErasedOnBothDialectsAndNothingOfThemIsKept() throws {
            let accounts = try accounts()
            let seeded = withoutDuplicates(SeedData.contacts(count: 30, seed: 12)).filter { !$0.hasPendingMessages }
            let person = try #require(seeded.first)
            let phone = "+\(person.countryCode) \(person.phone)"
            // An earlier deletion and restore of them on SendMe123: the journal holds their record.
            let deleted = try runProcess(try rosterBinary, ["delete", "--yes", "--profile", "sm", person.uuid], environment: accounts.environment)
            #expect(deleted.status == 0, "\(deleted.errorOutput)")
            let restored = try runProcess(try rosterBinary, ["restore", "--yes", "--profile", "sm", person.uuid], environment: accounts.environment)
            #expect(restored.status == 0, "\(restored.errorOutput)")
            // A query that named them, in the filter prompt's history.
            try FileManager.default.createDirectory(atPath: accounts.state + "/roster/history", withIntermediateDirectories: true)
            try "\(Int(Date().timeIntervalSince1970))\temail:\(person.email)\n\(Int(Date().timeIntervalSince1970))\tstatus:active\n"
                .write(toFile: accounts.state + "/roster/history/profile-sm.tsv", atomically: true, encoding: .utf8)
            #expect(try runProcess(try rosterBinary, ["journal", "--json"], environment: accounts.environment).output.contains(person.email))

            let erase = try runProcess(
                try rosterBinary, ["erase", "--email", person.email.uppercased(), "--phone", phone, "--all-profiles", "--yes", "--json"],
                environment: accounts.environment)
            #expect(erase.status == 0, "\(erase.errorOutput) \(erase.output)")
            let receipt = try #require(try JSONSerialization.jsonObject(with: Data(erase.output.utf8)) as? [String: Any], "\(erase.output)")
            let perAccount = try #require(receipt["accounts"] as? [[String: Any]])
            #expect(perAccount.count == 2)
            for account in perAccount {
                let contacts = account["contacts"] as? [[String: Any]] ?? []
                #expect(contacts.count == 1 && contacts.allSatisfy { $0["outcome"] as? String == "erased" }, "\(account)")
            }
            let purged = try #require(receipt["purged"] as? [String: Any])
            #expect((purged["journalRecords"] as? Int ?? 0) >= 4, "the earlier deletion and restore: \(purged)")
            #expect(purged["historyEntries"] as? Int == 1)
            #expect(!erase.output.contains(person.email) && !erase.output.contains(person.phone), "the receipt names contacts by id only")

            for profile in ["sm", "ez"] {
                #expect(try listed(profile, accounts).allSatisfy { ($0["email"] as? String)?.lowercased() != person.email.lowercased() })
            }
            let journal = try runProcess(try rosterBinary, ["journal", "--json"], environment: accounts.environment)
            #expect(!journal.output.contains(person.email) && !journal.output.contains(person.lastName), "no copy of them in the journal")
            let records = journal.output.split(separator: "\n").compactMap { JournalRecord.decode(line: String($0)) }
            let erasures = records.filter { $0.operation == "erase" && $0.kind == .intent }
            #expect(erasures.count == 2 && erasures.allSatisfy { $0.contact == nil && $0.phoneHash != nil && $0.operator == "ops-a" })
            #expect(records.filter { $0.operation == "erase" && $0.kind == .outcome }.allSatisfy { $0.result == "erased" })
            let history = try String(contentsOfFile: accounts.state + "/roster/history/profile-sm.tsv", encoding: .utf8)
            #expect(!history.contains(person.email) && history.contains("status:active"))

            let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
            let again = try runProcess(try rosterBinary, ["restore", "--yes", "--profile", "sm", "--since", today], environment: accounts.environment)
            #expect(again.errorOutput.contains("erased at the person's request"), "\(again.errorOutput)")
            #expect(!again.output.contains("restored"))
        }

        /// Both given must match: a colleague sharing the address is not erased. A contact the
        /// server will not delete (messages pending) is in the receipt as not erased, with
        /// the offer to deactivate it, which --deactivate-locked takes.
        @Test func aSharedAddressIsNotErasedAndALockedContactIsSaid() throws {
            let accounts = try accounts()
            let locked = try #require(SeedData.contacts(count: 30, seed: 12).first { $0.hasPendingMessages })
            let phone = "+\(locked.countryCode) \(locked.phone)"
            let other = try runProcess(
                try rosterBinary, ["erase", "--email", locked.email, "--phone", "+1 555 000 0000", "--profile", "sm", "--yes"],
                environment: accounts.environment)
            #expect(other.status == 0 && other.output.contains("no contact found"), "\(other.output) \(other.errorOutput)")

            let refused = try runProcess(
                try rosterBinary, ["erase", "--email", locked.email, "--phone", phone, "--profile", "sm", "--yes"], environment: accounts.environment)
            #expect(refused.status == 1)
            #expect(refused.output.contains("\(locked.uuid) not erased") && refused.output.contains("--deactivate-locked"), "\(refused.output)")
            let deactivated = try runProcess(
                try rosterBinary, ["erase", "--email", locked.email, "--phone", phone, "--profile", "sm", "--yes", "--deactivate-locked"],
                environment: accounts.environment)
            #expect(deactivated.output.contains("\(locked.uuid) deactivated"), "\(deactivated.output)")
        }
    }
}
