import Foundation
import Testing
import RosterCore
@testable import RosterSandbox
import RosterTestSupport

/// Two operators, two homes, one team journal in PostgreSQL: the real binary against
/// `roster sandbox` and a throwaway PostgreSQL cluster on loopback.
extension EndToEnd {
    @Suite("End to end: a team's journal in PostgreSQL", .enabled(if: PostgresCluster.isAvailable, "PostgreSQL is not installed here"))
    struct TeamJournalEndToEndTests: SandboxKeyed {
        /// One account on a sandbox and a team store for it: a fresh database on the test
        /// cluster (its own, stopped at the end, where the test stops the cluster), a sandbox
        /// seeded from `seed`, and the options that name the account.
        struct TeamAccount {
            let cluster: PostgresCluster
            let url: String
            let sandbox: SandboxProcess
            let account: [String]

            init(
                _ database: String, dialect: String = "sendme123", contacts: Int = 30, seed: Int = 5, rateLimit: String = "1000/60",
                faults: [String] = [], dedicatedCluster: Bool = false
            ) throws {
                cluster = try dedicatedCluster ? PostgresCluster.dedicated() : PostgresCluster.shared()
                url = try cluster.makeDatabase(database)
                sandbox = try SandboxProcess(
                    ["--dialect", dialect, "--contacts", "\(contacts)", "--seed", "\(seed)", "--rate-limit", rateLimit] + faults)
                account = ["--dialect", dialect, "--base-url", sandbox.baseURL]
            }
        }

        /// An operator on their own host: their own home and state folder, their `$USER`,
        /// the team's store.
        func operatorEnvironment(_ name: String, url: String, cluster: PostgresCluster) throws -> [String: String] {
            let home = try freshStateFolder("team-\(name)")
            return key.merging([
                "HOME": home, "XDG_STATE_HOME": home + "/state", "XDG_CONFIG_HOME": home + "/config", "USER": name,
                "ROSTER_JOURNAL_URL": url, "PGPASSWORD": cluster.password,
            ]) { $1 }
        }

        /// Operator A deletes; operator B, in another home, sees it in the team's journal with
        /// A as the operator, and restores it with `restore --since`.
        @Test(arguments: ["sendme123", "easify"])
        func oneOperatorRestoresWhatAnotherDeleted(dialect: String) throws {
            let team = try TeamAccount("team", dialect: dialect)
            let (cluster, url, account) = (team.cluster, team.url, team.account)
            let opsA = try operatorEnvironment("ops-a", url: url, cluster: cluster)
            let opsB = try operatorEnvironment("ops-b", url: url, cluster: cluster)
            let seeded = withoutDuplicates(SeedData.contacts(count: 30, seed: 5)).filter { !$0.hasPendingMessages }.prefix(3)
            let ids = seeded.map { dialect == "easify" ? String($0.numericID) : $0.uuid }

            let deleted = try runProcess(
                try rosterBinary, ["delete", "--yes", "--ids-from", "-"] + account, environment: opsA, input: ids.joined(separator: "\n"))
            #expect(deleted.status == 0, "\(deleted.errorOutput)")
            #expect(!FileManager.default.fileExists(atPath: opsA["XDG_STATE_HOME"]! + "/roster/journal.db"), "A's journal is the team's, not a file")

            let journal = try runProcess(try rosterBinary, ["journal", "--json"], environment: opsB)
            #expect(journal.status == 0, "\(journal.errorOutput)")
            let records = journal.output.split(separator: "\n").compactMap { JournalRecord.decode(line: String($0)) }
            #expect(records.filter { $0.kind == .intent }.map(\.contactID).sorted() == ids.sorted())
            #expect(records.allSatisfy { $0.operator == "ops-a" }, "\(records.map(\.operator))")
            #expect(journal.output.contains("\"operator\":\"ops-a\""))
            let text = try runProcess(try rosterBinary, ["journal", "--operator", "ops-a"], environment: opsB)
            #expect(text.output.split(separator: "\n").count == 3 && text.output.contains("ops-a@"), "\(text.output)")

            let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
            let restored = try runProcess(try rosterBinary, ["restore", "--since", today, "--yes", "--json"] + account, environment: opsB)
            #expect(restored.status == 0, "\(restored.errorOutput)")
            let lines = restored.output.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            #expect(lines.count == 3 && lines.allSatisfy { $0["outcome"] as? String == "restored" }, "\(restored.output)")
            let list = try runProcess(try rosterBinary, ["list", "--json"] + account, environment: opsA)
            #expect((try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [Any])?.count == 30, "all back on the account")

            // Both see who did what, and A's next restore finds nothing left to do.
            let after = try runProcess(try rosterBinary, ["journal", "--operator", "ops-b"], environment: opsA)
            #expect(after.output.split(separator: "\n").count == 3 && after.output.contains("ops-b@"), "\(after.output)")
            let again = try runProcess(try rosterBinary, ["restore", "--since", today, "--yes"] + account, environment: opsA)
            #expect(again.status == 0 && again.output.isEmpty, "nothing restored twice: \(again.output)")
        }

