/// Reading the account page by page: how far it has got, what is on its way, and what Roster
/// is unsure of.
public struct Paging: Sendable, Equatable {
    /// Contacts the server reports.
    public var total: Int?
    /// Contacts per page as the server serves them, learned from the first page.
    public var serverPageSize: Int?
    public var allLoaded = false
    /// The page asked for and not answered yet.
    public var inFlight: Int?
    /// Pages read again after a shift, and what Roster is unsure of.
    public var check = PagingCheck()
    /// Bumped by a reload so that pages of an earlier load are ignored.
    public var generation = 0
    /// The contact to keep the cursor on across a reload.
    public var reloadAnchor: ContactID?

    public init() {}
}
