import Foundation
import Glibc
import RosterCore
import Synchronization

/// The journal of one account, as Roster writes it: an intent with the contact's full record
/// before each DELETE, deactivate or create leaves, and the outcome after. Kept in a
/// `JournalStore`: by default `journal.db` under `$XDG_STATE_HOME/roster/` (default
/// `~/.local/state/roster/`), `demo-journal.db` for the demo sandbox.
///
/// An outcome that cannot be written is kept and written with the next record that can be
/// (and by `flush`); every write failure is counted, so a command that ends with one exits
/// non-zero and the UI says so.
public final class Journal: Sendable {
    public let store: any JournalStore
    public let account: JournalAccount
    private let profile: String
    private let operatorName: String
    private let host: String
    /// This run of Roster, as it claims contacts in a team's store.
    public let claimant: Claimant
    private let unwritten = Mutex<[JournalRecord]>([])
    private let failures = Mutex<[JournalError]>([])

    public init(store: any JournalStore, account: AccountInfo, operator: String = Journal.operatorName(), host: String = Journal.hostName()) {
        self.store = store
        self.account = JournalAccount(account)
        profile = account.profile
        operatorName = `operator`
        self.host = host
        claimant = Claimant(session: UUID().uuidString, operatorName: `operator`, host: host)
    }

    /// Opens the operator's own journal (SQLite) for `account`, imports an old JSON Lines one
    /// once, and, for a command that will write, proves it takes a write now: a full disk or an
    /// unwritable folder is found before any request leaves.
    public static func open(
        account: AccountInfo, forWriting: Bool, environment: [String: String] = ProcessInfo.processInfo.environment,
        identify: @escaping @Sendable (JournalRecord) -> Contact? = { _ in nil }
    ) throws(JournalError) -> Journal {
        let store = try SQLiteJournalStore(
            path: path(isDemo: account.isDemo, environment: environment), legacyPath: legacyPath(isDemo: account.isDemo, environment: environment),
            identify: identify)
        if forWriting { try store.checkWritable() }
        return Journal(store: store, account: account)
    }

    public static func directory(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], !state.isEmpty { return state + "/roster" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.local/state/roster"
    }

    public static func path(isDemo: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        directory(environment: environment) + (isDemo ? "/demo-journal.db" : "/journal.db")
    }

    /// Roster's first journal format, imported once.
    public static func legacyPath(isDemo: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        directory(environment: environment) + (isDemo ? "/demo-journal.jsonl" : "/journal.jsonl")
    }

    public static func operatorName(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? ProcessInfo.processInfo.userName
    }

    public static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// A name for one run of Roster, short enough to type: its batches in the journal are
    /// this name, a dash and their number (`roster restore --batch ID`).
    public static func newSessionName() -> String {
        let time = DateFormatter()
        time.locale = Locale(identifier: "en_US_POSIX")
        time.dateFormat = "yyyyMMdd-HHmmss"
        return time.string(from: Date()) + "-" + String(UUID().uuidString.prefix(4)).lowercased()
    }

    /// Records that `operation` is about to be sent for `contact`; returns the entry id for
    /// the outcome. Throws when the record cannot be made durable: then nothing may be sent.
    /// An erasure (`erase`) keeps no copy of the contact: only the keyed hashes of its phone and email.
    public func intent(
        _ operation: String, contact: Contact, batch: String? = nil, restores: String? = nil, plan: PlanStamp? = nil
    ) throws(JournalError) -> String {
        let entry = UUID().uuidString
        var line = record(.intent, entry: entry, operation: operation, contact: contact)
        if operation == Journal.erase { line.contact = nil }
        line.batch = batch
        line.restores = restores
        line.plan = plan?.checksum
        line.planner = plan?.planner
        line.approver = plan?.approver
        try append([line])
        return entry
    }

    /// Takes the contact for this run while its request is on the way; nil when granted, else
    /// who holds it. Throws when the store cannot say: then nothing may be sent.
    public func claim(_ contactID: ContactID) throws(JournalError) -> String? {
        try store.claim(contactID.rawValue, on: account, for: claimant)
    }

    /// Gives the claim up once the outcome is written.
    public func release(_ contactID: ContactID) {
        store.release(contactID.rawValue, on: account, for: claimant)
    }

    /// Contacts of this account another operator's request is on the way for, and who.
    public func claimsHeldElsewhere() -> [ContactID: String] {
        Dictionary(uniqueKeysWithValues: store.claimsHeld(on: account, notBy: claimant).map { (ContactID($0.key), $0.value) })
    }

