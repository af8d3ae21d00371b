import Foundation

/// How much of the API's request quota is left, as last seen.
public struct Headroom: Sendable, Equatable {
    public enum Source: Sendable, Equatable {
        /// Read from the server's rate-limit headers.
        case server
        /// Counted by Roster from its own requests: the server sent no figures.
        case estimate
    }

    public var limit: Int?
    public var remaining: Int?
    /// When the quota next grows: the server's reset, or when the oldest request Roster sent
    /// leaves the window.
    public var resetAt: Date?
    public var source: Source
    /// Set while all traffic waits after a 429 or an empty quota.
    public var pausedUntil: Date?
    /// Requests Roster counted in the current window (its own, plus other clients' it inferred).
    public var sentInWindow: Int
    /// The window the limit applies to, as the pacer knows it.
    public var window: TimeInterval?
    /// Requests a batch leaves free for the user's own look-ups.
    public var reserve: Int
    /// The server sent the figures but not when they reset: `resetAt` is Roster's estimate
    /// (from its own requests and the window it knows), and is shown as such.
    public var resetIsEstimate: Bool
    /// When these figures were seen.
    public var observedAt: Date?

    public init(
        limit: Int?, remaining: Int?, resetAt: Date?, source: Source, pausedUntil: Date? = nil, sentInWindow: Int = 0,
        window: TimeInterval? = nil, reserve: Int = 0, resetIsEstimate: Bool = false, observedAt: Date? = nil
    ) {
        self.window = window
        self.reserve = reserve
        self.resetIsEstimate = resetIsEstimate
        self.observedAt = observedAt
        self.limit = limit
        self.remaining = remaining
        self.resetAt = resetAt
        self.source = source
        self.pausedUntil = pausedUntil
        self.sentInWindow = sentInWindow
    }
}

extension Headroom {
    /// The headroom as it stands at `now`. Once the reset has passed (or, with no reset known,
    /// a whole window since the figures were seen) the quota is full again; no request has
    /// said so yet, so that figure is Roster's estimate. A gauge never shows a figure frozen
    /// past its reset.
    public func current(at now: Date) -> Headroom {
        let passed: Bool
        if let resetAt {
            passed = resetAt <= now
        } else if let observedAt, let window {
            passed = observedAt.addingTimeInterval(window) <= now
        } else {
            passed = false
        }
        guard passed, let limit else { return self }
        var fresh = self
        fresh.remaining = limit
        fresh.resetAt = nil
        fresh.resetIsEstimate = false
        fresh.source = .estimate
        fresh.sentInWindow = 0
        return fresh
    }
}

/// What one response said about the rate limit. Every field is optional: servers send
/// different subsets, and a malformed value is dropped rather than trusted.
public struct RateLimitObservation: Sendable, Equatable {
    public var limit: Int?
    public var remaining: Int?
    public var resetAt: Date?
    public var retryAt: Date?
    /// The window length a `RateLimit-Policy` (`w=`) names.
    public var window: TimeInterval?

    public init(limit: Int? = nil, remaining: Int? = nil, resetAt: Date? = nil, retryAt: Date? = nil, window: TimeInterval? = nil) {
        self.limit = limit
        self.remaining = remaining
        self.resetAt = resetAt
        self.retryAt = retryAt
        self.window = window
    }

    /// Where a refused request's window ends: the retry time, or the reset where the two
    /// agree (both are rounded up to whole seconds, the retry from when it was said: the reset
    /// is the sharper, unless the server's clock is off ours, which their disagreeing shows).
    public static func endOfRefusal(retryAt: Date?, resetAt: Date?) -> Date? {
        guard let retryAt else { return resetAt }
        guard let resetAt, resetAt <= retryAt, resetAt >= retryAt.addingTimeInterval(-1.05) else { return retryAt }
        return resetAt
    }

    public var isEmpty: Bool { limit == nil && remaining == nil && resetAt == nil && retryAt == nil && window == nil }

    /// The furthest a server's figure may put a reset or a retry: a day. Past it (`1e300`,
    /// `inf`, a reset in milliseconds taken for seconds) the figure is absurd, and is held to
    /// this, so every wait it causes ends and every duration it gives can be shown.
    public static let ceiling: TimeInterval = 86_400
    /// The largest limit or remaining count taken as given.
    public static let largestCount = 10_000_000

