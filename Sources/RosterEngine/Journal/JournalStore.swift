import Foundation
import RosterCore

/// Where the journal's records are kept. The default is a SQLite file in the operator's state
/// folder; a team's store (PostgreSQL) keeps the same records with the same meaning. Every
/// write is durable when the call returns: an intent that returns is on disk before the
/// request it announces leaves.
public protocol JournalStore: Sendable {
    /// Where the store is, for messages: a path, or a database named without its password.
    var location: String { get }
    /// Appends `records` together, in order: all of them are kept or none.
    func append(_ records: [JournalRecord]) throws(JournalError)
    /// The records of one account (nil: of every account), in the order they were written.
    func records(on account: JournalAccount?) throws(JournalError) -> [JournalRecord]
    /// Records written after the one numbered `sequence`, with their numbers (to follow a batch).
    func records(after sequence: Int64) throws(JournalError) -> [(sequence: Int64, record: JournalRecord)]
    /// Lines of an old journal file that could not be read when it was imported.
    func damagedLines() throws(JournalError) -> [DamagedLine]
    /// Keeps only what a record needs after `cutoff` has passed it: see `Retention`.
    func prune(before cutoff: Date) throws(JournalError) -> PruneReport
    /// A keyed hash of a phone's digits or a folded email, under this store's secret: what a
    /// record keeps of them once pruned.
    func identityHash(_ text: String) -> String?
    /// Proves the store takes a write now (a full disk, a read-only file, a lost database).
    func checkWritable() throws(JournalError)
    /// What opening the store found worth saying once (an import, a network filesystem).
    var notes: [String] { get }
    /// Takes `contactID` on `account` for `claimant` while its request is on the way: nil when
    /// granted (or already theirs), else who holds it (`ops-a@jump2`). A store one operator
    /// keeps alone grants every claim.
    func claim(_ contactID: String, on account: JournalAccount, for claimant: Claimant) throws(JournalError) -> String?
    /// Gives the claim up (the outcome is written); a claim not given up expires by itself.
    func release(_ contactID: String, on account: JournalAccount, for claimant: Claimant)
    /// The contacts of `account` other operators hold now, and who holds each.
    func claimsHeld(on account: JournalAccount, notBy claimant: Claimant) -> [String: String]
    /// The records of the restores of the deletion `entry` (intents and their outcomes).
    func records(restoring entry: String) throws(JournalError) -> [JournalRecord]
    /// Removes every copy of a person the store keeps (an erasure): the contact's record and
    /// the messages of each entry whose intent carries their hashes, and damaged lines naming
    /// their email. Returns how many records held something of them.
    func purge(_ person: PersonIdentity) throws(JournalError) -> Int
    /// Days the store keeps personal data, where the store itself says (a team's: one period
    /// for every operator); nil: each operator's `journal_retention` decides.
    func retentionDays() throws(JournalError) -> Int?
    func setRetentionDays(_ days: Int) throws(JournalError)
}

extension JournalStore {
    public func retentionDays() throws(JournalError) -> Int? { nil }

    public func setRetentionDays(_ days: Int) throws(JournalError) {
        throw JournalError("the journal at \(location) is this operator's own: its period is journal_retention in config.toml")
    }

    /// A store that cannot purge refuses, rather than keep a copy an erasure promised to remove.
    public func purge(_ person: PersonIdentity) throws(JournalError) -> Int {
        throw JournalError("the journal at \(location) cannot remove a person's records")
    }

    /// The SQL condition on `phone_hash` and `email_hash` that finds `person`'s records, and
    /// its values; nil when nothing of them can be hashed.
    public func personCondition(_ person: PersonIdentity, placeholder: (Int) -> String) -> (sql: String, values: [ColumnValue])? {
        var parts: [String] = []
        var values: [ColumnValue] = []
        if let phone = person.phone.flatMap(identityHash) {
            values.append(.text(phone))
            parts.append("phone_hash = \(placeholder(values.count))")
        }
        if let email = person.email.flatMap(identityHash) {
            values.append(.text(email))
            parts.append("email_hash = \(placeholder(values.count))")
        }
        guard !parts.isEmpty else { return nil }
        return ("(" + parts.joined(separator: person.requiresBoth ? " AND " : " OR ") + ")", values)
    }
}

extension JournalStore {
    public func claim(_ contactID: String, on account: JournalAccount, for claimant: Claimant) throws(JournalError) -> String? { nil }
    public func release(_ contactID: String, on account: JournalAccount, for claimant: Claimant) {}
    public func claimsHeld(on account: JournalAccount, notBy claimant: Claimant) -> [String: String] { [:] }

    public func records(restoring entry: String) throws(JournalError) -> [JournalRecord] {
        let all = try records(on: nil)
        let intents = Set(all.filter { $0.restores == entry }.map(\.entry))
        return all.filter { intents.contains($0.entry) }
    }
}

/// Who claims a contact: one run of Roster, by an operator on a host.
public struct Claimant: Sendable, Equatable {
    public var session: String
    public var operatorName: String
    public var host: String

    public init(session: String, operatorName: String, host: String) {
        self.session = session
        self.operatorName = operatorName
        self.host = host
    }

    /// How other operators see them: `ops-a@jump2`.
    public var name: String { host.isEmpty ? operatorName : "\(operatorName)@\(host)" }
}

/// The account a record belongs to: the same dialect at the same base URL.
public struct JournalAccount: Sendable, Equatable {
    public var dialect: String
    public var baseURL: String

    public init(dialect: String, baseURL: String) {
        self.dialect = dialect
        self.baseURL = baseURL
    }

    public init(_ account: AccountInfo) {
        self.init(dialect: account.dialect.rawValue, baseURL: account.baseURL)
    }
}

/// A line of an old JSON Lines journal that did not parse, kept aside rather than hiding the
/// records around it.
public struct DamagedLine: Sendable, Equatable {
    /// The file it came from, and its line number there (from 1).
    public var source: String
    public var line: Int
    public var reason: String
    public var bytes: [UInt8]

    public init(source: String, line: Int, reason: String, bytes: [UInt8]) {
        self.source = source
        self.line = line
        self.reason = reason
        self.bytes = bytes
    }
}

/// What pruning did.
public struct PruneReport: Sendable, Equatable {
    /// Records whose personal data was removed now.
    public var records: Int
    /// Damaged lines dropped (they may hold personal data too).
    public var damagedLines: Int
    /// Old journal files removed (their newest record had passed the retention period).
    public var oldFiles: [String]

    public init(records: Int = 0, damagedLines: Int = 0, oldFiles: [String] = []) {
        self.records = records
        self.damagedLines = damagedLines
        self.oldFiles = oldFiles
    }

    public var isEmpty: Bool { records == 0 && damagedLines == 0 && oldFiles.isEmpty }
}

/// The journal could not be opened, read or written: the message names where and why.
public struct JournalError: Error, Sendable, CustomStringConvertible, Equatable {
    public var description: String
    public init(_ description: String) { self.description = description }
}