    /// Whether the deletion `entry` has been restored (or found back) since, by anyone: the
    /// outcome that says so, with the operator who did it. Read from the store each time, so
    /// another operator's restore of a moment ago is seen.
    public func restoreRecorded(of entry: String) throws(JournalError) -> (outcome: JournalRecord, by: String)? {
        let records = try store.records(restoring: entry)
        guard let done = records.last(where: { $0.kind == .outcome && ["restored", "present"].contains($0.result ?? "") }) else { return nil }
        let intent = records.first { $0.kind == .intent && $0.entry == done.entry }
        return (done, Claimant(session: "", operatorName: intent?.operator ?? done.operator, host: intent?.host ?? done.host ?? "").name)
    }

    /// The operation of an erasure's deletion.
    public static let erase = "erase"

    /// Removes every copy of `person` this journal's store keeps (see `JournalStore.purge`).
    public func purge(_ person: PersonIdentity) throws(JournalError) -> Int {
        try store.purge(person)
    }

    /// Records how it ended. A failure here is counted and the outcome kept, to be written
    /// with the next record; the deed is already done.
    public func outcome(
        _ entry: String, operation: String, contactID: ContactID, result: String, status: Int?, message: String,
        newContactID: String? = nil
    ) throws(JournalError) {
        var line = record(.outcome, entry: entry, operation: operation, contactID: contactID)
        line.result = result
        line.status = status
        line.message = message
        line.newContactID = newContactID
        try append([line], keepingOnFailure: true)
    }

    /// Records confirmed deletions that were never sent (undone, stopped, or cancelled by a
    /// signal), each with the contact as last seen. They have no intent: nothing left
    /// Roster. One write for all of them.
    public func notSent(_ operation: String, contacts: [Contact], reason: String) throws(JournalError) {
        let lines = contacts.map { contact in
            var line = record(.notSent, entry: UUID().uuidString, operation: operation, contact: contact)
            line.result = "not sent"
            line.message = reason
            return line
        }
        try append(lines)
    }

    /// Writes outcomes an earlier failure kept back; throws while the store still refuses.
    public func flush() throws(JournalError) {
        try append([])
    }

    /// Outcomes still not written.
    public var unwrittenCount: Int { unwritten.withLock { $0.count } }

    /// Every write that failed in this run, in order.
    public var writeFailures: [JournalError] { failures.withLock { $0 } }

    /// This account's records, in the order written.
    public func records() throws(JournalError) -> [JournalRecord] {
        try store.records(on: account)
    }

    /// The contact as the journal keeps it: the server's whole record when Roster has it, or
    /// else what the list showed (a contact never looked up on a dialect whose records are
    /// not kept), marked as such, so a record is never empty.
    public static func snapshot(of contact: Contact) -> JSONValue {
        guard contact.record == .null else { return contact.record }
        var fields: [String: JSONValue] = [
            "id": .string(contact.id.rawValue), "name": .string(contact.name), "phone": .string(contact.phone),
            "email": .string(contact.email), "roster_snapshot": .string("as listed; not looked up"),
        ]
        if let status = contact.status { fields["status"] = .string(status) }
        if let shared = contact.shared { fields["shared"] = .bool(shared) }
        return .object(fields)
    }

    private func record(_ kind: JournalRecord.Kind, entry: String, operation: String, contact: Contact) -> JournalRecord {
        var line = record(kind, entry: entry, operation: operation, contactID: contact.id)
        line.contact = Self.snapshot(of: contact)
        line.phoneHash = store.identityHash(contact.comparablePhone)
        line.emailHash = store.identityHash(contact.comparableEmail)
        return line
    }

    private func record(_ kind: JournalRecord.Kind, entry: String, operation: String, contactID: ContactID) -> JournalRecord {
        var line = JournalRecord(
            kind: kind, entry: entry, operation: operation, at: Date(), operator: operatorName, profile: profile,
            dialect: account.dialect, baseURL: account.baseURL, contactID: contactID.rawValue)
        line.host = host
        return line
    }

    /// Writes `records` after any outcome kept back, in one transaction; where that fails,
    /// `keepingOnFailure` keeps them back too.
    private func append(_ records: [JournalRecord], keepingOnFailure: Bool = false) throws(JournalError) {
        let store = self.store
        try unwritten.withLock { (kept: inout [JournalRecord]) throws(JournalError) in
            guard !kept.isEmpty || !records.isEmpty else { return }
            do throws(JournalError) {
                try store.append(kept + records)
                kept.removeAll()
            } catch {
                self.failures.withLock { $0.append(error) }
                if keepingOnFailure { kept += records }
                throw error
            }
        }
    }
}

/// The plan a deletion applies, for its journal record.
public struct PlanStamp: Sendable {
    public var checksum: String
    public var planner: String
    public var approver: String?

    public init(checksum: String, planner: String, approver: String?) {
        self.checksum = checksum
        self.planner = planner
        self.approver = approver
    }
}
