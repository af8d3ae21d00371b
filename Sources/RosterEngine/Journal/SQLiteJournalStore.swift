import Foundation
import Glibc
import RosterCore

/// The journal as a SQLite database (`journal.db`, mode 0600, in a 0700 folder). Each append
/// is one transaction, committed with `synchronous=FULL`: on disk when it returns. The
/// write-ahead log lets a second Roster of the same operator (another tmux pane) read and
/// write at once; it waits for the other's lock up to `busyTimeout`. On a network filesystem
/// the rollback journal is used instead (see `FilesystemKind`).
public final class SQLiteJournalStore: JournalStore, @unchecked Sendable {
    public let location: String
    public private(set) var notes: [String] = []
    /// Used under `lock` only.
    private let connection: SQLiteConnection
    private let lock = NSLock()
    /// Whether the write-ahead log is in use (false on a network filesystem).
    public let usesWriteAheadLog: Bool
    /// The key of the identity hashes (`Retention.hash`), this store's own.
    private let secret: [UInt8]

    static let busyTimeoutMilliseconds: Int32 = 15_000

    /// Opens the database at `path`, creating it (0600) and its folder (0700) where missing,
    /// and imports the old JSON Lines journal `legacyPath` once if it is there.
    /// `filesystem` is the kind the folder is on; nil asks `statfs`. `identify` reads an
    /// imported record's contact (its dialect's fields), for the hashes it keeps once pruned.
    public init(
        path: String, legacyPath: String? = nil, filesystem: FilesystemKind? = nil,
        identify: @Sendable (JournalRecord) -> Contact? = { _ in nil }
    ) throws(JournalError) {
        location = path
        let folder = (path as NSString).deletingLastPathComponent
        if !FileManager.default.fileExists(atPath: folder) {
            guard mkdirs(folder) else {
                throw JournalError("the journal's folder \(folder) cannot be created: \(String(cString: strerror(errno)))")
            }
        }
        // Created 0600 before SQLite sees it: SQLite would make it with the umask's mode.
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard descriptor >= 0 else {
            throw JournalError("the journal \(path) cannot be opened: \(String(cString: strerror(errno)))")
        }
        var info = stat()
        if fstat(descriptor, &info) == 0, info.st_uid == getuid(), info.st_mode & 0o077 != 0 { fchmod(descriptor, 0o600) }
        close(descriptor)

        var said: [String] = []
        let kind = filesystem ?? FilesystemKind(of: folder)
        let network = kind?.networkName
        usesWriteAheadLog = network == nil
        if let network {
            said.append("the journal is on a network filesystem (\(network)): it uses SQLite's rollback journal, not its write-ahead log, which needs memory shared on one machine")
        }
        let opened: SQLiteConnection
        do {
            opened = try SQLiteConnection(path: path, create: true)
            opened.setBusyTimeout(milliseconds: Self.busyTimeoutMilliseconds)
            try opened.execute("PRAGMA journal_mode=\(network == nil ? "WAL" : "DELETE")")
            try opened.execute("PRAGMA synchronous=FULL")
            try JournalSchema.migrate(opened)
            secret = try JournalSchema.secret(opened)
        } catch {
            throw JournalError("the journal \(path) cannot be opened: \(error)")
        }
        connection = opened
        notes = said
        if let legacyPath, FileManager.default.fileExists(atPath: legacyPath) {
            if let note = try importLegacy(legacyPath, identify: identify) { notes.append(note) }
        }
    }

    public func append(_ records: [JournalRecord]) throws(JournalError) {
        guard !records.isEmpty else { return }
        try write { connection throws(SQLiteFailure) in
            try connection.transaction { () throws(SQLiteFailure) in
                for record in records { try JournalSchema.insert(record, into: connection) }
            }
        }
    }

    public func records(on account: JournalAccount?) throws(JournalError) -> [JournalRecord] {
        try read { connection throws(SQLiteFailure) in
            if let account {
                return try connection.query(
                    "SELECT \(JournalSchema.columns) FROM records WHERE dialect = ? AND base_url = ? ORDER BY seq",
                    [.text(account.dialect), .text(account.baseURL)]
                ).map(JournalSchema.record)
            }
            return try connection.query("SELECT \(JournalSchema.columns) FROM records ORDER BY seq").map(JournalSchema.record)
        }
    }

