import Foundation

/// One of a contact's own fields as its provider read it, for field queries: `tag`,
/// `countryCode`, `custom.company` (SendMe123), `group`, `company`, `additional_1`
/// (Easify), `created` and `updated` on both. Names are the query language's.
public struct ContactField: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case text(String)
        /// Seconds since 1970, UTC.
        case date(Int64)
    }

    public var name: String
    public var value: Value

    public init(_ name: String, _ value: Value) {
        self.name = name
        self.value = value
    }

    public static func text(_ name: String, _ text: String) -> ContactField { ContactField(name, .text(text)) }
}

/// A field the query language knows: its name and aliases, what kind of values it holds,
/// and where Roster finds them.
public struct QueryField: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Free text: `company:acme` finds it anywhere in the value, `company:=acme` only the
        /// whole value.
        case text
        /// A category (status, tag, group): the whole value, without case or accents.
        case exact
        /// yes or no.
        case flag
        /// A date: `<2024-01-01`, `>=2024-03`, `2024`, `2024-01..2024-06`, `>30d`.
        case date
        /// Digits with the country code: `phone:+57` starts with 57, `phone:3001` contains it.
        case phone
    }

    public enum Source: Sendable, Equatable {
        case name, email, phone, id, status, shared
        /// This session's rows: locked (409), failed, marked.
        case locked, failed, marked
        /// The provider's `ContactField`s of this name.
        case stored
    }

    public let name: String
    public let aliases: [String]
    public let kind: Kind
    public let source: Source
    /// What it is, for help and for the error an unknown field gets.
    public let summary: String
    /// A family of fields under this prefix (`custom.` + a custom value's key).
    public let isPrefix: Bool

    public init(_ name: String, aliases: [String] = [], _ kind: Kind, from source: Source = .stored, isPrefix: Bool = false, _ summary: String) {
        self.name = name
        self.aliases = aliases
        self.kind = kind
        self.source = source
        self.summary = summary
        self.isPrefix = isPrefix
    }

    /// Whether the field describes this session's rows rather than the account's data.
    public var isSessionState: Bool { [.locked, .failed, .marked].contains(source) }

    /// The values a category or flag may take, for completion; empty where any value goes.
    public var knownValues: [String] {
        switch (kind, source) {
        case (.flag, _): return ["yes", "no"]
        case (.exact, .status): return ["active", "inactive", "blocked"]
        default: return []
        }
    }
}

extension Dialect {
    /// The fields a query may name on this dialect's contacts: the common ones, then the
    /// dialect's own.
    public var queryFields: [QueryField] {
        let common = [
            QueryField("name", .text, from: .name, "the contact's name"),
            QueryField("email", .text, from: .email, "the email address; email: has one, !email: has none"),
            QueryField("phone", .phone, from: .phone, "digits with the country code: phone:+57 starts with 57"),
            QueryField("id", .text, from: .id, "the contact's id"),
            QueryField("created", .date, "when it was created: created:<2024-01-01, created:>30d (older than 30 days)"),
            QueryField("updated", .date, "when it last changed: updated:>30d (not changed for 30 days)"),
            QueryField("locked", .flag, from: .locked, "yes when the server refused to delete it (409) this session"),
            QueryField("failed", .flag, from: .failed, "yes when its last deletion failed this session"),
            QueryField("marked", .flag, from: .marked, "yes when it is marked"),
        ]
        switch self {
        case .sendme123:
            return common + [
                QueryField("status", .exact, from: .status, "ACTIVE, INACTIVE or BLOCKED"),
                QueryField("tag", aliases: ["tags"], .exact, "one of its tags, by name"),
                QueryField("countryCode", aliases: ["country", "cc"], .exact, "the country code, e.g. 57"),
                QueryField("custom.", aliases: ["customValues."], .text, isPrefix: true, "a custom value: custom.KEY:text"),
                QueryField("origin", .exact, "where it came from, e.g. API"),
                QueryField("birthDate", aliases: ["birthday"], .date, "the birth date"),
            ]
        case .easify:
            return common + [
                QueryField("group", aliases: ["group_name"], .exact, "its contact group, by name"),
                QueryField("shared", .flag, from: .shared, "yes when it is in the shared group (deleting it affects colleagues)"),
                QueryField("company", .text, "the company"),
                QueryField("additional_1", aliases: ["additional1"], .text, "the first additional field"),
                QueryField("additional_2", aliases: ["additional2"], .text, "the second additional field"),
                QueryField("additional_3", aliases: ["additional3"], .text, "the third additional field"),
            ]
        }
    }

    /// The field a query names, and for a prefix family the whole field name (`custom.company`);
    /// nil when the dialect has no such field. Names ignore case.
    public func queryField(named typed: String) -> (field: QueryField, name: String)? {
        let lowered = typed.lowercased()
        for field in queryFields {
            let names = [field.name] + field.aliases
            if field.isPrefix {
                for prefix in names where lowered.hasPrefix(prefix.lowercased()) && lowered.count > prefix.count {
                    return (field, field.name.lowercased() + lowered.dropFirst(prefix.count))
                }
            } else if names.contains(where: { $0.lowercased() == lowered }) {
                return (field, field.name.lowercased())
            }
        }
        return nil
    }
}
