import Foundation

/// Who is waiting for a request slot: a person looking something up, or a batch. A batch
/// leaves a small reserve of the quota for interactive requests.
public enum RequestPriority: Sendable, Equatable {
    case interactive
    case batch
}

/// The pacer's arithmetic, as a value with explicit times so it can be tested without a
/// clock. It never lets any interval of the window's length (plus the worst latency seen)
/// hold more requests than the limit, which keeps fixed windows of any phase within the limit
/// on the server's side too.
public struct PacingPolicy: Sendable, Equatable {
    /// The server's window length: configured, or learned from `RateLimit-Policy` or from
    /// reset times (60 s is assumed until then).
    public private(set) var window: TimeInterval
    private var windowIsKnown: Bool
    /// The quota given was an assumption (a dialect's documented default), not the user's:
    /// a server whose limit differs from it has its own window, to be learned.
    private var quotaIsAssumed: Bool
    /// Learning the window from what remains, where the server says neither its length nor
    /// when it resets (Laravel's headers); nil when not needed or once learned.
    private var learning: WindowLearning?
    private var serverNamedReset = false
    /// Requests sent and not yet answered.
    private var outstanding = 0
    /// Requests allowed per window; nil until the server says or a 429 teaches it.
    public private(set) var limit: Int?
    /// Whether the server has sent rate-limit figures (otherwise every figure is an estimate).
    public private(set) var serverSendsFigures = false
    public private(set) var pausedUntil: Date?
    private var serverRemaining: Int?
    private var serverResetAt: Date?
    /// Our own send times plus placeholders for requests other clients made on the same
    /// quota, oldest first, trimmed to the last window.
    private var sends: [Date] = []
    private var maxLatency: TimeInterval = 0
    private var learnedWindow: TimeInterval?
    private var lastPauseEnded: Date?
    private var lastRefusalAnswered: Date?

    public init(window: TimeInterval? = nil, limit: Int? = nil, assumed: Bool = false) {
        self.window = window ?? 60
        self.windowIsKnown = window != nil
        self.quotaIsAssumed = assumed
        self.limit = limit
    }

    /// Whether the window is being learned from refills (the gauge and tests can tell).
    public var isLearningWindow: Bool { learning != nil }

    /// The span a limit's worth of requests is spread over: the window plus the worst latency
    /// seen, so a request's arrival can never land in a fuller window than its send.
    public var effectiveWindow: TimeInterval { window * 1.005 + min(maxLatency, 1) + 0.002 }

    /// Slots a batch leaves free for interactive requests.
    public var reserve: Int {
        guard let limit else { return 0 }
        return limit >= 10 ? max(1, limit / 20) : (limit >= 3 ? 1 : 0)
    }

    /// How long a request of this priority must wait before it may leave at `now`; nil when
    /// it may leave at once.
    public func delay(for priority: RequestPriority, at now: Date) -> TimeInterval? {
        if let pausedUntil, pausedUntil > now { return pausedUntil.timeIntervalSince(now) }
        guard let limit else { return nil }
        if let learning {
            return learning.delay(at: now, limit: limit, outstanding: outstanding, keep: priority == .batch ? reserve : 0)
        }
        let capacity = max(1, priority == .batch ? limit - reserve : limit)
        let recent = sends.filter { now.timeIntervalSince($0) < effectiveWindow }
        guard recent.count >= capacity else { return nil }
        let mustExpire = recent[recent.count - capacity]
        return max(0.001, mustExpire.addingTimeInterval(effectiveWindow).timeIntervalSince(now))
    }

    public mutating func recordSend(at time: Date) {
        if let limit, var watch = learning {
            watch.recordSend(at: time)
            watch.recordProbe(at: time, limit: limit, outstanding: outstanding, keep: reserve)
            learning = watch
        }
        outstanding += 1
        sends.append(time)
        trim(now: time)
    }

    /// A request that came back with no answer (the connection failed).
    public mutating func recordUnanswered() {
        outstanding = max(0, outstanding - 1)
    }

    /// Takes in one response: its rate-limit figures, its status, and when it was sent.
    public mutating func recordResponse(_ observation: RateLimitObservation, status: Int, sentAt: Date, receivedAt: Date) {
        defer { outstanding = max(0, outstanding - 1) }
        maxLatency = max(maxLatency, receivedAt.timeIntervalSince(sentAt))
        if let serverLimit = observation.limit {
            // A default quota the server contradicts says nothing about its window either.
            if quotaIsAssumed, serverLimit != limit, windowIsKnown, learnedWindow == nil {
                windowIsKnown = false
                window = 60
            }
            quotaIsAssumed = false
            limit = serverLimit
            serverSendsFigures = true
        }
        if observation.resetAt != nil || observation.window != nil { serverNamedReset = true }
        if let policyWindow = observation.window, policyWindow > 0 {
            window = policyWindow
            windowIsKnown = true
        }
        if let remaining = observation.remaining {
            serverSendsFigures = true
            serverRemaining = remaining
            serverResetAt = observation.resetAt
            watchForRefills(remaining, sentAt: sentAt, receivedAt: receivedAt)
            learnWindow(remaining: remaining, resetAt: observation.resetAt, sentAt: sentAt)
            accountForOtherClients(remaining: remaining, sentAt: sentAt)
            if remaining == 0, let resetAt = observation.resetAt, resetAt > receivedAt {
                pause(until: resetAt.addingTimeInterval(maxLatency))
            }
        }
        if status == 429 {
            let retryAt = observation.retryAt ?? observation.resetAt
                ?? sends.first.map { $0.addingTimeInterval(effectiveWindow) } ?? receivedAt.addingTimeInterval(window)
            // Requests already in flight when an earlier 429 came back teach nothing new.
            if lastRefusalAnswered.map({ sentAt > $0 }) ?? true {
                if !serverSendsFigures { learnLimitFrom429(sentAt: sentAt) }
                learnWindowFrom429(retryAt: retryAt, sentAt: sentAt)
                lastRefusalAnswered = receivedAt
            }
            pause(until: retryAt.addingTimeInterval(min(maxLatency, 1) + 0.01))
        }
        trim(now: receivedAt)
    }

