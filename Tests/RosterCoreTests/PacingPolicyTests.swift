import Foundation
import Testing
@testable import RosterCore

@Suite("Pacing policy")
struct PacingPolicyTests {
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    /// Sends `count` requests as fast as the policy allows, each answered after `latency`,
    /// and returns the send times.
    func simulate(_ policy: inout PacingPolicy, count: Int, latency: TimeInterval = 0.002,
                  answer: (Int, Date) -> RateLimitObservation = { _, _ in RateLimitObservation() }) -> [Date] {
        var now = start
        var sent: [Date] = []
        while sent.count < count {
            if let delay = policy.delay(for: .interactive, at: now) {
                now = now.addingTimeInterval(delay)
                continue
            }
            policy.recordSend(at: now)
            sent.append(now)
            policy.recordResponse(answer(sent.count, now), status: 200, sentAt: now, receivedAt: now.addingTimeInterval(latency))
        }
        return sent
    }

    @Test func noWindowOfTheServersLengthHoldsMoreThanTheLimit() {
        var policy = PacingPolicy(window: 2, limit: 20)
        let sent = simulate(&policy, count: 200)
        for (index, time) in sent.enumerated() {
            let inWindow = sent[index...].prefix { $0.timeIntervalSince(time) < 2.002 }.count
            #expect(inWindow <= 20)
        }
        // 200 requests at 20 per 2 s: nine full windows after the first burst.
        let elapsed = sent.last!.timeIntervalSince(sent.first!)
        #expect(elapsed >= 18 && elapsed < 18 * 1.03)
    }

    @Test func aBatchLeavesAReserveForInteractiveRequests() {
        var policy = PacingPolicy(window: 60, limit: 60)
        for offset in 0..<57 { policy.recordSend(at: start.addingTimeInterval(Double(offset) * 0.01)) }
        let now = start.addingTimeInterval(1)
        #expect(policy.reserve == 3)
        #expect(policy.delay(for: .batch, at: now) != nil)
        #expect(policy.delay(for: .interactive, at: now) == nil)
    }

    @Test func a429PausesEverythingUntilTheRetryTime() {
        var policy = PacingPolicy()
        policy.recordSend(at: start)
        policy.recordResponse(RateLimitObservation(retryAt: start.addingTimeInterval(20)), status: 429, sentAt: start, receivedAt: start)
        let delay = try! #require(policy.delay(for: .interactive, at: start))
        #expect(delay >= 20 && delay < 20.1)
        #expect(policy.headroom(at: start).pausedUntil != nil)
        #expect(policy.delay(for: .interactive, at: start.addingTimeInterval(21)) == nil, "refused first: nothing learned")
    }

    @Test func anEmptyQuotaWaitsForTheServersReset() {
        var policy = PacingPolicy()
        policy.recordSend(at: start)
        policy.recordResponse(
            RateLimitObservation(limit: 60, remaining: 0, resetAt: start.addingTimeInterval(5)), status: 200, sentAt: start, receivedAt: start)
        let delay = try! #require(policy.delay(for: .interactive, at: start))
        #expect(delay >= 5 && delay < 5.1)
        #expect(policy.headroom(at: start) == Headroom(
            limit: 60, remaining: 0, resetAt: start.addingTimeInterval(5), source: .server,
            pausedUntil: start.addingTimeInterval(5), sentInWindow: 60, window: 5, reserve: 3, observedAt: start))
    }

    @Test func requestsOfOtherClientsTakePlacesInTheWindow() {
        var policy = PacingPolicy(window: 60)
        policy.recordSend(at: start)
        policy.recordResponse(RateLimitObservation(limit: 60, remaining: 30), status: 200, sentAt: start, receivedAt: start)
        #expect(policy.headroom(at: start).sentInWindow == 30)
        for offset in 1...30 { policy.recordSend(at: start.addingTimeInterval(Double(offset) * 0.01)) }
        #expect(policy.delay(for: .interactive, at: start.addingTimeInterval(1)) != nil)
    }

    /// Found by fuzzing: a limit of ten million (the most a figure is taken as) with 5 left
    /// gave other clients ten million places in the window, and every question to the pacer
    /// then read them all (a hang). Places are kept for at most `largestWindowCount`.
    @Test func anAbsurdCountOfOtherClientsTakesBoundedPlaces() {
        var policy = PacingPolicy(window: 60)
        let observation = RateLimitObservation.parse(
            headers: [("X-RateLimit-Limit", "07766279631452241918"), ("X-RateLimit-Remaining", "5")], body: nil, now: start)
        policy.recordSend(at: start)
        policy.recordResponse(observation, status: 200, sentAt: start, receivedAt: start)
        #expect(policy.headroom(at: start).sentInWindow <= PacingPolicy.largestWindowCount)
        #expect(policy.headroom(at: start).remaining == 5, "what the server said remains is still shown")
    }

    @Test func withoutFiguresThe429TeachesTheLimit() {
        var policy = PacingPolicy(window: 2)
        for offset in 0..<25 {
            let time = start.addingTimeInterval(Double(offset) * 0.01)
            policy.recordSend(at: time)
            policy.recordResponse(RateLimitObservation(), status: 200, sentAt: time, receivedAt: time)
        }
        let refusedAt = start.addingTimeInterval(0.3)
        policy.recordSend(at: refusedAt)
        policy.recordResponse(RateLimitObservation(retryAt: start.addingTimeInterval(2)), status: 429, sentAt: refusedAt, receivedAt: refusedAt)
        #expect(policy.limit == 25)
        let headroom = policy.headroom(at: refusedAt)
        #expect(headroom.source == .estimate)
        #expect(headroom.limit == 25)
        #expect(headroom.remaining == 0)
    }

    @Test func theWindowIsLearnedFromResetTimesOrThePolicy() {
        var fromReset = PacingPolicy()
        fromReset.recordSend(at: start)
        fromReset.recordResponse(
            RateLimitObservation(limit: 20, remaining: 19, resetAt: start.addingTimeInterval(1.6)), status: 200, sentAt: start, receivedAt: start)
        #expect(fromReset.window == 2)
        var fromPolicy = PacingPolicy(window: 60)
        fromPolicy.recordResponse(RateLimitObservation(limit: 100, remaining: 99, window: 10), status: 200, sentAt: start, receivedAt: start)
        #expect(fromPolicy.window == 10)
    }
}

