import Foundation

/// A contact's identifier as the API spells it: a UUID string on SendMe123, an integer on
/// Easify. Kept as text so both dialects share one type.
public struct ContactID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let rawValue: String

    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public var description: String { rawValue }

    public static func < (lhs: ContactID, rhs: ContactID) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// One contact as Roster shows it. The display fields are normalised across dialects; `record`
/// keeps the server's full JSON for the detail pane and the journal.
public struct Contact: Sendable, Equatable, Identifiable {
    public var id: ContactID
    public var name: String
    public var phone: String
    public var email: String
    /// SendMe123's `status` (ACTIVE, INACTIVE, BLOCKED); nil where the dialect has none.
    public var status: String?
    /// Easify's `shared_contact`: deleting it affects colleagues too.
    public var shared: Bool?
    public var record: JSONValue
    /// The dialect's own fields, as field queries name them (`tag`, `group`, `created`, …),
    /// read by the provider. The store keeps them only in its searchable form, so a contact
    /// read back from it has none.
    public var fields: [ContactField]

    public init(
        id: ContactID, name: String, phone: String, email: String,
        status: String? = nil, shared: Bool? = nil, record: JSONValue = .null, fields: [ContactField] = []
    ) {
        self.id = id
        self.name = name
        self.phone = phone
        self.email = email
        self.status = status
        self.shared = shared
        self.record = record
        self.fields = fields
    }

    /// The name to show when the server sent none.
    public var displayName: String {
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? "(no name)" : trimmed
    }

    /// The record's fields in a stable order for the detail pane: the dialect's known fields
    /// first, then the rest alphabetically; lists and objects as a person reads them (tags by name).
    public func detailFields(preferredOrder: [String]) -> [(key: String, value: String)] {
        guard let fields = record.objectValue else {
            return [("id", id.rawValue), ("name", name), ("phone", phone), ("email", email)]
        }
        let known = preferredOrder.filter { fields[$0] != nil }
        let rest = fields.keys.filter { !preferredOrder.contains($0) }.sorted()
        return (known + rest).map { ($0, fields[$0]?.readableText ?? "") }
    }
}