        /// Starts `roster` with `arguments` as the operator `environment` describes, without
        /// waiting; `finish` waits and returns what it printed.
        func start(_ arguments: [String], _ environment: [String: String]) throws -> () -> ProcessResult {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try rosterBinary)
            process.arguments = arguments
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let output = Pipe()
            let errors = Pipe()
            process.standardOutput = output
            process.standardError = errors
            process.standardInput = FileHandle.nullDevice
            try process.run()
            return {
                let out = output.fileHandleForReading.readDataToEndOfFile()
                let err = errors.fileHandleForReading.readDataToEndOfFile()
                process.waitUntilExit()
                return ProcessResult(
                    status: process.terminationStatus, output: String(decoding: out, as: UTF8.self), errorOutput: String(decoding: err, as: UTF8.self))
            }
        }

        /// Two operators delete the same contacts at once, then restore them at once: each
        /// contact is worked by one of them (the other says who has it), and none comes back twice.
        @Test func twoOperatorsAtOnceNeverWorkTheSameContact() throws {
            let team = try TeamAccount("claims", faults: ["--faults", "latency=0.4"])
            let (cluster, url, account) = (team.cluster, team.url, team.account)
            let opsA = try operatorEnvironment("ops-a", url: url, cluster: cluster)
            let opsB = try operatorEnvironment("ops-b", url: url, cluster: cluster)
            let ids = withoutDuplicates(SeedData.contacts(count: 30, seed: 5)).filter { !$0.hasPendingMessages }.prefix(6).map(\.uuid)

            let deleteA = try start(["delete", "--yes"] + ids + account, opsA)
            let deleteB = try start(["delete", "--yes"] + ids + account, opsB)
            let deleted = [deleteA(), deleteB()]
            let said = deleted.map { $0.output + $0.errorOutput }.joined(separator: "\n")
            #expect(said.contains("being deleted by ops-"), "\(said)")
            #expect(!said.contains("failed"), "\(said)")
            let list = try runProcess(try rosterBinary, ["list", "--json"] + account, environment: opsA)
            #expect((try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [Any])?.count == 24)

            let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
            let restoreA = try start(["restore", "--since", today, "--yes", "--json"] + account, opsA)
            let restoreB = try start(["restore", "--since", today, "--yes", "--json"] + account, opsB)
            let restored = [restoreA(), restoreB()]
            let lines = restored.flatMap { $0.output.split(separator: "\n") }.compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            let created = lines.filter { $0["outcome"] as? String == "restored" }.compactMap { $0["id"] as? String }
            #expect(created.sorted() == ids.sorted(), "each restored once, by one of them: \(restored.map(\.output))")
            let after = try runProcess(try rosterBinary, ["list", "--json"] + account, environment: opsB)
            #expect((try JSONSerialization.jsonObject(with: Data(after.output.utf8)) as? [Any])?.count == 30, "no contact came back twice")
        }

