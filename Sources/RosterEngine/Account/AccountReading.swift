import Foundation
import RosterCore

/// What is on the account now, read once for all who ask (a restore and the reconciling before
/// it share one read): each contact's id, who it is, and when it was created. A read that is
/// not whole (a page failed, the account shifted in a way the walk could not mend, or the
/// server listed records Roster cannot read) cannot prove a contact absent, and says so.
public actor AccountReading {
    private let provider: any ContactProvider
    private var read: Result<AccountContents, ProviderError>?

    public init(provider: any ContactProvider) {
        self.provider = provider
    }

    /// The account's contents, read on the first call.
    public func contents() async -> Result<AccountContents, ProviderError> {
        if let read { return read }
        var contents = AccountContents()
        let provider = self.provider
        let ending = await PageWalker(provider: provider).walk { page in
            for contact in page { contents.add(contact, identity: provider.identity(of: contact)) }
            return true
        }
        let result: Result<AccountContents, ProviderError>
        if let failure = ending.failure {
            result = .failure(failure)
        } else {
            // A record left out (no usable id) may be the very contact asked about.
            contents.doubt = ending.doubt ?? (ending.leftOut == 0 ? nil : ending.leftOut == 1
                ? "1 record on the account has no id Roster can use, and it may be this contact"
                : "\(ending.leftOut) records on the account have no id Roster can use, and one may be this contact")
            result = .success(contents)
        }
        read = result
        return result
    }

    /// A contact a restore created since the read: on the account, yet never "this deleted
    /// one, back" for another deletion (two deleted copies of one person both come back).
    public func add(_ contact: Contact) {
        guard case .success(var contents) = read else { return }
        contents.add(contact, identity: provider.identity(of: contact))
        contents.restoredIDs.insert(contact.id)
        read = .success(contents)
    }

    /// Contacts earlier restores created (the journal's), for the same reason.
    public func setRestored(_ ids: some Sequence<String>) async {
        _ = await contents()
        guard case .success(var contents) = read else { return }
        contents.restoredIDs.formUnion(ids.map(ContactID.init))
        read = .success(contents)
    }
}

/// The account as one read found it.
public struct AccountContents: Sendable {
    /// A contact as the identity index keeps it.
    struct Listed: Sendable {
        var id: ContactID
        /// Seconds since 1970 the service says it was created, where it says.
        var created: Int64?
    }

    public private(set) var ids: Set<ContactID> = []
    private var byIdentity: [ContactIdentity: [Listed]] = [:]
    private var byPhone: [String: ContactID] = [:]
    private var byEmail: [String: ContactID] = [:]
    /// Why the read may have missed contacts; nil when it is whole.
    public internal(set) var doubt: String?
    /// Contacts restores created: each is another deletion's, come back.
    var restoredIDs: Set<ContactID> = []

    public init() {}

    /// Whether every contact on the account was read, so one not found is absent.
    public var isComplete: Bool { doubt == nil }

    mutating func add(_ contact: Contact, identity: ContactIdentity) {
        guard ids.insert(contact.id).inserted else { return }
        let created = contact.fields.first { $0.name == "created" }.flatMap { field -> Int64? in
            if case .date(let seconds) = field.value { return seconds }
            return nil
        }
        byIdentity[identity, default: []].append(Listed(id: contact.id, created: created))
        if !identity.phone.isEmpty, byPhone[identity.phone] == nil { byPhone[identity.phone] = contact.id }
        if !identity.email.isEmpty, byEmail[identity.email] == nil { byEmail[identity.email] = contact.id }
    }

    /// Clocks differ a little between Roster's machine and the service's.
    static let clockTolerance: Int64 = 60

    /// The contact that is this deleted one, back on the account: the same person (name, phone
    /// and email alike after folding) created after it was deleted, or whose creation the
    /// service does not date. A duplicate that was already there when it was deleted is not it.
    public func sameOne(as identity: ContactIdentity, deletedAt: Date) -> ContactID? {
        let deleted = Int64(deletedAt.timeIntervalSince1970)
        return byIdentity[identity]?.first {
            !restoredIDs.contains($0.id) && ($0.created ?? .max) >= deleted - Self.clockTolerance
        }?.id
    }

    /// A contact sharing the phone, else the email: a duplicate of the one restored.
    public func sharing(_ identity: ContactIdentity) -> (id: ContactID, by: String)? {
        if !identity.phone.isEmpty, let id = byPhone[identity.phone] { return (id, "phone") }
        if !identity.email.isEmpty, let id = byEmail[identity.email] { return (id, "email") }
        return nil
    }
}
