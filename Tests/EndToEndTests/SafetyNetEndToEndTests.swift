import Foundation
import RosterCore
import Testing
@testable import RosterSandbox
import RosterTestSupport

/// The journal tried as an adversary would, through the real binary against `roster sandbox`:
/// a full disk, an unwritable folder, a damaged old journal, lost answers, SIGKILL, and a
/// duplicates cleanup undone. Each test is one of the issue's numbered defects.
extension EndToEnd {
    @Suite("End to end: the safety net cannot tear")
    struct SafetyNetEndToEndTests: JournalledSuite {
        static let stateTag = "net"

        func ids(_ contacts: some Sequence<SeedContact>, _ dialect: String) -> [String] {
            contacts.map { dialect == "easify" ? String($0.numericID) : $0.uuid }
        }

        func deletedOnServer(_ sandbox: SandboxProcess) throws -> Int {
            try sandbox.stats()["deleted"] as? Int ?? -1
        }

        /// `roster restore`'s listing: how many it says can be restored.
        func restorable(_ account: [String], state: String) throws -> Int {
            let listed = try roster(["restore"] + account, state: state)
            guard let range = listed.errorOutput.range(of: #"\d+ deleted contacts? can be restored"#, options: .regularExpression) else {
                Issue.record("restore listed nothing: \(listed.errorOutput)")
                return -1
            }
            return Int(listed.errorOutput[range].split(separator: " ")[0]) ?? -1
        }

        /// Defect 6: an unwritable journal was found only after every look-up had been sent.
        @Test(arguments: ["sendme123", "easify"])
        func anUnwritableJournalIsOneRefusalBeforeAnyRequest(dialect: String) throws {
            let sandbox = try SandboxProcess(["--dialect", dialect, "--contacts", "20", "--seed", "3"])
            let account = ["--dialect", dialect, "--base-url", sandbox.baseURL]
            // A state "folder" that is a file: the journal's folder cannot be made in it.
            let state = try freshState() + "/not-a-folder"
            #expect(FileManager.default.createFile(atPath: state, contents: Data()))
            let targets = ids(SeedData.contacts(count: 20, seed: 3).prefix(3), dialect)
            let run = try roster(["delete", "--yes"] + targets + account, state: state)
            #expect(run.status == 1)
            #expect(run.errorOutput.contains(state + "/roster"), "names the path: \(run.errorOutput)")
            #expect(run.errorOutput.contains("Not a directory"), "and the system's reason")
            #expect(run.errorOutput.components(separatedBy: "\n").filter { !$0.isEmpty }.count == 1, "one refusal: \(run.errorOutput)")
            #expect(try sandbox.stats()["requests"] as? Int == 0, "before any request")
        }

        /// Defects 1 and 3: a disk that fills mid-batch. 0.9 glued the next record onto the
        /// cut one, hid a deleted contact from restore, said "Success" as the reason, and
        /// reported a lost outcome nowhere.
        @Test(arguments: ["sendme123", "easify"])
        func aFullDiskMidBatchLosesNothingAndSaysSo(dialect: String) throws {
            let disk = try SmallDisk(kilobytes: 768)
            defer { disk.unmount() }
            let sandbox = try SandboxProcess([
                "--dialect", dialect, "--contacts", "60", "--seed", "12", "--rate-limit", "10000/60", "--faults", "latency=1.2",
            ])
            let account = ["--dialect", dialect, "--base-url", sandbox.baseURL]
            let seeded = ids(SeedData.contacts(count: 60, seed: 12).filter { !$0.hasPendingMessages }, dialect)
            let first = try roster(["delete", "--yes"] + seeded.prefix(2) + account, state: disk.path)
            #expect(first.status == 0, "\(first.errorOutput)")

            let process = Process()
            process.executableURL = URL(fileURLWithPath: try rosterBinary)
            process.arguments = ["delete", "--yes", "--parallel", "1"] + seeded[2..<14] + account
            process.environment = ProcessInfo.processInfo.environment.merging(key.merging(["XDG_STATE_HOME": disk.path]) { $1 }) { $1 }
            let errors = Pipe()
            process.standardOutput = FileHandle.nullDevice
            process.standardError = errors
            try process.run()
            // The moment the batch's first DELETE reaches the server, the disk fills.
            let deadline = Date().addingTimeInterval(60)
            while try sandbox.requestCount("DELETE") < 3, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
            try disk.fill()
            let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 1, "a journal that failed ends non-zero: \(said)")
            #expect(said.contains("No space left on device"), "the system's reason: \(said)")
            #expect(!said.contains("Success"))
            #expect(said.contains("journal"))

