import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import RosterCore
import RosterEngine

/// The team store's tables, versioned in `roster_schema` and migrated on first use.
extension PostgresJournalStore {
    /// Each version's statements; the position is the version they lead to, minus one.
    static let migrations: [[String]] = [
        JournalTables.firstVersion(prefix: "roster_", types: postgresTypes, quote: quoted),
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

    static func postgresTypes(_ type: JournalTables.ColumnType) -> String {
        switch type {
        case .sequence: "BIGSERIAL PRIMARY KEY"
        case .text: "TEXT"
        case .integer: "BIGINT"
        case .real: "DOUBLE PRECISION"
        case .bytes: "BYTEA"
        }
    }

    /// Keys of the advisory locks: the schema's migration, and the order of appends.
    static let schemaLock: Int64 = 0x526F_7374_6572_0001
    static let appendLock: Int64 = 0x526F_7374_6572_0002

    func migrate(_ connection: PostgresConnection) throws {
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
}
