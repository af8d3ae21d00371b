import Foundation
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
        [
            // One round trip a step: the order of records and the quota's places are kept by
            // the database itself, so a writer needs no transaction of its own. Every insert
            // of records takes the append lock before its rows are numbered and holds it to
            // its commit: a record's number is then the order of commits (`journal --follow`).
            """
            CREATE FUNCTION roster_records_in_order() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock(\(appendLock));
                RETURN NULL;
            END $$
            """,
            """
            CREATE TRIGGER roster_records_in_order BEFORE INSERT ON roster_records
            FOR EACH STATEMENT EXECUTE FUNCTION roster_records_in_order()
            """,
            // A place of the window (`places` per `span` seconds, by the database's clock):
            // NULL when taken, else the seconds until one frees. Without `places` (a Roster yet
            // to hear from the server), the limit and window its team last learned hold.
            """
            CREATE FUNCTION roster_take_quota(quota_key TEXT, places BIGINT, span DOUBLE PRECISION)
            RETURNS DOUBLE PRECISION LANGUAGE plpgsql AS $$
            DECLARE
                learned TEXT;
                taken BIGINT;
                oldest TIMESTAMPTZ;
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtext('roster-quota:' || quota_key));
                IF places IS NULL THEN
                    SELECT value INTO learned FROM roster_meta WHERE key = 'quota-learned:' || quota_key;
                    IF learned IS NOT NULL THEN
                        places := split_part(learned, ' ', 1)::BIGINT;
                        span := split_part(learned, ' ', 2)::DOUBLE PRECISION;
                    END IF;
                END IF;
                SELECT COUNT(*), MIN(at) INTO taken, oldest FROM roster_quota_sends
                WHERE quota = quota_key AND at > clock_timestamp() - make_interval(secs => span);
                IF taken < COALESCE(places, 2147483647) THEN
                    INSERT INTO roster_quota_sends(quota, at) VALUES (quota_key, clock_timestamp());
                    -- Now and then, what no window can count any more goes.
                    IF random() < 0.02 THEN
                        DELETE FROM roster_quota_sends WHERE quota = quota_key AND at < clock_timestamp() - make_interval(secs => span * 2);
                    END IF;
                    RETURN NULL;
                END IF;
                RETURN GREATEST(0.001, EXTRACT(EPOCH FROM (oldest + make_interval(secs => span) - clock_timestamp()))::DOUBLE PRECISION);
            END $$
            """,
            // What the server said of its window: its limit and window are kept for Rosters yet
            // to learn them, and places it counted beyond the store's are taken until the
            // window ends (`shift` seconds from now, at most 0).
            """
            CREATE FUNCTION roster_observe_quota(quota_key TEXT, places BIGINT, used BIGINT, shift DOUBLE PRECISION, span DOUBLE PRECISION)
            RETURNS VOID LANGUAGE plpgsql AS $$
            DECLARE
                taken BIGINT;
            BEGIN
                PERFORM pg_advisory_xact_lock(hashtext('roster-quota:' || quota_key));
                INSERT INTO roster_meta(key, value) VALUES ('quota-learned:' || quota_key, places || ' ' || span)
                ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE roster_meta.value <> excluded.value;
                SELECT COUNT(*) INTO taken FROM roster_quota_sends
                WHERE quota = quota_key AND at > clock_timestamp() - make_interval(secs => span);
                INSERT INTO roster_quota_sends(quota, at)
                SELECT quota_key, clock_timestamp() + make_interval(secs => shift) FROM generate_series(1, GREATEST(0, used - taken));
            END $$
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
