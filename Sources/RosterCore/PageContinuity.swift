/// Whether a page read by offset joins up with what was read before it, or the list shifted
/// under the reader: another client (or Roster's own deletions, while the page was on its way)
/// deleted contacts before it, so the page starts later and contacts were skipped, or added
/// contacts before it, so it starts earlier and repeats some.
///
/// Offset pages carry no cursor, so this reads what the server does say: where the page
/// starts (page × size), how many of its first contacts were already read, and its total
/// against the total expected. It costs no request; a shift it finds is mended by reading one
/// page again.
public struct PageContinuity: Sendable, Equatable {
    /// At least this many contacts may have been skipped before the page: read the page
    /// before it again. 0 when nothing says so.
    public var maySkip: Int
    /// This many contacts were added before the page (it repeats that many already read).
    public var addedBefore: Int

    public var isContinuous: Bool { maySkip == 0 && addedBefore == 0 }

    /// - Parameters:
    ///   - start: the page's first position on the server: (page − 1) × page size.
    ///   - readBefore: contacts read before this page and still believed on the server.
    ///   - leadingKnown: how many of the page's first contacts were already read.
    ///   - expectedTotal: the server's total as last reported, less the deletions since.
    ///   - reportedTotal: the total this page reports.
    public init(start: Int, readBefore: Int, leadingKnown: Int, expectedTotal: Int?, reportedTotal: Int?) {
        // Roster's own deletions make the next page start inside what was read: that much
        // overlap is expected.
        let expectedOverlap = max(0, readBefore - start)
        // More repeated than expected: the page starts earlier, contacts were added before it.
        addedBefore = max(0, leadingKnown - expectedOverlap)
        // The page starts past what was read (deletions answered while it was on its way).
        let beyond = start - readBefore
        // Fewer repeated than expected: the page starts later than it should.
        let shortfall = expectedOverlap - leadingKnown
        // Fewer on the server than expected, once the additions seen are counted: a removal
        // somewhere, perhaps before the page (a deletion of Roster's own the server has not
        // answered yet included).
        let removed = (expectedTotal ?? 0) - (reportedTotal ?? expectedTotal ?? 0) + addedBefore
        maySkip = max(beyond, shortfall, removed, 0)
    }
}
