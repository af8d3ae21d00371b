/// One page of the account's contacts, in the order the server returned them.
public struct ContactPage: Sendable, Equatable {
    public var contacts: [Contact]
    public var page: Int
    /// Total contacts on the server, when the response says.
    public var total: Int?
    /// Whether the server has pages after this one.
    public var hasMore: Bool
    /// Contacts per page as the server served them (it may cap what was asked for).
    public var pageSize: Int?
    /// Records on the page that are not contacts Roster can act on (no id, or an id that is
    /// an object or a list): left out, and said, rather than losing the whole page to them.
    public var leftOut: Int

    public init(contacts: [Contact], page: Int, total: Int?, hasMore: Bool, pageSize: Int? = nil, leftOut: Int = 0) {
        self.contacts = contacts
        self.page = page
        self.total = total
        self.hasMore = hasMore
        self.pageSize = pageSize
        self.leftOut = leftOut
    }

    /// `1 record on page 3 has no usable id`, for a page that left some out.
    public var leftOutSentence: String? {
        guard leftOut > 0 else { return nil }
        return leftOut == 1
            ? "1 record on page \(page) has no usable id, so it is left out"
            : "\(leftOut) records on page \(page) have no usable id, so they are left out"
    }
}

/// The server's confirmation of a deletion.
public struct DeleteReceipt: Sendable, Equatable {
    public var id: ContactID
    public var message: String

    public init(id: ContactID, message: String) {
        self.id = id
        self.message = message
    }
}

/// The operations Roster needs from a contact service. Each dialect is one value conforming
/// to it; every call goes through the shared transport and pacer.
public protocol ContactProvider: Sendable {
    var capabilities: ProviderCapabilities { get }
    func list(page: Int) async throws(ProviderError) -> ContactPage
    func lookUp(id: ContactID) async throws(ProviderError) -> Contact
    func delete(id: ContactID) async throws(ProviderError) -> DeleteReceipt
    /// The soft alternative to deleting: the contact stays and stops receiving messages.
    /// Only where `capabilities.canDeactivate`.
    func deactivate(_ contact: Contact) async throws(ProviderError) -> Contact
    /// How the contact a journalled record describes would be re-created; throws when the
    /// record lacks what the create call requires.
    func restorePlan(for record: JSONValue) async throws(ProviderError) -> RestorePlan
    /// Sends the create call; the new contact comes back with its new id.
    func create(_ plan: RestorePlan) async throws(ProviderError) -> Contact
    /// The contact a record of this dialect describes (one the journal kept, say), read as the
    /// list reads it.
    func contact(fromRecord record: JSONValue) -> Contact?
    /// Who a contact is, as a restore tells whether a deleted one is back on the account.
    func identity(of contact: Contact) -> ContactIdentity
}

extension ContactProvider {
    /// The name folded (no case or accents), the phone's digits with the country code, the
    /// email folded.
    public func identity(of contact: Contact) -> ContactIdentity {
        ContactIdentity(
            name: TextFolding.fold(contact.name.trimmingCharacters(in: .whitespaces)), phone: contact.comparablePhone,
            email: contact.comparableEmail)
    }
}

/// One person as a restore recognises them: the same folded name (as the dialect's create call
/// would keep it), the same phone digits and the same folded email. Two contacts that merely
/// share a phone are duplicates, not one person.
public struct ContactIdentity: Sendable, Hashable {
    public var name: String
    public var phone: String
    public var email: String

    public init(name: String, phone: String, email: String) {
        self.name = name
        self.phone = phone
        self.email = email
    }
}

/// Re-creating a deleted contact from the record the journal kept: the create call's body,
/// what cannot come back, and what to look for to tell whether it is already back.
public struct RestorePlan: Sendable, Equatable {
    /// The create call's JSON body.
    public var body: JSONValue
    public var name: String
    /// The phone's digits with the country code, and the email folded: a contact with either
    /// is taken to be this one, already back.
    public var phoneDigits: String
    public var email: String
    /// What the create call cannot bring back, in words.
    public var lost: [String]

    public init(body: JSONValue, name: String, phoneDigits: String, email: String, lost: [String]) {
        self.body = body
        self.name = name
        self.phoneDigits = phoneDigits
        self.email = email
        self.lost = lost
    }
}

extension Contact {
    /// The phone's digits with the country code, the way a restore compares numbers.
    public var comparablePhone: String { phone.filter { $0.isASCII && $0.isNumber } }
    public var comparableEmail: String { TextFolding.fold(email.trimmingCharacters(in: .whitespaces)) }
}
