import Foundation
import Testing
@testable import RosterSandbox
import RosterTestSupport

/// The headless commands, run as a script would run them, against `roster sandbox`.
extension EndToEnd {
    @Suite("End to end: headless commands against roster sandbox")
    struct HeadlessTests: HeadlessSuite {
        /// Issue: `--where status:inactve` printed only a header and exited 0, where the UI says
        /// "no loaded contact has …"; and one match read "1 contact match".
        @Test func aStatusNoContactHasIsSaidOnStandardError() throws {
            let sandbox = try SandboxProcess(["--dialect", "sendme123", "--contacts", "40", "--rate-limit", "1000/60"])
            let account = ["--dialect", "sendme123", "--base-url", sandbox.baseURL]
            let list = try roster(["list", "--where", "status:inactve"] + account)
            #expect(list.status == 0)
            #expect(list.errorOutput.contains("no contact on the account has status “inactve” (they have "), "\(list.errorOutput)")
            let delete = try roster(["delete", "--dry-run", "--where", "status:inactve"] + account)
            #expect(delete.errorOutput.contains("0 contacts match status:inactve"), "\(delete.errorOutput)")
            #expect(delete.errorOutput.contains("no contact on the account has status “inactve”"), "\(delete.errorOutput)")
            let known = try roster(["list", "--where", "status:inactive"] + account)
            #expect(!known.errorOutput.contains("no contact on the account has"), "\(known.errorOutput)")
            let one = SeedData.contacts(count: 40, seed: 1)[0]
            let single = try roster(["delete", "--dry-run", "--where", "id:\(one.uuid)"] + account)
            #expect(single.errorOutput.contains("1 contact matches id:\(one.uuid)"), "\(single.errorOutput)")
        }

        /// Issue: `delete --where` asked "About to delete 1 contact … Type yes" without naming
        /// anyone. It names the first ten (name, phone, id) and how many more, on the terminal.
        @Test func deleteWhereNamesWhomItIsAboutToDelete() throws {
            let sandbox = try SandboxProcess(["--dialect", "sendme123", "--contacts", "60", "--rate-limit", "1000/60"])
            let matching = SeedData.contacts(count: 60, seed: 1).filter { $0.status == "ACTIVE" }
            #expect(matching.count > 10)
            let tmux = try TmuxSession(width: 160, height: 30)
            try tmux.run(
                "ROSTER_API_KEY=\(SandboxConfiguration.demoKey) \(try rosterBinary) delete --where status:active "
                    + "--dialect sendme123 --base-url \(sandbox.baseURL)")
            let asked = try tmux.waitFor(text: "Type yes to continue", timeout: 30)
            #expect(asked.contains("About to delete \(matching.count) contacts from SendMe123"), "\(asked)")
            // Ten of them, in the server's order, each with its name beside its id.
            let named = matching.filter { asked.contains($0.uuid) }
            #expect(named.count == 10, "ten named in «\(asked)»")
            for contact in named {
                let line = asked.split(separator: "\n").first { $0.contains(contact.uuid) } ?? ""
                #expect(line.contains(contact.firstName), "«\(line)» names \(contact.firstName)")
            }
            #expect(asked.contains("… and \(matching.count - 10) more"))
            try tmux.type("no")
            try tmux.press("Enter")
            try tmux.waitFor(text: "nothing deleted")
            #expect(try sandbox.requestCount("DELETE") == 0)
        }

