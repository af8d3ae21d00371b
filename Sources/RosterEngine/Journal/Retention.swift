import Crypto
import Foundation

/// Personal data is not kept forever: once a record is older than the retention period
/// (`journal_retention`, 90 days unless a profile says otherwise, the restore window a CRM
/// such as HubSpot gives), it keeps the contact's id, the outcome, when, who and where, and
/// keyed hashes of the phone's digits and the folded email; the contact's record and the
/// messages (which may name the contact) go. Damaged lines of an old journal go too.
public enum Retention {
    public static let defaultDays = 90
    /// The periods a journal may keep personal data for, in days: a day to a century.
    public static let allowedDays = 1...36_500

    /// The moment before which records are pruned.
    public static func cutoff(days: Int, now: Date = Date()) -> Date {
        now.addingTimeInterval(-Double(days) * 86_400)
    }

    /// HMAC-SHA-256 of `text` under the store's own secret, in hex; nil for an empty text.
    /// Without the secret, a hash cannot be matched against a list of phone numbers.
    public static func hash(_ text: String, secret: [UInt8]) -> String? {
        guard !text.isEmpty, !secret.isEmpty else { return nil }
        let code = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: secret))
        return code.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    /// A new key for a store's identity hashes, as it is kept (hex), and its bytes.
    public static func newSecret() -> String { randomHex(bytes: 32) }
    public static func secretBytes(_ text: String) -> [UInt8] { hexBytes(text) }

    static func prune(_ connection: SQLiteConnection, before cutoff: Date, now: Date = Date()) throws(SQLiteFailure) -> PruneReport {
        let limit = ColumnValue.real(cutoff.timeIntervalSince1970)
        let old = try connection.query(
            "SELECT COUNT(*) FROM records WHERE pruned_at IS NULL AND at < ? AND (contact IS NOT NULL OR message IS NOT NULL)", [limit])
        try connection.query(
            "UPDATE records SET contact = NULL, message = NULL, pruned_at = ? WHERE pruned_at IS NULL AND at < ?",
            [.real(now.timeIntervalSince1970), limit])
        let damaged = try connection.query("SELECT COUNT(*) FROM damaged WHERE found_at < ?", [limit])
        try connection.query("DELETE FROM damaged WHERE found_at < ?", [limit])
        return PruneReport(records: Int(old.first?.first?.integer ?? 0), damagedLines: Int(damaged.first?.first?.integer ?? 0))
    }
}
