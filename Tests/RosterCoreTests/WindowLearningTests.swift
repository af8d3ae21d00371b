import Foundation
import Testing
@testable import RosterCore

/// A fixed-window limiter answered request by request, as the sandbox's: windows on the clock
/// (multiples of the length) or opening with their first request; Laravel's headers (the limit
/// and what remains, the reset only on a 429) or the reset as a Unix time, rounded up, on every
/// answer. Retry-After is in whole seconds, rounded up.
struct SimulatedLimiter {
    enum Headers { case laravel, epoch }
    let limit: Int
    let window: TimeInterval
    let opensOnFirstRequest: Bool
    let headers: Headers
    private var start: TimeInterval?
    private var count = 0
    private var number = 0
    private(set) var refusedProbes = 0
    private(set) var refusedRequests = 0
    private(set) var acceptedArrivals: [TimeInterval] = []
    private(set) var acceptedByWindow: [Int: Int] = [:]

    init(limit: Int, window: TimeInterval, opensOnFirstRequest: Bool, headers: Headers) {
        self.limit = limit
        self.window = window
        self.opensOnFirstRequest = opensOnFirstRequest
        self.headers = headers
    }

    mutating func answer(arrival: Date, answeredAt: Date, probe: Bool) -> (RateLimitObservation, Int) {
        let now = arrival.timeIntervalSince1970
        if opensOnFirstRequest {
            if start.map({ now >= $0 + window }) ?? true {
                start = now
                count = 0
                number += 1
            }
        } else {
            let aligned = (now / window).rounded(.down) * window
            if start != aligned {
                start = aligned
                count = 0
                number = Int(aligned / window)
            }
        }
        let resetAt = Date(timeIntervalSince1970: (start! + window).rounded(.up))
        let retryAt = answeredAt.addingTimeInterval(max(1, (start! + window - now).rounded(.up)))
        guard count < limit else {
            if probe { refusedProbes += 1 } else { refusedRequests += 1 }
            return (RateLimitObservation(limit: limit, remaining: 0, resetAt: resetAt, retryAt: retryAt), 429)
        }
        count += 1
        acceptedArrivals.append(now)
        acceptedByWindow[number, default: 0] += 1
        return (RateLimitObservation(limit: limit, remaining: limit - count, resetAt: headers == .epoch ? resetAt : nil), 200)
    }

    /// The fastest the limit allows the accepted requests (windows of `limit` starting full)
    /// over the time they took: for windows that open with their first request.
    var physicalByTime: Double {
        guard let first = acceptedArrivals.first, let last = acceptedArrivals.last, last > first else { return 0 }
        return window * Double((acceptedArrivals.count - 1) / limit) / (last - first)
    }

    /// How full the windows between the first and the last were: for windows on the clock.
    var physicalByWindows: Double {
        guard let first = acceptedByWindow.keys.min(), let last = acceptedByWindow.keys.max(), last - first >= 2 else { return 1 }
        let between = (first + 1..<last).map { acceptedByWindow[$0] ?? 0 }
        return Double(between.reduce(0, +)) / Double(limit * between.count)
    }
}

