import Foundation
import VaporCSQLite

/// A value as SQLite stores it.
/// A column's value, as SQLite stores it and as a team's store hands it back.
public enum ColumnValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var text: String? {
        if case .text(let value) = self { return value }
        return nil
    }

    public var integer: Int64? {
        switch self {
        case .integer(let value): return value
        case .real(let value): return Int64(exactly: value.rounded(.towardZero))
        default: return nil
        }
    }

    public var real: Double? {
        switch self {
        case .real(let value): return value
        case .integer(let value): return Double(value)
        default: return nil
        }
    }

    public var blob: [UInt8]? {
        switch self {
        case .blob(let bytes): return bytes
        case .text(let text): return Array(text.utf8)
        default: return nil
        }
    }
}

extension Optional where Wrapped == String {
    var sqlite: ColumnValue { map(ColumnValue.text) ?? .null }
}

extension Optional where Wrapped == Int {
    var sqlite: ColumnValue { map { .integer(Int64($0)) } ?? .null }
}

/// What SQLite (or the operating system under it) said when a call failed.
struct SQLiteFailure: Error, CustomStringConvertible {
    var code: Int32
    var message: String
    /// The operating system's errno behind an I/O failure, 0 when there is none.
    var systemError: Int32

    /// The operating system's reason where there is one ("No space left on device"), else
    /// SQLite's own words.
    var description: String {
        if systemError != 0 { return String(cString: strerror(systemError)) }
        // SQLite reports a full disk without the errno behind it: ENOSPC is what it met.
        if code & 0xFF == SQLITE_FULL { return String(cString: strerror(ENOSPC)) + " (the disk is full)" }
        return message
    }
}

/// The SQLite copy compiled into Roster (vapor/sqlite-nio's), called directly: the journal
/// must be written before a request leaves, from whichever thread is about to send it, so it
/// needs a synchronous call, not an event loop. One connection is used by one thread at a
/// time; its owner holds the lock.
final class SQLiteConnection {
    private var handle: OpaquePointer?
    private var statements: [String: OpaquePointer] = [:]
    let path: String

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// Opens (creating where `create`) the database at `path`.
    init(path: String, create: Bool) throws(SQLiteFailure) {
        self.path = path
        let flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_NOFOLLOW
        var opened: OpaquePointer?
        let code = sqlite_nio_sqlite3_open_v2(path, &opened, flags, nil)
        handle = opened
        guard code == SQLITE_OK else {
            let failure = failure(code)
            close()
            throw failure
        }
        sqlite_nio_sqlite3_extended_result_codes(opened, 1)
    }

    deinit {
        close()
    }

    func close() {
        for statement in statements.values { sqlite_nio_sqlite3_finalize(statement) }
        statements = [:]
        if let handle { sqlite_nio_sqlite3_close_v2(handle) }
        handle = nil
    }

    /// Waits up to `milliseconds` for another process's lock before giving up with SQLITE_BUSY.
    func setBusyTimeout(milliseconds: Int32) {
        sqlite_nio_sqlite3_busy_timeout(handle, milliseconds)
    }

    /// Runs statements that take no values and return no rows.
    func execute(_ sql: String) throws(SQLiteFailure) {
        let code = sqlite_nio_sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw failure(code) }
    }

    /// Runs one statement with `values` bound to its `?`s; returns its rows.
    @discardableResult
    func query(_ sql: String, _ values: [ColumnValue] = []) throws(SQLiteFailure) -> [[ColumnValue]] {
        let statement = try prepared(sql)
        defer {
            sqlite_nio_sqlite3_reset(statement)
            sqlite_nio_sqlite3_clear_bindings(statement)
        }
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            let code: Int32
            switch value {
            case .null: code = sqlite_nio_sqlite3_bind_null(statement, position)
            case .integer(let number): code = sqlite_nio_sqlite3_bind_int64(statement, position, number)
            case .real(let number): code = sqlite_nio_sqlite3_bind_double(statement, position, number)
            case .text(let text):
                code = sqlite_nio_sqlite3_bind_text64(statement, position, text, UInt64(text.utf8.count), Self.transient, UInt8(SQLITE_UTF8))
            case .blob(let bytes):
                code = bytes.withUnsafeBytes { buffer in
                    sqlite_nio_sqlite3_bind_blob64(statement, position, buffer.baseAddress, UInt64(buffer.count), Self.transient)
                }
            }
            guard code == SQLITE_OK else { throw failure(code) }
        }
        var rows: [[ColumnValue]] = []
        while true {
            let code = sqlite_nio_sqlite3_step(statement)
            if code == SQLITE_DONE { break }
            guard code == SQLITE_ROW else { throw failure(code) }
            let columns = sqlite_nio_sqlite3_column_count(statement)
            rows.append((0..<columns).map { column(statement, $0) })
        }
        return rows
    }

    /// `body` inside one transaction, taken for writing at once (`BEGIN IMMEDIATE`), so two
    /// Rosters on one journal wait for each other instead of failing half-way.
    func transaction<T>(_ body: () throws(SQLiteFailure) -> T) throws(SQLiteFailure) -> T {
        try execute("BEGIN IMMEDIATE")
        do {
            let value = try body()
            try execute("COMMIT")
            return value
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    private func prepared(_ sql: String) throws(SQLiteFailure) -> OpaquePointer {
        if let statement = statements[sql] { return statement }
        var statement: OpaquePointer?
        let code = sqlite_nio_sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else { throw failure(code) }
        statements[sql] = statement
        return statement
    }

    private func column(_ statement: OpaquePointer, _ index: Int32) -> ColumnValue {
        switch sqlite_nio_sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(sqlite_nio_sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT: return .real(sqlite_nio_sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            guard let bytes = sqlite_nio_sqlite3_column_text(statement, index) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            guard count > 0, let bytes = sqlite_nio_sqlite3_column_blob(statement, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default: return .null
        }
    }

    private func failure(_ code: Int32) -> SQLiteFailure {
        let message = handle.flatMap { sqlite_nio_sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite_nio_sqlite3_errstr(code))
        return SQLiteFailure(code: code, message: message, systemError: handle.map { sqlite_nio_sqlite3_system_errno($0) } ?? 0)
    }
}
