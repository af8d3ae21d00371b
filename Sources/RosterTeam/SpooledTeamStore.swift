import Foundation
import RosterCore
import RosterEngine

/// A team's store with a local spool for when it goes away mid-batch. An intent must reach the
/// team's store, or nothing is sent; an outcome (or a "not sent") of a request already on the
/// wire must not be lost with the connection: it goes to a SQLite file of the operator's own
/// (`team-spool.db`, 0600, in the state folder) and is uploaded, once, ahead of the next record
/// the store takes, or when Roster next opens it.
public final class SpooledTeamStore: JournalStore, @unchecked Sendable {
    public let team: PostgresJournalStore
    public let spoolPath: String
    private let lock = NSLock()
    /// Open while it holds records; nil when there is none.
    private var spool: SQLiteJournalStore?
    private var said: [String] = []

    public init(team: PostgresJournalStore, spoolPath: String) {
        self.team = team
        self.spoolPath = spoolPath
        lock.withLock {
            guard FileManager.default.fileExists(atPath: spoolPath) else { return }
            spool = try? SQLiteJournalStore(path: spoolPath)
            switch Result(catching: { () throws(JournalError) in try uploadLocked() }) {
            case .success(let count) where count > 0:
                said.append("\(count) record\(count == 1 ? "" : "s") kept in \(spoolPath) while the team's journal was away \(count == 1 ? "was" : "were") uploaded to it")
            case .failure(let error):
                said.append("records kept in \(spoolPath) while the team's journal was away are not uploaded yet: \(error)")
            default: break
            }
        }
    }

    public var location: String { team.location }
    public var notes: [String] { team.notes + lock.withLock { said } }

    public func append(_ records: [JournalRecord]) throws(JournalError) {
        try locked { () throws(JournalError) in
            do throws(JournalError) {
                _ = try uploadLocked()
                try team.append(records)
            } catch {
                // An intent that cannot reach the team's store stops its request: nothing is sent.
                guard !records.contains(where: { $0.kind == .intent }) else { throw error }
                try spoolLocked().append(records)
            }
        }
    }

    public func records(on account: JournalAccount?) throws(JournalError) -> [JournalRecord] {
        try locked { () throws(JournalError) in
            _ = try? uploadLocked()
            let kept = try spool?.records(on: account) ?? []
            return try team.records(on: account) + kept
        }
    }

    public func records(after sequence: Int64) throws(JournalError) -> [(sequence: Int64, record: JournalRecord)] {
        try team.records(after: sequence)
    }

    public func claim(_ contactID: String, on account: JournalAccount, for claimant: Claimant) throws(JournalError) -> String? {
        try team.claim(contactID, on: account, for: claimant)
    }

    public func release(_ contactID: String, on account: JournalAccount, for claimant: Claimant) {
        team.release(contactID, on: account, for: claimant)
    }

    public func claimsHeld(on account: JournalAccount, notBy claimant: Claimant) -> [String: String] {
        team.claimsHeld(on: account, notBy: claimant)
    }

    public func records(restoring entry: String) throws(JournalError) -> [JournalRecord] {
        try team.records(restoring: entry)
    }

    public func purge(_ person: PersonIdentity) throws(JournalError) -> Int {
        try team.purge(person)
    }

    public func retentionDays() throws(JournalError) -> Int? { try team.retentionDays() }
    public func setRetentionDays(_ days: Int) throws(JournalError) { try team.setRetentionDays(days) }

    public func damagedLines() throws(JournalError) -> [DamagedLine] { try team.damagedLines() }
    public func prune(before cutoff: Date) throws(JournalError) -> PruneReport { try team.prune(before: cutoff) }
    public func identityHash(_ text: String) -> String? { team.identityHash(text) }

    public func checkWritable() throws(JournalError) {
        try locked { () throws(JournalError) in _ = try uploadLocked() }
        try team.checkWritable()
    }

    /// Records still waiting in the spool.
    public var spooledCount: Int {
        lock.withLock { (try? spool?.records(on: nil).count) ?? 0 }
    }

    /// Sends what the spool holds to the team's store (records already there are not written
    /// twice), then empties it; how many went.
    private func uploadLocked() throws(JournalError) -> Int {
        guard let spool else { return 0 }
        let kept = try spool.records(on: nil)
        if !kept.isEmpty { try team.appendOnce(kept) }
        self.spool = nil
        for suffix in ["", "-wal", "-shm"] { unlink(spoolPath + suffix) }
        return kept.count
    }

    private func locked<T>(_ body: () throws(JournalError) -> T) throws(JournalError) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    private func spoolLocked() throws(JournalError) -> SQLiteJournalStore {
        if let spool { return spool }
        let opened = try SQLiteJournalStore(path: spoolPath)
        spool = opened
        return opened
    }
}
