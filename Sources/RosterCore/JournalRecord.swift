import Foundation

/// One record of the journal. An intent is written, durably, before a DELETE, deactivate or
/// create leaves, with the contact's full last-known record; its outcome follows with the same
/// `entry`. The API key is never part of it. `roster journal --json` prints them one per line,
/// as the journal's first format (JSON Lines) kept them.
public struct JournalRecord: Codable, Sendable, Equatable {
    public enum Kind: String, Codable, Sendable {
        case intent
        case outcome
        /// A confirmed deletion cancelled before it was sent (undo, stop, signal): it stands
        /// alone, with the contact's record and the reason.
        case notSent = "not_sent"
    }

    public var kind: Kind
    /// Ties an outcome to its intent.
    public var entry: String
    /// `delete`, `deactivate` or `restore`.
    public var operation: String
    public var at: Date
    public var `operator`: String
    public var profile: String
    public var dialect: String
    public var baseURL: String
    public var contactID: String
    /// Intent: the contact as last seen.
    public var contact: JSONValue?
    /// Outcome: deleted, gone, deactivated, refused, failed; `not sent` on a notSent record.
    public var result: String?
    public var status: Int?
    public var message: String?
    /// Intent: the batch it belongs to (one confirmation in the UI, one run of a headless
    /// command), so everything one batch deleted can be found again.
    public var batch: String?
    /// A restore's intent: the entry of the deletion it undoes.
    public var restores: String?
    /// A restore's outcome: the id the re-created contact got.
    public var newContactID: String?
    /// Intent: the plan it applies (its checksum), who made it and who approved it.
    public var plan: String?
    public var planner: String?
    public var approver: String?
    /// The machine it was written on (a team's journal gathers several).
    public var host: String?
    /// Once the retention period has passed: the record, name, phone and email are gone, and
    /// these keyed hashes of the phone's digits and the folded email remain, so a contact can
    /// still be recognised by someone who has its number, and by no one else.
    public var phoneHash: String?
    public var emailHash: String?

    public init(
        kind: Kind, entry: String, operation: String, at: Date, operator: String, profile: String, dialect: String,
        baseURL: String, contactID: String, contact: JSONValue? = nil, result: String? = nil, status: Int? = nil,
        message: String? = nil, batch: String? = nil, restores: String? = nil, newContactID: String? = nil
    ) {
        self.kind = kind
        self.entry = entry
        self.operation = operation
        self.at = at
        self.operator = `operator`
        self.profile = profile
        self.dialect = dialect
        self.baseURL = baseURL
        self.contactID = contactID
        self.contact = contact
        self.result = result
        self.status = status
        self.message = message
        self.batch = batch
        self.restores = restores
        self.newContactID = newContactID
    }

    public func jsonLine() throws -> String {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    public static func decode(line: String) -> JournalRecord? {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(JournalRecord.self, from: Data(line.utf8))
    }
}
