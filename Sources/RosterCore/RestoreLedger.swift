import Foundation

/// What the journal says can be restored on one account: every contact Roster deleted (the
/// DELETE answered, or confirmed gone on reconciling), with the record kept before it left,
/// less those already restored or found back. A deletion whose answer never came (or came as
/// a server error) is of unknown fate until the account is checked: it is listed apart, and
/// restoring checks it first. A restore left without an outcome (Roster was killed
/// mid-restore) is in doubt until reconciled, and is not offered again meanwhile, so a contact
/// is never restored twice.
public struct RestoreLedger: Sendable {
    public struct Deletion: Sendable, Equatable {
        public enum Fate: Sendable, Equatable {
            /// The server confirmed it (or reconciling found it gone).
            case deleted
            /// The DELETE may or may not have been carried out: the journal says how it ended.
            case unknown(String)
        }

        /// The journal entry of the deletion; a restore names it.
        public var entry: String
        public var at: Date
        public var `operator`: String
        public var profile: String
        public var batch: String?
        public var contactID: String
        /// The contact's record as it was just before it was deleted.
        public var record: JSONValue
        public var fate: Fate = .deleted
        /// The phone and email as the dialect reads the record (filled by whoever knows the
        /// dialect; empty otherwise).
        public var phone = ""
        public var email = ""

        /// The name as the record has it.
        public var name: String { record.contactName }
    }

    /// Deleted and not restored, oldest first.
    public private(set) var restorable: [Deletion] = []
    /// Deletions of unknown fate, not restored: the account must be checked first.
    public private(set) var unknownFate: [Deletion] = []
    /// Deletions already restored (or found back), by their entry: the new contact's id.
    public private(set) var restored: [String: String] = [:]
    /// The same, by the deleted contact's id.
    public private(set) var restoredContacts: [String: String] = [:]
    /// Restores sent and never answered: in doubt until reconciled.
    public private(set) var inDoubt: [JournalRecord] = []
    /// Contacts whose deletion did not happen (the contact was found still there), by id.
    public private(set) var notDeleted: Set<String> = []
    /// Contacts erased at the person's request (`roster erase`), or deleted earlier and then
    /// purged by an erasure, by id: when, and by whom. Nothing is kept to restore them from.
    public private(set) var erased: [String: (at: Date, by: String)] = [:]

    /// Whether a destructive request that ended this way may have been carried out: no
    /// outcome at all (Roster was killed), no answer or a server error (`unknown`; older
    /// journals said `failed` with "unknown" in the message, or `refused` with a 5xx), or a check that could
    /// not tell (`unverified`). Checking the account settles it.
    public static func isOfUnknownFate(_ outcome: JournalRecord?) -> Bool {
        guard let outcome, let result = outcome.result else { return true }
        switch result {
        case "unknown", "unverified": return true
        case "failed": return outcome.status == nil && (outcome.message ?? "").contains("unknown")
        case "refused": return (outcome.status ?? 0) >= 500
        default: return false
        }
    }

    public init(records: [JournalRecord], dialect: String, baseURL: String, describe: (JSONValue) -> Contact? = { _ in nil }) {
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
                restoredContacts[intent.contactID] = outcomes[intent.entry]?.newContactID ?? ""
            case nil, "unknown", "unverified":
                undone.insert(deletion)
                inDoubt.append(intent)
            default:
                break
            }
        }
        // An erasure's hashes mark the person's earlier deletions too, whose copies it removed.
        let erasures = mine.filter { $0.kind == .intent && $0.operation == "erase" }
        for erasure in erasures where outcomes[erasure.entry]?.result == "erased" || outcomes[erasure.entry]?.result == "gone" {
            erased[erasure.contactID] = (erasure.at, erasure.operator)
        }
        for intent in mine where intent.kind == .intent && intent.operation == "delete" && intent.contact == nil {
            if let erasure = erasures.first(where: { $0.at > intent.at && Self.samePerson(intent, $0) }) {
                erased[intent.contactID] = (erasure.at, erasure.operator)
            }
        }
        for intent in mine where intent.kind == .intent && intent.operation == "delete" {
            let outcome = outcomes[intent.entry]
            let fate: Deletion.Fate
            if outcome?.result == "deleted" {
                fate = .deleted
            } else if Self.isOfUnknownFate(outcome) {
                fate = .unknown(outcome.map { "\($0.result ?? "") \($0.message ?? "")" } ?? "no answer was recorded")
            } else {
                if outcome?.result == "not done" { notDeleted.insert(intent.contactID) }
                continue
            }
            guard let record = intent.contact else { continue }
            if let batch = intent.batch { lastBatch = batch }
            guard !undone.contains(intent.entry) else { continue }
            var deletion = Deletion(
                entry: intent.entry, at: intent.at, operator: intent.operator, profile: intent.profile, batch: intent.batch,
                contactID: intent.contactID, record: record, fate: fate)
            if let contact = describe(record) {
                deletion.phone = contact.phone
                deletion.email = contact.email
            }
            if fate == .deleted {
                restorable.append(deletion)
                notDeleted.remove(intent.contactID)
            } else {
                unknownFate.append(deletion)
            }
        }
    }

    /// Whether a record carries the hashes an erasure's record carries: both where it has
    /// both (a shared email alone is not the same person).
    static func samePerson(_ record: JournalRecord, _ erasure: JournalRecord) -> Bool {
        let phone = erasure.phoneHash.map { $0 == record.phoneHash }
        let email = erasure.emailHash.map { $0 == record.emailHash }
        guard phone != nil || email != nil else { return false }
        return (phone ?? true) && (email ?? true)
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
