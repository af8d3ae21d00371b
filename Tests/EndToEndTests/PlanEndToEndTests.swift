import Foundation
import Testing
import RosterCore
@testable import RosterSandbox
import RosterTestSupport

/// Plans in the real binary against `roster sandbox`: made by one person, approved by
/// another, applied after the account changed.
extension EndToEnd {
    @Suite("End to end: plans")
    struct PlanEndToEndTests {
        /// A profile for the sandbox that wants a second person above 40 contacts, and a state
        /// folder of its own.
        struct Setup {
            let sandbox: SandboxProcess
            let folder: String

            init() throws {
                sandbox = try SandboxProcess(["--dialect", "sendme123", "--contacts", "120", "--seed", "5", "--rate-limit", "1000/60"])
                folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-plans-\(UUID().uuidString.prefix(8))").path
                try writeConfig(
                    """
                    [profiles.acme]
                    dialect = "sendme123"
                    base_url = "\(sandbox.baseURL)"
                    key_env = "ACME_KEY"
                    approve_over = 40
                    plan_max_age = "24h"
                    """, configHome: folder + "/config")
            }

            func roster(_ arguments: [String], user: String = "alice", input: String? = nil, config: String? = nil) throws -> ProcessResult {
                try runProcess(
                    try rosterBinary, arguments,
                    environment: [
                        "ACME_KEY": SandboxConfiguration.demoKey, "ROSTER_API_KEY": SandboxConfiguration.demoKey, "USER": user,
                        "XDG_CONFIG_HOME": config ?? folder + "/config",
                        "XDG_STATE_HOME": folder + "/state",
                    ], input: input)
            }

            func curl(_ arguments: [String]) throws -> String {
                let curl = try which("curl") ?? { throw HarnessError("curl is needed as the other client") }()
                return try runProcess(curl, ["-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "api-key: \(SandboxConfiguration.demoKey)"] + arguments).output
            }

            func journal() -> [JournalRecord] {
                (try? journalRecords(stateHome: folder + "/state")) ?? []
            }
        }

        /// The issue's check: 50 planned, 3 changed and 2 deleted by another client, then
        /// applied: 45 deleted, 3 stale, 2 already gone, the journal agreeing.
        @Test func aPlanAppliedAfterTheAccountChangedActsOnlyOnWhatIsAsPlanned() throws {
            let setup = try Setup()
            let seeded = SeedData.contacts(count: 120, seed: 5).filter { !$0.hasPendingMessages }
            let chosen = Array(seeded.prefix(50))
            let plan = setup.folder + "/cleanup.plan"
            let made = try setup.roster(["plan", "--profile", "acme", "--ids-from", "-", "-o", plan], input: chosen.map(\.uuid).joined(separator: "\n"))
            #expect(made.status == 0, "\(made.errorOutput)")
            #expect(made.errorOutput.contains("plan written to \(plan): 50 to delete, 0 skipped"))
            #expect(made.errorOutput.contains("apply it with roster apply \(plan)\n"), "the plan names its profile")
            let shown = try setup.roster(["show-plan", plan])
            #expect(shown.output.contains("made by alice"))
            #expect(shown.output.contains("intact: unchanged since it was made"))
            #expect(shown.output.contains("totals: 50 to delete, 0 skipped"))

            // Above the profile's 40, it needs a second person; the planner cannot be that person.
            let unapproved = try setup.roster(["apply", "--profile", "acme", "--yes", plan])
            #expect(unapproved.status == 1)
            #expect(unapproved.errorOutput.contains("requires a second person's approval above 40 (approve_over): someone other than alice"))
            let selfApproved = try setup.roster(["approve", "--yes", plan])
            #expect(selfApproved.status == 1)
            #expect(selfApproved.errorOutput.contains("you made this plan (alice): the approver must be someone else"))
            // The approver may look before approving: a dry run and a check send no deletion.
            let look = try setup.roster(["apply", "--dry-run", plan], user: "bob")
            #expect(look.status == 0, "\(look.errorOutput)")
            #expect(look.errorOutput.contains("not yet runnable: this plan acts on 50 contacts"))
            #expect(look.output.split(separator: "\n").filter { $0.hasPrefix("would-delete") }.count == 50)
            let checked = try setup.roster(["show-plan", "--check", plan], user: "bob")
            #expect(checked.status == 0, "\(checked.errorOutput) \(checked.output)")
            #expect(checked.output.contains("totals: 50 to delete, 0 skipped"))
            #expect(checked.output.split(separator: "\n").filter { $0.hasPrefix("would-delete") }.count == 50)
            let approved = try setup.roster(["approve", "--yes", plan], user: "bob")
            #expect(approved.status == 0, "\(approved.errorOutput)")

            // A hand-edited copy is refused.
            let edited = setup.folder + "/edited.plan"
            let text = try String(contentsOfFile: plan, encoding: .utf8)
            try text.replacingOccurrences(of: chosen[7].uuid, with: seeded[60].uuid).write(toFile: edited, atomically: true, encoding: .utf8)
            let refused = try setup.roster(["apply", "--profile", "acme", "--yes", edited], user: "bob")
            #expect(refused.status == 1)
            #expect(refused.errorOutput.contains("it was changed after it was made"))
            #expect(try setup.roster(["show-plan", edited]).output.contains("NOT INTACT"))
            // So is the plan on another account.
            let elsewhere = try setup.roster(["apply", "--dialect", "sendme123", "--base-url", setup.sandbox.baseURL, "--yes", plan], user: "bob")
            #expect(elsewhere.status == 1)
            #expect(elsewhere.errorOutput.contains("(profile acme), not for SendMe123 at \(setup.sandbox.baseURL) (profile command line)"))

            // Another client changes three and deletes two.
            for contact in chosen[10..<13] {
                let status = contact.status == "BLOCKED" ? "ACTIVE" : "BLOCKED"
                #expect(try setup.curl(["-X", "PATCH", "-H", "content-type: application/json", "-d", #"{"status":"\#(status)"}"#,
                                        "\(setup.sandbox.baseURL)/api/contacts/\(contact.uuid)"]) == "200")
            }
            for contact in chosen[20..<22] {
                #expect(try setup.curl(["-X", "DELETE", "\(setup.sandbox.baseURL)/api/contacts/\(contact.uuid)"]) == "200")
            }

