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
    private let url: JournalURL
    private let configuration: PostgresConnection.Configuration
    private let group: MultiThreadedEventLoopGroup
    private let logger = Logger(label: "roster.journal", factory: { _ in SwiftLogNoOpLogHandler() })
    /// Guards `connection`: one call at a time on the one connection.
    private let lock = NSLock()
    private var connection: PostgresConnection?
    private var secret: [UInt8] = []
    /// The longest a statement may go unanswered before the store is treated as lost.
    let answerTimeout: TimeAmount

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
            throw JournalError("the team's journal \(url) cannot be used: \(error)")
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

    public func append(_ records: [JournalRecord]) throws(JournalError) {
        try insert(records, skippingKnown: false)
    }

    /// Appends the records the team's store does not hold yet (the same entry and kind), in
    /// one transaction: an upload interrupted after its commit is not written twice.
    public func appendOnce(_ records: [JournalRecord]) throws(JournalError) {
        try insert(records, skippingKnown: true)
    }

    private func insert(_ records: [JournalRecord], skippingKnown: Bool) throws(JournalError) {
        guard !records.isEmpty else { return }
        let names = JournalColumns.names.map(Self.quoted).joined(separator: ", ")
        let placeholders = (1...JournalColumns.names.count).map { "$\($0)" }.joined(separator: ", ")
        // $1 is the record's kind, $2 its entry.
        let statement = skippingKnown
            ? "INSERT INTO roster_records(\(names)) SELECT \(placeholders) WHERE NOT EXISTS (SELECT 1 FROM roster_records WHERE entry = $2 AND kind = $1)"
            : "INSERT INTO roster_records(\(names)) VALUES (\(placeholders))"
        try locked("written") { connection throws in
            try transaction(connection) {
                // One writer at a time across the team: a record's number is then the order in
                // which records were committed, which `records(after:)` relies on.
                try run(connection, "SELECT pg_advisory_xact_lock(\(Self.appendLock))")
                for record in records { try run(connection, statement, JournalColumns.values(of: record)) }
            }
        }
    }

    public func records(on account: JournalAccount?) throws(JournalError) -> [JournalRecord] {
        let names = JournalColumns.names.map(Self.quoted).joined(separator: ", ")
        return try locked("read") { connection throws in
            if let account {
                return try run(
                    connection, "SELECT \(names) FROM roster_records WHERE dialect = $1 AND base_url = $2 ORDER BY seq",
                    [.text(account.dialect), .text(account.baseURL)]
                ).map(JournalColumns.record)
            }
            return try run(connection, "SELECT \(names) FROM roster_records ORDER BY seq").map(JournalColumns.record)
        }
    }

    public func records(after sequence: Int64) throws(JournalError) -> [(sequence: Int64, record: JournalRecord)] {
        let names = JournalColumns.names.map(Self.quoted).joined(separator: ", ")
        return try locked("read") { connection throws in
            try run(connection, "SELECT seq, \(names) FROM roster_records WHERE seq > $1 ORDER BY seq", [.integer(sequence)])
                .map { row in (row[0].integer ?? 0, JournalColumns.record(Array(row.dropFirst()))) }
        }
    }

    public func records(restoring entry: String) throws(JournalError) -> [JournalRecord] {
        let names = JournalColumns.names.map(Self.quoted).joined(separator: ", ")
        return try locked("read") { connection throws in
            try run(
                connection,
                "SELECT \(names) FROM roster_records WHERE entry IN (SELECT entry FROM roster_records WHERE restores = $1) ORDER BY seq",
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

    // MARK: Claims

    /// How long a claim lives without its heartbeat; the heartbeat renews it twice as often.
    let claimLifetime: Int
    private let heldClaims = NIOLockedValueBox<Set<String>>([])
    private var heartbeat: RepeatedTask?

    public func claim(_ contactID: String, on account: JournalAccount, for claimant: Claimant) throws(JournalError) -> String? {
        let holder = try locked("written") { connection throws -> String? in
            let granted = try run(
                connection,
                """
                INSERT INTO roster_claims(dialect, base_url, contact_id, session, "operator", host, expires_at)
                VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))
                ON CONFLICT (dialect, base_url, contact_id) DO UPDATE
                SET session = excluded.session, "operator" = excluded."operator", host = excluded.host,
                    claimed_at = now(), expires_at = excluded.expires_at
                WHERE roster_claims.expires_at < now() OR roster_claims.session = excluded.session
                RETURNING session
                """,
                [
                    .text(account.dialect), .text(account.baseURL), .text(contactID), .text(claimant.session), .text(claimant.operatorName),
                    .text(claimant.host), .real(Double(claimLifetime)),
                ])
            guard granted.isEmpty else { return nil }
            let held = try run(
                connection, "SELECT \"operator\", host FROM roster_claims WHERE dialect = $1 AND base_url = $2 AND contact_id = $3",
                [.text(account.dialect), .text(account.baseURL), .text(contactID)])
            guard let row = held.first else { return "another operator" }
            return Claimant(session: "", operatorName: row[0].text ?? "", host: row[1].text ?? "").name
        }
        if holder == nil { heldClaims.withLockedValue { $0.insert(claimant.session) } }
        return holder
    }

    public func release(_ contactID: String, on account: JournalAccount, for claimant: Claimant) {
        _ = try? locked("written") { connection throws in
            try run(
                connection, "DELETE FROM roster_claims WHERE dialect = $1 AND base_url = $2 AND contact_id = $3 AND session = $4",
                [.text(account.dialect), .text(account.baseURL), .text(contactID), .text(claimant.session)])
        }
    }

    public func claimsHeld(on account: JournalAccount, notBy claimant: Claimant) -> [String: String] {
        let rows = (try? locked("read") { connection throws in
            try run(
                connection,
                "SELECT contact_id, \"operator\", host FROM roster_claims WHERE dialect = $1 AND base_url = $2 AND session <> $3 AND expires_at > now()",
                [.text(account.dialect), .text(account.baseURL), .text(claimant.session)])
        }) ?? []
        return Dictionary(rows.map { ($0[0].text ?? "", Claimant(session: "", operatorName: $0[1].text ?? "", host: $0[2].text ?? "").name) }) { $1 }
    }

    /// Keeps this run's claims alive while their requests wait (a rate-limit wait may last
    /// minutes); a Roster that crashed stops renewing, and its claims expire.
    private func startHeartbeat() {
        let every = TimeAmount.seconds(Int64(max(1, claimLifetime / 2)))
        heartbeat = group.next().scheduleRepeatedTask(initialDelay: every, delay: every) { [weak self] _ in
            guard let self else { return }
            let sessions = self.heldClaims.withLockedValue { Array($0) }
            guard !sessions.isEmpty else { return }
            // Off the event loop: the store's calls wait on it.
            DispatchQueue.global().async {
                for session in sessions {
                    _ = try? self.locked("written") { connection throws in
                        try self.run(
                            connection, "UPDATE roster_claims SET expires_at = now() + make_interval(secs => $1) WHERE session = $2",
                            [.real(Double(self.claimLifetime)), .text(session)])
                    }
                }
            }
        }
    }

    // MARK: The shared quota

    /// Takes one place of the quota `key` (at most `limit` per `span` seconds, by the
    /// database's clock); nil when taken, else the seconds until the oldest place frees.
    public func takeQuota(_ key: String, limit: Int, span: Double) throws(JournalError) -> Double? {
        try locked("written") { connection throws -> Double? in
            try transaction(connection) {
                // One taker at a time per quota: each then counts what the others took.
                try run(connection, "SELECT pg_advisory_xact_lock(hashtext($1))", [.text("roster-quota:" + key)])
                let rows = try run(
                    connection,
                    """
                    WITH recent AS (
                        SELECT COUNT(*) AS taken, MIN(at) AS oldest FROM roster_quota_sends
                        WHERE quota = $1 AND at > clock_timestamp() - make_interval(secs => $3)
                    ), took AS (
                        INSERT INTO roster_quota_sends(quota, at) SELECT $1, clock_timestamp() FROM recent WHERE taken < $2 RETURNING at
                    )
                    SELECT (SELECT COUNT(*) FROM took),
                           EXTRACT(EPOCH FROM ((SELECT oldest FROM recent) + make_interval(secs => $3) - clock_timestamp()))::float8
                    """,
                    [.text(key), .integer(Int64(limit)), .real(span)])
                if (rows.first?[0].integer ?? 0) > 0 {
                    // Now and then, what no window can count any more goes.
                    if Int.random(in: 0..<50) == 0 {
                        try run(
                            connection, "DELETE FROM roster_quota_sends WHERE quota = $1 AND at < clock_timestamp() - make_interval(secs => $2)",
                            [.text(key), .real(span * 2)])
                    }
                    return nil
                }
                return max(0.001, rows.first?[1].real ?? span)
            }
        }
    }

    /// The server counted `used` requests in a window ending in `resetIn` seconds: places the
    /// store does not know of are taken until then (by the database's clock).
    public func observeQuota(_ key: String, used: Int, resetIn: Double?, span: Double) throws(JournalError) {
        let shift = min(0, (resetIn ?? span) - span)
        try locked("written") { connection throws in
            try transaction(connection) {
                try run(connection, "SELECT pg_advisory_xact_lock(hashtext($1))", [.text("roster-quota:" + key)])
                try run(
                    connection,
                    """
                    WITH recent AS (
                        SELECT COUNT(*) AS taken FROM roster_quota_sends
                        WHERE quota = $1 AND at > clock_timestamp() - make_interval(secs => $3)
                    )
                    INSERT INTO roster_quota_sends(quota, at)
                    SELECT $1, clock_timestamp() + make_interval(secs => $4) FROM recent, generate_series(1, GREATEST(0, $2 - recent.taken))
                    """,
                    [.text(key), .integer(Int64(used)), .real(span), .real(shift)])
            }
        }
    }

    // MARK: Retention

    public func retentionDays() throws(JournalError) -> Int? {
        try locked("read") { connection throws -> Int? in
            try run(connection, "SELECT value FROM roster_meta WHERE key = 'retention_days'").first?.first?.text.flatMap { Int($0) }
        }
    }

    public func setRetentionDays(_ days: Int) throws(JournalError) {
        try locked("written") { connection throws in
            try run(
                connection,
                "INSERT INTO roster_meta(key, value) VALUES ('retention_days', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [.text(String(days))])
        }
    }

    // MARK: Shared plans

    /// Keeps a plan's text under `id`; false when the id is taken.
    public func sharePlan(id: String, planner: String, text: String) throws(JournalError) -> Bool {
        try locked("written") { connection throws -> Bool in
            !(try run(
                connection, "INSERT INTO roster_plans(id, planner, text) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING RETURNING id",
                [.text(id), .text(planner), .text(text)])).isEmpty
        }
    }

    /// The text of the plan `id`; nil when there is none.
    public func sharedPlan(id: String) throws(JournalError) -> String? {
        try locked("read") { connection throws -> String? in
            try run(connection, "SELECT text FROM roster_plans WHERE id = $1", [.text(id)]).first?.first?.text
        }
    }

    /// Replaces the plan's text if it is still `previous` (nobody changed it since it was
    /// read); false otherwise.
    public func replacePlan(id: String, previous: String, with text: String) throws(JournalError) -> Bool {
        try locked("written") { connection throws -> Bool in
            !(try run(
                connection, "UPDATE roster_plans SET text = $3, updated_at = now() WHERE id = $1 AND text = $2 RETURNING id",
                [.text(id), .text(previous), .text(text)])).isEmpty
        }
    }

    /// Every shared plan: its id and text.
    public func sharedPlans() throws(JournalError) -> [(id: String, text: String)] {
        try locked("read") { connection throws in
            try run(connection, "SELECT id, text FROM roster_plans ORDER BY created_at").map { ($0[0].text ?? "", $0[1].text ?? "") }
        }
    }

    // MARK: The schema

    /// Each version's statements; the position is the version they lead to, minus one.
    static let migrations: [[String]] = [
        [
            """
            CREATE TABLE roster_records (
                seq BIGSERIAL PRIMARY KEY,
                kind TEXT NOT NULL,
                entry TEXT NOT NULL,
                operation TEXT NOT NULL,
                "at" DOUBLE PRECISION NOT NULL,
                "operator" TEXT NOT NULL,
                host TEXT,
                profile TEXT NOT NULL,
                dialect TEXT NOT NULL,
                base_url TEXT NOT NULL,
                contact_id TEXT NOT NULL,
                contact TEXT,
                result TEXT,
                status BIGINT,
                message TEXT,
                batch TEXT,
                restores TEXT,
                new_contact_id TEXT,
                plan TEXT,
                planner TEXT,
                approver TEXT,
                phone_hash TEXT,
                email_hash TEXT,
                pruned_at DOUBLE PRECISION
            )
            """,
            "CREATE INDEX roster_records_account ON roster_records(dialect, base_url, seq)",
            "CREATE INDEX roster_records_entry ON roster_records(entry)",
            "CREATE INDEX roster_records_unpruned ON roster_records(\"at\") WHERE pruned_at IS NULL",
            """
            CREATE TABLE roster_damaged (
                seq BIGSERIAL PRIMARY KEY,
                source TEXT NOT NULL,
                line BIGINT NOT NULL,
                reason TEXT NOT NULL,
                bytes BYTEA NOT NULL,
                found_at DOUBLE PRECISION NOT NULL
            )
            """,
            "CREATE TABLE roster_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ],
        [
            // A contact one run of Roster has a request on the way for; the database's clock
            // decides when an abandoned claim (a crash) has expired, never a host's.
            """
            CREATE TABLE roster_claims (
                dialect TEXT NOT NULL,
                base_url TEXT NOT NULL,
                contact_id TEXT NOT NULL,
                session TEXT NOT NULL,
                "operator" TEXT NOT NULL,
                host TEXT NOT NULL,
                claimed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                expires_at TIMESTAMPTZ NOT NULL,
                PRIMARY KEY (dialect, base_url, contact_id)
            )
            """,
            "CREATE INDEX roster_claims_session ON roster_claims(session)",
            "CREATE INDEX roster_records_restores ON roster_records(restores) WHERE restores IS NOT NULL",
        ],
        [
            // The places of an account's rate-limit window the team's Rosters have taken, by
            // the database's clock: one row per request (`quota` names the account and which
            // of its quotas).
            "CREATE TABLE roster_quota_sends (quota TEXT NOT NULL, at TIMESTAMPTZ NOT NULL)",
            "CREATE INDEX roster_quota_sends_at ON roster_quota_sends(quota, at)",
        ],
        [
            // Plans shared with the team (`roster plan --share`): the plan file's text, whole,
            // under a short id; an approval replaces the text, checked against what was read.
            """
            CREATE TABLE roster_plans (
                id TEXT PRIMARY KEY,
                planner TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
                text TEXT NOT NULL
            )
            """,
        ],
    ]

    /// Keys of the advisory locks: the schema's migration, and the order of appends.
    static let schemaLock: Int64 = 0x526F_7374_6572_0001
    static let appendLock: Int64 = 0x526F_7374_6572_0002

    private func migrate(_ connection: PostgresConnection) throws {
        try transaction(connection) {
            try run(connection, "SELECT pg_advisory_xact_lock(\(Self.schemaLock))")
            try run(connection, "CREATE TABLE IF NOT EXISTS roster_schema (version INTEGER NOT NULL)")
            let current = Int(try run(connection, "SELECT MAX(version) FROM roster_schema").first?.first?.integer ?? 0)
            guard current <= Self.version else {
                throw JournalError("it was made by a newer Roster (schema version \(current); this one knows up to \(Self.version))")
            }
            for steps in Self.migrations.dropFirst(current) {
                for statement in steps { try run(connection, statement) }
            }
            if current < Self.version {
                try run(connection, "DELETE FROM roster_schema")
                try run(connection, "INSERT INTO roster_schema(version) VALUES (\(Self.version))")
                // The key of the hashes pruned records keep: the team's own, never shown.
                try run(
                    connection, "INSERT INTO roster_meta(key, value) VALUES ('hash_secret', $1) ON CONFLICT (key) DO NOTHING",
                    [.text(Retention.newSecret())])
            }
            let stored = try run(connection, "SELECT value FROM roster_meta WHERE key = 'hash_secret'").first?.first?.text ?? ""
            secret = Retention.secretBytes(stored)
        }
    }

    // MARK: Talking to the server

    /// `body` on the connection (made, or made again after a loss, first), one caller at a
    /// time; a failure says what could not be done and why, and a lost connection is dropped
    /// so that the next call connects again.
    private func locked<T>(_ done: String, _ body: (PostgresConnection) throws -> T) throws(JournalError) -> T {
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
    private func transaction<T>(_ connection: PostgresConnection, _ body: () throws -> T) throws -> T {
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
    private func run(_ connection: PostgresConnection, _ sql: String, _ values: [ColumnValue] = []) throws -> [[ColumnValue]] {
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
    private static func value(_ cell: PostgresCell) throws -> ColumnValue {
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
    private func wait<T: Sendable>(_ future: EventLoopFuture<T>, timeout: TimeAmount) throws -> T {
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
    private func dropConnection() {
        guard let lost = connection else { return }
        connection = nil
        let closing: EventLoopFuture<Void> = lost.close()
        closing.whenComplete { _ in }
    }

    struct NoAnswer: Error, CustomStringConvertible {
        var seconds: Double
        var description: String { "the database did not answer within \(Int(seconds.rounded())) s" }
    }

    // MARK: Configuration and messages

    private static func configuration(_ url: JournalURL, password: String?) throws -> PostgresConnection.Configuration {
        var tls = TLSConfiguration.makeClientConfiguration()
        let mode: PostgresConnection.Configuration.TLS
        switch url.sslMode {
        case .disable:
            mode = .disable
        case .allow, .prefer, .require:
            // libpq's require checks the certificate only against a named root certificate.
            if url.sslMode == .require, let roots = url.rootCertificates {
                tls.trustRoots = .file(roots)
                tls.certificateVerification = .noHostnameVerification
            } else {
                tls.certificateVerification = .none
            }
            let context = try NIOSSLContext(configuration: tls)
            mode = url.sslMode == .require ? .require(context) : .prefer(context)
        case .verifyCA, .verifyFull:
            if let roots = url.rootCertificates { tls.trustRoots = .file(roots) }
            tls.certificateVerification = url.sslMode == .verifyFull ? .fullVerification : .noHostnameVerification
            mode = .require(try NIOSSLContext(configuration: tls))
        }
        var configuration: PostgresConnection.Configuration
        if let folder = url.socketFolder {
            configuration = .init(
                unixSocketPath: folder + "/.s.PGSQL.\(url.port)", username: url.user, password: password, database: url.database)
        } else {
            configuration = .init(
                host: url.host ?? "", port: url.port, username: url.user, password: password, database: url.database, tls: mode)
        }
        configuration.options.connectTimeout = .milliseconds(Int64(url.connectTimeout * 1000))
        configuration.options.additionalStartupParameters = [("application_name", "roster")]
        return configuration
    }

    private static func isConnectionLost(_ error: any Error) -> Bool {
        if error is NoAnswer { return true }
        guard let failure = error as? PSQLError else { return true }
        return failure.code != .server
    }

    /// What went wrong, in the server's or the operating system's words (PSQLError's own
    /// description hides them).
    static func describe(_ error: any Error) -> String {
        guard let failure = error as? PSQLError else { return readable(error) }
        if let info = failure.serverInfo, let message = info[.message] {
            return message + (info[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
        }
        if let underlying = failure.underlying { return readable(underlying) }
        switch failure.code {
        case .serverClosedConnection, .uncleanShutdown: return "the database closed the connection"
        case .authMechanismRequiresPassword: return "the database asks for a password: set PGPASSWORD, journal_password_file or ~/.pgpass"
        case .sslUnsupported: return "the database does not offer TLS (sslmode asks for it)"
        default: return "\(failure.code)"
        }
    }

    /// A network failure in the operating system's words ("Connection refused").
    private static func readable(_ error: any Error) -> String {
        if let connecting = error as? NIOConnectionError {
            if let last = connecting.connectionErrors.last?.error { return readable(last) }
            if connecting.dnsAError != nil || connecting.dnsAAAAError != nil { return "the host name \(connecting.host) does not resolve" }
        }
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)) }
        if let channel = error as? ChannelError, case .connectTimeout(let after) = channel {
            return "no connection within \(after.nanoseconds / 1_000_000_000) s"
        }
        if let unknown = error as? SocketAddressError, case .unknown(let host, _) = unknown { return "the host name \(host) does not resolve" }
        return "\(error)"
    }

    private static func quoted(_ name: String) -> String { "\"\(name)\"" }
}
