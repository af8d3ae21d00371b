import Foundation
import NIOConcurrencyHelpers
import NIOCore
import PostgresNIO
import RosterCore
import RosterEngine

/// Claims: a contact one run of Roster has a request on the way for, kept alive by a heartbeat
/// and expiring by the database's clock.
extension PostgresJournalStore {
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
    func startHeartbeat() {
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
}
