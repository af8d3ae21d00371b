import Foundation
import RosterCore
import RosterEngine

/// An account's rate limit shared through the team's store: every Roster whose journal is
/// that store takes each request's place of the window there, so together they stay within
/// the limit the server enforces. A store that cannot answer does not stop requests (its
/// journal refuses the destructive ones already); the server's own limit and each Roster's
/// pacing still hold, and it is said once.
public struct TeamQuota: SharedQuota {
    let store: PostgresJournalStore
    /// The account: its dialect and base URL.
    let account: String
    let onTrouble: @Sendable (String) -> Void

    public init(store: PostgresJournalStore, account: JournalAccount, onTrouble: @escaping @Sendable (String) -> Void = { _ in }) {
        self.store = store
        self.account = account.dialect + " " + account.baseURL
        self.onTrouble = onTrouble
    }

    public func take(_ kind: String, limit: Int?, span: TimeInterval) async -> TimeInterval? {
        do {
            return try store.takeQuota(account + " " + kind, limit: limit, span: span)
        } catch {
            onTrouble("the team's shared quota could not be asked (\(error)); this Roster paces alone")
            return nil
        }
    }

    public func observe(_ kind: String, limit: Int, used: Int, resetIn: TimeInterval?, span: TimeInterval) async {
        do {
            try store.observeQuota(account + " " + kind, limit: limit, used: used, resetIn: resetIn, span: span)
        } catch {
            onTrouble("the team's shared quota could not be told what the server counted (\(error))")
        }
    }
}