@Suite("Pacer", .timeLimit(.minutes(1)))
struct PacerTests {
    @Test func requestsInFlightAreBounded() async throws {
        let pacer = Pacer(policy: PacingPolicy(window: 60, limit: 100), maxInFlight: 2)
        let first = try await pacer.admit(.batch)
        _ = try await pacer.admit(.batch)
        let third = Task { try await pacer.admit(.batch) }
        try await Task.sleep(nanoseconds: 50_000_000)
        #expect(await pacer.headroom.sentInWindow == 2, "the third waits for a free slot")
        _ = await pacer.finish(first, observation: RateLimitObservation(), status: 200)
        _ = try await third.value
        #expect(await pacer.headroom.sentInWindow == 3)
    }

    @Test func untilTheLimitIsKnownOneRequestAtATime() async throws {
        let pacer = Pacer(maxInFlight: 4)
        let first = try await pacer.admit(.batch)
        let second = Task { try await pacer.admit(.batch) }
        try await Task.sleep(nanoseconds: 50_000_000)
        #expect(await pacer.headroom.sentInWindow == 1)
        _ = await pacer.finish(first, observation: RateLimitObservation(limit: 60, remaining: 59), status: 200)
        _ = try await second.value
        #expect(await pacer.headroom.sentInWindow == 2)
    }

    /// A paused batch sends nothing more: not the requests that arrive after the pause, and
    /// not those already waiting in the pacer for the window. The user's own still go.
    @Test func aHeldBatchSendsNothingUntilReleased() async throws {
        let pacer = Pacer(policy: PacingPolicy(window: 1, limit: 2), maxInFlight: 4)
        let first = try await pacer.admit(.batch)
        _ = await pacer.finish(first, observation: RateLimitObservation(), status: 200)
        _ = try await pacer.admit(.batch)
        // The window is full for a batch (one left is the reserve): this one waits its turn.
        let waitingForWindow = Task { try await pacer.admit(.batch) }
        try await Task.sleep(nanoseconds: 100_000_000)
        await pacer.holdBatch()
        let afterPause = Task { try await pacer.admit(.batch) }
        try await Task.sleep(nanoseconds: 1_500_000_000)
        #expect(await pacer.headroom.sentInWindow == 0, "the window passed, and still nothing left")
        _ = try await pacer.admit(.interactive)
        await pacer.releaseBatch()
        _ = try await waitingForWindow.value
        _ = try await afterPause.value
    }

    /// A stopped batch withdraws every request not yet sent, at once, even one waiting for a
    /// window a minute away; the next batch's requests go as usual.
    @Test func aWithdrawnBatchGivesUpWhatWaits() async throws {
        let pacer = Pacer(policy: PacingPolicy(window: 60, limit: 2), maxInFlight: 4)
        _ = try await pacer.admit(.batch)
        let waiting = Task { try await pacer.admit(.batch) }
        await pacer.holdBatch()
        let held = Task { try await pacer.admit(.batch) }
        try await Task.sleep(nanoseconds: 50_000_000)
        let started = Date()
        await pacer.withdrawBatch()
        await #expect(throws: Pacer.Withdrawn.self) { _ = try await waiting.value }
        await #expect(throws: Pacer.Withdrawn.self) { _ = try await held.value }
        #expect(Date().timeIntervalSince(started) < 1)
        _ = try await pacer.admit(.interactive)
        #expect(await pacer.headroom.sentInWindow == 2)
    }
}
