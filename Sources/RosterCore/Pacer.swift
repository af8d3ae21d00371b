import Foundation

/// Decides when each request may leave. Every request asks `admit()` first and reports its
/// response with `record(_:status:)`. When the server says the quota is spent (remaining 0, or
/// a 429 with a retry time), all traffic waits until the quota comes back.
public actor Pacer {
    private var headroom: Headroom?
    private var pausedUntil: Date?
    private var recentSends: [Date] = []
    private let estimateWindow: TimeInterval
    private let now: @Sendable () -> Date

    public init(estimateWindow: TimeInterval = 60, now: @escaping @Sendable () -> Date = { Date() }) {
        self.estimateWindow = estimateWindow
        self.now = now
    }

    /// How long a request must wait before it may leave now; nil when it may leave at once.
    public func delayBeforeSending() -> TimeInterval? {
        let current = now()
        if let pausedUntil, pausedUntil > current { return pausedUntil.timeIntervalSince(current) }
        if let headroom, headroom.source == .server, headroom.remaining == 0,
           let reset = headroom.resetAt, reset > current {
            return reset.timeIntervalSince(current)
        }
        return nil
    }

    /// Waits until a request may leave, then counts it as sent.
    public func admit() async {
        while let delay = delayBeforeSending() {
            try? await Task.sleep(nanoseconds: UInt64(min(delay, 3600) * 1_000_000_000) + 1_000_000)
            if Task.isCancelled { break }
        }
        let current = now()
        recentSends.append(current)
        recentSends.removeAll { current.timeIntervalSince($0) >= estimateWindow }
    }

    /// Takes in what a response said and returns the headroom to show.
    @discardableResult
    public func record(_ observation: RateLimitObservation, status: Int) -> Headroom {
        let current = now()
        if let retryAt = observation.retryAt, status == 429 {
            pausedUntil = max(pausedUntil ?? retryAt, retryAt)
        } else if status == 429, pausedUntil == nil {
            pausedUntil = current.addingTimeInterval(estimateWindow)
        }
        if observation.limit != nil || observation.remaining != nil {
            let resetAt = observation.resetAt ?? (status == 429 ? observation.retryAt : nil) ?? headroom?.resetAt
            headroom = Headroom(
                limit: observation.limit ?? headroom?.limit,
                remaining: observation.remaining,
                resetAt: resetAt,
                source: .server
            )
        } else {
            let limit = status == 429 ? recentSends.count - 1 : headroom?.limit
            headroom = Headroom(
                limit: limit,
                remaining: limit.map { max(0, $0 - recentSends.count) },
                resetAt: pausedUntil ?? recentSends.first.map { $0.addingTimeInterval(estimateWindow) },
                source: .estimate
            )
        }
        return headroom!
    }

    /// Requests this pacer let out during the last estimate window.
    public var sentInWindow: Int { recentSends.count }
}