    /// Reads the rate-limit headers of any style the contracts list, plus a 429 body's
    /// "Try again in N seconds". Header names are matched case-insensitively. Every figure is
    /// held to what can be true here, once, so nothing downstream meets infinity.
    public static func parse(headers: [(name: String, value: String)], body: String?, now: Date) -> RateLimitObservation {
        var fields: [String: String] = [:]
        for (name, value) in headers { fields[name.lowercased()] = value.trimmingCharacters(in: .whitespaces) }
        var observation = RateLimitObservation()
        observation.limit = nonNegativeInt(fields["x-ratelimit-limit"]) ?? nonNegativeInt(fields["ratelimit-limit"])
        observation.remaining = nonNegativeInt(fields["x-ratelimit-remaining"]) ?? nonNegativeInt(fields["ratelimit-remaining"])
        if let reset = seconds(fields["x-ratelimit-reset"]) {
            observation.resetAt = resetDate(reset, now: now)
        } else if let reset = seconds(fields["ratelimit-reset"]) {
            observation.resetAt = now.addingTimeInterval(min(reset, ceiling))
        }
        if let structured = fields["ratelimit"] {
            let parameters = structuredParameters(structured)
            if observation.remaining == nil { observation.remaining = nonNegativeInt(parameters["r"]) }
            if observation.resetAt == nil, let seconds = seconds(parameters["t"]) {
                observation.resetAt = now.addingTimeInterval(min(seconds, ceiling))
            }
        }
        if let policy = fields["ratelimit-policy"] {
            let parameters = structuredParameters(policy)
            if observation.limit == nil { observation.limit = nonNegativeInt(parameters["q"]) }
            if let seconds = seconds(parameters["w"]), seconds > 0 { observation.window = min(seconds, ceiling) }
        }
        if let retry = fields["retry-after"] {
            if let seconds = seconds(retry) {
                observation.retryAt = now.addingTimeInterval(min(seconds, ceiling))
            } else if let date = httpDate(retry) {
                observation.retryAt = min(date, now.addingTimeInterval(ceiling))
            }
        }
        if observation.retryAt == nil, let body, let seconds = secondsInTryAgainMessage(body) {
            observation.retryAt = now.addingTimeInterval(min(Double(seconds), ceiling))
        }
        return observation
    }

    /// A figure of seconds: finite and not negative, or nothing.
    static func seconds(_ text: String?) -> Double? {
        guard let text, let value = Double(text), value.isFinite, value >= 0 else { return nil }
        return value
    }

    /// `X-RateLimit-Reset` is a Unix time on some servers and seconds-from-now on others;
    /// anything larger than a year of seconds can only be a Unix time, and one a thousand
    /// times too far, a Unix time in milliseconds. Held to `ceiling` from now.
    static func resetDate(_ value: Double, now: Date) -> Date {
        guard value > 365 * 24 * 3600 else { return now.addingTimeInterval(min(value, ceiling)) }
        var unix = value
        if unix > now.timeIntervalSince1970 + ceiling, abs(unix / 1000 - now.timeIntervalSince1970) < ceiling { unix /= 1000 }
        return min(Date(timeIntervalSince1970: unix), now.addingTimeInterval(ceiling))
    }

    static func nonNegativeInt(_ text: String?) -> Int? {
        guard let text, let value = Int(text), value >= 0 else { return nil }
        return min(value, largestCount)
    }

    /// Parameters of a structured field such as `"default";r=50;t=30` or `"default";q=100;w=60`.
    static func structuredParameters(_ field: String) -> [String: String] {
        let firstItem = field.split(separator: ",").first ?? ""
        var parameters: [String: String] = [:]
        for part in firstItem.split(separator: ";").dropFirst() {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            parameters[pair[0].trimmingCharacters(in: .whitespaces)] = pair[1].trimmingCharacters(in: .whitespaces)
        }
        return parameters
    }

    static func secondsInTryAgainMessage(_ body: String) -> Int? {
        guard let range = body.range(of: "try again in ", options: .caseInsensitive) else { return nil }
        let digits = body[range.upperBound...].prefix { $0.isASCII && $0.isNumber }.prefix(9)
        return Int(digits)
    }

    static func httpDate(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        return formatter.date(from: text)
    }
}
