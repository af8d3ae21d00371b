import Foundation
import Glibc
import RosterCore

/// The filter prompt's history, one file per profile under `$XDG_STATE_HOME/roster/history/`,
/// mode 0600: each line a Unix time, a tab and a query. Queries hold phone numbers and emails,
/// so the journal's retention period prunes them as it prunes the journal, and at most
/// `PromptHistory.limit` are kept. A damaged line is skipped; a file that cannot be read or
/// written costs the history, never the session.
public struct QueryHistoryFile: Sendable {
    public let path: String

    public init(profile: String, isDemo: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) {
        // A profile's name is a TOML key: anything but plain characters is escaped for the file name.
        let safe = profile.unicodeScalars.map { scalar -> String in
            let plain = (scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "-_.".unicodeScalars.contains(scalar)))
            return plain ? String(scalar) : String(format: "%%%02X", scalar.value)
        }.joined()
        let name = isDemo ? "demo" : "profile-" + (safe.isEmpty ? "unnamed" : safe)
        path = Journal.directory(environment: environment) + "/history/" + name + ".tsv"
    }

    /// The queries kept, oldest first, those older than `retentionDays` left out.
    public func load(retentionDays: Int, now: Date = Date()) -> [String] {
        let cutoff = Retention.cutoff(days: retentionDays, now: now).timeIntervalSince1970
        return entries().filter { $0.at >= cutoff }.map(\.query)
    }

    /// Adds `query` as the newest, drops an earlier copy, those past the retention period and
    /// the oldest beyond the limit, and writes the file again (0600, replaced whole).
    public func remember(_ query: String, retentionDays: Int, now: Date = Date()) throws {
        let line = query.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
        let cutoff = Retention.cutoff(days: retentionDays, now: now).timeIntervalSince1970
        var kept = entries().filter { $0.at >= cutoff && $0.query != line }
        kept.append((now.timeIntervalSince1970, line))
        try write(Array(kept.suffix(PromptHistory.limit)))
    }

    /// Removes the queries older than the retention period; how many went.
    @discardableResult
    public func prune(retentionDays: Int, now: Date = Date()) throws -> Int {
        let all = entries()
        guard !all.isEmpty else { return 0 }
        let cutoff = Retention.cutoff(days: retentionDays, now: now).timeIntervalSince1970
        let kept = all.filter { $0.at >= cutoff }
        if kept.count != all.count { try write(kept) }
        return all.count - kept.count
    }

    /// Prunes every profile's history by the retention period (best effort: a file that will
    /// not be rewritten now is pruned on a later start, and never loaded past the period).
    public static func pruneAll(retentionDays: Int, environment: [String: String] = ProcessInfo.processInfo.environment, now: Date = Date()) {
        let folder = Journal.directory(environment: environment) + "/history"
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasSuffix(".tsv") {
            _ = try? QueryHistoryFile(path: folder + "/" + name).prune(retentionDays: retentionDays, now: now)
        }
    }

    /// Removes from every profile's history the queries that name a person (an erasure):
    /// those holding their folded email, or their phone's digits once the query's own are
    /// read together. How many went; a file that cannot be rewritten is an error.
    public static func purgeAll(_ person: PersonIdentity, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> Int {
        let folder = Journal.directory(environment: environment) + "/history"
        var removed = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasSuffix(".tsv") {
            let file = QueryHistoryFile(path: folder + "/" + name)
            let all = file.entries()
            let kept = all.filter { !Self.names(person, $0.query) }
            if kept.count != all.count { try file.write(kept) }
            removed += all.count - kept.count
        }
        return removed
    }

    /// Whether a query names the person: their email, or a run of their phone's digits (a
    /// query may spell the number with spaces or dashes).
    static func names(_ person: PersonIdentity, _ query: String) -> Bool {
        if let email = person.email, TextFolding.fold(query).contains(email) { return true }
        if let phone = person.phone {
            for word in query.split(whereSeparator: { !($0.isNumber || " -+().".contains($0)) }) {
                let digits = word.filter { $0.isASCII && $0.isNumber }
                if digits.count >= 7, phone.hasSuffix(digits) || digits.hasSuffix(phone) { return true }
            }
        }
        return false
    }

    private init(path: String) {
        self.path = path
    }

    private func entries() -> [(at: Double, query: String)] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        // Bytes that are not UTF-8 cost their own line (it has no time before a tab), not the file.
        let text = String(decoding: data, as: UTF8.self)
        return text.split(separator: "\n").compactMap { line in
            guard let tab = line.firstIndex(of: "\t"), let at = Double(line[..<tab]) else { return nil }
            let query = String(line[line.index(after: tab)...])
            return query.isEmpty ? nil : (at, query)
        }
    }

    private func write(_ entries: [(at: Double, query: String)]) throws {
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let text = entries.map { String(format: "%.0f", $0.at) + "\t" + $0.query + "\n" }.joined()
        // Written beside and renamed over, so a full disk leaves the old file whole.
        let temporary = path + ".new"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw QueryHistoryError("cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced else {
            unlink(temporary)
            throw QueryHistoryError("cannot write \(temporary): \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            throw QueryHistoryError("cannot replace \(path): \(String(cString: strerror(errno)))")
        }
    }
}

public struct QueryHistoryError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
