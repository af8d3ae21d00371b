import Foundation
import RosterCore

/// The journal database's tables, versioned by `PRAGMA user_version`: each migration takes the
/// schema one version up, inside one transaction, and a Roster never opens a journal newer
/// than it knows. One row per record, in the order written (`seq`); a team's store keeps the
/// same columns.
enum JournalSchema {
    /// Each version's statements; the position is the version they lead to, minus one.
    static let migrations: [[String]] = [
        JournalTables.firstVersion(prefix: "", types: sqliteTypes, quote: { $0 })
    ]

    static func sqliteTypes(_ type: JournalTables.ColumnType) -> String {
        switch type {
        case .sequence: "INTEGER PRIMARY KEY AUTOINCREMENT"
        case .text: "TEXT"
        case .integer: "INTEGER"
        case .real: "REAL"
        case .bytes: "BLOB"
        }
    }

    static var version: Int { migrations.count }

    static func migrate(_ connection: SQLiteConnection) throws(SQLiteFailure) {
        try connection.transaction { () throws(SQLiteFailure) in
            let current = Int(try connection.query("PRAGMA user_version").first?.first?.integer ?? 0)
            guard current <= version else {
                throw SQLiteFailure(
                    code: 1, message: "it was made by a newer Roster (schema version \(current); this one knows up to \(version))",
                    systemError: 0)
            }
            for steps in migrations.dropFirst(current) {
                for statement in steps { try connection.execute(statement) }
            }
            if current < version {
                try connection.execute("PRAGMA user_version = \(version)")
                // The key of the hashes pruned records keep: this store's own, never shown.
                try connection.query(
                    "INSERT OR IGNORE INTO meta(key, value) VALUES ('hash_secret', ?)",
                    [.text(randomHex(bytes: 32))])
            }
        }
    }

    static func secret(_ connection: SQLiteConnection) throws(SQLiteFailure) -> [UInt8] {
        let text = try connection.query("SELECT value FROM meta WHERE key = 'hash_secret'").first?.first?.text ?? ""
        return hexBytes(text)
    }

    static let columns = """
        kind, entry, operation, at, operator, host, profile, dialect, base_url, contact_id, contact, result, status, message, \
        batch, restores, new_contact_id, plan, planner, approver, phone_hash, email_hash
        """

    static func insert(_ record: JournalRecord, into connection: SQLiteConnection) throws(SQLiteFailure) {
        try connection.query(
            "INSERT INTO records(\(columns)) VALUES (\(Array(repeating: "?", count: JournalColumns.names.count).joined(separator: ", ")))",
            JournalColumns.values(of: record))
    }

    static func record(_ row: [ColumnValue]) -> JournalRecord { JournalColumns.record(row) }
}

/// A record as a row of columns, in the order of `names`: one mapping for every store.
public enum JournalColumns {
    public static let names = JournalSchema.columns.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }

    public static func values(of record: JournalRecord) -> [ColumnValue] {
        [
            .text(record.kind.rawValue), .text(record.entry), .text(record.operation), .real(record.at.timeIntervalSince1970),
            .text(record.operator), record.host.sqlite, .text(record.profile), .text(record.dialect), .text(record.baseURL),
            .text(record.contactID), record.contact.map { .text($0.jsonText) } ?? .null, record.result.sqlite, record.status.sqlite,
            record.message.sqlite, record.batch.sqlite, record.restores.sqlite, record.newContactID.sqlite, record.plan.sqlite,
            record.planner.sqlite, record.approver.sqlite, record.phoneHash.sqlite, record.emailHash.sqlite,
        ]
    }

    /// A row of `names`, as the record it keeps.
    public static func record(_ row: [ColumnValue]) -> JournalRecord {
        var record = JournalRecord(
            kind: JournalRecord.Kind(rawValue: row[0].text ?? "") ?? .outcome, entry: row[1].text ?? "", operation: row[2].text ?? "",
            at: Date(timeIntervalSince1970: row[3].real ?? 0), operator: row[4].text ?? "", profile: row[6].text ?? "",
            dialect: row[7].text ?? "", baseURL: row[8].text ?? "", contactID: row[9].text ?? "",
            contact: row[10].text.flatMap { JSONValue.decode(Data($0.utf8)) }, result: row[11].text,
            status: row[12].integer.map { Int($0) }, message: row[13].text, batch: row[14].text, restores: row[15].text,
            newContactID: row[16].text)
        record.host = row[5].text
        record.plan = row[17].text
        record.planner = row[18].text
        record.approver = row[19].text
        record.phoneHash = row[20].text
        record.emailHash = row[21].text
        return record
    }
}

func randomHex(bytes count: Int) -> String {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in
        let byte = UInt8.random(in: 0...255, using: &generator)
        return (byte < 16 ? "0" : "") + String(byte, radix: 16)
    }.joined()
}

func hexBytes(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex), index < text.endIndex {
        guard let byte = UInt8(text[index..<next], radix: 16) else { return [] }
        bytes.append(byte)
        index = next
    }
    return bytes
}
