import Foundation
import Glibc

/// The password of a team's journal, found as a demanding operator expects: the file the
/// profile names (`journal_password_file`), else `PGPASSWORD`, else the password file libpq
/// reads (`passfile` in the URL, else `PGPASSFILE`, else `~/.pgpass`), matched line by line
/// as libpq matches it. A file group or others can read is ignored, as libpq ignores it, and
/// said. None of them: no password (the server may not ask for one).
public struct DatabasePassword: Sendable {
    public var password: String?
    /// Where it came from, for messages (never the password).
    public var source: String
    /// What looking found worth saying (an ignored file).
    public var notes: [String] = []

    public static func find(
        for url: JournalURL, profileFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> DatabasePassword {
        if let profileFile {
            let path = expandHome(profileFile, environment: environment)
            try requirePrivate(path, what: "journal_password_file")
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigError("journal_password_file \(path) cannot be read: \(String(cString: strerror(errno)))")
            }
            let line = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).first ?? ""
            let password = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            guard !password.isEmpty else { throw ConfigError("journal_password_file \(path) is empty: its first line is the password") }
            return DatabasePassword(password: password, source: "journal_password_file \(path)")
        }
        if let password = environment["PGPASSWORD"], !password.isEmpty {
            return DatabasePassword(password: password, source: "PGPASSWORD")
        }
        let file = url.passFile ?? environment["PGPASSFILE"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (environment["HOME"] ?? NSHomeDirectory()) + "/.pgpass"
        let path = expandHome(file, environment: environment)
        var info = stat()
        guard stat(path, &info) == 0 else { return DatabasePassword(password: nil, source: "none") }
        guard info.st_mode & 0o077 == 0 else {
            return DatabasePassword(
                password: nil, source: "none",
                notes: ["the password file \(path) was ignored: group or others can read it (chmod 600 \(path))"])
        }
        guard let data = FileManager.default.contents(atPath: path) else { return DatabasePassword(password: nil, source: "none") }
        if let password = match(String(decoding: data, as: UTF8.self), url: url) {
            return DatabasePassword(password: password, source: path)
        }
        return DatabasePassword(password: nil, source: "none")
    }

    /// The password of the first line of a `.pgpass` text that matches `url`
    /// (`host:port:database:user:password`, `*` matching anything, `\:` and `\\` escaped).
    public static func match(_ text: String, url: JournalURL) -> String? {
        let wanted = [url.passwordFileHost, String(url.port), url.database, url.user]
        for line in text.split(whereSeparator: \.isNewline) {
            if line.hasPrefix("#") { continue }
            let fields = split(String(line))
            guard fields.count == 5 else { continue }
            if zip(fields.prefix(4), wanted).allSatisfy({ $0 == "*" || $0 == $1 }) { return fields[4] }
        }
        return nil
    }

    /// A line's fields, split on unescaped colons, with the escapes removed.
    private static func split(_ line: String) -> [String] {
        var fields: [String] = []
        var current = ""
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == ":", fields.count < 4 {
                fields.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(current)
        return fields
    }

    /// A secret file must be the operator's alone.
    private static func requirePrivate(_ path: String, what: String) throws(ConfigError) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw ConfigError("\(what) \(path) cannot be read: \(String(cString: strerror(errno)))")
        }
        if info.st_mode & 0o077 != 0 {
            throw ConfigError("\(what) \(path) can be read by group or others: chmod 600 \(path)")
        }
    }

    private static func expandHome(_ path: String, environment: [String: String]) -> String {
        guard path.hasPrefix("~/") else { return path }
        return (environment["HOME"] ?? NSHomeDirectory()) + path.dropFirst()
    }
}
