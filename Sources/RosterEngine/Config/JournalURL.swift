import Foundation

/// Where a team's journal is: `postgres://user@host:5432/db?sslmode=verify-full`, as libpq
/// spells it (`postgresql://` too), from a profile's `journal_url` or `ROSTER_JOURNAL_URL`.
/// A password is never part of it: a URL is shown in messages and kept in config files, so
/// one holding a password is refused, and the password comes from `PasswordSource`.
public struct JournalURL: Sendable, Equatable, CustomStringConvertible {
    /// A host name or address; nil with `socketFolder`.
    public var host: String?
    /// The folder of the server's Unix socket (`?host=/var/run/postgresql`).
    public var socketFolder: String?
    public var port: Int
    public var user: String
    public var database: String
    public var sslMode: SSLMode
    /// Certificates of the authorities to trust: `sslrootcert`, else libpq's
    /// `~/.postgresql/root.crt` where it exists; nil (or `sslrootcert=system`): the system's.
    public var rootCertificates: String?
    /// `passfile`: the password file to read instead of `~/.pgpass`.
    public var passFile: String?
    public var connectTimeout: Double

    /// libpq's `sslmode`.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, allow, prefer, require
        case verifyCA = "verify-ca"
        case verifyFull = "verify-full"

        /// The server's certificate is checked against trusted authorities.
        public var verifiesCertificate: Bool { self == .verifyCA || self == .verifyFull }
        /// The connection is refused without TLS.
        public var requiresTLS: Bool { self == .require || verifiesCertificate }
    }

    static let parameters = ["sslmode", "sslrootcert", "host", "port", "user", "dbname", "passfile", "connect_timeout", "application_name"]

    /// Reads `text`; `environment` gives `PGUSER`/`USER` when the URL names no user.
    public init(_ text: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let schemeEnd = trimmed.range(of: "://"),
            ["postgres", "postgresql"].contains(trimmed[..<schemeEnd.lowerBound].lowercased())
        else {
            throw ConfigError("a journal URL starts with postgres://, e.g. postgres://ops@db.example.com:5432/roster")
        }
        var rest = Substring(trimmed[schemeEnd.upperBound...])
        var query = ""
        if let mark = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: mark)...])
            rest = rest[..<mark]
        }
        var path = ""
        if let slash = rest.firstIndex(of: "/") {
            path = String(rest[rest.index(after: slash)...])
            rest = rest[..<slash]
        }
        var userText: String?
        if let at = rest.lastIndex(of: "@") {
            let userInfo = rest[..<at]
            if userInfo.contains(":") {
                throw ConfigError(
                    "a journal URL must not hold a password (it is shown in messages and kept in config files): "
                        + "put it in PGPASSWORD, the profile's journal_password_file or ~/.pgpass")
            }
            userText = try Self.decode(String(userInfo), "user")
            rest = rest[rest.index(after: at)...]
        }
        var hostText: String?
        var portText: String?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw ConfigError("the journal URL's host [\(rest) lacks its ]") }
            hostText = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { portText = String(after.dropFirst()) } else if !after.isEmpty {
                throw ConfigError("the journal URL has '\(after)' after its host")
            }
        } else if !rest.isEmpty {
            if rest.contains(",") { throw ConfigError("a journal URL names one host; several (\(rest)) are not supported") }
            let parts = rest.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            hostText = try Self.decode(String(parts[0]), "host")
            if parts.count == 2 { portText = String(parts[1]) }
        }
        var values: [String: String] = [:]
        for pair in query.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = try Self.decode(String(parts[0]), "parameter")
            guard Self.parameters.contains(name) else {
                if name == "password" {
                    throw ConfigError("a journal URL must not hold a password: put it in PGPASSWORD, the profile's journal_password_file or ~/.pgpass")
                }
                throw ConfigError("the journal URL's parameter '\(name)' is not one Roster reads (it reads \(Self.parameters.joined(separator: ", ")))")
            }
            values[name] = parts.count == 2 ? try Self.decode(String(parts[1]), name) : ""
        }
        if let named = values["host"], !named.isEmpty { hostText = named }
        if let named = values["port"] { portText = named }
        if let named = values["user"], !named.isEmpty { userText = named }
        if let named = values["dbname"], !named.isEmpty { path = named }

        if let hostText, hostText.hasPrefix("/") {
            socketFolder = hostText
            host = nil
        } else if let hostText, !hostText.isEmpty {
            host = hostText
        } else {
            // libpq's default on Debian: the local server's socket.
            socketFolder = "/var/run/postgresql"
        }
        if let portText, !portText.isEmpty {
            guard let number = Int(portText), (1...65535).contains(number) else {
                throw ConfigError("the journal URL's port '\(portText)' is not a port number (1 to 65535)")
            }
            port = number
        } else {
            port = 5432
        }
        let fallbackUser = environment["PGUSER"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["USER"] ?? ""
        user = userText.flatMap { $0.isEmpty ? nil : $0 } ?? fallbackUser
        guard !user.isEmpty else { throw ConfigError("the journal URL names no user, and neither PGUSER nor USER is set") }
        database = try path.isEmpty ? user : Self.decode(path, "database")
        if let mode = values["sslmode"] {
            guard let known = SSLMode(rawValue: mode) else {
                throw ConfigError(
                    "the journal URL's sslmode '\(mode)' is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            sslMode = known
        } else {
            // libpq prefers TLS without checking it; off this machine that lets anyone on the
            // path read the journal, so the default checks the certificate and the name.
            sslMode = socketFolder != nil ? .disable : (Self.isLoopback(host ?? "") ? .prefer : .verifyFull)
        }
        switch values["sslrootcert"] {
        case "system"?:
            rootCertificates = nil
        case let file? where !file.isEmpty:
            rootCertificates = file
        default:
            // Where libpq looks when the URL names none.
            let file = (environment["HOME"] ?? NSHomeDirectory()) + "/.postgresql/root.crt"
            rootCertificates = FileManager.default.fileExists(atPath: file) ? file : nil
        }
        passFile = values["passfile"].flatMap { $0.isEmpty ? nil : $0 }
        if let timeout = values["connect_timeout"] {
            guard let seconds = Double(timeout), seconds > 0, seconds <= 600 else {
                throw ConfigError("the journal URL's connect_timeout '\(timeout)' is not a number of seconds from 1 to 600")
            }
            connectTimeout = seconds
        } else {
            connectTimeout = 10
        }
    }

    /// The URL without anything secret (it never holds a password), for messages.
    public var description: String {
        let place = socketFolder.map { "\($0) (socket)" } ?? ((host ?? "").contains(":") ? "[\(host ?? "")]" : host ?? "")
        return "postgres://\(user)@\(place):\(port)/\(database)"
    }

    /// The host as `.pgpass` matches it: `localhost` stands for the Unix socket.
    public var passwordFileHost: String { socketFolder == nil ? host ?? "" : "localhost" }

    public static func isLoopback(_ host: String) -> Bool {
        let lowered = host.lowercased()
        return lowered == "localhost" || lowered.hasPrefix("127.") || lowered == "::1" || lowered == "0:0:0:0:0:0:0:1"
    }

    private static func decode(_ text: String, _ what: String) throws(ConfigError) -> String {
        guard let decoded = text.removingPercentEncoding else {
            throw ConfigError("the journal URL's \(what) '\(text)' has a broken %-escape")
        }
        return decoded
    }
}