        @Test func listGetAndDeleteOnSendMe123() throws {
            let sandbox = try SandboxProcess(["--dialect", "sendme123", "--contacts", "40", "--rate-limit", "1000/60"])
            let account = ["--dialect", "sendme123", "--base-url", sandbox.baseURL]
            let seeded = SeedData.contacts(count: 40, seed: 1)
            let deletable = seeded.filter { !$0.hasPendingMessages }
            let pending = try #require(seeded.first { $0.hasPendingMessages })

            let list = try roster(["list", "--json"] + account)
            #expect(list.status == 0)
            let records = try #require(try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]])
            #expect(records.count == 40)
            #expect(records.map { $0["id"] as? String } == seeded.map(\.uuid))
            let table = try roster(["list", "--page-size", "7"] + account)
            #expect(table.output.split(separator: "\n").count == 41, "a header and 40 rows, across 6 pages")

            let get = try roster(["get", deletable[0].uuid, "--verbose"] + account)
            #expect(get.status == 0)
            #expect(get.errorOutput.contains("roster: API headroom: 992/1000 left"), "eight requests so far: 1 + 6 list pages, 1 get")
            #expect(get.errorOutput.contains("(server figures)"))
            #expect(get.output.contains("email"))
            #expect(get.output.contains(deletable[0].email))

            // Without --yes and without a terminal, nothing is deleted.
            let setsid = try #require(which("setsid"))
            let refused = try runProcess(setsid, ["--wait", try rosterBinary, "delete", deletable[0].uuid] + account, environment: key)
            #expect(refused.status == 2)
            #expect(refused.errorOutput.contains("refusing to delete without --yes"))
            #expect(try roster(["get", deletable[0].uuid] + account).status == 0)

            let dryRun = try roster(["delete", "--dry-run", deletable[0].uuid, pending.uuid] + account)
            #expect(dryRun.status == 0)
            #expect(dryRun.errorOutput.contains("DRY RUN: nothing will be deleted"))
            #expect(dryRun.output.hasPrefix("would-delete  \(deletable[0].uuid)  \(deletable[0].firstName)"))
            #expect(try roster(["get", deletable[0].uuid] + account).status == 0, "still there after a dry run")

            let missing = "00000000-0000-4000-8000-000000000000"
            let batch = try roster(["delete", "--yes", deletable[0].uuid, pending.uuid, missing, deletable[1].uuid] + account)
            let lines = batch.output.split(separator: "\n").map(String.init)
            #expect(lines.count == 4)
            #expect(lines[0].hasPrefix("deleted  \(deletable[0].uuid)  200"))
            #expect(lines[1] == "refused  \(pending.uuid)  409 Contact cannot be deleted (has pending messages)")
            #expect(lines[2].hasPrefix("gone     \(missing)"))
            #expect(lines[3].hasPrefix("deleted  \(deletable[1].uuid)"))
            #expect(batch.status == 1, "one contact was refused")
            #expect(batch.errorOutput.contains("2 deleted, 1 already gone, 1 refused"))

            let file = FileManager.default.temporaryDirectory.appendingPathComponent("roster-ids-\(UUID().uuidString).txt")
            try "# ticket 123\n\(deletable[2].uuid)\n\n\(deletable[0].uuid)\n".write(to: file, atomically: true, encoding: .utf8)
            let fromFile = try roster(["delete", "--yes", "--json", "--ids-from", file.path] + account)
            #expect(fromFile.status == 0, "deleted or already gone counts as success")
            let outcomes = fromFile.output.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            #expect(outcomes.map { $0["outcome"] as? String } == ["deleted", "gone"])
            #expect(outcomes.first?["id"] as? String == deletable[2].uuid)

            let remaining = try roster(["list", "--json"] + account)
            #expect((try JSONSerialization.jsonObject(with: Data(remaining.output.utf8)) as? [Any])?.count == 37)

            // The journal kept every deletion, with the contact's record, in a private file.
            let journal = try roster(["journal"])
            #expect(journal.output.contains("\(deletable[0].uuid)  \(deletable[0].firstName) \(deletable[0].lastName)  → deleted 200"))
            #expect(journal.output.contains("\(pending.uuid)  \(pending.firstName) \(pending.lastName)  → refused 409"))
            let csv = try roster(["journal", "--csv"])
            #expect(csv.output.contains(deletable[1].email), "the CSV holds the snapshot's fields")
            let attributes = try FileManager.default.attributesOfItem(atPath: scratchStateHome + "/roster/journal.db")
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }

        @Test func aWrongKeyIsExplainedWithWhereItCameFrom() throws {
            let sandbox = try SandboxProcess(["--dialect", "sendme123", "--contacts", "3"])
            let result = try roster(["list", "--dialect", "sendme123", "--base-url", sandbox.baseURL], environment: ["ROSTER_API_KEY": "wrong"])
            #expect(result.status == 1)
            #expect(result.errorOutput.contains("401: Missing or invalid API key"))
            #expect(result.errorOutput.contains("environment variable ROSTER_API_KEY"))
            let noKey = try roster(["list", "--dialect", "sendme123", "--base-url", sandbox.baseURL], environment: ["ROSTER_API_KEY": ""])
            #expect(noKey.status == 2)
            #expect(noKey.errorOutput.contains("no API key"))
        }

