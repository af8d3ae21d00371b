import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import RosterCore
import RosterEngine

/// What a team shares through its store besides the records: the account's rate-limit window,
/// the retention period, and plans.
extension PostgresJournalStore {
    /// Takes one place of the quota `key` (at most `limit` per `span` seconds, by the
    /// database's clock); nil when taken, else the seconds until the oldest place frees.
    public func takeQuota(_ key: String, limit: Int?, span: Double) throws(JournalError) -> Double? {
        try locked("written") { connection throws -> Double? in
            try transaction(connection) {
                // One taker at a time per quota: each then counts what the others took.
                try run(connection, "SELECT pg_advisory_xact_lock(hashtext($1))", [.text("roster-quota:" + key)])
                var (limit, span) = (limit, span)
                if limit == nil, let learned = try learnedQuota(key, connection) { (limit, span) = learned }
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
                    [.text(key), .integer(Int64(limit ?? Int(Int32.max))), .real(span)])
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

    /// The server's window holds `limit` and has counted `used` requests, ending in `resetIn`
    /// seconds: the limit and window are kept for Rosters yet to learn them, and places the
    /// store does not know of are taken until then (by the database's clock).
    public func observeQuota(_ key: String, limit: Int, used: Int, resetIn: Double?, span: Double) throws(JournalError) {
        let shift = min(0, (resetIn ?? span) - span)
        try locked("written") { connection throws in
            try transaction(connection) {
                try run(connection, "SELECT pg_advisory_xact_lock(hashtext($1))", [.text("roster-quota:" + key)])
                try run(
                    connection,
                    """
                    INSERT INTO roster_meta(key, value) VALUES ($1, $2)
                    ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE roster_meta.value <> excluded.value
                    """,
                    [.text(Self.learnedQuotaKey(key)), .text("\(limit) \(span)")])
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


    static func learnedQuotaKey(_ key: String) -> String { "quota-learned:" + key }

    /// The limit and window (with its margin) a Roster last learned for this quota from the
    /// server's answers.
    private func learnedQuota(_ key: String, _ connection: PostgresConnection) throws -> (Int, Double)? {
        let text = try run(connection, "SELECT value FROM roster_meta WHERE key = $1", [.text(Self.learnedQuotaKey(key))]).first?.first?.text
        let parts = text?.split(separator: " ") ?? []
        guard parts.count == 2, let limit = Int(parts[0]), limit > 0, let span = Double(parts[1]), span > 0 else { return nil }
        return (limit, span)
    }

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
}
