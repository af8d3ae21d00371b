import Foundation
import Glibc
import RosterCore
import Synchronization

/// The append-only journal under `$XDG_STATE_HOME/roster/` (default `~/.local/state/roster/`):
/// `journal.jsonl`, or `demo-journal.jsonl` for the demo sandbox. Created with mode 0600; each
/// record is flushed to disk before the call that needs it goes on.
final class Journal: Sendable {
    let path: String
    private let account: AccountInfo
    private let descriptor: Mutex<Int32>

    static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/roster" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/roster"
    }

    static func path(isDemo: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        directory(environment: environment) + (isDemo ? "/demo-journal.jsonl" : "/journal.jsonl")
    }

    init(account: AccountInfo) throws(JournalError) {
        self.account = account
        path = Self.path(isDemo: account.isDemo)
        let folder = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw JournalError("cannot create \(folder): \(error.localizedDescription)")
        }
        let opened = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard opened >= 0 else { throw JournalError("cannot open \(path): \(String(cString: strerror(errno)))") }
        descriptor = Mutex(opened)
    }

    deinit {
        descriptor.withLock { _ = close($0) }
    }

    /// Records that `operation` is about to be sent for `contact`; returns the entry id for
    /// the outcome. Throws when the record cannot be made durable: then nothing may be sent.
    func intent(
        _ operation: String, contact: Contact, batch: String? = nil, restores: String? = nil, plan: PlanStamp? = nil
    ) throws(JournalError) -> String {
        let entry = UUID().uuidString
        var line = record(.intent, entry: entry, operation: operation, contactID: contact.id, contact: Self.snapshot(of: contact))
        line.batch = batch
        line.restores = restores
        line.plan = plan?.checksum
        line.planner = plan?.planner
        line.approver = plan?.approver
        try append(line)
        return entry
    }

    /// A name for one run of Roster, short enough to type: its batches in the journal are
    /// this name, a dash and their number (`roster restore --batch ID`).
    static func newSessionName() -> String {
        let time = DateFormatter()
        time.locale = Locale(identifier: "en_US_POSIX")
        time.dateFormat = "yyyyMMdd-HHmmss"
        return time.string(from: Date()) + "-" + String(UUID().uuidString.prefix(4)).lowercased()
    }

    /// Records how it ended. A failure here is reported, but the deed is already done.
    func outcome(
        _ entry: String, operation: String, contactID: ContactID, result: String, status: Int?, message: String,
        newContactID: String? = nil
    ) throws(JournalError) {
        var line = record(.outcome, entry: entry, operation: operation, contactID: contactID, contact: nil)
        line.result = result
        line.status = status
        line.message = message
        line.newContactID = newContactID
        try append(line)
    }

    /// Every record of the journal, for every account (unreadable lines are skipped).
    func allRecords() -> [JournalRecord] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { JournalRecord.decode(line: String($0)) }
    }

    /// Records confirmed deletions that were never sent (undone, stopped, or cancelled by a
    /// signal), each with the contact as last seen. They have no intent: nothing left
    /// Roster. One write and one flush for all of them.
    func notSent(_ operation: String, contacts: [Contact], reason: String) throws(JournalError) {
        let lines = contacts.map { contact in
            var line = record(.notSent, entry: UUID().uuidString, operation: operation, contactID: contact.id, contact: Self.snapshot(of: contact))
            line.result = "not sent"
            line.message = reason
            return line
        }
        try append(lines)
    }

    /// The contact as the journal keeps it: the server's whole record when Roster has it, or
    /// else what the list showed (a contact never looked up on a dialect whose records are
    /// not kept), marked as such, so a record is never empty.
    static func snapshot(of contact: Contact) -> JSONValue {
        guard contact.record == .null else { return contact.record }
        var fields: [String: JSONValue] = [
            "id": .string(contact.id.rawValue), "name": .string(contact.name), "phone": .string(contact.phone),
            "email": .string(contact.email), "roster_snapshot": .string("as listed; not looked up"),
        ]
        if let status = contact.status { fields["status"] = .string(status) }
        if let shared = contact.shared { fields["shared"] = .bool(shared) }
        return .object(fields)
    }

    /// This account's intents that never got an outcome: Roster was killed or the session
    /// dropped while they were in flight.
    func unfinishedIntents() -> [JournalRecord] {
        var intents: [String: JournalRecord] = [:]
        var order: [String] = []
        for record in allRecords() where record.dialect == account.dialect.rawValue && record.baseURL == account.baseURL {
            switch record.kind {
            case .intent:
                intents[record.entry] = record
                order.append(record.entry)
            case .outcome:
                intents[record.entry] = nil
            case .notSent:
                break
            }
        }
        return order.compactMap { intents[$0] }
    }

    private func record(_ kind: JournalRecord.Kind, entry: String, operation: String, contactID: ContactID, contact: JSONValue?) -> JournalRecord {
        JournalRecord(
            kind: kind, entry: entry, operation: operation, at: Date(),
            operator: ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.userName,
            profile: account.profile, dialect: account.dialect.rawValue, baseURL: account.baseURL,
            contactID: contactID.rawValue, contact: contact)
    }

    private func append(_ record: JournalRecord) throws(JournalError) {
        try append([record])
    }

    private func append(_ records: [JournalRecord]) throws(JournalError) {
        guard !records.isEmpty else { return }
        let line: String
        do {
            line = try records.map { try $0.jsonLine() + "\n" }.joined()
        } catch {
            throw JournalError("cannot encode a journal record: \(error)")
        }
        let written: Bool = descriptor.withLock { fd in
            let bytes = Array(line.utf8)
            let count = bytes.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
            return count == bytes.count && fsync(fd) == 0
        }
        guard written else { throw JournalError("cannot write to \(path): \(String(cString: strerror(errno)))") }
    }
}

/// The plan a deletion applies, for its journal record.
struct PlanStamp: Sendable {
    var checksum: String
    var planner: String
    var approver: String?
}

struct JournalError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
