import Foundation
import Glibc
import RosterCore
import Testing
@testable import RosterEngine

/// A folder of the test's own.
func scratchFolder(_ name: String = "journal") -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-\(name)-\(UUID().uuidString)").path
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
}

let testAccount = AccountInfo(profile: "support", dialect: .sendme123, baseURL: "http://127.0.0.1:1", isDemo: false)

func contact(_ id: String, name: String = "Ana Pérez", phone: String = "+57 3001112233", email: String = "ana@example.com") -> Contact {
    Contact(
        id: ContactID(id), name: name, phone: phone, email: email,
        record: .object(["id": .string(id), "name": .string(name), "phone": .string(phone), "email": .string(email)]))
}

/// The intents of `journal` that have no outcome yet.
func unfinished(_ journal: Journal) throws -> [JournalRecord] {
    let records = try journal.records()
    let answered = Set(records.filter { $0.kind == .outcome }.map(\.entry))
    return records.filter { $0.kind == .intent && !answered.contains($0.entry) }
}

/// One old-format journal line, as Roster 0.9 wrote it.
func oldLine(_ kind: String, entry: String, id: String, name: String = "Ana", result: String? = nil, at: String = "2026-11-22T10:00:00Z") -> String {
    var fields: [String] = [
        #""at":"\#(at)""#, #""baseURL":"http://127.0.0.1:1""#, #""contactID":"\#(id)""#, #""dialect":"sendme123""#,
        #""entry":"\#(entry)""#, #""kind":"\#(kind)""#, #""operation":"delete""#, #""operator":"ana""#, #""profile":"support""#,
    ]
    if kind == "intent" { fields.insert(#""contact":{"id":"\#(id)","name":"\#(name)","phone":"3001112233"}"#, at: 2) }
    if let result { fields.append(#""result":"\#(result)""#) }
    return "{" + fields.joined(separator: ",") + "}"
}

@Suite("The journal's SQLite store")
struct JournalStoreTests {
    @Test func anIntentAndItsOutcomeAreKeptInOrderIn0600() throws {
        let folder = scratchFolder()
        let store = try SQLiteJournalStore(path: folder + "/state/journal.db")
        let journal = Journal(store: store, account: testAccount, operator: "ana", host: "jump1")
        let entry = try journal.intent("delete", contact: contact("c1"), batch: "b-1")
        try journal.outcome(entry, operation: "delete", contactID: ContactID("c1"), result: "deleted", status: 200, message: "Contact deleted")
        let records = try journal.records()
        #expect(records.map(\.kind) == [.intent, .outcome])
        #expect(records[0].contact?["name"]?.stringValue == "Ana Pérez")
        #expect(records[0].host == "jump1" && records[0].operator == "ana" && records[0].batch == "b-1")
        #expect(records[0].phoneHash?.count == 64, "a keyed hash of the phone's digits")
        #expect(records[1].result == "deleted" && records[1].status == 200)
        #expect(try unfinished(journal).isEmpty)
        var info = stat()
        #expect(stat(folder + "/state/journal.db", &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
        #expect(stat(folder + "/state", &info) == 0 && info.st_mode & 0o777 == 0o700)
        #expect(store.usesWriteAheadLog)
        #expect(FileManager.default.fileExists(atPath: folder + "/state/journal.db-wal"))
        let followed = try store.records(after: 1)
        #expect(followed.map(\.record.kind) == [.outcome], "following starts after a record's number")
    }

    @Test func twoRostersOfOneOperatorWriteTheSameJournalAtOnce() async throws {
        let path = scratchFolder() + "/journal.db"
        let first = Journal(store: try SQLiteJournalStore(path: path), account: testAccount)
        let second = Journal(store: try SQLiteJournalStore(path: path), account: testAccount)
        await withTaskGroup(of: Void.self) { group in
            for (index, journal) in [first, second].enumerated() {
                group.addTask {
                    for number in 0..<50 { _ = try? journal.intent("delete", contact: contact("c\(index)-\(number)")) }
                }
            }
        }
        #expect(try first.records().count == 100)
        #expect(first.writeFailures.isEmpty && second.writeFailures.isEmpty)
    }

    @Test func aFolderThatCannotBeMadeIsSaidWithThePathAndTheReason() {
        #expect {
            _ = try SQLiteJournalStore(path: "/etc/passwd/roster/journal.db")
        } throws: { error in
            let said = "\(error)"
            return said.contains("/etc/passwd/roster") && said.contains("Not a directory")
        }
    }

    @Test func onANetworkFilesystemTheRollbackJournalIsUsed() throws {
        let folder = scratchFolder()
        let store = try SQLiteJournalStore(path: folder + "/journal.db", filesystem: FilesystemKind(magic: 0x6969))
        #expect(!store.usesWriteAheadLog)
        #expect(store.notes.contains { $0.contains("network filesystem (NFS)") })
        try store.append([JournalRecord(
            kind: .intent, entry: "e", operation: "delete", at: Date(), operator: "ana", profile: "p", dialect: "sendme123",
            baseURL: "http://a", contactID: "c")])
        #expect(!FileManager.default.fileExists(atPath: folder + "/journal.db-wal"), "no write-ahead log")
        #expect(try store.records(on: nil).count == 1)
    }

    @Test func filesystemsAreToldApart() throws {
        #expect(FilesystemKind(magic: 0x6969).networkName == "NFS")
        #expect(FilesystemKind(magic: 0xFF53_4D42).networkName == "CIFS")
        #expect(FilesystemKind(magic: 0xEF53).networkName == nil, "ext4 is local")
        #expect(FilesystemKind(magic: 0x0102_1994).networkName == nil, "tmpfs is local")
        let here = try #require(FilesystemKind(of: scratchFolder()))
        #expect(here.networkName == nil)
    }

    /// A failed outcome write is not lost: it is counted, kept, and written with the next
    /// record the store takes.
    @Test func anOutcomeThatCannotBeWrittenIsKeptAndWrittenLater() throws {
        let store = RefusingStore(inner: try SQLiteJournalStore(path: scratchFolder() + "/journal.db"))
        let journal = Journal(store: store, account: testAccount)
        let entry = try journal.intent("delete", contact: contact("c1"))
        store.refusing = true
        #expect(throws: JournalError.self) {
            try journal.outcome(entry, operation: "delete", contactID: ContactID("c1"), result: "deleted", status: 200, message: "ok")
        }
        #expect(journal.unwrittenCount == 1)
        #expect(journal.writeFailures.count == 1)
        store.refusing = false
        _ = try journal.intent("delete", contact: contact("c2"))
        #expect(journal.unwrittenCount == 0)
        let records = try journal.records()
        #expect(records.map(\.kind) == [.intent, .outcome, .intent], "the kept outcome came before the next intent")
        #expect(try unfinished(journal).map(\.contactID) == ["c2"])
    }
}

/// A store that refuses writes while told to: what a full disk does to any store.
final class RefusingStore: JournalStore, @unchecked Sendable {
    let inner: SQLiteJournalStore
    var refusing = false

    init(inner: SQLiteJournalStore) { self.inner = inner }

    var location: String { inner.location }
    var notes: [String] { inner.notes }
    func append(_ records: [JournalRecord]) throws(JournalError) {
        if refusing { throw JournalError("the journal \(location) cannot be written: No space left on device") }
        try inner.append(records)
    }
    func records(on account: JournalAccount?) throws(JournalError) -> [JournalRecord] { try inner.records(on: account) }
    func records(after sequence: Int64) throws(JournalError) -> [(sequence: Int64, record: JournalRecord)] { try inner.records(after: sequence) }
    func damagedLines() throws(JournalError) -> [DamagedLine] { try inner.damagedLines() }
    func prune(before cutoff: Date) throws(JournalError) -> PruneReport { try inner.prune(before: cutoff) }
    func identityHash(_ text: String) -> String? { inner.identityHash(text) }
    func checkWritable() throws(JournalError) {
        if refusing { throw JournalError("the journal \(location) cannot be written: No space left on device") }
    }
}

@Suite("An old JSON Lines journal is imported once, damage and all")
struct OldJournalImportTests {
    /// Issue: a disk that filled mid-write left a fragment with no newline, and the next intent
    /// was appended onto it; 0.9 could read 2 of 3 deleted contacts.
    @Test func aRecordWrittenOntoAFragmentIsRecovered() throws {
        let folder = scratchFolder()
        let lines = [
            oldLine("intent", entry: "A", id: "a"), oldLine("outcome", entry: "A", id: "a", result: "deleted"),
            String(oldLine("intent", entry: "B", id: "b").prefix(70)) + oldLine("intent", entry: "C", id: "c"),
            oldLine("outcome", entry: "C", id: "c", result: "deleted"),
        ]
        try (lines.joined(separator: "\n") + "\n").write(toFile: folder + "/journal.jsonl", atomically: true, encoding: .utf8)
        let store = try SQLiteJournalStore(path: folder + "/journal.db", legacyPath: folder + "/journal.jsonl")
        let ledger = RestoreLedger(records: try store.records(on: nil), dialect: "sendme123", baseURL: "http://127.0.0.1:1")
        #expect(ledger.restorable.map(\.contactID) == ["a", "c"], "the record glued on is read")
        let damaged = try store.damagedLines()
        #expect(damaged.map(\.line) == [3])
        #expect(damaged.first?.reason.contains("cut short") == true)
        #expect(store.notes.contains { $0.contains("1 damaged line was kept aside (roster journal --damaged)") })
    }

    /// Issue: one record cut inside a Cyrillic name (`"name":"\xd0`) hid the whole journal
    /// from 0.9: "no journal yet", 0 of 304 restorable.
    @Test func oneInvalidByteHidesNothingElse() throws {
        let folder = scratchFolder()
        var bytes: [UInt8] = []
        for number in 0..<304 {
            bytes += Array((oldLine("intent", entry: "E\(number)", id: "c\(number)", name: "Дмитрий") + "\n").utf8)
            bytes += Array((oldLine("outcome", entry: "E\(number)", id: "c\(number)", result: "deleted") + "\n").utf8)
        }
        bytes += Array(#"{"at":"2026-11-22T10:00:00Z","contact":{"id":"x","name":""#.utf8) + [0xD0, 0x0A]
        #expect(FileManager.default.createFile(atPath: folder + "/journal.jsonl", contents: Data(bytes), attributes: [.posixPermissions: 0o600]))
        let store = try SQLiteJournalStore(path: folder + "/journal.db", legacyPath: folder + "/journal.jsonl")
        let ledger = RestoreLedger(records: try store.records(on: nil), dialect: "sendme123", baseURL: "http://127.0.0.1:1")
        #expect(ledger.restorable.count == 304)
        let damaged = try store.damagedLines()
        #expect(damaged.count == 1 && damaged[0].line == 609)
        #expect(damaged[0].reason.contains("not valid UTF-8"))
    }

    @Test func theOldFileIsRenamedKept0600AndNeverImportedTwice() throws {
        let folder = scratchFolder()
        try (oldLine("intent", entry: "A", id: "a") + "\n").write(toFile: folder + "/journal.jsonl", atomically: true, encoding: .utf8)
        chmod(folder + "/journal.jsonl", 0o600)
        _ = try SQLiteJournalStore(path: folder + "/journal.db", legacyPath: folder + "/journal.jsonl")
        #expect(!FileManager.default.fileExists(atPath: folder + "/journal.jsonl"))
        var info = stat()
        #expect(stat(folder + "/journal.jsonl.imported", &info) == 0 && info.st_mode & 0o777 == 0o600)
        // The same file put back (a restored backup, say) is not imported a second time.
        try FileManager.default.copyItem(atPath: folder + "/journal.jsonl.imported", toPath: folder + "/journal.jsonl")
        let again = try SQLiteJournalStore(path: folder + "/journal.db", legacyPath: folder + "/journal.jsonl")
        #expect(try again.records(on: nil).count == 1)
        #expect(again.notes.isEmpty)
    }
}

@Suite("Retention")
struct RetentionTests {
    @Test func pastTheRetentionPeriodOnlyIdOutcomeAndHashesRemain() throws {
        let folder = scratchFolder()
        try (oldLine("intent", entry: "A", id: "a", at: "2020-01-01T00:00:00Z") + "\n" + "{broken\n")
            .write(toFile: folder + "/journal.jsonl", atomically: true, encoding: .utf8)
        let store = try SQLiteJournalStore(path: folder + "/journal.db", legacyPath: folder + "/journal.jsonl")
        let journal = Journal(store: store, account: testAccount)
        let old = try journal.intent("delete", contact: contact("c1"))
        try journal.outcome(old, operation: "delete", contactID: ContactID("c1"), result: "deleted", status: 200, message: "Ana Pérez: deleted")
        let before = try journal.records()
        let report = try store.prune(before: Date().addingTimeInterval(3600))
        #expect(report.records == 3)
        #expect(report.oldFiles == [folder + "/journal.jsonl.imported"], "its newest record is past the period")
        #expect(report.damagedLines == 1)
        #expect(!FileManager.default.fileExists(atPath: folder + "/journal.jsonl.imported"))
        let after = try journal.records()
        #expect(after.allSatisfy { $0.contact == nil && $0.message == nil }, "no name, phone, email or record")
        #expect(after.map(\.contactID) == before.map(\.contactID))
        #expect(after.map(\.result) == before.map(\.result))
        #expect(after.map(\.operator) == before.map(\.operator))
        #expect(after[1].phoneHash == store.identityHash("573001112233"), "the phone's digits, keyed")
        #expect(after[1].emailHash == store.identityHash("ana@example.com"))
        let recent = try store.prune(before: Date().addingTimeInterval(-3600))
        #expect(recent.isEmpty, "nothing newer is touched, and nothing is pruned twice")
    }

    @Test func hashesAreKeyedPerStore() throws {
        let one = try SQLiteJournalStore(path: scratchFolder() + "/journal.db")
        let two = try SQLiteJournalStore(path: scratchFolder() + "/journal.db")
        #expect(one.identityHash("573001112233") != two.identityHash("573001112233"))
        #expect(one.identityHash("") == nil)
    }
}
