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

    public init(contacts: [Contact], page: Int, total: Int?, hasMore: Bool, pageSize: Int? = nil) {
        self.contacts = contacts
        self.page = page
        self.total = total
        self.hasMore = hasMore
        self.pageSize = pageSize
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
}