    public func records(after sequence: Int64) throws(JournalError) -> [(sequence: Int64, record: JournalRecord)] {
        try read { connection throws(SQLiteFailure) in
            try connection.query("SELECT seq, \(JournalSchema.columns) FROM records WHERE seq > ? ORDER BY seq", [.integer(sequence)])
                .map { row in (row[0].integer ?? 0, JournalSchema.record(Array(row.dropFirst()))) }
        }
    }

    public func records(restoring entry: String) throws(JournalError) -> [JournalRecord] {
        try read { connection throws(SQLiteFailure) in
            try connection.query(
                "SELECT \(JournalSchema.columns) FROM records WHERE entry IN (SELECT entry FROM records WHERE restores = ?) ORDER BY seq",
                [.text(entry)]
            ).map(JournalSchema.record)
        }
    }

    public func purge(_ person: PersonIdentity) throws(JournalError) -> Int {
        guard let (condition, values) = personCondition(person, placeholder: { _ in "?" }) else { return 0 }
        let theirs = "entry IN (SELECT entry FROM records WHERE \(condition))"
        return try write { connection throws(SQLiteFailure) in
            try connection.transaction { () throws(SQLiteFailure) -> Int in
                let held = try connection.query(
                    "SELECT COUNT(*) FROM records WHERE \(theirs) AND (contact IS NOT NULL OR message IS NOT NULL)", values)
                try connection.query(
                    "UPDATE records SET contact = NULL, message = NULL, pruned_at = COALESCE(pruned_at, ?) WHERE \(theirs)",
                    [.real(Date().timeIntervalSince1970)] + values)
                var count = Int(held.first?.first?.integer ?? 0)
                if let email = person.email {
                    let damaged = try connection.query(
                        "SELECT COUNT(*) FROM damaged WHERE instr(lower(CAST(bytes AS TEXT)), ?) > 0", [.text(email)])
                    try connection.query("DELETE FROM damaged WHERE instr(lower(CAST(bytes AS TEXT)), ?) > 0", [.text(email)])
                    count += Int(damaged.first?.first?.integer ?? 0)
                }
                return count
            }
        }
    }

    public func damagedLines() throws(JournalError) -> [DamagedLine] {
        try read { connection throws(SQLiteFailure) in
            try connection.query("SELECT source, line, reason, bytes FROM damaged ORDER BY source, line").map { row in
                DamagedLine(source: row[0].text ?? "", line: Int(row[1].integer ?? 0), reason: row[2].text ?? "", bytes: row[3].blob ?? [])
            }
        }
    }

    public func identityHash(_ text: String) -> String? {
        Retention.hash(text, secret: secret)
    }

    public func prune(before cutoff: Date) throws(JournalError) -> PruneReport {
        let (report, expiredFiles) = try write { connection throws(SQLiteFailure) in
            try connection.transaction { () throws(SQLiteFailure) in
                var report = try Retention.prune(connection, before: cutoff)
                let files = try connection.query(
                    "SELECT key, value FROM meta WHERE key LIKE 'legacy-newest:%' AND CAST(value AS REAL) < ?", [.real(cutoff.timeIntervalSince1970)])
                var paths: [String] = []
                for row in files {
                    try connection.query("DELETE FROM meta WHERE key = ?", [row[0]])
                    guard let path = row[0].text.map({ String($0.dropFirst("legacy-newest:".count)) }) else { continue }
                    paths.append(path)
                    // The damaged lines came from that file: they go with it.
                    let source = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
                    let dropped = try connection.query("SELECT COUNT(*) FROM damaged WHERE source = ?", [.text(source)])
                    report.damagedLines += Int(dropped.first?.first?.integer ?? 0)
                    try connection.query("DELETE FROM damaged WHERE source = ?", [.text(source)])
                }
                return (report, paths)
            }
        }
        var result = report
        for file in expiredFiles where unlink(file) == 0 || errno == ENOENT { result.oldFiles.append(file) }
        return result
    }