            try disk.free()
            let deleted = try deletedOnServer(sandbox)
            #expect(deleted >= 3)
            #expect(try restorable(account, state: disk.path) == deleted, "every contact the server deleted can be restored")
            let journal = try roster(["journal"], state: disk.path)
            #expect(journal.status == 0)
            #expect(!journal.errorOutput.contains("damaged"))
        }

        /// Defect 2: one invalid byte in an old journal made 0.9 say "no journal yet".
        @Test func aDamagedOldJournalHidesNothingElse() throws {
            let state = try freshState()
            try FileManager.default.createDirectory(atPath: state + "/roster", withIntermediateDirectories: true)
            func line(_ kind: String, _ entry: String, _ id: String, _ name: String) -> String {
                let contact = kind == "intent" ? #","contact":{"id":"\#(id)","name":"\#(name)","phone":"3001112233"}"# : ""
                let result = kind == "outcome" ? #","result":"deleted","status":200"# : ""
                return #"{"at":"2026-11-22T10:00:00Z","baseURL":"http://127.0.0.1:9","contactID":"\#(id)"\#(contact),"dialect":"sendme123","entry":"\#(entry)","kind":"\#(kind)","operation":"delete","operator":"ana","profile":"p"\#(result)}"#
            }
            var bytes = Array((line("intent", "A", "a", "Дмитрий") + "\n" + line("outcome", "A", "a", "") + "\n").utf8)
            bytes += Array(#"{"at":"2026-11-22T10:00:00Z","contact":{"name":""#.utf8) + [0xD0]
            bytes += Array((line("intent", "B", "b", "Анна") + "\n" + line("outcome", "B", "b", "") + "\n").utf8)
            bytes += Array(#"{"kind":"outc"#.utf8) + [0xD0, 0x0A]
            bytes += Array((line("intent", "C", "c", "Ελένη") + "\n" + line("outcome", "C", "c", "") + "\n").utf8)
            #expect(FileManager.default.createFile(atPath: state + "/roster/journal.jsonl", contents: Data(bytes), attributes: [.posixPermissions: 0o600]))

            let journal = try roster(["journal"], state: state)
            #expect(journal.status == 0)
            #expect(journal.errorOutput.contains("2 damaged lines were kept aside"), "\(journal.errorOutput)")
            for name in ["Дмитрий", "Анна", "Ελένη"] { #expect(journal.output.contains("\(name)  → deleted 200")) }
            let damaged = try roster(["journal", "--damaged"], state: state)
            #expect(damaged.output.contains("journal.jsonl line 3: a record cut short inside a character"))
            #expect(damaged.output.contains("journal.jsonl line 5: not valid UTF-8"))
            #expect(try restorable(["--dialect", "sendme123", "--base-url", "http://127.0.0.1:9"], state: state) == 3)
        }

        /// Past `journal_retention`, a record keeps id, outcome, who and hashes; nothing else.
        @Test func personalDataIsPrunedPastTheRetentionPeriod() throws {
            let state = try freshState()
            try FileManager.default.createDirectory(atPath: state + "/roster", withIntermediateDirectories: true)
            let old = #"{"at":"2020-01-01T00:00:00Z","baseURL":"http://127.0.0.1:9","contact":{"id":"a","name":"Ana Pérez","phone":"3001112233","email":"ana@example.com"},"contactID":"a","dialect":"sendme123","entry":"A","kind":"intent","operation":"delete","operator":"ana","profile":"p"}"#
            try (old + "\n").write(toFile: state + "/roster/journal.jsonl", atomically: true, encoding: .utf8)
            let config = state + "/config.toml"
            try "journal_retention = 30\n".write(toFile: config, atomically: true, encoding: .utf8)
            let prune = try runProcess(try rosterBinary, ["journal", "prune"], environment: ["XDG_STATE_HOME": state, "ROSTER_CONFIG": config])
            #expect(prune.status == 0)
            #expect(prune.errorOutput.contains("1 record older than 30 days kept only id, outcome and hashes"), "\(prune.errorOutput)")
            #expect(prune.errorOutput.contains("the old journal \(state)/roster/journal.jsonl.imported removed"))
            let records = try journalRecords(stateHome: state)
            #expect(records.count == 1)
            #expect(records[0].contact == nil && records[0].contactID == "a" && records[0].operator == "ana")
            #expect(records[0].phoneHash?.count == 64, "the phone's digits, as a keyed hash")
            let json = try roster(["journal", "--json"], state: state).output
            #expect(!json.contains("Ana") && !json.contains("3001112233") && !json.contains("ana@example.com"))
        }

        /// Defect 4: with lost answers, 0.9 made 15 of 60 Easify deletions never restorable,
        /// and `restore ID` said "nothing to restore".
        @Test func easifyDeletionsWhoseAnswersWereLostCanBeRestored() throws {
            let sandbox = try SandboxProcess([
                "--dialect", "easify", "--contacts", "80", "--seed", "21", "--rate-limit", "10000/60", "--faults", "drop=0.25",
            ])
            let account = ["--dialect", "easify", "--base-url", sandbox.baseURL]
            let state = try freshState()
            let targets = ids(withoutDuplicates(SeedData.contacts(count: 80, seed: 21)).prefix(40), "easify")
            let run = try roster(["delete", "--yes", "--json", "--ids-from", "-"] + account, state: state, input: targets.joined(separator: "\n"))
            let lost = run.output.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
                .filter { ($0["message"] as? String)?.contains("unknown") == true }.compactMap { $0["id"] as? String }
            #expect(!lost.isEmpty, "some answers were lost: \(run.output)")
            try sandbox.setFaults("")
            let deleted = try deletedOnServer(sandbox)
            #expect(try restorable(account, state: state) == deleted, "every contact the server deleted")
            let one = try roster(["restore", "--yes", lost[0]] + account, state: state)
            #expect(one.status == 0, "\(one.errorOutput)")
            #expect(one.output.hasPrefix("restored  \(lost[0])"), "\(one.output)")
            let rest = try roster(["restore", "--yes", "--batch", "last"] + account, state: state)
            #expect(rest.status == 0, "\(rest.errorOutput)")
            #expect(try sandbox.stats()["contacts"] as? Int == 80)
        }

        /// Defect 4 too: Roster killed mid-batch with answers on the wire; what the server
        /// deleted is restorable on the next run.
        @Test(arguments: ["sendme123", "easify"])
        func afterSIGKILLEveryDeletedContactIsRestorable(dialect: String) throws {
            let sandbox = try SandboxProcess([
                "--dialect", dialect, "--contacts", "60", "--seed", "22", "--rate-limit", "10000/60", "--faults", "latency=0.8",
            ])
            let account = ["--dialect", dialect, "--base-url", sandbox.baseURL]
            let state = try freshState()
            let targets = ids(withoutDuplicates(SeedData.contacts(count: 60, seed: 22)).filter { !$0.hasPendingMessages }.prefix(30), dialect)
            try killRoster(["delete", "--yes", "--parallel", "4"] + targets + account, state: state, when: sandbox, counts: 8, of: "DELETE", timeout: 60)
            // Answers the killed Roster never read: the server finishes what it was sent.
            Thread.sleep(forTimeInterval: 1)
            let deleted = try deletedOnServer(sandbox)
            #expect(deleted >= 8)
            #expect(try restorable(account, state: state) == deleted)
        }

        /// A service that refuses a second contact with the same phone: the deleted duplicate is
        /// reported in the server's own words, never as restored, and the exit says so.
        @Test(arguments: ["sendme123", "easify"])
        func aServerThatRefusesASecondPhoneIsReportedInItsOwnWords(dialect: String) throws {
            let sandbox = try SandboxProcess([
                "--dialect", dialect, "--contacts", "300", "--seed", "1", "--rate-limit", "10000/60", "--unique-phones",
            ])
            let account = ["--dialect", dialect, "--base-url", sandbox.baseURL]
            let state = try freshState()
            let duplicates = try roster(["duplicates", "--ids"] + account, state: state)
            _ = try roster(["delete", "--yes", "--ids-from", "-"] + account, state: state, input: duplicates.output)
            let restore = try roster(["restore", "--batch", "last", "--yes"] + account, state: state)
            #expect(restore.status == 1, "not every contact came back")
            let refused = restore.output.split(separator: "\n").filter { $0.hasPrefix("failed ") }
            #expect(!refused.isEmpty, "\(restore.output)")
            let said = dialect == "easify" ? "The phone number has already been taken." : "A contact with this phone number already exists"
            #expect(refused.allSatisfy { $0.contains(said) }, "\(refused)")
            #expect(!restore.output.contains("present "), "never taken for one already back")
        }

        /// `roster journal --follow` shows a batch running elsewhere, entry by entry.
        @Test func theJournalCanBeFollowedWhileABatchRuns() throws {
            let sandbox = try SandboxProcess(["--dialect", "sendme123", "--contacts", "30", "--seed", "5", "--faults", "latency=0.3"])
            let account = ["--dialect", "sendme123", "--base-url", sandbox.baseURL]
            let state = try freshState()
            let targets = ids(SeedData.contacts(count: 30, seed: 5).filter { !$0.hasPendingMessages }.prefix(4), "sendme123")
            _ = try roster(["delete", "--yes", targets[0]] + account, state: state)
            let follower = Process()
            follower.executableURL = URL(fileURLWithPath: try rosterBinary)
            follower.arguments = ["journal", "--follow"]
            follower.environment = ProcessInfo.processInfo.environment.merging(["XDG_STATE_HOME": state]) { $1 }
            let output = Pipe()
            follower.standardOutput = output
            follower.standardError = FileHandle.nullDevice
            try follower.run()
            defer {
                follower.terminate()
                follower.waitUntilExit()
            }
            let seen = SeenText()
            output.fileHandleForReading.readabilityHandler = { handle in seen.append(handle.availableData) }
            let batch = try roster(["delete", "--yes"] + targets.dropFirst() + account, state: state)
            #expect(batch.status == 0)
            let deadline = Date().addingTimeInterval(10)
            while seen.text.components(separatedBy: "→ deleted 200").count < 5, Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
            output.fileHandleForReading.readabilityHandler = nil
            let text = seen.text
            for id in targets { #expect(text.contains("\(id)"), "\(id) followed: \(text)") }
            #expect(text.contains("sending…"), "an intent shows before its outcome")
            #expect(text.components(separatedBy: "→ deleted 200").count == 5, "the first deletion, then the batch's three: \(text)")
        }

        /// Defect 5: contacts deleted as duplicates came back as "present … already there as
        /// the keeper (same phone)"; nothing was created.
        @Test(arguments: ["sendme123", "easify"])
        func aDuplicatesCleanupCanBeUndone(dialect: String) throws {
            let sandbox = try SandboxProcess(["--dialect", dialect, "--contacts", "300", "--seed", "1", "--rate-limit", "10000/60"])
            let account = ["--dialect", dialect, "--base-url", sandbox.baseURL]
            let state = try freshState()
            let duplicates = try roster(["duplicates", "--ids"] + account, state: state)
            let proposed = duplicates.output.split(separator: "\n")
            #expect(proposed.count >= 8)
            let deleted = try roster(["delete", "--yes", "--ids-from", "-"] + account, state: state, input: duplicates.output)
            let gone = deleted.output.split(separator: "\n").filter { $0.hasPrefix("deleted ") }.count
            #expect(gone >= 5, "\(deleted.output)")
            let restore = try roster(["restore", "--batch", "last", "--yes"] + account, state: state)
            #expect(restore.status == 0, "\(restore.errorOutput)")
            let lines = restore.output.split(separator: "\n")
            #expect(lines.count == gone)
            #expect(lines.allSatisfy { $0.hasPrefix("restored ") }, "\(restore.output)")
            #expect(lines.allSatisfy { $0.contains("is still there") }, "each says its duplicate is still there")
            #expect(restore.errorOutput.contains("\(gone) restored — \(gone) of \(gone) asked for"))
            #expect(try sandbox.stats()["contacts"] as? Int == 300)
        }
    }
}

/// Text a process writes, gathered from another thread.
final class SeenText: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ more: Data) {
        lock.lock()
        data.append(more)
        lock.unlock()
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A tmpfs of its own, small enough to fill: the state folder on a full disk. Needs root (CI
/// runs as root); anywhere else the test says why it cannot run.
final class SmallDisk {
    let path: String

    init(kilobytes: Int) throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("roster-disk-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let mount = try runProcess(which("mount") ?? "/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path])
        guard mount.status == 0 else {
            throw HarnessError("a small tmpfs could not be mounted (root is needed for the disk-full test): \(mount.errorOutput)")
        }
    }

    /// Writes a file until the disk refuses more.
    func fill() throws {
        let descriptor = open(path + "/filler", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw HarnessError("cannot create the filler: \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let block = [UInt8](repeating: 0, count: 4096)
        while block.withUnsafeBufferPointer({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
        // The last few bytes a block could not take.
        while write(descriptor, block, 1) > 0 {}
    }

    func free() throws {
        try FileManager.default.removeItem(atPath: path + "/filler")
    }

    func unmount() {
        _ = try? runProcess(which("umount") ?? "/bin/umount", ["-l", path])
    }
}
