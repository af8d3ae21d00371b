import Foundation

/// Decides when each request may leave: every request asks `admit` first and reports its
/// response with `finish`. It bounds the requests in flight, keeps each window within the
/// limit (`PacingPolicy`), and holds all traffic while the server says to wait.
///
/// A batch's requests can also be held (`holdBatch`: the batch is paused) or withdrawn
/// (`withdrawBatch`: the batch is stopped). Until `admit` returns, a request has not left,
/// so holding and withdrawing reach every batch request not yet on the wire, including
/// those waiting here for their turn.
public actor Pacer {
    public struct Ticket: Sendable {
        public let sentAt: Date
        /// This place is for a probe: a cheap read that finds where the rate-limit window ends
        /// (`WindowLearning`). The caller sends its probe request instead of its own, reports
        /// it with `finish`, and asks again; a caller with no probe sends its own request.
        public let isProbe: Bool
    }

    /// Thrown by `admit` for a batch request withdrawn before it left.
    public struct Withdrawn: Error {}

    /// Thrown by `admit` when the rate limit asks for a longer wait than the operator allows
    /// (`--max-wait`): the request is not sent.
    public struct WaitTooLong: Error, Sendable {
        public let seconds: TimeInterval
        public let limit: TimeInterval
        /// The server asked for it (a 429's retry time, a reset with nothing left), rather
        /// than Roster's own pacing of a full window.
        public let serverAsked: Bool
    }

    /// A wait for the rate limit long enough to say (5 s or more): how long, and whether the
    /// server asked for it.
    public typealias WaitNotice = @Sendable (_ seconds: TimeInterval, _ serverAsked: Bool) -> Void

    private enum WaitReason {
        /// For a free place among the requests in flight.
        case slot
        /// For the batch to be resumed.
        case held
        /// For the window or a retry time; a timer ends it.
        case delay
    }

    private struct Waiter {
        let id: Int
        let priority: RequestPriority
        let reason: WaitReason
        let continuation: CheckedContinuation<Void, Never>
    }

    private var policy: PacingPolicy
    private let maxInFlight: Int
    private var inFlight = 0
    /// In the order they are to be woken: interactive requests ahead of a batch's.
    private var waiters: [Waiter] = []
    private var nextWaiterID = 0
    private var batchHeld = false
    /// Bumped by `withdrawBatch`: a batch request admitted under an older epoch is withdrawn.
    private var batchEpoch = 0
    private let now: @Sendable () -> Date
    /// The longest wait for the rate limit a request accepts; nil: no ceiling.
    private let maxWait: TimeInterval?
    private let onWait: WaitNotice?
    /// The end of the last wait said, so many requests waiting for one window say it once.
    private var saidUntil: Date?

    /// Waits this long or longer are said (`onWait`).
    public static let noticeableWait: TimeInterval = 5

    /// The quota shared with other Rosters on the account (a team's store), and which of its
    /// quotas this pacer's requests count against; nil: this Roster is alone.
    private var shared: (quota: any SharedQuota, kind: String)?
    /// Another quota of the same account with a pacer of its own (Easify's creations), shared
    /// along with this one.
    public nonisolated let companion: Pacer?

    public init(
        policy: PacingPolicy = PacingPolicy(), maxInFlight: Int = 4, maxWait: TimeInterval? = nil, onWait: WaitNotice? = nil,
        companion: Pacer? = nil, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.policy = policy
        self.companion = companion
        self.maxInFlight = max(1, maxInFlight)
        self.maxWait = maxWait
        self.onWait = onWait
        self.now = now
    }

    /// Waits until a request of this priority may leave, then counts it as sent. Throws
    /// `Withdrawn` for a batch request when the batch is stopped before it left.
    public func admit(_ priority: RequestPriority) async throws -> Ticket {
        let epoch = batchEpoch
        while true {
            if priority == .batch {
                if batchEpoch != epoch { throw Withdrawn() }
                if batchHeld {
                    await wait(priority, .held)
                    continue
                }
            }
            if inFlight >= capacity {
                await wait(priority, .slot)
                continue
            }
            if let delay = policy.delay(for: priority, at: now()) {
                let serverAsked = policy.pausedUntil.map { $0 > now() } ?? false
                if let maxWait, delay > maxWait { throw WaitTooLong(seconds: delay, limit: maxWait, serverAsked: serverAsked) }
                if delay >= Self.noticeableWait { say(delay, serverAsked: serverAsked) }
                await wait(priority, .delay, for: min(delay, 3600))
                continue
            }
            // Other Rosters on this account take from the same window: a place of it is taken
            // in the team's store, by the database's clock, before the request leaves.
            if let shared {
                // Before the limit is known (the first answer tells it) the store's, learned by
                // another Roster, holds; the request is written down either way.
                let places = policy.limit.map { max(1, $0 - policy.reserve(for: priority)) }
                let wait = await shared.quota.take(shared.kind, limit: places, span: sharedSpan)
                if let wait {
                    if let maxWait, wait > maxWait { throw WaitTooLong(seconds: wait, limit: maxWait, serverAsked: false) }
                    await self.wait(priority, .delay, for: min(max(wait, 0.005), 3600))
                    continue
                }
                // Taken: anything that changed while the store answered is looked at again,
                // except the window, whose place is ours now.
                if priority == .batch, batchEpoch != epoch { throw Withdrawn() }
            }
            break
        }
        inFlight += 1
        let sentAt = now()
        let probe = policy.probeDue(for: priority, at: sentAt)
        policy.recordSend(at: sentAt, probe: probe, priority: priority)
        return Ticket(sentAt: sentAt, isProbe: probe)
    }

    private func say(_ delay: TimeInterval, serverAsked: Bool) {
        let until = now().addingTimeInterval(delay)
        if let saidUntil, abs(saidUntil.timeIntervalSince(until)) < 1 { return }
        saidUntil = until
        onWait?(delay, serverAsked)
    }

    /// Reports how a request ended (no status when nothing came back) and returns the
    /// headroom to show.
    public func finish(_ ticket: Ticket, observation: RateLimitObservation, status: Int?) -> Headroom {
        inFlight -= 1
        wakeFirst(.slot)
        let current = now()
        if let status {
            policy.recordResponse(observation, status: status, sentAt: ticket.sentAt, receivedAt: current, probe: ticket.isProbe)
        } else {
            policy.recordUnanswered(probe: ticket.isProbe)
        }
        // An answer can change when others may go (a probe's refill, a quota seen): they look again.
        wakeAll { $0.reason == .delay }
        if let shared, let limit = observation.limit ?? policy.limit, let remaining = observation.remaining {
            let resetIn = observation.resetAt.map { $0.timeIntervalSince(current) }
            Task { await shared.quota.observe(shared.kind, limit: limit, used: max(0, limit - remaining), resetIn: resetIn, span: sharedSpan) }
        }
        return policy.headroom(at: current)
    }

    public var headroom: Headroom { policy.headroom(at: now()) }

    /// How long a shared place is held: the window, and the margin for the way to the server.
    private var sharedSpan: TimeInterval { policy.effectiveWindow + SharedQuotaSpan.margin(window: policy.window) }

    /// Shares this account's quota with the other Rosters on the team's store: from now on a
    /// request also takes its place in `quota` (`requests`; the companion's, `creates`).
    public func share(_ quota: any SharedQuota) async {
        shared = (quota, "requests")
        await companion?.shareAs(quota, kind: "creates")
    }

    private func shareAs(_ quota: any SharedQuota, kind: String) {
        shared = (quota, kind)
    }

    /// Requests allowed in flight at once. Until the limit is known, one, so learning it
    /// costs one 429.
    private var capacity: Int { policy.limit == nil ? 1 : maxInFlight }

    /// Pauses the batch: its requests not yet sent wait until `releaseBatch`.
    public func holdBatch() {
        batchHeld = true
    }

    public func releaseBatch() {
        batchHeld = false
        wakeAll { $0.reason == .held }
    }

    /// Stops the batch: every batch request not yet sent gives up (`Withdrawn`), at once.
    /// Later batch requests, of a next batch, go as usual.
    public func withdrawBatch() {
        batchEpoch += 1
        batchHeld = false
        wakeAll { $0.priority == .batch }
    }

    private func wait(_ priority: RequestPriority, _ reason: WaitReason, for seconds: TimeInterval? = nil) async {
        let id = nextWaiterID
        nextWaiterID += 1
        // A place in flight this request leaves unused goes to the next one waiting for it.
        if reason != .slot, inFlight < capacity { wakeFirst(.slot) }
        await withCheckedContinuation { continuation in
            let waiter = Waiter(id: id, priority: priority, reason: reason, continuation: continuation)
            let position = priority == .interactive
                ? (waiters.firstIndex { $0.priority == .batch } ?? waiters.count)
                : waiters.count
            waiters.insert(waiter, at: position)
            if let seconds {
                Task { [weak self] in
                    try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
                    await self?.wake(id)
                }
            }
        }
    }

    private func wake(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume()
    }

    private func wakeFirst(_ reason: WaitReason) {
        guard let index = waiters.firstIndex(where: { $0.reason == reason }) else { return }
        waiters.remove(at: index).continuation.resume()
    }

    private func wakeAll(where predicate: (Waiter) -> Bool) {
        let woken = waiters.filter(predicate)
        waiters.removeAll(where: predicate)
        for waiter in woken { waiter.continuation.resume() }
    }
}