            let dryRun = try setup.roster(["apply", "--profile", "acme", "--dry-run", plan], user: "carol")
            #expect(dryRun.output.split(separator: "\n").filter { $0.hasPrefix("would-delete") }.count == 45)
            let stale = try setup.roster(["show-plan", "--check", plan], user: "carol")
            #expect(stale.status == 1, "three are stale and two gone")
            #expect(stale.output.split(separator: "\n").filter { $0.hasPrefix("stale") }.count == 3)
            #expect(stale.output.split(separator: "\n").filter { $0.hasPrefix("gone") }.count == 2)

            // The plan's profile in another home pointing elsewhere: refused before any request.
            let otherHome = setup.folder + "/other-config"
            try writeConfig(
                "[profiles.acme]\ndialect = \"sendme123\"\nbase_url = \"http://127.0.0.1:9\"\nkey_env = \"ACME_KEY\"\n", configHome: otherHome)
            let misdirected = try setup.roster(["apply", "--yes", plan], user: "carol", config: otherHome)
            #expect(misdirected.status == 1)
            #expect(misdirected.errorOutput.contains("not for SendMe123 at http://127.0.0.1:9 (profile acme)"), "\(misdirected.errorOutput)")

            // As printed: no --profile, the plan names it.
            let applied = try setup.roster(["apply", "--yes", "--json", plan], user: "carol")
            #expect(applied.status == 1, "not everything was done: three were stale")
            let results = applied.output.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            #expect(results.count == 50, "one line per contact")
            func outcome(_ kind: String) -> Set<String> { Set(results.filter { $0["outcome"] as? String == kind }.compactMap { $0["id"] as? String }) }
            #expect(outcome("deleted").count == 45)
            #expect(outcome("stale") == Set(chosen[10..<13].map(\.uuid)))
            #expect(outcome("gone") == Set(chosen[20..<22].map(\.uuid)))
            #expect(applied.errorOutput.contains("45 deleted, 2 already gone, 3 stale"))