        @Test func profilesNameTheDialectURLAndKeyVariable() throws {
            let sandbox = try SandboxProcess(["--dialect", "easify", "--contacts", "12", "--api-key", "profile-key"])
            let config = FileManager.default.temporaryDirectory.appendingPathComponent("roster-config-\(UUID().uuidString)")
            try writeConfig(
                """
                [profiles.support]
                dialect = "easify"
                base_url = "\(sandbox.baseURL)"
                key_env = "SUPPORT_EASIFY_TOKEN"
                """, configHome: config.path)
            let environment = ["XDG_CONFIG_HOME": config.path, "SUPPORT_EASIFY_TOKEN": "profile-key"]
            let list = try roster(["list", "--profile", "support", "--max", "3"], environment: environment)
            #expect(list.status == 0)
            #expect(list.output.contains("2812012"))

            let get = try roster(["get", "2812005", "--profile", "support"], environment: environment)
            #expect(get.status == 0)
            #expect(get.errorOutput.contains("has no single-contact look-up"))
            #expect(get.output.contains("2812005"))

            let delete = try roster(["delete", "--yes", "2812005", "--profile", "support"], environment: environment)
            #expect(delete.status == 0)
            #expect(delete.output.hasPrefix("deleted  2812005  200 "))
            #expect(delete.output.contains(": Contact deleted successfully"), "named from the list's record")
            // Easify has no look-up: the journal's record comes from the list, whole.
            let intent = try journalRecords().first { $0.kind == .intent && $0.baseURL == sandbox.baseURL && $0.contactID == "2812005" }
            #expect(intent?.contact?["first_name"] != nil && intent?.contact?["email_address"] != nil)
            let again = try roster(["delete", "--yes", "2812005", "--profile", "support"], environment: environment)
            #expect(again.status == 1)
            #expect(again.output.contains("refused  2812005  400 Invalid contact id"))

            let unknown = try roster(["list", "--profile", "nope"], environment: environment)
            #expect(unknown.status == 2)
            #expect(unknown.errorOutput.contains("no profile 'nope' (profiles: support)"))

            // A typo at the top of the file, or in a table's name, is said, never ignored.
            let file = config.appendingPathComponent("roster/config.toml")
            let profile = try String(contentsOf: file, encoding: .utf8)
            for (typo, said) in [
                ("mose = false\n", "unknown setting 'mose' at the top (known: cursor, filters, journal_retention, mouse, profiles)"),
                ("[filterz]\nstale = \"status:inactive\"\n", "unknown table [filterz]"),
                ("mouse = fals\n", "line 1:"),
            ] {
                try (typo + profile).write(to: file, atomically: true, encoding: .utf8)
                let run = try roster(["list", "--profile", "support", "--max", "1"], environment: environment)
                #expect(run.status == 2, "\(typo)")
                #expect(run.errorOutput.contains(said), "\(run.errorOutput)")
                #expect(run.errorOutput.split(separator: "\n").count == 1, "one line: \(run.errorOutput)")
            }
        }
    }
}

