import Foundation

/// A fixed-window rate limiter per key, as Laravel's throttle middleware counts: at most
/// `limit` requests in each window aligned to multiples of the window length.
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
    private var windows: [String: (start: Double, count: Int)] = [:]
    /// Requests accepted in each window, by the window's start: how evenly a client paced.
    private var acceptedByWindow: [Int: Int] = [:]

    /// Requests accepted per window from the first window used to the last, idle ones as 0.
    var acceptedPerWindow: [Int] {
        guard let first = acceptedByWindow.keys.min(), let last = acceptedByWindow.keys.max() else { return [] }
        return (first...last).map { acceptedByWindow[$0] ?? 0 }
    }

    init(limit: Int, windowSeconds: Double) {
        self.limit = limit
        self.windowSeconds = windowSeconds
    }

    mutating func admit(key: String, now: Double) -> Decision {
        let start = (now / windowSeconds).rounded(.down) * windowSeconds
        var window = windows[key] ?? (start, 0)
        if window.start != start { window = (start, 0) }
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
        acceptedByWindow[Int((now / windowSeconds).rounded(.down)), default: 0] += 1
        return Decision(
            allowed: true, limit: limit, remaining: limit - window.count, resetAt: resetAt,
            retryAfterSeconds: retryAfter, windowSeconds: windowSeconds)
    }
}
