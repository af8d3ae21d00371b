import Foundation
import RosterCore
import TOMLKit

/// One account as `config.toml` describes it.
public struct Profile: Equatable, Sendable {
    public var name: String
    public var dialect: Dialect
    public var baseURL: String?
    /// The environment variable that holds the key.
    public var keyEnvironmentVariable: String?
    /// A file whose first line is the key.
    public var keyFile: String?
    public var pageSize: Int?
    /// The quota as `N/SECONDS`, until the server's headers say.
    public var rateLimit: String?
    /// Easify: the fields an update call sets to stand for "deactivate".
    public var deactivateFields: [String: String] = [:]
    /// Seconds a confirmed deletion waits, undoable, before it is sent (0: no wait).
    public var undoSeconds: Double?
    /// The theme this account's sessions use, e.g. a red-accented one for production.
    public var theme: String?
    /// Browse only: nothing destructive is offered.
    public var readOnly = false
    /// Seconds a request may go unanswered before it is given up.
    public var timeout: Double?
    /// Easify's list order: desc (newest first) or asc.
    public var order: String?
    /// Easify: the group a restored contact goes to when its own is not found.
    public var restoreGroupID: Int?
    /// Duplicates: `ana+news@x.com` is `ana@x.com`.
    public var ignoreEmailPlusTags = false
    /// Plans older than this are refused (seconds).
    public var planMaxAge: Double?
    /// Plans acting on more contacts than this need a second person's approval.
    public var approveOver: Int?
    /// Plain http:// to another machine is allowed (the key crosses the network in clear).
    public var allowHTTP = false
    /// The longest wait for the rate limit, in seconds.
    public var maxWait: Double?
    /// `apply` runs only plans signed by their planner and by another approver, each key in
    /// `allowedSigners` (default /etc/roster/allowed_signers), a file the operator cannot write.
    public var requireSignedApproval = false
    public var allowedSigners: String?
    /// The team's journal (`journal_url`, PostgreSQL) and the file its password is in.
    public var journalURL: String?
    public var journalPasswordFile: String?
}

/// Reads profiles from `$XDG_CONFIG_HOME/roster/config.toml` (default `~/.config/roster/`).
public enum ProfileConfig {
    public static func path(environment: [String: String]) -> String {
        if let explicit = environment["ROSTER_CONFIG"], !explicit.isEmpty { return explicit }
        return configDirectory(environment: environment) + "/config.toml"
    }

    public static func configDirectory(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/roster" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/roster"
    }

