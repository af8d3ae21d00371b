/// The HTTP dialects Roster speaks. A dialect is chosen by configuration.
public enum Dialect: String, Sendable, CaseIterable, Equatable {
    case sendme123
    case easify

    public var displayName: String {
        switch self {
        case .sendme123: return "SendMe123"
        case .easify: return "Easify"
        }
    }

    /// The service's public base URL, used when a profile names none.
    public var defaultBaseURL: String {
        switch self {
        case .sendme123: return "https://app.sendme123.com"
        case .easify: return "https://backend.easify.app/api/v2"
        }
    }
}

/// What a provider can do; the UI offers only what the account supports.
public struct ProviderCapabilities: Sendable, Equatable {
    /// Whether a single contact can be fetched by id (SendMe123 yes, Easify has no such call).
    public var canLookUp: Bool
    public var canDeactivate: Bool
    public var pageSize: Int
    /// Fields shown first in the detail pane, in this order.
    public var detailFieldOrder: [String]
    /// Whether the list comes newest first, so contacts added by others appear on the first
    /// page (Easify's default order); otherwise they come at the end.
    public var newestFirst: Bool
    /// The status a deactivated contact has (SendMe123's `INACTIVE`); nil where deactivating
    /// is an update the profile defines.
    public var inactiveStatus: String?

    public init(
        canLookUp: Bool, canDeactivate: Bool, pageSize: Int, detailFieldOrder: [String], newestFirst: Bool = false,
        inactiveStatus: String? = nil
    ) {
        self.canLookUp = canLookUp
        self.canDeactivate = canDeactivate
        self.pageSize = pageSize
        self.detailFieldOrder = detailFieldOrder
        self.newestFirst = newestFirst
        self.inactiveStatus = inactiveStatus
    }

    /// Requests one deletion costs: a look-up first where the dialect has one, then the DELETE.
    public var requestsPerDeletion: Int { canLookUp ? 2 : 1 }
}