/// Runs `count` requests through the policy as the pacer would, up to four in flight; a refused
/// request is sent again; probes go where the policy asks. Each request reaches the server 1
/// to 6 ms after it leaves and its answer comes 1 to 6 ms after that (a seeded draw), so the
/// server counts them, and the answers come back, out of the order they were sent in.
private func run(
    _ policy: inout PacingPolicy, _ server: inout SimulatedLimiter, count: Int, from start: Date,
    priority: RequestPriority = .interactive, giveUpAfter: TimeInterval = 300
) -> Int {
    struct InFlight {
        var sentAt: Date
        var arrivesAt: Date
        var answerAt: Date
        var answer: (RateLimitObservation, Int)?
        var probe: Bool
    }
    var seed = UInt64(start.timeIntervalSince1970 * 1000)
    func jitter() -> TimeInterval {
        seed = seed &* 6364136223846793005 &+ 1442695040888963407
        return 0.001 + Double(seed >> 33 % 1000) / 1000 * 0.005
    }
    var now = start
    var done = 0
    var inFlight: [InFlight] = []
    while done < count, now < start.addingTimeInterval(giveUpAfter) {
        // The server takes requests in the order they reach it.
        for index in inFlight.indices.sorted(by: { inFlight[$0].arrivesAt < inFlight[$1].arrivesAt })
        where inFlight[index].answer == nil && inFlight[index].arrivesAt <= now {
            inFlight[index].answer = server.answer(
                arrival: inFlight[index].arrivesAt, answeredAt: inFlight[index].answerAt, probe: inFlight[index].probe)
        }
        while let index = inFlight.indices.filter({ inFlight[$0].answer != nil }).min(by: { inFlight[$0].answerAt < inFlight[$1].answerAt }),
              inFlight[index].answerAt <= now {
            let answered = inFlight.remove(at: index)
            let (observation, status) = answered.answer!
            policy.recordResponse(observation, status: status, sentAt: answered.sentAt, receivedAt: answered.answerAt, probe: answered.probe)
            if !answered.probe, status == 200 { done += 1 }
        }
        let pending = count - done - inFlight.filter { !$0.probe }.count
        let wait = inFlight.count >= 4 || pending == 0 ? nil : policy.delay(for: priority, at: now)
        if inFlight.count >= 4 || pending == 0 || wait != nil {
            let nextEvent = inFlight.map { $0.answer == nil ? $0.arrivesAt : $0.answerAt }.min() ?? .distantFuture
            now = min(nextEvent, now.addingTimeInterval(wait ?? 1))
            continue
        }
        let probe = policy.probeDue(for: priority, at: now)
        policy.recordSend(at: now, probe: probe, priority: priority)
        let arrivesAt = now.addingTimeInterval(jitter())
        inFlight.append(InFlight(sentAt: now, arrivesAt: arrivesAt, answerAt: arrivesAt.addingTimeInterval(jitter()), probe: probe))
        now = now.addingTimeInterval(0.0005)
    }
    return done
}

@Suite("Learning a window the server does not name")
struct WindowLearningTests {
    /// Starts at several phases of the second and of the window: rounding is what is tested.
    /// Each run is the benchmark's short batch: 60 deletions and the list read before them.
    let starts = [0.05, 0.31, 0.52, 0.77, 0.96, 1.4, 2.68, 3.9].map { Date(timeIntervalSince1970: 1_800_000_000 + $0) }

    /// One run from each start against a fresh limiter, on a profile that assumed Easify's 60
    /// a minute: every request done, and never a refused request of the caller's (a refused
    /// probe is the pacer's own question). Returns each run's limiter and policy.
    func runs(
        limit: Int = 20, window: TimeInterval = 4, opensOnFirstRequest: Bool, headers: SimulatedLimiter.Headers, count: Int = 61,
        priority: RequestPriority = .interactive
    ) -> [(start: Date, server: SimulatedLimiter, policy: PacingPolicy)] {
        starts.map { start in
            var policy = PacingPolicy(window: 60, limit: 60, assumed: true)
            var server = SimulatedLimiter(limit: limit, window: window, opensOnFirstRequest: opensOnFirstRequest, headers: headers)
            #expect(run(&policy, &server, count: count, from: start, priority: priority) == count)
            #expect(server.refusedRequests == 0, "never a request of the caller's, from \(start)")
            return (start, server, policy)
        }
    }

    /// The whole-second resets: a reset as a Unix time on every answer, windows opening
    /// with their first request, 20 per 4 s. Waiting for each rounded reset lost up to a second
    /// a window (0.79 of the physical limit in the worst runs); windows are now placed from
    /// when their first request was answered.
    @Test func wholeSecondResetsLoseNoSecondPerWindow() {
        for (start, server, policy) in runs(opensOnFirstRequest: true, headers: .epoch) {
            #expect(server.refusedProbes == 0, "start \(start)")
            #expect(server.physicalByTime >= 0.95, "\(server.physicalByTime) of the physical limit from \(start)")
            #expect(policy.window == 4 && !policy.isLearningWindow, "learned \(policy.window) s")
        }
    }

    /// The Laravel case: the limit and what remains, no reset but on a 429, windows on
    /// the clock, 20 per 4 s. Keeping a quarter of every window back as probes reached 0.85;
    /// now one probe draws the one 429 and the length is found in the next window.
    @Test func laravelsHeadersTeachTheWindowWithOneRefusedProbe() {
        for (start, server, policy) in runs(opensOnFirstRequest: false, headers: .laravel) {
            #expect(server.refusedProbes <= 1, "start \(start)")
            #expect(server.physicalByWindows >= 0.9, "\(server.physicalByWindows) of the physical limit from \(start)")
            #expect(policy.window == 4, "learned \(policy.window) s from \(start)")
        }
    }