    public static func profile(named name: String, environment: [String: String]) throws(ConfigError) -> Profile {
        let file = path(environment: environment)
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ConfigError("profile '\(name)' was asked for, but \(file) cannot be read")
        }
        return try parse(text, profile: name, file: file)
    }

    /// The names of the profiles in config.toml, sorted; none where it is missing or cannot be
    /// read (for shell completion, which must never fail loudly).
    public static func profileNames(environment: [String: String]) -> [String] {
        let file = path(environment: environment)
        guard let text = try? String(contentsOfFile: file, encoding: .utf8), let top = try? table(text, file: file),
              let profiles = top["profiles"]?.table else { return [] }
        return profiles.keys.sorted()
    }

    /// The named queries of `[filters]`, e.g. `stale = "status:inactive !email:"`; none when
    /// there is no config file.
    public static func savedFilters(environment: [String: String]) throws(ConfigError) -> [String: String] {
        let file = path(environment: environment)
        guard FileManager.default.fileExists(atPath: file) else { return [:] }
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            throw ConfigError("\(file) cannot be read")
        }
        return try savedFilters(in: text, file: file)
    }

    /// The top-level settings of the UI itself: `mouse = false` leaves the mouse to the
    /// terminal, `cursor = "arrow" | "bar"` says how the list shows its cursor. Nil where unset.
    public static func interface(environment: [String: String]) throws(ConfigError) -> (mouse: Bool?, cursor: CursorStyle?) {
        let file = path(environment: environment)
        guard FileManager.default.fileExists(atPath: file), let text = try? String(contentsOfFile: file, encoding: .utf8) else { return (nil, nil) }
        let top = try table(text, file: file)
        var mouse: Bool?
        if let value = top["mouse"] {
            guard let flag = value.bool else { throw ConfigError("\(file): mouse must be true or false") }
            mouse = flag
        }
        var cursor: CursorStyle?
        if let value = top["cursor"] {
            guard let style = value.string.flatMap(CursorStyle.init(rawValue:)) else {
                throw ConfigError("\(file): cursor must be \"arrow\" (a block at the row's start) or \"bar\" (the whole row)")
            }
            cursor = style
        }
        return (mouse, cursor)
    }

    public static func savedFilters(in text: String, file: String) throws(ConfigError) -> [String: String] {
        guard let value = try table(text, file: file)["filters"] else { return [:] }
        guard let filters = value.table else {
            throw ConfigError("\(file): filters must be a table: [filters] then lines such as stale = \"status:inactive !email:\"")
        }
        var result: [String: String] = [:]
        for name in filters.keys.sorted() {
            guard name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                throw ConfigError("\(file), filters: the name '\(name)' may hold only letters, digits, _ and -")
            }
            guard let query = filters[name]?.string else {
                throw ConfigError("\(file), filters.\(name) must be a query in quotes, e.g. \"status:inactive !email:\"")
            }
            result[name] = query
        }
        return result
    }

    /// What may stand at the top of config.toml: a typo there (`mose = false`, `[filterz]`)
    /// is said, as one in a profile is, never silently ignored.
    public static let topLevelKeys: Set<String> = ["profiles", "filters", "mouse", "cursor", "journal_retention"]

    /// `journal_retention = 90`: days the journal keeps a deleted contact's personal data (its
    /// record, name, phone, email); a setting of the journal, so of every profile alike. Nil
    /// where unset.
    public static func journalRetention(environment: [String: String]) throws(ConfigError) -> Int? {
        let file = path(environment: environment)
        guard FileManager.default.fileExists(atPath: file), let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        guard let value = try table(text, file: file)["journal_retention"] else { return nil }
        guard let days = value.int, Retention.allowedDays.contains(days) else {
            throw ConfigError("\(file): journal_retention must be a number of days from \(Retention.allowedDays.lowerBound) to \(Retention.allowedDays.upperBound), e.g. journal_retention = 90")
        }
        return days
    }

    private static func table(_ text: String, file: String) throws(ConfigError) -> TOMLTable {
        try refuseWhatStopsTheParser(text, file: file)
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            // On one line: the parser's own text breaks inside the quote of what it saw.
            let said = error.description.split(whereSeparator: \.isNewline).joined(separator: " ")
            throw ConfigError("\(file) line \(error.source.begin.line): \(said)")
        } catch {
            throw ConfigError("\(file): \(error)")
        }
        if let unknown = table.keys.sorted().first(where: { !topLevelKeys.contains($0) }) {
            let what = table[unknown]?.table != nil ? "table [\(unknown)]" : "setting '\(unknown)' at the top"
            throw ConfigError("\(file): unknown \(what) (known: \(topLevelKeys.sorted().joined(separator: ", ")))")
        }
        return table
    }

    /// TOML's parser (toml++, in TOMLKit) stops the program on a table header whose name
    /// begins with anything but a bare key's character, a quote or `]` (`[é]`, `[[ =`, a lone
    /// `[`, a control character) instead of reporting it; fuzzing found it. Such a header is
    /// refused here, by line, as the parser would refuse any other mistake.
    static func refuseWhatStopsTheParser(_ text: String, file: String) throws(ConfigError) {
        let mayBegin = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-\"']".unicodeScalars)
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            // The parser skips a byte-order mark at the start of the file, as it skips spaces.
            var rest = line.unicodeScalars.drop { $0 == " " || $0 == "\t" || (index == 0 && $0 == "\u{FEFF}") }
            guard rest.first == "[" else { continue }
            rest = rest.dropFirst()
            if rest.first == "[" { rest = rest.dropFirst() }
            rest = rest.drop { $0 == " " || $0 == "\t" }
            if let first = rest.first, mayBegin.contains(first) { continue }
            let shown = Sanitizer.clean(String(String.UnicodeScalarView(line.unicodeScalars.prefix(40))))
            throw ConfigError(
                "\(file) line \(index + 1): a table's name must begin with a letter, a digit, _ or -, or be quoted, as in [profiles.\"équipe\"] (the line reads “\(shown)”)")
        }
    }

    public static func parse(_ text: String, profile name: String, file: String) throws(ConfigError) -> Profile {
        let table = try table(text, file: file)
        guard let profiles = table["profiles"]?.table else {
            throw ConfigError("\(file) has no [profiles.NAME] tables")
        }
        guard let entry = profiles[name]?.table else {
            let known = profiles.keys.sorted().joined(separator: ", ")
            throw ConfigError("\(file) has no profile '\(name)' (profiles: \(known.isEmpty ? "none" : known))")
        }
        let known: Set<String> = ["dialect", "base_url", "key_env", "key_file", "page_size", "rate_limit", "deactivate_fields", "undo_seconds", "theme", "read_only", "timeout", "order", "restore_group_id", "ignore_email_plus_tags", "plan_max_age", "approve_over", "allow_http", "max_wait", "require_signed_approval", "allowed_signers", "journal_url", "journal_password_file"]
        if let unknown = entry.keys.sorted().first(where: { !known.contains($0) }) {
            throw ConfigError("\(file), profile '\(name)': unknown setting '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        guard let dialectName = entry["dialect"]?.string else {
            throw ConfigError("\(file), profile '\(name)': dialect is missing (sendme123 or easify)")
        }
        guard let dialect = Dialect(rawValue: dialectName.lowercased()) else {
            throw ConfigError("\(file), profile '\(name)': unknown dialect '\(dialectName)' (sendme123 or easify)")
        }
        var pageSize: Int?
        if let value = entry["page_size"] {
            guard let size = value.int, size >= 1 else {
                throw ConfigError("\(file), profile '\(name)': page_size must be a whole number of at least 1")
            }
            pageSize = size
        }
        var undoSeconds: Double?
        if let value = entry["undo_seconds"] {
            guard let seconds = value.double ?? value.int.map(Double.init), seconds >= 0, seconds <= 600 else {
                throw ConfigError("\(file), profile '\(name)': undo_seconds must be a number of seconds from 0 to 600")
            }
            undoSeconds = seconds
        }
        var timeout: Double?
        if let value = entry["timeout"] {
            guard let seconds = value.double ?? value.int.map(Double.init), (1...3600).contains(seconds) else {
                throw ConfigError("\(file), profile '\(name)': timeout must be a number of seconds from 1 to 3600")
            }
            timeout = seconds
        }
        if let value = entry["restore_group_id"], value.int == nil {
            throw ConfigError("\(file), profile '\(name)': restore_group_id must be a group's id (a whole number)")
        }
        if let value = entry["order"], value.string != "asc" && value.string != "desc" {
            throw ConfigError("\(file), profile '\(name)': order must be \"asc\" or \"desc\" (Easify's list order)")
        }
        if let value = entry["theme"], value.string == nil {
            throw ConfigError("\(file), profile '\(name)': theme must be a theme name or a .toml path in quotes")
        }
        for key in ["read_only", "ignore_email_plus_tags", "allow_http", "require_signed_approval"] where entry[key] != nil && entry[key]?.bool == nil {
            throw ConfigError("\(file), profile '\(name)': \(key) must be true or false")
        }
        var maxWait: Double?
        if let value = entry["max_wait"] {
            guard let seconds = value.double ?? value.int.map(Double.init), (1...86_400).contains(seconds) else {
                throw ConfigError("\(file), profile '\(name)': max_wait must be a number of seconds from 1 to 86400")
            }
            maxWait = seconds
        }
        var planMaxAge: Double?
        if let value = entry["plan_max_age"] {
            guard let text = value.string, let seconds = Self.duration(text) else {
                throw ConfigError("\(file), profile '\(name)': plan_max_age must be a duration in quotes, e.g. \"24h\", \"90m\" or \"7d\"")
            }
            planMaxAge = seconds
        }
        if let value = entry["approve_over"], (value.int ?? -1) < 0 {
            throw ConfigError("\(file), profile '\(name)': approve_over must be a whole number of contacts (0: every plan needs approval)")
        }
        var deactivateFields: [String: String] = [:]
        if let value = entry["deactivate_fields"] {
            guard let table = value.table else {
                throw ConfigError("\(file), profile '\(name)': deactivate_fields must be a table, e.g. { additional_3 = \"inactive\" }")
            }
            for key in table.keys {
                guard let text = table[key]?.string else {
                    throw ConfigError("\(file), profile '\(name)': deactivate_fields.\(key) must be a string")
                }
                deactivateFields[key] = text
            }
            if dialect == .sendme123 {
                throw ConfigError("\(file), profile '\(name)': deactivate_fields is for Easify; SendMe123 has its own deactivate")
            }
        }
        if let value = entry["allowed_signers"], value.string == nil {
            throw ConfigError("\(file), profile '\(name)': allowed_signers must be a file's path in quotes, e.g. \"/etc/roster/allowed_signers\"")
        }
        for key in ["journal_url", "journal_password_file"] where entry[key] != nil && entry[key]?.string == nil {
            throw ConfigError("\(file), profile '\(name)': \(key) must be a string in quotes, e.g. \(key == "journal_url" ? "\"postgres://ops@db.example.com/roster\"" : "\"~/.config/roster/journal-password\"")")
        }
        if let text = entry["journal_url"]?.string {
            do throws(ConfigError) {
                _ = try JournalURL(text, environment: ["USER": "check"])
            } catch {
                throw ConfigError("\(file), profile '\(name)': journal_url: \(error)")
            }
        }
        var profile = Profile(
            name: name, dialect: dialect, baseURL: entry["base_url"]?.string,
            keyEnvironmentVariable: entry["key_env"]?.string, keyFile: entry["key_file"]?.string, pageSize: pageSize,
            rateLimit: entry["rate_limit"]?.string, deactivateFields: deactivateFields, undoSeconds: undoSeconds,
            theme: entry["theme"]?.string, readOnly: entry["read_only"]?.bool ?? false, timeout: timeout,
            order: entry["order"]?.string, restoreGroupID: entry["restore_group_id"]?.int,
            ignoreEmailPlusTags: entry["ignore_email_plus_tags"]?.bool ?? false, planMaxAge: planMaxAge,
            approveOver: entry["approve_over"]?.int, allowHTTP: entry["allow_http"]?.bool ?? false, maxWait: maxWait)
        profile.requireSignedApproval = entry["require_signed_approval"]?.bool ?? false
        profile.allowedSigners = entry["allowed_signers"]?.string
        profile.journalURL = entry["journal_url"]?.string
        profile.journalPasswordFile = entry["journal_password_file"]?.string
        return profile
    }
}

extension ProfileConfig {
    /// `90m`, `24h`, `7d`, `2w` (or seconds: `3600s`) in seconds; nil when it is not one, or 0.
    public static func duration(_ text: String) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last, let count = Double(trimmed.dropLast()), count > 0 else { return nil }
        switch unit {
        case "s": return count
        case "m": return count * 60
        case "h": return count * 3600
        case "d": return count * 86_400
        case "w": return count * 7 * 86_400
        default: return nil
        }
    }
}

public struct ConfigError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
