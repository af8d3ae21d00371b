import Foundation

/// Which account Roster is working on, for the header.
public struct AccountInfo: Sendable, Equatable {
    public var profile: String
    public var dialect: Dialect
    public var baseURL: String
    /// Set when talking to the built-in sandbox, so the screen can say so.
    public var isDemo: Bool
    /// Where the key was read from (never the key), for a 401's message.
    public var keySource: String

    public init(profile: String, dialect: Dialect, baseURL: String, isDemo: Bool, keySource: String = "") {
        self.profile = profile
        self.dialect = dialect
        self.baseURL = baseURL
        self.isDemo = isDemo
        self.keySource = keySource
    }
}

public struct StatusMessage: Sendable, Equatable {
    public enum Level: Sendable, Equatable { case info, success, warning, error }
    public var text: String
    public var level: Level

    public init(_ text: String, level: Level) {
        self.text = text
        self.level = level
    }
}

/// The detail pane: the contact shown and how fresh it is.
public struct DetailPane: Sendable, Equatable {
    public enum Freshness: Sendable, Equatable {
        case loading
        /// Fetched by id just now.
        case fresh
        /// The dialect has no single-contact lookup: this is the list record.
        case listRecordOnly
        case failed(String)
        case gone
    }

    public var contact: Contact
    public var freshness: Freshness

    public init(contact: Contact, freshness: Freshness) {
        self.contact = contact
        self.freshness = freshness
    }
}

public enum Overlay: Sendable, Equatable {
    case none
    case help
    case detail(DetailPane)
    case confirmDelete(Contact)
    case confirmDeactivate(Contact)
}

/// Work in flight on one row.
public enum RowActivity: Sendable, Equatable {
    case checking
    case deleting
    case deactivating
}

/// Everything the screen shows, as a plain value. Only `update` changes it.
public struct AppState: Sendable, Equatable {
    public var account: AccountInfo
    public var capabilities: ProviderCapabilities
    /// Contacts loaded so far, in the server's order.
    public private(set) var contacts: [Contact] = []
    private var knownIDs: Set<ContactID> = []
    public var totalOnServer: Int?
    public var allPagesLoaded = false
    public var pageInFlight: Int?
    /// Bumped by a reload so that pages of an earlier load are ignored.
    public var generation = 0
    /// The contact to keep the cursor on across a reload.
    public var reloadAnchor: ContactID?
    public var cursor = 0
    public var scrollTop = 0
    public var listHeight = 10
    public var overlay: Overlay = .none
    public var activity: [ContactID: RowActivity] = [:]
    /// Contacts the server refused to delete, with its reason.
    public var locked: [ContactID: String] = [:]
    /// Contacts whose last delete failed for a reason other than a lock (400, 422, 5xx, …),
    /// with the server's message; they may be tried again.
    public var failed: [ContactID: String] = [:]
    public var message: StatusMessage?
    public var headroom: Headroom?
    /// The time as of the last tick, for countdowns.
    public var clock = Date(timeIntervalSince1970: 0)
    public var quitRequested = false
    public var isFinished = false

    public init(account: AccountInfo, capabilities: ProviderCapabilities) {
        self.account = account
        self.capabilities = capabilities
    }

    /// Whether something on screen counts down, so the UI should tick once a second.
    public var wantsTicks: Bool {
        guard let headroom else { return false }
        return [headroom.resetAt, headroom.pausedUntil].contains { $0.map { $0 > clock } ?? false }
    }

    public var selectedContact: Contact? {
        contacts.indices.contains(cursor) ? contacts[cursor] : nil
    }

    /// The page to ask for next. Counted from the contacts still loaded, so rows deleted in
    /// this session do not make the server's shifted pages skip a contact; overlap is dropped
    /// by id when the page arrives.
    public var nextPageNumber: Int? {
        allPagesLoaded ? nil : contacts.count / max(1, capabilities.pageSize) + 1
    }

    mutating func replaceContacts(with fresh: [Contact]) {
        contacts = []
        knownIDs = []
        append(fresh)
    }

    mutating func append(_ page: [Contact]) {
        for contact in page where !knownIDs.contains(contact.id) {
            knownIDs.insert(contact.id)
            contacts.append(contact)
        }
    }

    mutating func replace(_ contact: Contact) {
        guard let index = contacts.firstIndex(where: { $0.id == contact.id }) else { return }
        contacts[index] = contact
    }

    mutating func remove(_ id: ContactID) {
        guard let index = contacts.firstIndex(where: { $0.id == id }) else { return }
        contacts.remove(at: index)
        knownIDs.remove(id)
        activity[id] = nil
        failed[id] = nil
        if let total = totalOnServer { totalOnServer = max(0, total - 1) }
        if index < cursor { cursor -= 1 }
        cursor = min(cursor, max(0, contacts.count - 1))
    }
}
