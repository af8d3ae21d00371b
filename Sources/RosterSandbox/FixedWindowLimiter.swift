import Foundation

/// A fixed-window rate limiter per key: at most `limit` requests in each window, the windows
/// aligned to multiples of the window length, or (`opensOnFirstRequest`, as a cache-based
/// throttle such as Laravel's counts) each opening with the first request after the last one
/// ended.
struct FixedWindowLimiter: Sendable {
    struct Decision: Sendable {
        var allowed: Bool
        var limit: Int
        var remaining: Int
        /// When the current window ends.
        var resetAt: Double
        var retryAfterSeconds: Int
        var windowSeconds: Double
    }

    let limit: Int
    let windowSeconds: Double
    let opensOnFirstRequest: Bool
    private var windows: [String: (start: Double, count: Int)] = [:]
    /// Requests accepted in each window, by the window's number: how evenly a client paced.
    private var acceptedByWindow: [Int: Int] = [:]
    /// Windows opened so far, where they open with their first request.
    private var opened = 0
    /// When the first and the latest accepted request arrived: the span a client's accepted
    /// requests took, to set against the fastest the limit allows.
    private(set) var acceptedSpan: (first: Double, last: Double)?

    /// Requests accepted per window from the first window used to the last, idle ones as 0
    /// (windows that open with a request are never idle).
    var acceptedPerWindow: [Int] {
        guard let first = acceptedByWindow.keys.min(), let last = acceptedByWindow.keys.max() else { return [] }
        return (first...last).map { acceptedByWindow[$0] ?? 0 }
    }

    init(limit: Int, windowSeconds: Double, opensOnFirstRequest: Bool = false) {
        self.limit = limit
        self.windowSeconds = windowSeconds
        self.opensOnFirstRequest = opensOnFirstRequest
    }

    mutating func admit(key: String, now: Double) -> Decision {
        var window: (start: Double, count: Int)
        let number: Int
        if opensOnFirstRequest {
            window = windows[key] ?? (now, 0)
            if now >= window.start + windowSeconds || windows[key] == nil {
                window = (now, 0)
                opened += 1
            }
            number = opened
        } else {
            let start = (now / windowSeconds).rounded(.down) * windowSeconds
            window = windows[key] ?? (start, 0)
            if window.start != start { window = (start, 0) }
            number = Int((now / windowSeconds).rounded(.down))
        }
        let start = window.start
        let resetAt = start + windowSeconds
        let retryAfter = max(1, Int((resetAt - now).rounded(.up)))
        guard window.count < limit else {
            windows[key] = window
            return Decision(
                allowed: false, limit: limit, remaining: 0, resetAt: resetAt, retryAfterSeconds: retryAfter,
                windowSeconds: windowSeconds)
        }
        window.count += 1
        windows[key] = window
        acceptedByWindow[number, default: 0] += 1
        acceptedSpan = (acceptedSpan?.first ?? now, now)
        return Decision(
            allowed: true, limit: limit, remaining: limit - window.count, resetAt: resetAt,
            retryAfterSeconds: retryAfter, windowSeconds: windowSeconds)
    }
}