        /// Two operators' batches on one account share its rate limit through the team's store:
        /// together they get no 429.
        @Test func twoOperatorsShareTheRateLimitWithoutA429() throws {
            let team = try TeamAccount("quota", contacts: 120, seed: 8, rateLimit: "20/4")
            let (cluster, url, sandbox, account) = (team.cluster, team.url, team.sandbox, team.account)
            let ids = SeedData.contacts(count: 120, seed: 8).filter { !$0.hasPendingMessages }.map(\.uuid)
            let runs = try [("ops-a", ids.prefix(25)), ("ops-b", ids.dropFirst(25).prefix(25))].map { name, mine in
                try start(["delete", "--yes"] + Array(mine) + account, try operatorEnvironment(name, url: url, cluster: cluster))
            }
            let results = runs.map { $0() }
            for result in results { #expect(result.status == 0, "\(result.errorOutput)") }
            let stats = try sandbox.stats()
            #expect(stats["rateLimited"] as? Int == 0, "\(stats)")
            #expect(stats["deleted"] as? Int == 50)
        }

        /// A colleague who only looks (get, list) while a batch runs takes places of the
        /// account's window in the team's store too: the batch is not refused for them.
        @Test func aColleagueLookingUpDuringABatchDrawsNo429() throws {
            let team = try TeamAccount("lookups", contacts: 120, seed: 8, rateLimit: "10/4")
            let (cluster, url, sandbox, account) = (team.cluster, team.url, team.sandbox, team.account)
            let ids = SeedData.contacts(count: 120, seed: 8).filter { !$0.hasPendingMessages }.map(\.uuid)
            let batch = try start(["delete", "--yes"] + Array(ids.prefix(12)) + account, try operatorEnvironment("ops-a", url: url, cluster: cluster))
            let colleague = try operatorEnvironment("ops-b", url: url, cluster: cluster)
            for id in ids.dropFirst(12).prefix(8) {
                let looked = try runProcess(try rosterBinary, ["get", id] + account, environment: colleague)
                #expect(looked.status == 0, "\(looked.errorOutput)")
            }
            let listed = try runProcess(try rosterBinary, ["list", "--max", "3"] + account, environment: colleague)
            #expect(listed.status == 0, "\(listed.errorOutput)")
            let deleted = batch()
            #expect(deleted.status == 0, "\(deleted.errorOutput)")
            let stats = try sandbox.stats()
            #expect(stats["rateLimited"] as? Int == 0, "\(stats)")
            #expect(stats["deleted"] as? Int == 12)
        }

        /// A plan shared in the team's journal: one operator makes it, another reviews and
        /// approves it by its id, the first applies it; an erasure of a person it names
        /// withdraws it.
        @Test func aSharedPlanIsMadeApprovedAndAppliedByItsID() throws {
            let team = try TeamAccount("plans")
            let (cluster, url, sandbox, account) = (team.cluster, team.url, team.sandbox, team.account)
            let opsA = try operatorEnvironment("ops-a", url: url, cluster: cluster)
            let opsB = try operatorEnvironment("ops-b", url: url, cluster: cluster)
            let people = withoutDuplicates(SeedData.contacts(count: 30, seed: 5)).filter { !$0.hasPendingMessages }
            let planned = try runProcess(try rosterBinary, ["plan", "--share"] + people.prefix(3).map(\.uuid) + account, environment: opsA)
            #expect(planned.status == 0, "\(planned.errorOutput)")
            let id = try #require(planned.errorOutput.firstMatch(of: /plan-[0-9a-f]{8}/).map { String($0.output) }, "\(planned.errorOutput)")

            let shown = try runProcess(try rosterBinary, ["show-plan", id], environment: opsB)
            #expect(shown.status == 0 && shown.output.contains("ops-a"), "\(shown.output) \(shown.errorOutput)")
            let own = try runProcess(try rosterBinary, ["approve", id, "--yes"], environment: opsA)
            #expect(own.status == 1 && own.errorOutput.contains("someone else"))
            let approved = try runProcess(try rosterBinary, ["approve", id, "--yes"], environment: opsB)
            #expect(approved.status == 0, "\(approved.errorOutput)")
            let applied = try runProcess(try rosterBinary, ["apply", id, "--yes"] + account, environment: opsA)
            #expect(applied.status == 0, "\(applied.errorOutput)")
            #expect(try sandbox.stats()["deleted"] as? Int == 3)

            // A second plan naming a person who then asks to be forgotten is withdrawn.
            let person = people[5]
            let second = try runProcess(try rosterBinary, ["plan", "--share", person.uuid] + account, environment: opsA)
            let secondID = try #require(second.errorOutput.firstMatch(of: /plan-[0-9a-f]{8}/).map { String($0.output) })
            let erased = try runProcess(
                try rosterBinary, ["erase", "--email", person.email, "--phone", "+\(person.countryCode) \(person.phone)", "--yes", "--json"] + account,
                environment: opsB)
            #expect(erased.status == 0, "\(erased.errorOutput)")
            #expect(erased.output.contains("\"sharedPlans\":1"), "\(erased.output)")
            let withdrawn = try runProcess(try rosterBinary, ["show-plan", secondID], environment: opsA)
            #expect(withdrawn.status == 1 && withdrawn.errorOutput.contains("withdrawn"), "\(withdrawn.errorOutput)")
        }

        /// A team's journal keeps one retention period for every operator.
        @Test func theRetentionPeriodIsTheTeamStoresSetting() throws {
            let cluster = try PostgresCluster.shared()
            let url = try cluster.makeDatabase("retention")
            let opsA = try operatorEnvironment("ops-a", url: url, cluster: cluster)
            let opsB = try operatorEnvironment("ops-b", url: url, cluster: cluster)
            let before = try runProcess(try rosterBinary, ["journal", "retention"], environment: opsB)
            #expect(before.output.contains("90 days (journal_retention"), "\(before.output) \(before.errorOutput)")
            let set = try runProcess(try rosterBinary, ["journal", "retention", "30"], environment: opsA)
            #expect(set.status == 0, "\(set.errorOutput)")
            let after = try runProcess(try rosterBinary, ["journal", "retention"], environment: opsB)
            #expect(after.output.contains("30 days (set in the store"), "\(after.output)")
        }

        /// The store goes away mid-batch: nothing new is sent, the outcome of the request already
        /// on the wire is kept in the operator's spool, and it reaches the team's journal once
        /// the store is back; nothing is lost and nothing is left without its outcome.
        @Test func theStoreLostMidBatchSendsNothingNewAndLosesNoOutcome() throws {
            let team = try TeamAccount("lost", faults: ["--faults", "latency=1.5"], dedicatedCluster: true)
            let (cluster, url, sandbox, account) = (team.cluster, team.url, team.sandbox, team.account)
            let ops = try operatorEnvironment("ops-a", url: url, cluster: cluster)
            let ids = withoutDuplicates(SeedData.contacts(count: 30, seed: 5)).filter { !$0.hasPendingMessages }.prefix(8).map(\.uuid)

            let finish = try start(["delete", "--yes"] + ids + account, ops)
            let deadline = Date().addingTimeInterval(30)
            // The second DELETE has reached the server and waits there for its answer.
            while try sandbox.requestCount("DELETE") < 2, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
            cluster.stop()
            let ended = finish()
            let said = ended.output + ended.errorOutput
            #expect(ended.status != 0)
            let sent = try sandbox.requestCount("DELETE")
            #expect(sent < ids.count, "the batch stopped: \(said)")
            #expect(!said.contains("could not record its outcome"), "every answer was kept: \(said)")
            #expect(said.contains("postgres://roster_ops@127.0.0.1"), "\(said)")
            let spool = ops["XDG_STATE_HOME"]! + "/roster/team-spool.db"
            #expect(FileManager.default.fileExists(atPath: spool), "the answer that came back is kept: \(said)")

            cluster.start()
            let journal = try runProcess(try rosterBinary, ["journal", "--json"], environment: ops)
            #expect(journal.status == 0, "\(journal.errorOutput)")
            #expect(journal.errorOutput.contains("uploaded"), "\(journal.errorOutput)")
            #expect(!FileManager.default.fileExists(atPath: spool))
            let records = journal.output.split(separator: "\n").compactMap { JournalRecord.decode(line: String($0)) }
            let intents = records.filter { $0.kind == .intent }
            let outcomes = Set(records.filter { $0.kind == .outcome }.map(\.entry))
            #expect(intents.count == sent, "each DELETE that left had its intent in the team's journal first")
            #expect(intents.allSatisfy { outcomes.contains($0.entry) }, "every request sent has its outcome: \(records.map(\.kind))")
            #expect(records.filter { $0.kind == .outcome }.allSatisfy { $0.result == "deleted" })
        }

        /// With the store unreachable, a delete refuses before anything leaves, says where and
        /// why, and browsing still works.
        @Test func anUnreachableStoreRefusesToDeleteButBrowses() throws {
            let sandbox = try SandboxProcess(["--dialect", "sendme123", "--contacts", "10", "--seed", "5", "--rate-limit", "1000/60"])
            let account = ["--dialect", "sendme123", "--base-url", sandbox.baseURL]
            let cluster = try PostgresCluster.shared()
            var ops = try operatorEnvironment("ops-a", url: "postgres://roster_ops@127.0.0.1:1/team?connect_timeout=2", cluster: cluster)
            ops["PGPASSWORD"] = "not-shown"
            let id = try #require(SeedData.contacts(count: 10, seed: 5).first { !$0.hasPendingMessages }?.uuid)
            let deleted = try runProcess(try rosterBinary, ["delete", "--yes", id] + account, environment: ops)
            #expect(deleted.status == 1)
            #expect(deleted.errorOutput.contains("postgres://roster_ops@127.0.0.1:1/team") && deleted.errorOutput.contains("nothing was sent"))
            #expect(!deleted.errorOutput.contains("not-shown"))
            #expect(try sandbox.requestCount("DELETE") == 0)
            let listed = try runProcess(try rosterBinary, ["list", "--json"] + account, environment: ops)
            #expect(listed.status == 0 && listed.output.contains(id))
        }
    }
}
