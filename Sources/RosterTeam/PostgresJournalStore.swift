import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import RosterCore
import RosterEngine

/// A team's journal in PostgreSQL: the same records, columns and meaning as the SQLite store,
/// shared by every operator whose profile names the same database. A commit returns once the
/// server has made it durable (`synchronous_commit`, on by default), so an intent is on the
/// server's disk before its request leaves.
///
/// The store protocol is synchronous (SQLite's C API is, and an intent must be durable before
/// the DELETE it announces), while postgres-nio is asynchronous. The client runs on its own
/// event-loop thread, and a call waits on that thread's futures: it never needs Swift's
/// cooperative pool to progress, so a caller on that pool blocks no longer than the database
/// takes to answer (bounded by `answerTimeout`), as it blocks for SQLite's fsync today.
public final class PostgresJournalStore: JournalStore, @unchecked Sendable {
    public let location: String
    public private(set) var notes: [String] = []
    let url: JournalURL
    let configuration: PostgresConnection.Configuration
    let group: MultiThreadedEventLoopGroup
    let logger = Logger(label: "roster.journal", factory: { _ in SwiftLogNoOpLogHandler() })
    /// Guards `connection`: one call at a time on the one connection.
    private let lock = NSLock()
    private var connection: PostgresConnection?
    var secret: [UInt8] = []
    /// The longest a statement may go unanswered before the store is treated as lost.
    let answerTimeout: TimeAmount

    /// How long a claim lives without its heartbeat; the heartbeat renews it twice as often.
    let claimLifetime: Int
    let heldClaims = NIOLockedValueBox<Set<String>>([])
    var heartbeat: RepeatedTask?

    /// The schema version this Roster writes; an older store is migrated on first use.
    static var version: Int { migrations.count }