extension EndToEnd {
    @Suite("End to end: a headless delete through injected faults")
    struct FaultTests {
        @Test func everyContactIsAccountedFor() throws {
            let sandbox = try SandboxProcess([
                "--dialect", "sendme123", "--contacts", "300", "--rate-limit", "100000/60",
                "--faults", "500=0.08,malformed=0.04,drop=0.04,truncate=0.04,latency=0.01",
            ])
            let account = ["--dialect", "sendme123", "--base-url", sandbox.baseURL]
            let key = ["ROSTER_API_KEY": SandboxConfiguration.demoKey]
            let seeded = SeedData.contacts(count: 300, seed: 1)
            let ids = seeded.map(\.uuid).joined(separator: "\n")
            let run = try runProcess(try rosterBinary, ["delete", "--yes", "--json", "--ids-from", "-"] + account, environment: key, input: ids)
            #expect(run.status == 0 || run.status == 1, "ended normally: \(run.errorOutput)")
            let outcomes = run.output.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            #expect(outcomes.count == 300, "one result per contact")
            #expect(outcomes.map { $0["id"] as? String } == seeded.map(\.uuid), "in the order given")
            for outcome in outcomes where ["failed", "refused", "unknown"].contains(outcome["outcome"] as? String) {
                #expect(!((outcome["message"] as? String) ?? "").isEmpty, "a failure has a reason")
            }
            // "refused" is the server's real refusal (4xx); a 500, a proxy's 502, a dropped or cut
            // answer to a DELETE may have been carried out: unknown, never refused.
            for outcome in outcomes where (outcome["status"] as? Int ?? 0) >= 500 {
                #expect(["failed", "unknown"].contains(outcome["outcome"] as? String), "\(outcome)")
            }

            // The sandbox agrees: every contact reported deleted or gone is gone; every one
            // refused with 409 is still there.
            var remaining: Set<String> = []
            for _ in 0..<5 where remaining.isEmpty {
                let list = try runProcess(try rosterBinary, ["list", "--json"] + account, environment: key)
                if list.status == 0, let records = try? JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]] {
                    remaining = Set(records.compactMap { $0["id"] as? String })
                    break
                }
            }
            #expect(!remaining.isEmpty)
            for outcome in outcomes {
                let id = outcome["id"] as? String ?? ""
                switch outcome["outcome"] as? String {
                case "deleted", "gone": #expect(!remaining.contains(id), "\(id) reported \(outcome["outcome"]!) but is still there")
                case "failed": #expect(remaining.contains(id), "\(id) reported failed (nothing done) but is gone")
                case "refused" where outcome["status"] as? Int == 409: #expect(remaining.contains(id))
                default: break
                }
            }
            let pending = Set(seeded.filter(\.hasPendingMessages).map(\.uuid))
            #expect(outcomes.filter { pending.contains($0["id"] as? String ?? "") }.allSatisfy { $0["outcome"] as? String != "deleted" })
        }
    }
}

extension EndToEnd {
    @Suite("End to end: an interrupted session is reconciled on the next start")
    struct ReconcileTests {
        @Test func intentsWithoutOutcomesAreLookedUpAndSettled() throws {
            let sandbox = try SandboxProcess(["--dialect", "sendme123", "--contacts", "12", "--seed", "5"])
            let seeded = SeedData.contacts(count: 12, seed: 5)
            let stillThere = seeded[2].uuid
            let alreadyGone = "00000000-0000-4000-8000-00000000dead"
            let state = FileManager.default.temporaryDirectory.appendingPathComponent("roster-reconcile-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: state.appendingPathComponent("roster"), withIntermediateDirectories: true)
            func intent(_ entry: String, _ id: String) -> String {
                #"{"at":"2026-11-22T10:00:00Z","baseURL":"\#(sandbox.baseURL)","contact":{"id":"\#(id)"},"contactID":"\#(id)","dialect":"sendme123","entry":"\#(entry)","kind":"intent","operation":"delete","operator":"ana","profile":"command line"}"#
            }
            try [intent("A", stillThere), intent("B", alreadyGone)].joined(separator: "\n")
                .appending("\n").write(to: state.appendingPathComponent("roster/journal.jsonl"), atomically: true, encoding: .utf8)
            let environment = ["ROSTER_API_KEY": SandboxConfiguration.demoKey, "XDG_STATE_HOME": state.path]
            let account = ["--dialect", "sendme123", "--base-url", sandbox.baseURL]
            let deletable = try #require(seeded.first { !$0.hasPendingMessages && $0.uuid != stillThere })
            let run = try runProcess(try rosterBinary, ["delete", "--yes", deletable.uuid] + account, environment: environment)
            #expect(run.errorOutput.contains("the old journal journal.jsonl was imported"), "\(run.errorOutput)")
            #expect(run.errorOutput.contains("2 requests were left unsettled last time (interrupted, or unanswered): 1 done, 1 not done (see roster journal)."))
            let journal = try runProcess(try rosterBinary, ["journal"], environment: environment)
            #expect(journal.output.contains("\(stillThere)    → not done 200 reconciled: the contact is still there"))
            #expect(journal.output.contains("\(alreadyGone)    → deleted 404 reconciled: the look-up says it is gone"))
            let again = try runProcess(try rosterBinary, ["delete", "--yes", deletable.uuid] + account, environment: environment)
            #expect(!again.errorOutput.contains("unsettled"), "settled once, not reported again")
        }
    }
}