    /// Laravel itself opens a window with its first request.
    @Test func laravelsOwnWindowsAreLearnedToo() {
        for (start, server, policy) in runs(opensOnFirstRequest: true, headers: .laravel) {
            #expect(server.refusedProbes <= 1, "start \(start)")
            #expect(server.physicalByTime >= 0.9, "\(server.physicalByTime) of the physical limit from \(start)")
            #expect(policy.window == 4, "learned \(policy.window) s from \(start)")
        }
    }

    /// Resets on every answer from windows on the clock: a first request late in its window
    /// suggests too short a length; the probe that tries it is the one refused, and the
    /// resets, exact here, are kept to.
    @Test func resetsFromWindowsOnTheClockCostAtMostOneProbe() {
        for (start, server, _) in runs(opensOnFirstRequest: false, headers: .epoch) {
            #expect(server.refusedProbes <= 1, "start \(start)")
            #expect(server.physicalByWindows >= 0.9, "\(server.physicalByWindows) of the physical limit from \(start)")
        }
    }

    /// Issue: Easify at 4 per 2 s stalled every deletion. A limit smaller than anything kept
    /// back still sends, and soon at the limit's pace.
    @Test func aSmallLimitIsLearnedAndKept() {
        for (start, server, _) in runs(limit: 4, window: 2, opensOnFirstRequest: false, headers: .laravel, count: 40) {
            #expect(server.refusedProbes <= 1, "start \(start)")
            #expect(server.physicalByWindows >= 0.8, "\(server.physicalByWindows) from \(start)")
        }
    }

    /// The UI's batch keeps a place of each window for the user's own look-ups, and learns the
    /// window all the same; a headless command's batch keeps none.
    @Test(arguments: [(20, 4.0), (4, 2.0)])
    func aBatchThatKeepsAReserveLearnsToo(limit: Int, window: TimeInterval) {
        for (start, server, policy) in runs(limit: limit, window: window, opensOnFirstRequest: false, headers: .laravel, priority: .batch) {
            #expect(server.refusedProbes <= 1, "start \(start)")
            #expect(server.physicalByWindows >= (limit == 20 ? 0.85 : 0.6), "\(server.physicalByWindows) from \(start)")
            #expect(policy.window == window, "learned \(policy.window) s from \(start)")
        }
        #expect(PacingPolicy(window: 60, limit: 20, keepsReserve: false).reserve == 0)
        #expect(PacingPolicy(window: 60, limit: 20).reserve == 1)
    }

    /// A default quota the server confirms keeps its window; the user's own is never dropped.
    @Test func aConfirmedOrConfiguredWindowIsKept() {
        let start = starts[0]
        var documented = PacingPolicy(window: 60, limit: 60, assumed: true)
        documented.recordSend(at: start)
        documented.recordResponse(RateLimitObservation(limit: 60, remaining: 59), status: 200, sentAt: start, receivedAt: start)
        #expect(!documented.isLearningWindow && documented.window == 60)
        var configured = PacingPolicy(window: 60, limit: 60)
        configured.recordSend(at: start)
        configured.recordResponse(RateLimitObservation(limit: 20, remaining: 19), status: 200, sentAt: start, receivedAt: start)
        #expect(!configured.isLearningWindow && configured.window == 60)
    }

    /// A known window and whole-second resets: a spent window waits one length from its first
    /// answer, not for the rounded reset.
    @Test func aKnownWindowEndsOneLengthAfterItsFirstAnswer() {
        let start = starts[1]
        var policy = PacingPolicy(window: 4, limit: 20)
        let reset = Date(timeIntervalSince1970: (start.timeIntervalSince1970 + 4).rounded(.up))
        for index in 0..<20 {
            let sent = start.addingTimeInterval(Double(index) * 0.001)
            policy.recordSend(at: sent)
            policy.recordResponse(
                RateLimitObservation(limit: 20, remaining: 19 - index, resetAt: reset), status: 200, sentAt: sent,
                receivedAt: sent.addingTimeInterval(0.002))
        }
        let now = start.addingTimeInterval(0.1)
        let wait = try! #require(policy.delay(for: .interactive, at: now))
        #expect(wait < 3.95, "waited \(wait) s, to the reset \(reset.timeIntervalSince(now)) s away")
        #expect(wait > 3.9 - 0.01)
    }
}