            // The journal agrees: 45 deletions of this plan, by carol, planned by alice, approved by bob.
            let records = setup.journal()
            let outcomes = Dictionary(records.filter { $0.kind == .outcome }.map { ($0.entry, $0) }) { $1 }
            let intents = records.filter { $0.kind == .intent && $0.plan != nil }
            #expect(Set(intents.map(\.contactID)) == outcome("deleted"))
            #expect(intents.allSatisfy { outcomes[$0.entry]?.result == "deleted" })
            #expect(intents.allSatisfy { $0.planner == "alice" && $0.approver == "bob" && $0.operator == "carol" })
            let left = try setup.roster(["list", "--json", "--profile", "acme"])
            let remaining = Set(((try JSONSerialization.jsonObject(with: Data(left.output.utf8)) as? [[String: Any]]) ?? []).compactMap { $0["id"] as? String })
            #expect(remaining.intersection(outcome("deleted")).isEmpty)
            #expect(outcome("stale").isSubset(of: remaining), "the changed ones are still there")
        }

        /// Signed approval, with plan files and no database: with require_signed_approval, apply
        /// (run as an operator who is not root) accepts a plan signed by its planner and another
        /// approver whose keys allowed_signers lists, and refuses one unsigned, signed by a key
        /// not listed, changed after signing, approved with the planner's own key, or checked
        /// against a signers file the operator can write.
        @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/sbin/runuser")
            && FileManager.default.isExecutableFile(atPath: "/usr/bin/ssh-keygen")))
        func signedApprovalIsVerifiedAgainstASignersFileTheOperatorCannotWrite() throws {
            let sandbox = try SandboxProcess(["--dialect", "sendme123", "--contacts", "40", "--seed", "12", "--rate-limit", "1000/60"])
            // The operator's world, readable by nobody; the signers' list, root's.
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("roster-signed-\(UUID().uuidString.prefix(8))").path
            for folder in ["", "/bin", "/config/roster", "/state", "/operator-state", "/plans", "/keys", "/etc"] {
                try FileManager.default.createDirectory(atPath: root + folder, withIntermediateDirectories: true)
                chmod(root + folder, folder == "/keys" || folder == "/etc" ? 0o755 : 0o777)
            }
            try FileManager.default.copyItem(atPath: try rosterBinary, toPath: root + "/bin/roster")
            chmod(root + "/bin/roster", 0o755)
            func keygen(_ arguments: [String]) throws {
                let run = try runProcess("/usr/bin/ssh-keygen", arguments)
                #expect(run.status == 0, "\(run.errorOutput)")
            }
            for name in ["alice", "bob", "mallory"] { try keygen(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", root + "/keys/" + name]) }
            func publicKey(_ name: String) throws -> String { try String(contentsOfFile: root + "/keys/\(name).pub", encoding: .utf8) }
            let signers = root + "/etc/allowed_signers"
            try ("alice@team namespaces=\"roster-plan\" " + publicKey("alice") + "bob@team namespaces=\"roster-plan\" " + publicKey("bob"))
                .write(toFile: signers, atomically: true, encoding: .utf8)
            chmod(signers, 0o644)
            try writeConfig(
                """
                [profiles.acme]
                dialect = "sendme123"
                base_url = "\(sandbox.baseURL)"
                key_env = "ACME_KEY"
                require_signed_approval = true
                allowed_signers = "\(signers)"
                """, configHome: root + "/config")
            chmod(root + "/config/roster/config.toml", 0o644)
            let environment = [
                "ACME_KEY": SandboxConfiguration.demoKey, "XDG_CONFIG_HOME": root + "/config", "XDG_STATE_HOME": root + "/state", "HOME": root,
            ]
            /// Plans are made and approved by root here (keys are root's); apply runs as nobody.
            func roster(_ arguments: [String], user: String) throws -> ProcessResult {
                try runProcess(root + "/bin/roster", arguments, environment: environment.merging(["USER": user]) { $1 })
            }
            func apply(_ plan: String) throws -> ProcessResult {
                chmod(plan, 0o644)
                // The operator's own journal: the planner's (root's) is not theirs to write.
                let env = environment.merging(["USER": "carol", "XDG_STATE_HOME": root + "/operator-state"]) { $1 }.map { "\($0.key)=\($0.value)" }
                return try runProcess("/usr/sbin/runuser", ["-u", "nobody", "--", "/usr/bin/env"] + env + [root + "/bin/roster", "apply", "--yes", plan])
            }
            var ids = SeedData.contacts(count: 40, seed: 12).filter { !$0.hasPendingMessages }.map(\.uuid)
            func plan(_ name: String, signedBy key: String?) throws -> String {
                let path = root + "/plans/\(name).plan"
                let made = try runProcess(root + "/bin/roster", ["plan", "--profile", "acme", "-o", path, ids.removeFirst()]
                    + (key.map { ["--sign", root + "/keys/\($0)"] } ?? []), environment: environment.merging(["USER": "alice"]) { $1 })
                #expect(made.status == 0, "\(made.errorOutput)")
                return path
            }
            func approve(_ path: String, as user: String, key: String) throws {
                let approved = try roster(["approve", "--yes", "--sign", root + "/keys/\(key)", path], user: user)
                #expect(approved.status == 0, "\(approved.errorOutput)")
            }

            let good = try plan("good", signedBy: "alice")
            try approve(good, as: "bob", key: "bob")
            #expect(try roster(["show-plan", good], user: "bob").output.contains("signatures: planner (ssh-ed25519), approver (ssh-ed25519)"))
            let accepted = try apply(good)
            #expect(accepted.status == 0, "\(accepted.errorOutput)")
            #expect(accepted.errorOutput.contains("signed by alice@team (planner) and bob@team (approver)"))
            #expect(accepted.errorOutput.contains("1 deleted"))

            let unsigned = try plan("unsigned", signedBy: nil)
            try approve(unsigned, as: "bob", key: "bob")
            #expect(try apply(unsigned).errorOutput.contains("it is not signed by its planner"))

            let stranger = try plan("stranger", signedBy: "alice")
            try approve(stranger, as: "mallory", key: "mallory")
            #expect(try apply(stranger).errorOutput.contains("the approval's signature is refused: its key is not in \(signers)"))

            let selfApproved = try plan("self", signedBy: "alice")
            try approve(selfApproved, as: "bob", key: "alice")
            #expect(try apply(selfApproved).errorOutput.contains("it is approved by its own planner (alice@team signed both)"))

            // The approver's signature moved onto another plan: it vouches for that one only.
            let other = try plan("other", signedBy: "alice")
            try approve(other, as: "bob", key: "bob")
            let text = try String(contentsOfFile: good, encoding: .utf8)
            let goodSignature = try #require(text.range(of: #""approver" : \{[^}]*\}"#, options: .regularExpression).map { String(text[$0]) })
            var otherText = try String(contentsOfFile: other, encoding: .utf8)
            let otherRange = try #require(otherText.range(of: #""approver" : \{[^}]*\}"#, options: .regularExpression))
            otherText.replaceSubrange(otherRange, with: goodSignature)
            try otherText.write(toFile: other, atomically: true, encoding: .utf8)
            #expect(try apply(other).errorOutput.contains("the approval's signature is refused: it does not verify"))

            // A signers file the operator can write is no list of who may approve.
            let writable = try plan("writable", signedBy: "alice")
            try approve(writable, as: "bob", key: "bob")
            chown(signers, 65534, 65534)
            let refused = try apply(writable)
            #expect(refused.status == 1)
            #expect(refused.errorOutput.contains("can be written by you"), "\(refused.errorOutput)")
            #expect(try sandbox.requestCount("DELETE") == 1, "only the good plan deleted anything")
        }

        /// A plan made without a profile prints the command that applies it in full, and that
        /// command runs as printed; the bare `roster apply FILE` names it.
        @Test func aPlanWithoutAProfileNamesTheWholeCommand() throws {
            let setup = try Setup()
            let plan = setup.folder + "/by hand.plan"
            let ids = SeedData.contacts(count: 120, seed: 5).filter { !$0.hasPendingMessages }.prefix(3).map(\.uuid)
            let made = try setup.roster(
                ["plan", "--dialect", "sendme123", "--base-url", setup.sandbox.baseURL, "--ids-from", "-", "-o", plan], input: ids.joined(separator: "\n"))
            #expect(made.status == 0, "\(made.errorOutput)")
            let printed = "roster apply --dialect sendme123 --base-url \(setup.sandbox.baseURL) '\(plan)'"
            #expect(made.errorOutput.contains("apply it with \(printed)"), "\(made.errorOutput)")
            let bare = try setup.roster(["apply", "--yes", plan])
            #expect(bare.status == 2)
            #expect(bare.errorOutput.contains("this plan was made without a profile; run it as \(printed)"))
            let asPrinted = try runProcess("/bin/sh", ["-c", printed.replacingOccurrences(of: "roster ", with: "'\(try rosterBinary)' ", options: .anchored) + " --yes"],
                environment: ["ROSTER_API_KEY": SandboxConfiguration.demoKey, "USER": "alice", "XDG_CONFIG_HOME": setup.folder + "/config", "XDG_STATE_HOME": setup.folder + "/state"])
            #expect(asPrinted.status == 0, "\(asPrinted.errorOutput)")
            #expect(asPrinted.errorOutput.contains("3 deleted"))
        }

        /// In the UI: P in the batch confirmation writes a plan of the marks instead of deleting,
        /// and --plan opens it for review, read-only, its contacts marked.
        @Test func theUIWritesAPlanAndOpensOneForReview() throws {
            let setup = try Setup()
            let tmux = try TmuxSession(width: 120, height: 30)
            let environment = "ACME_KEY=\(SandboxConfiguration.demoKey) USER=alice XDG_CONFIG_HOME=\(setup.folder)/config XDG_STATE_HOME=\(setup.folder)/state"
            try tmux.run("cd \(setup.folder) && \(environment) \(try rosterBinary) --profile acme")
            try tmux.waitFor(text: "contacts loaded")
            try tmux.filter("status:inactive|status:blocked")
            try tmux.press("+")
            let marked = try tmux.waitFor("the marks") { $0.range(of: #"● \d+ marked"#, options: .regularExpression) != nil && $0.contains("across the account") }
            let count = Int(marked[marked.range(of: #"● \d+ marked"#, options: .regularExpression)!].dropFirst(2).split(separator: " ")[0])!
            try tmux.press("d")
            try tmux.waitFor(text: "P writes a plan of this instead")
            try tmux.type("P")
            let saved = try tmux.waitFor(text: "Nothing deleted: the plan (", timeout: 30)
            #expect(saved.contains("to delete"))
            try tmux.press("q")
            try tmux.waitFor("the shell") { !$0.contains("Roster ·") }
            let files = try FileManager.default.contentsOfDirectory(atPath: setup.folder).filter { $0.hasPrefix("roster-plan-") }
            #expect(files.count == 1)
            let path = setup.folder + "/" + (files.first ?? "")
            let shown = try setup.roster(["show-plan", path])
            #expect(shown.output.contains("from marks in the UI"))
            #expect(shown.output.contains("totals: \(count) to delete"), "\(shown.output)")

            try tmux.run("clear; \(environment) \(try rosterBinary) --profile acme --plan \(path)")
            let review = try tmux.waitFor(text: "filter “marked:yes”: \(count) of")
            #expect(review.contains("PLAN by alice"))
            #expect(review.contains("review only"))
            #expect(review.contains("READ-ONLY"))
            try tmux.press("d")
            #expect(try !tmux.screen().contains("Delete \(count) marked"), "nothing is deleted from a review")
            try tmux.press("q")
        }
    }
}
