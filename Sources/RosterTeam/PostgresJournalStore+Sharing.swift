import Foundation
import PostgresNIO
import RosterCore
import RosterEngine

/// What a team shares through its store besides the records: the account's rate-limit window,
/// the retention period, and plans.
extension PostgresJournalStore {
    /// Takes one place of the quota `key` (at most `limit` per `span` seconds, by the
    /// database's clock; without a limit, the one its team last learned): nil when taken,
    /// else the seconds until the oldest place frees (`roster_take_quota`, one round trip).
    public func takeQuota(_ key: String, limit: Int?, span: Double) throws(JournalError) -> Double? {
        try locked("written") { connection throws -> Double? in
            try run(
                connection, "SELECT roster_take_quota($1, $2, $3)",
                [.text(key), limit.map { .integer(Int64($0)) } ?? .null, .real(span)]
            ).first?.first?.real
        }
    }

    /// The server's window holds `limit` and has counted `used` requests, ending in `resetIn`
    /// seconds: the limit and window are kept for Rosters yet to learn them, and places the
    /// store does not know of are taken until then, by the database's clock
    /// (`roster_observe_quota`, one round trip).
    public func observeQuota(_ key: String, limit: Int, used: Int, resetIn: Double?, span: Double) throws(JournalError) {
        let shift = min(0, (resetIn ?? span) - span)
        try locked("written") { connection throws in
            try run(
                connection, "SELECT roster_observe_quota($1, $2, $3, $4, $5)",
                [.text(key), .integer(Int64(limit)), .integer(Int64(used)), .real(shift), .real(span)])
        }
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
