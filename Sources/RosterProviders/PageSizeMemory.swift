import RosterCore
import Synchronization

/// The page size a provider asks for. Roster asks for large pages (fewer requests under a
/// rate limit) and lets the server cap them; a server that refuses a large `limit` outright
/// (400 or 422) is asked again with the common 100, which is then kept.
final class PageSizeMemory: Sendable {
    static let fallback = 100
    private let size: Mutex<Int>

    init(_ requested: Int) {
        size = Mutex(requested)
    }

    var current: Int { size.withLock { $0 } }

    /// Runs a list request with the current size, once more with the fallback if the server
    /// refused the size itself.
    func list<T>(_ request: (Int) async throws(ProviderError) -> T) async throws(ProviderError) -> T {
        let limit = current
        do {
            return try await request(limit)
        } catch where limit > Self.fallback && (error.kind == .validation || error.kind == .badRequest) {
            size.withLock { $0 = Self.fallback }
            return try await request(Self.fallback)
        }
    }

    /// The size the server actually used: what it says, or, when a page came back short
    /// while more follow, how many it sent.
    static func effective(reported: Int?, requested: Int, received: Int, hasMore: Bool) -> Int {
        if let reported, reported > 0 { return reported }
        return hasMore && received > 0 && received < requested ? received : requested
    }
}