    public func checkWritable() throws(JournalError) {
        _ = try write { connection throws(SQLiteFailure) in
            try connection.query(
                "INSERT INTO meta(key, value) VALUES ('last_opened', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                [.text(ISO8601DateFormatter().string(from: Date()))])
        }
    }

    /// Imports the JSON Lines journal at `path` once (several Rosters starting together import
    /// it once between them), keeps what does not parse aside, and renames the file
    /// `….imported`, still 0600; `prune` removes it once its newest record has passed the
    /// retention period.
    private func importLegacy(_ path: String, identify: (JournalRecord) -> Contact?) throws(JournalError) -> String? {
        let name = (path as NSString).lastPathComponent
        guard let data = FileManager.default.contents(atPath: path) else {
            throw JournalError("the old journal \(path) cannot be read: \(String(cString: strerror(errno)))")
        }
        let renamed = path + ".imported"
        let contents = OldJournalFile.read(Array(data), source: name)
        let imported = try write { connection throws(SQLiteFailure) in
            try connection.transaction { () throws(SQLiteFailure) -> Bool in
                let done = try connection.query("SELECT value FROM meta WHERE key = ?", [.text("imported:" + name)])
                guard done.isEmpty else { return false }
                for var record in contents.records {
                    if record.kind != .outcome, let contact = identify(record) {
                        record.phoneHash = identityHash(contact.comparablePhone)
                        record.emailHash = identityHash(contact.comparableEmail)
                    }
                    try JournalSchema.insert(record, into: connection)
                }
                for line in contents.damaged {
                    try connection.query(
                        "INSERT INTO damaged(source, line, reason, bytes, found_at) VALUES (?, ?, ?, ?, ?)",
                        [.text(line.source), .integer(Int64(line.line)), .text(line.reason), .blob(line.bytes), .real(Date().timeIntervalSince1970)])
                }
                try connection.query(
                    "INSERT INTO meta(key, value) VALUES (?, ?)",
                    [.text("imported:" + name), .text("\(contents.records.count) records, \(contents.damaged.count) damaged lines")])
                let newest = contents.records.map(\.at).max() ?? Date()
                try connection.query(
                    "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [.text("legacy-newest:" + renamed), .text(String(newest.timeIntervalSince1970))])
                return true
            }
        }
        if rename(path, renamed) != 0 {
            throw JournalError("the old journal \(path) was imported but cannot be renamed to \(renamed): \(String(cString: strerror(errno)))")
        }
        chmod(renamed, 0o600)
        guard imported else { return nil }
        let damaged = contents.damaged.isEmpty
            ? ""
            : "; \(contents.damaged.count) damaged line\(contents.damaged.count == 1 ? " was" : "s were") kept aside (roster journal --damaged)"
        return "the old journal \(name) was imported into \(location): \(contents.records.count) record\(contents.records.count == 1 ? "" : "s")\(damaged); the file is kept as \(renamed) until the retention period passes"
    }

    private func write<T>(_ body: (SQLiteConnection) throws(SQLiteFailure) -> T) throws(JournalError) -> T {
        try locked("written", body)
    }

    private func read<T>(_ body: (SQLiteConnection) throws(SQLiteFailure) -> T) throws(JournalError) -> T {
        try locked("read", body)
    }

    /// `body` on the connection, one caller at a time; a failure says what could not be done.
    private func locked<T>(_ done: String, _ body: (SQLiteConnection) throws(SQLiteFailure) -> T) throws(JournalError) -> T {
        lock.lock()
        defer { lock.unlock() }
        do {
            return try body(connection)
        } catch {
            throw JournalError("the journal \(location) cannot be \(done): \(error)")
        }
    }
}

/// `mkdir -p` with mode 0700 for each folder it makes.
func mkdirs(_ path: String) -> Bool {
    if FileManager.default.fileExists(atPath: path) { return true }
    let parent = (path as NSString).deletingLastPathComponent
    if !parent.isEmpty, parent != path, !mkdirs(parent) { return false }
    return mkdir(path, 0o700) == 0 || errno == EEXIST
}
