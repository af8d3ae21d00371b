import Foundation

/// Decides when each request may leave: every request asks `admit` first and reports its
/// response with `finish`. It bounds the requests in flight, keeps each window within the
/// limit (`PacingPolicy`), and holds all traffic while the server says to wait.
public actor Pacer {
    public struct Ticket: Sendable {
        public let sentAt: Date
    }

    private var policy: PacingPolicy
    private let maxInFlight: Int
    private var inFlight = 0
    private var slotWaiters: [(priority: RequestPriority, continuation: CheckedContinuation<Void, Never>)] = []
    private let now: @Sendable () -> Date

    public init(policy: PacingPolicy = PacingPolicy(), maxInFlight: Int = 4, now: @escaping @Sendable () -> Date = { Date() }) {
        self.policy = policy
        self.maxInFlight = max(1, maxInFlight)
        self.now = now
    }

    /// Waits until a request of this priority may leave, then counts it as sent.
    public func admit(_ priority: RequestPriority) async throws -> Ticket {
        while true {
            // Until the limit is known, one request at a time, so learning it costs one 429.
            if inFlight >= (policy.limit == nil ? 1 : maxInFlight) {
                await withCheckedContinuation { continuation in
                    // Interactive requests wait ahead of a batch's.
                    let position = priority == .interactive
                        ? (slotWaiters.firstIndex { $0.priority == .batch } ?? slotWaiters.count)
                        : slotWaiters.count
                    slotWaiters.insert((priority, continuation), at: position)
                }
                continue
            }
            if let delay = policy.delay(for: priority, at: now()) {
                try await Task.sleep(nanoseconds: UInt64(min(delay, 3600) * 1_000_000_000))
                continue
            }
            break
        }
        inFlight += 1
        let sentAt = now()
        policy.recordSend(at: sentAt)
        return Ticket(sentAt: sentAt)
    }

    /// Reports how a request ended (no status when nothing came back) and returns the
    /// headroom to show.
    public func finish(_ ticket: Ticket, observation: RateLimitObservation, status: Int?) -> Headroom {
        inFlight -= 1
        if !slotWaiters.isEmpty { slotWaiters.removeFirst().continuation.resume() }
        let current = now()
        if let status {
            policy.recordResponse(observation, status: status, sentAt: ticket.sentAt, receivedAt: current)
        }
        return policy.headroom(at: current)
    }

    public var headroom: Headroom { policy.headroom(at: now()) }
}

/// The priority of the requests a task makes, when its caller knows better than the
/// transport's default: the UI sends a batch's look-ups and deletions as `.batch` and the
/// user's own as `.interactive`, over the same transport.
public enum RequestContext {
    @TaskLocal public static var priority: RequestPriority?
}