    /// The headroom to show at `now`.
    public func headroom(at now: Date) -> Headroom {
        let recent = sends.filter { now.timeIntervalSince($0) < effectiveWindow }
        let remaining: Int?
        let resetAt: Date?
        var source: Headroom.Source = serverSendsFigures ? .server : .estimate
        var resetIsEstimate = false
        if serverSendsFigures, let serverRemaining {
            let refilled = serverResetAt.map { $0 <= now } ?? false
            remaining = refilled ? limit : serverRemaining
            if refilled { source = .estimate }
            // Without a reset from the server, the countdown is Roster's own reckoning.
            resetIsEstimate = !refilled && serverResetAt == nil
            resetAt = refilled ? nil : (serverResetAt ?? recent.first?.addingTimeInterval(effectiveWindow))
        } else {
            remaining = limit.map { max(0, $0 - recent.count) }
            resetAt = recent.first?.addingTimeInterval(effectiveWindow)
        }
        return Headroom(
            limit: limit, remaining: remaining, resetAt: resetAt, source: source,
            pausedUntil: pausedUntil.flatMap { $0 > now ? $0 : nil },
            sentInWindow: recent.count, window: window, reserve: reserve, resetIsEstimate: resetIsEstimate && resetAt != nil,
            observedAt: now)
    }

    private mutating func pause(until time: Date) {
        pausedUntil = max(pausedUntil ?? time, time)
    }

    /// With the limit and what remains but no reset or window from the server, the window is
    /// learned from refills (`WindowLearning`); once learned, the usual pacing takes over.
    private mutating func watchForRefills(_ remaining: Int, sentAt: Date, receivedAt: Date) {
        guard !windowIsKnown, !serverNamedReset, let limit else {
            learning = nil
            return
        }
        var watch = learning ?? WindowLearning()
        let tolerance = outstanding > 1 ? min(4, max(1, limit / 4)) : 0
        watch.recordRemaining(remaining, limit: limit, sentAt: sentAt, receivedAt: receivedAt, tolerance: tolerance)
        if let length = watch.learnedLength {
            window = length
            windowIsKnown = true
            learnedWindow = length
            learning = nil
        } else {
            learning = watch
        }
    }

    /// With no figures from the server, the first 429 says the limit is about what was sent
    /// in the window before it; each later 429 lowers the estimate by one.
    private mutating func learnLimitFrom429(sentAt: Date) {
        let accepted = sends.filter { $0 < sentAt && sentAt.timeIntervalSince($0) < effectiveWindow }.count
        // Refused before Roster sent anything: someone else spent the quota; nothing to learn.
        guard accepted > 0 else { return }
        limit = max(1, limit.map { min($0 - 1, accepted) } ?? accepted)
    }

    /// Requests sent since the last pause ended form one burst that the server counted in one
    /// window; that window ends at the retry time, so it lasted at least from the burst's
    /// first request to then. Retry times come in whole seconds, so the guess can be up to a
    /// second long: safe, and small beside real windows of a minute.
    private mutating func learnWindowFrom429(retryAt: Date, sentAt: Date) {
        guard !windowIsKnown else { return }
        let burstStart = sends.first { $0 >= (lastPauseEnded ?? .distantPast) && $0 <= sentAt }
        defer { lastPauseEnded = retryAt }
        guard let burstStart else { return }
        let bound = (retryAt.timeIntervalSince(burstStart) * 10).rounded(.up) / 10
        guard bound >= 0.5 else { return }
        window = learnedWindow.map { max($0, bound) } ?? bound
        learnedWindow = window
    }

    /// Until the window is known, the longest time to a reset seen so far stands for it: a
    /// reset is never further away than one window, so this errs on the safe side.
    private mutating func learnWindow(remaining: Int, resetAt: Date?, sentAt: Date) {
        guard !windowIsKnown, let resetAt else { return }
        // Resets come in whole seconds counted from the server's clock: to the nearest second.
        let length = resetAt.timeIntervalSince(sentAt).rounded()
        guard length >= 1 else { return }
        window = learnedWindow.map { max($0, length) } ?? length
        learnedWindow = window
    }

    /// Requests the pacer keeps count of in one window, its own and others': past this, a
    /// limit is too large for pacing to matter (the server's figures still pause it), and a
    /// server claiming ten million requests spent is not given ten million places.
    static let largestWindowCount = 10_000

    /// When the server has counted more than we sent, someone else spends the same quota:
    /// their requests take places in our window too.
    private mutating func accountForOtherClients(remaining: Int, sentAt: Date) {
        guard let limit else { return }
        let serverCount = min(limit - remaining, Self.largestWindowCount)
        let ours = sends.filter { $0 <= sentAt && sentAt.timeIntervalSince($0) < effectiveWindow }.count
        if serverCount > ours {
            let insertAt = sends.firstIndex { $0 > sentAt } ?? sends.count
            sends.insert(contentsOf: Array(repeating: sentAt, count: serverCount - ours), at: insertAt)
        }
    }

    private mutating func trim(now: Date) {
        let horizon = max(effectiveWindow, 1)
        if let first = sends.firstIndex(where: { now.timeIntervalSince($0) < horizon }) {
            sends.removeFirst(first)
        } else {
            sends.removeAll()
        }
    }
}
