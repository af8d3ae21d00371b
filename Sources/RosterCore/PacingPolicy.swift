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
    /// Learning the window from what remains and the resets (`WindowLearning`); nil when not
    /// needed, once learned, or given up.
    private var learning: WindowLearning?
    private var learningGaveUp = false
    /// The window was learned by `WindowLearning`: a 429 that says otherwise starts it again.
    private var windowLearnedHere = false
    /// The request the server counted first in the current window: when it left and its
    /// answer came (a window ends no later than one length after that answer).
    private var windowOpener: WindowLearning.Stamp?
    /// Whether a batch leaves a few places of each window to a person's own requests (the
    /// UI); a headless command's requests are all its batch's, so it keeps none.
    private let keepsReserve: Bool
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

    public init(window: TimeInterval? = nil, limit: Int? = nil, assumed: Bool = false, keepsReserve: Bool = true) {
        self.keepsReserve = keepsReserve
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
        guard let limit, keepsReserve else { return 0 }
        return limit >= 10 ? max(1, limit / 20) : (limit >= 3 ? 1 : 0)
    }

    /// Places of the window a request of this priority leaves to others: a batch's reserve.
    public func reserve(for priority: RequestPriority) -> Int { priority == .batch ? reserve : 0 }

    /// How long a request of this priority must wait before it may leave at `now`; nil when
    /// it may leave at once.
    public func delay(for priority: RequestPriority, at now: Date) -> TimeInterval? {
        if let pausedUntil, pausedUntil > now { return pausedUntil.timeIntervalSince(now) }
        guard let limit else { return nil }
        if let learning {
            switch learning.next(at: now, limit: limit, outstanding: outstanding, keep: reserve(for: priority)) {
            case .go, .probe: return nil
            case .wait(let seconds): return max(0.001, seconds)
            }
        }
        let capacity = max(1, priority == .batch ? limit - reserve : limit)
        let recent = sends.filter { now.timeIntervalSince($0) < effectiveWindow }
        guard recent.count >= capacity else { return nil }
        let mustExpire = recent[recent.count - capacity]
        return max(0.001, mustExpire.addingTimeInterval(effectiveWindow).timeIntervalSince(now))
    }

    /// Whether the request about to leave at `now` should be a probe: a cheap read that finds
    /// where the window ends (`WindowLearning`), sent instead of the caller's request.
    public func probeDue(for priority: RequestPriority, at now: Date) -> Bool {
        guard let limit, let learning, delay(for: priority, at: now) == nil else { return false }
        return learning.next(at: now, limit: limit, outstanding: outstanding, keep: reserve(for: priority)) == .probe
    }

    public mutating func recordSend(at time: Date, probe: Bool = false, priority: RequestPriority = .interactive) {
        if let limit, var watch = learning {
            watch.recordSend(at: time, probe: probe, limit: limit, outstanding: outstanding, keep: reserve(for: priority))
            learning = watch
        }
        outstanding += 1
        sends.append(time)
        trim(now: time)
    }

    /// A request that came back with no answer (the connection failed).
    public mutating func recordUnanswered(probe: Bool = false) {
        outstanding = max(0, outstanding - 1)
        learning?.recordUnanswered(probe: probe)
    }

    /// Takes in one response: its rate-limit figures, its status, and when it was sent.
    public mutating func recordResponse(
        _ observation: RateLimitObservation, status: Int, sentAt: Date, receivedAt: Date, probe: Bool = false
    ) {
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
        if let policyWindow = observation.window, policyWindow > 0 {
            window = policyWindow
            windowIsKnown = true
            windowLearnedHere = false
        }
        if status == 429, windowLearnedHere, let opener = windowOpener, sentAt.timeIntervalSince(opener.received) >= window {
            // Sent after the learned window should have ended, and refused: learn it again.
            windowIsKnown = false
            windowLearnedHere = false
        }
        learn(observation, status: status, sentAt: sentAt, receivedAt: receivedAt, probe: probe)
        if let remaining = observation.remaining {
            serverSendsFigures = true
            serverRemaining = remaining
            serverResetAt = observation.resetAt
            if status != 429, let limit, remaining >= limit - 1, windowOpener.map({ sentAt > $0.sent }) ?? true {
                windowOpener = WindowLearning.Stamp(sent: sentAt, received: receivedAt)
            }
            learnWindow(remaining: remaining, resetAt: observation.resetAt, sentAt: sentAt)
            accountForOtherClients(remaining: remaining, sentAt: sentAt)
            // While learning, a probe may go before the reset: the learner waits for it then.
            if remaining == 0, learning?.tryAt.map({ $0 >= (observation.resetAt ?? .distantPast) }) ?? true,
               let resetAt = observation.resetAt, resetAt > receivedAt {
                pause(until: windowEnd(resetAt: resetAt, answeredAt: receivedAt))
            }
        }
        if status == 429 {
            let retryAt = RateLimitObservation.endOfRefusal(retryAt: observation.retryAt, resetAt: observation.resetAt)
                ?? sends.first.map { $0.addingTimeInterval(effectiveWindow) } ?? receivedAt.addingTimeInterval(window)
            // Requests already in flight when an earlier 429 came back teach nothing new.
            if lastRefusalAnswered.map({ sentAt > $0 }) ?? true {
                if !serverSendsFigures { learnLimitFrom429(sentAt: sentAt) }
                if learning == nil { learnWindowFrom429(retryAt: retryAt, sentAt: sentAt) }
                lastRefusalAnswered = receivedAt
            }
            pause(until: retryAt.addingTimeInterval(min(maxLatency, 1) + 0.01))
        }
        trim(now: receivedAt)
    }

    /// Where a spent window ends: the server's reset, or, where the window is known, one
    /// length after its first request was answered if that is sooner (a reset in whole
    /// seconds is up to a second late; the window's start was seen to the millisecond).
    private func windowEnd(resetAt: Date, answeredAt: Date) -> Date {
        let late = resetAt.addingTimeInterval(maxLatency)
        guard windowIsKnown, let opener = windowOpener else { return late }
        let end = opener.received.addingTimeInterval(window + WindowLearning.margin)
        // An opener a whole window before this answer is not this window's.
        return end > answeredAt ? min(late, end) : late
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

    /// With the limit and what remains but no window from the server, the window is learned
    /// (`WindowLearning`); once learned, the usual pacing takes over.
    private mutating func learn(_ observation: RateLimitObservation, status: Int, sentAt: Date, receivedAt: Date, probe: Bool) {
        guard !windowIsKnown, !learningGaveUp, let limit, serverSendsFigures || observation.remaining != nil else {
            learning = nil
            return
        }
        var watch = learning ?? WindowLearning()
        watch.record(
            limit: limit, remaining: observation.remaining, resetAt: observation.resetAt, retryAt: observation.retryAt,
            status: status, sentAt: sentAt, receivedAt: receivedAt, probe: probe)
        if let length = watch.learnedLength {
            window = length
            windowIsKnown = true
            windowLearnedHere = true
            learnedWindow = length
            learning = nil
        } else if watch.gaveUp {
            learningGaveUp = true
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
