/// The tables of a journal's first schema version, as both stores create them: one list of
/// columns, written in each database's types and names. It is frozen with version 1: a later
/// column is a later migration, in each store's own list.
public enum JournalTables {
    public enum ColumnType: Sendable {
        /// The row's number in the order written.
        case sequence
        case text, integer, real, bytes
    }

    public struct Column: Sendable {
        public let name: String
        public let type: ColumnType
        public let required: Bool
    }

    static func column(_ name: String, _ type: ColumnType, required: Bool = false) -> Column {
        Column(name: name, type: type, required: required)
    }

    /// A record of the journal: what it keeps of a deletion's intent or outcome.
    public static let records: [Column] = [
        column("seq", .sequence), column("kind", .text, required: true), column("entry", .text, required: true),
        column("operation", .text, required: true), column("at", .real, required: true), column("operator", .text, required: true),
        column("host", .text), column("profile", .text, required: true), column("dialect", .text, required: true),
        column("base_url", .text, required: true), column("contact_id", .text, required: true), column("contact", .text),
        column("result", .text), column("status", .integer), column("message", .text), column("batch", .text),
        column("restores", .text), column("new_contact_id", .text), column("plan", .text), column("planner", .text),
        column("approver", .text), column("phone_hash", .text), column("email_hash", .text), column("pruned_at", .real),
    ]

    /// A line of an imported old journal file that did not parse.
    public static let damaged: [Column] = [
        column("seq", .sequence), column("source", .text, required: true), column("line", .integer, required: true),
        column("reason", .text, required: true), column("bytes", .bytes, required: true), column("found_at", .real, required: true),
    ]

    /// Version 1's statements: the records (with their indexes), the damaged lines and the
    /// key-value meta table, each table's name after `prefix`, each type as `types` writes
    /// it, each column's name as `quote` does.
    public static func firstVersion(prefix: String, types: (ColumnType) -> String, quote: (String) -> String) -> [String] {
        func create(_ table: String, _ columns: [Column]) -> String {
            let lines = columns.map { "    \(quote($0.name)) \(types($0.type))\($0.required ? " NOT NULL" : "")" }
            return "CREATE TABLE \(prefix)\(table) (\n" + lines.joined(separator: ",\n") + "\n)"
        }
        let records = prefix + "records"
        return [
            create("records", Self.records),
            "CREATE INDEX \(records)_account ON \(records)(dialect, base_url, seq)",
            "CREATE INDEX \(records)_entry ON \(records)(entry)",
            "CREATE INDEX \(records)_unpruned ON \(records)(\(quote("at"))) WHERE pruned_at IS NULL",
            create("damaged", Self.damaged),
            "CREATE TABLE \(prefix)meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ]
    }
}