    /// Connects to `url` with `password`, and migrates the schema on first use (several Rosters
    /// starting together migrate it once between them).
    public init(url: JournalURL, password: DatabasePassword, answerTimeout: Double = 15, claimLifetime: Int = 60) throws(JournalError) {
        self.url = url
        self.claimLifetime = claimLifetime
        location = url.description
        self.answerTimeout = .milliseconds(Int64(answerTimeout * 1000))
        notes = password.notes
        do {
            configuration = try Self.configuration(url, password: password.password)
        } catch {
            throw JournalError("the team's journal \(url) cannot be used: \(Self.readable(error))")
        }
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            try locked("opened") { connection throws in try migrate(connection) }
        } catch {
            try? group.syncShutdownGracefully()
            throw error
        }
        startHeartbeat()
    }

    deinit {
        heartbeat?.cancel()
        if let connection { _ = try? connection.close().wait() }
        try? group.syncShutdownGracefully()
    }

    /// The record columns, quoted, in `JournalColumns` order.
    static let columns = JournalColumns.names.map(quoted).joined(separator: ", ")

    /// Appends records in one statement, one round trip: the insert takes the append lock
    /// itself (a trigger, schema version 5), so a record's number is the order in which
    /// records were committed, which `records(after:)` relies on.
    public func append(_ records: [JournalRecord]) throws(JournalError) {
        guard !records.isEmpty else { return }
        let width = JournalColumns.names.count
        try locked("written") { connection throws in
            // At most 500 records a statement, within PostgreSQL's 65,535 parameters.
            for start in stride(from: 0, to: records.count, by: 500) {
                let chunk = records[start..<min(start + 500, records.count)]
                let rows = (0..<chunk.count).map { row in "(" + (1...width).map { "$\(row * width + $0)" }.joined(separator: ", ") + ")" }
                try run(
                    connection, "INSERT INTO roster_records(\(Self.columns)) VALUES \(rows.joined(separator: ", "))",
                    chunk.flatMap(JournalColumns.values))
            }
        }
    }

    /// Appends the records the team's store does not hold yet (the same entry and kind), in
    /// one transaction that takes the append lock first, so that what it checks is what it
    /// writes after: an upload interrupted after its commit is not written twice.
    public func appendOnce(_ records: [JournalRecord]) throws(JournalError) {
        guard !records.isEmpty else { return }
        let placeholders = (1...JournalColumns.names.count).map { "$\($0)" }.joined(separator: ", ")
        // $1 is the record's kind, $2 its entry.
        let statement = "INSERT INTO roster_records(\(Self.columns)) SELECT \(placeholders) "
            + "WHERE NOT EXISTS (SELECT 1 FROM roster_records WHERE entry = $2 AND kind = $1)"
        try locked("written") { connection throws in
            try transaction(connection) {
                try run(connection, "SELECT pg_advisory_xact_lock(\(Self.appendLock))")
                for record in records { try run(connection, statement, JournalColumns.values(of: record)) }
            }
        }
    }

    public func records(on account: JournalAccount?) throws(JournalError) -> [JournalRecord] {
        return try locked("read") { connection throws in
            if let account {
                return try run(
                    connection, "SELECT \(Self.columns) FROM roster_records WHERE dialect = $1 AND base_url = $2 ORDER BY seq",
                    [.text(account.dialect), .text(account.baseURL)]
                ).map(JournalColumns.record)
            }
            return try run(connection, "SELECT \(Self.columns) FROM roster_records ORDER BY seq").map(JournalColumns.record)
        }
    }

    public func records(after sequence: Int64) throws(JournalError) -> [(sequence: Int64, record: JournalRecord)] {
        return try locked("read") { connection throws in
            try run(connection, "SELECT seq, \(Self.columns) FROM roster_records WHERE seq > $1 ORDER BY seq", [.integer(sequence)])
                .map { row in (row[0].integer ?? 0, JournalColumns.record(Array(row.dropFirst()))) }
        }
    }

    public func records(restoring entry: String) throws(JournalError) -> [JournalRecord] {
        return try locked("read") { connection throws in
            try run(
                connection,
                "SELECT \(Self.columns) FROM roster_records WHERE entry IN (SELECT entry FROM roster_records WHERE restores = $1) ORDER BY seq",
                [.text(entry)]
            ).map(JournalColumns.record)
        }
    }

    public func purge(_ person: PersonIdentity) throws(JournalError) -> Int {
        // The same condition numbered from $1 (the count) and from $2 (the update, whose $1 is the time).
        guard let (counted, values) = personCondition(person, placeholder: { "$\($0)" }),
              let (updated, _) = personCondition(person, placeholder: { "$\($0 + 1)" })
        else { return 0 }
        return try locked("written") { connection throws -> Int in
            try transaction(connection) {
                let held = try run(
                    connection,
                    """
                    SELECT COUNT(*) FROM roster_records WHERE entry IN (SELECT entry FROM roster_records WHERE \(counted))
                    AND (contact IS NOT NULL OR message IS NOT NULL)
                    """,
                    values)
                try run(
                    connection,
                    """
                    UPDATE roster_records SET contact = NULL, message = NULL, pruned_at = COALESCE(pruned_at, $1)
                    WHERE entry IN (SELECT entry FROM roster_records WHERE \(updated))
                    """,
                    [.real(Date().timeIntervalSince1970)] + values)
                var count = Int(held.first?.first?.integer ?? 0)
                if let email = person.email {
                    let damaged = try run(
                        connection, "DELETE FROM roster_damaged WHERE strpos(lower(convert_from(bytes, 'UTF8')), $1) > 0 RETURNING 1", [.text(email)])
                    count += damaged.count
                }
                return count
            }
        }
    }

    public func damagedLines() throws(JournalError) -> [DamagedLine] {
        try locked("read") { connection throws in
            try run(connection, "SELECT source, line, reason, bytes FROM roster_damaged ORDER BY source, line").map { row in
                DamagedLine(source: row[0].text ?? "", line: Int(row[1].integer ?? 0), reason: row[2].text ?? "", bytes: row[3].blob ?? [])
            }
        }
    }

    public func identityHash(_ text: String) -> String? {
        Retention.hash(text, secret: secret)
    }

    public func prune(before cutoff: Date) throws(JournalError) -> PruneReport {
        let limit = ColumnValue.real(cutoff.timeIntervalSince1970)
        return try locked("written") { connection throws in
            try transaction(connection) {
                let old = try run(
                    connection,
                    "SELECT COUNT(*) FROM roster_records WHERE pruned_at IS NULL AND \"at\" < $1 AND (contact IS NOT NULL OR message IS NOT NULL)",
                    [limit])
                try run(
                    connection, "UPDATE roster_records SET contact = NULL, message = NULL, pruned_at = $1 WHERE pruned_at IS NULL AND \"at\" < $2",
                    [.real(Date().timeIntervalSince1970), limit])
                let damaged = try run(connection, "SELECT COUNT(*) FROM roster_damaged WHERE found_at < $1", [limit])
                try run(connection, "DELETE FROM roster_damaged WHERE found_at < $1", [limit])
                return PruneReport(records: Int(old.first?.first?.integer ?? 0), damagedLines: Int(damaged.first?.first?.integer ?? 0))
            }
        }
    }

    public func checkWritable() throws(JournalError) {
        try locked("written") { connection throws in
            try run(
                connection,
                "INSERT INTO roster_meta(key, value) VALUES ('last_opened', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [.text(ISO8601DateFormatter().string(from: Date()))])
        }
    }

    // MARK: Talking to the server

    /// `body` on the connection (made, or made again after a loss, first), one caller at a
    /// time; a failure says what could not be done and why, and a lost connection is dropped
    /// so that the next call connects again.
    func locked<T>(_ done: String, _ body: (PostgresConnection) throws -> T) throws(JournalError) -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            let current: PostgresConnection
            if let connection, !connection.isClosed {
                current = connection
            } else {
                connection = nil
                current = try wait(
                    PostgresConnection.connect(
                        on: group.next(), configuration: configuration, id: 1, logger: logger),
                    timeout: .milliseconds(Int64(url.connectTimeout * 1000)) + .seconds(1))
                connection = current
            }
            return try body(current)
        } catch {
            if let failure = error as? JournalError { throw JournalError("the team's journal \(location) cannot be \(done): \(failure)") }
            if Self.isConnectionLost(error) { dropConnection() }
            throw JournalError("the team's journal \(location) cannot be \(done): \(Self.describe(error))")
        }
    }

    /// BEGIN, `body`, COMMIT; ROLLBACK where `body` throws.
    func transaction<T>(_ connection: PostgresConnection, _ body: () throws -> T) throws -> T {
        try run(connection, "BEGIN")
        do {
            let result = try body()
            try run(connection, "COMMIT")
            return result
        } catch {
            if !connection.isClosed { _ = try? run(connection, "ROLLBACK") }
            throw error
        }
    }

    /// Runs `sql` with `values` as $1, $2…; every row's columns as column values.
    @discardableResult
    func run(_ connection: PostgresConnection, _ sql: String, _ values: [ColumnValue] = []) throws -> [[ColumnValue]] {
        var bindings = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: bindings.appendNull()
            case .integer(let number): bindings.append(number)
            case .real(let number): bindings.append(number)
            case .text(let text): bindings.append(text)
            case .blob(let bytes): bindings.append(ByteBuffer(bytes: bytes))
            }
        }
        let result = try wait(connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger), timeout: answerTimeout)
        return try result.rows.map { row in try row.map(Self.value) }
    }

    /// A cell as a column value, by its type.
    static func value(_ cell: PostgresCell) throws -> ColumnValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .float4, .float8, .numeric: return .real(try cell.decode(Double.self))
        case .bytea: return .blob(Array(buffer: try cell.decode(ByteBuffer.self)))
        default: return .text(try cell.decode(String.self))
        }
    }

    /// The future's value, or a failure once `timeout` has passed without one (the connection
    /// is then closed: a statement may still be running on a server that stopped answering).
    func wait<T: Sendable>(_ future: EventLoopFuture<T>, timeout: TimeAmount) throws -> T {
        let loop = future.eventLoop
        let promise = loop.makePromise(of: T.self)
        let settled = NIOLockedValueBox(false)
        let seconds = Double(timeout.nanoseconds) / 1e9
        let timer = loop.scheduleTask(in: timeout) {
            if settled.withLockedValue({ done in defer { done = true }; return !done }) {
                promise.fail(NoAnswer(seconds: seconds))
            }
        }
        future.whenComplete { result in
            timer.cancel()
            if settled.withLockedValue({ done in defer { done = true }; return !done }) { promise.completeWith(result) }
        }
        do {
            return try promise.futureResult.wait()
        } catch let error as NoAnswer {
            dropConnection()
            throw error
        }
    }

    /// Closes the connection without waiting (the server may not answer); the next call makes
    /// a new one.
    func dropConnection() {
        guard let lost = connection else { return }
        connection = nil
        let closing: EventLoopFuture<Void> = lost.close()
        // Held until closed: a connection must not go while its channel is still open.
        closing.whenComplete { _ in withExtendedLifetime(lost) {} }
    }

    struct NoAnswer: Error, CustomStringConvertible {
        var seconds: Double
        var description: String { "the database did not answer within \(Int(seconds.rounded())) s" }
    }
}
