import Foundation

/// What the journal says can be restored on one account: every contact Roster deleted (the
/// DELETE answered, or confirmed gone on reconciling), with the record kept before it left,
/// less those already restored or found back. A restore left without an outcome (Roster was
/// killed mid-restore) is in doubt until reconciled, and is not offered again meanwhile, so a
/// contact is never restored twice.
public struct RestoreLedger: Sendable {
    public struct Deletion: Sendable, Equatable {
        /// The journal entry of the deletion; a restore names it.
        public var entry: String
        public var at: Date
        public var `operator`: String
        public var profile: String
        public var batch: String?
        public var contactID: String
        /// The contact's record as it was just before it was deleted.
        public var record: JSONValue

        /// The name as the record has it.
        public var name: String { record.contactName }
    }

    /// Deleted and not restored, oldest first.
    public private(set) var restorable: [Deletion] = []
    /// Deletions already restored (or found back), by their entry: the new contact's id.
    public private(set) var restored: [String: String] = [:]
    /// Restores sent and never answered: in doubt until reconciled.
    public private(set) var inDoubt: [JournalRecord] = []

    public init(records: [JournalRecord], dialect: String, baseURL: String) {
        let mine = records.filter { $0.dialect == dialect && $0.baseURL == baseURL }
        var outcomes: [String: JournalRecord] = [:]
        for record in mine where record.kind == .outcome { outcomes[record.entry] = record }
        var undone: Set<String> = []
        for intent in mine where intent.kind == .intent && intent.operation == "restore" {
            guard let deletion = intent.restores else { continue }
            switch outcomes[intent.entry]?.result {
            case "restored", "present":
                undone.insert(deletion)
                restored[deletion] = outcomes[intent.entry]?.newContactID ?? ""
            case nil:
                undone.insert(deletion)
                inDoubt.append(intent)
            default:
                break
            }
        }
        for intent in mine where intent.kind == .intent && intent.operation == "delete" {
            guard outcomes[intent.entry]?.result == "deleted", let record = intent.contact else { continue }
            if let batch = intent.batch { lastBatch = batch }
            guard !undone.contains(intent.entry) else { continue }
            restorable.append(Deletion(
                entry: intent.entry, at: intent.at, operator: intent.operator, profile: intent.profile, batch: intent.batch,
                contactID: intent.contactID, record: record))
        }
    }

    /// The batch of the most recent deletion, restored or not (so `--batch last` run twice
    /// restores nothing the second time, rather than an older batch).
    public private(set) var lastBatch: String?
}

extension JSONValue {
    /// A contact record's name, in either dialect (`name` and `lastName`, or `first_name` and
    /// `last_name`).
    public var contactName: String {
        ["name", "lastName", "first_name", "last_name"].compactMap { self[$0]?.stringValue }.filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}