/// A rate limit shared by every Roster on one account (a team's store keeps it): a request
/// takes one place of it before it leaves.
public protocol SharedQuota: Sendable {
    /// Takes one place of the `kind` quota (`requests`, `creates`) of at most `limit` per `span`
    /// seconds, counted by the store's clock; nil when taken, else the seconds until one frees.
    /// Without a limit (this Roster has had no answer yet), the limit and window another
    /// Roster on the account last learned are used, so its first request waits its turn too.
    /// A store that cannot answer lets the request go (the server's own limit still holds).
    func take(_ kind: String, limit: Int?, span: TimeInterval) async -> TimeInterval?
    /// What the server said of its window: its `limit`, what it has counted (`used`, ending in
    /// `resetIn` seconds). The limit and window are kept for Rosters yet to learn them; where
    /// `used` is more than the store knows of (a client outside the team), the difference is
    /// taken too, until the window ends.
    func observe(_ kind: String, limit: Int, used: Int, resetIn: TimeInterval?, span: TimeInterval) async
}

/// How much longer than the window a shared place is held: the time from the store's clock
/// to the request's arrival at the server.
public enum SharedQuotaSpan {
    public static func margin(window: TimeInterval) -> TimeInterval { min(0.25, window * 0.02) + 0.05 }
}

/// The priority of the requests a task makes, when its caller knows better than the
/// transport's default: the UI sends a batch's look-ups and deletions as `.batch` and the
/// user's own as `.interactive`, over the same transport.
public enum RequestContext {
    @TaskLocal public static var priority: RequestPriority?
}
