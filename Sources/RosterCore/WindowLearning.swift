import Foundation

/// Learns the length of a rate-limit window the server does not name, from what it does say:
/// the limit and what remains in the current window (Laravel's headers), and where it sends
/// one, when the window resets (a Unix time in whole seconds). It learns in one window or
/// two, at the cost of at most one refused request, and that one a probe.
///
/// Windows are taken to last a whole number of seconds, as every rate-limit header counts
/// them. A window is told by its first request: the server answers it with limit − 1
/// remaining. Either windows open with their first request, or they are on the clock and
/// begin where the last one ended; either way a window began no later than its first
/// request's answer, and no earlier than the end the server named for the window before.
///
/// - A reset on every answer bounds the length from the first request of each window:
///   it is more than `reset − 1 − answered` (the reset is rounded up to a whole second). The
///   smallest whole second past every such bound is tried: once the window is spent, a
///   probe (a list read of one contact, never a deletion) leaves that long after the window's
///   first answer. If it meets a fresh window whose own reset agrees, the length is learned,
///   and no second was lost waiting for a rounded reset. Refused, it was too early: the bound
///   rises past it and the reset is waited for.
/// - With no reset until a 429 (Laravel's), the first window is spent whole and a probe then
///   draws the one 429, whose reset says where that window ends. In the next window a few
///   requests are kept back and sent one at each whole second from the shortest length still
///   possible; the first to meet a fresh window tells the length. Kept requests are real
///   ones, accepted either way; only if they run out does the next try go as a probe.
struct WindowLearning: Sendable, Equatable {
    /// A request's send and answer times.
    struct Stamp: Sendable, Equatable {
        var sent: Date
        var received: Date
    }

    /// What the pacer should do next while the window is being learned.
    enum Step: Equatable {
        case go
        case wait(TimeInterval)
        /// Send a probe now (a cheap read, not the caller's request).
        case probe
    }

    /// What remains, as the answer to the latest-sent request said, and that request's send time.
    private(set) var remaining: Int?
    private var remainingSentAt: Date?
    /// The latest answers' figures of what remains, and when each came.
    private var recent: [Figure] = []
    struct Figure: Sendable, Equatable {
        var received: Date
        var value: Int
    }
    /// The first request the server counted in the current window.
    private(set) var opener: Stamp?
    /// The current window began no earlier than this; nil where nothing says (then, only
    /// where windows open with their first request, at that request).
    private var floor: Date?
    /// Where the current window ends, as the server named it (a reset or a retry time), and
    /// where the one before it ended, once an answer named this one before its first came.
    private(set) var namedEnd: Date?
    private var endBefore: Date?
    /// Resets come on every answer, not only on a 429.
    private var resetsOnEveryAnswer = false
    /// The window lasts longer than `lowerBound` and at most `upperBound`.
    private(set) var lowerBound: TimeInterval = 0
    private(set) var upperBound: TimeInterval = .infinity
    /// A tighter upper bound that holds where windows open with their first request.
    private var assumedUpper: TimeInterval = .infinity
    /// The length, once one whole second is left between the bounds.
    private(set) var learnedLength: TimeInterval?
    /// A probe is on the wire; the probes sent so far.
    private var probeOut = false
    private(set) var probesSent = 0
    /// Requests of this window kept back to find where it ends: how many, the length the
    /// first tries (each next one a second longer), how many have gone.
    struct KeptTries: Sendable, Equatable {
        var slots: Int
        var from: TimeInterval
        var sent = 0
    }
    private var kept: KeptTries?
    /// When the latest try at the window's end (a probe or a kept request) left.
    private var triedAt: Date?

    /// Past this many probes with nothing learned, the learning gives up: the pacer keeps to
    /// the server's resets and retry times.
    static let mostProbes = 8

    var gaveUp: Bool { probesSent > Self.mostProbes && learnedLength == nil }

    /// Requests of a window kept back to find where it ends.
    static func keptSlots(limit: Int) -> Int { max(1, min(3, limit / 4)) }

    /// How long after a named end or a tried length a request leaves: enough that it arrives
    /// after, little enough to cost nothing.
    static let margin: TimeInterval = 0.005

    /// The length to try next, whole seconds: the longest the bounds allow, or, with no upper
    /// bound, the shortest (tries then go up a second at a time as the lower bound rises).
    var candidate: TimeInterval? {
        let cap = min(upperBound, assumedUpper)
        guard cap.isFinite else {
            guard let kept else { return nil }
            // Never a length already ruled out: a try that found the window open raised the bound.
            let shortest = max(1, (lowerBound + 1).rounded(.down))
            return kept.sent < kept.slots ? max(kept.from + Double(kept.sent), shortest) : shortest
        }
        let whole = (cap + 0.001).rounded(.down)
        return whole > lowerBound && whole >= 1 ? whole : nil
    }

    /// What the pacer should do at `now` with `outstanding` requests in flight, keeping `keep`
    /// of the window free (the batch's reserve).
    func next(at now: Date, limit: Int, outstanding: Int, keep: Int) -> Step {
        if probeOut { return .wait(0.05) }
        guard remaining != nil else { return outstanding == 0 ? .go : .wait(0.05) }
        let available = available(at: now, limit: limit, outstanding: outstanding)
        let kept = keptLeft(limit: limit)
        if available > keep + kept { return .go }
        if outstanding > 0 { return .wait(0.05) }
        let tryAt = self.tryAt
        if available > keep {
            // A kept request goes at the next length to try.
            guard let tryAt else { return .go }
            return now >= tryAt ? .go : .wait(tryAt.timeIntervalSince(now))
        }
        // Spent. The end the server named is sure; a probe may find an earlier one.
        if let namedEnd, now < namedEnd {
            guard let tryAt, tryAt < namedEnd else { return .wait(namedEnd.timeIntervalSince(now) + Self.margin) }
            return now >= tryAt ? .probe : .wait(tryAt.timeIntervalSince(now))
        }
        // Spent, with no end named: a probe finds where the window ends (a fresh window, or
        // a 429 that names its end), at the next length to try, or at once.
        guard let tryAt else { return .probe }
        return now >= tryAt ? .probe : .wait(tryAt.timeIntervalSince(now))
    }

    /// What the window still takes at `now`: the server's figure, or the whole limit once the
    /// end it named has passed and no answer since has said otherwise.
    private func available(at now: Date, limit: Int, outstanding: Int) -> Int {
        var left = remaining ?? limit
        if let namedEnd, now >= namedEnd, (remainingSentAt ?? .distantPast) < namedEnd { left = limit }
        return left - outstanding
    }

    private func keptLeft(limit: Int) -> Int {
        kept.map { max(0, $0.slots - $0.sent) } ?? 0
    }

    /// When the next try at the window's end leaves: the length to try after the window's
    /// first answer.
    var tryAt: Date? {
        guard let opener, let candidate else { return nil }
        return opener.received.addingTimeInterval(candidate + Self.margin)
    }

    mutating func recordSend(at time: Date, probe: Bool, limit: Int, outstanding: Int, keep: Int) {
        if probe {
            probeOut = true
            probesSent += 1
            triedAt = time
            return
        }
        let left = keptLeft(limit: limit)
        if left > 0, opener != nil, available(at: time, limit: limit, outstanding: outstanding) <= keep + left {
            kept?.sent += 1
            triedAt = time
        }
    }

    /// A request that came back with no answer.
    mutating func recordUnanswered(probe: Bool) {
        if probe { probeOut = false }
    }

    /// Takes in one answer: what remains, the reset and retry time if any, the status.
    mutating func record(
        limit: Int, remaining value: Int?, resetAt: Date?, retryAt: Date?, status: Int, sentAt: Date, receivedAt: Date, probe: Bool
    ) {
        if probe { probeOut = false }
        if status == 429 {
            refused(sentAt: sentAt, end: RateLimitObservation.endOfRefusal(retryAt: retryAt, resetAt: resetAt), limit: limit)
        } else if let value {
            if resetAt != nil { resetsOnEveryAnswer = true }
            count(value, limit: limit, resetAt: resetAt, sentAt: sentAt, receivedAt: receivedAt)
            remainingSentAt = max(remainingSentAt ?? sentAt, sentAt)
        }
        settle()
    }

    /// What remains in the current window. Answers come back out of the order the server
    /// counted them in, so within a window the least figure is the true one; a window's
    /// first request starts the count again, and so does the first answer after the end the
    /// server named. (A late answer from the window before can only make the figure too low:
    /// a wait, never a 429.)
    private mutating func count(_ value: Int, limit: Int, resetAt: Date?, sentAt: Date, receivedAt: Date) {
        defer {
            recent.append(Figure(received: receivedAt, value: value))
            if recent.count > 32 { recent.removeFirst() }
        }
        if value >= limit - 1, opener.map({ sentAt > $0.sent }) ?? true {
            // Counted first, it may be answered after others of its window: any answer that
            // came after it left may be one. (One that came before was counted before it, in
            // the window before.)
            opened(Stamp(sent: sentAt, received: receivedAt), resetAt: resetAt)
            remaining = recent.filter { $0.received > sentAt }.map(\.value).reduce(value, min)
            return
        }
        if let opener, sentAt == triedAt {
            // A try that found the window still open: it lasts longer than that.
            raiseLowerBound(sentAt.timeIntervalSince(opener.received))
        }
        let afterNamedEnd = namedEnd.map { sentAt >= $0 && (remainingSentAt ?? .distantPast) < $0 } ?? false
        let laterReset = resetAt.map { reset in namedEnd.map { reset > $0.addingTimeInterval(0.5) } ?? true } ?? false
        if afterNamedEnd || laterReset {
            // A window whose first request was someone else's, or is not answered yet.
            remaining = value
            if let resetAt {
                endBefore = namedEnd
                namedEnd = resetAt
            }
        } else {
            remaining = min(remaining ?? value, value)
        }
    }

    /// A fresh window, opened by (or first counted at) this request.
    private mutating func opened(_ first: Stamp, resetAt: Date?) {
        if let triedAt, let opener, triedAt <= first.sent {
            // A try met it: the window before had ended by this answer.
            if let floor {
                upperBound = min(upperBound, first.received.timeIntervalSince(floor))
            } else {
                assumedUpper = min(assumedUpper, first.received.timeIntervalSince(opener.sent))
            }
        }
        // A window on the clock begins where the last ended, at a whole second, so no earlier
        // than the end named for it; one that opens with its first request, at that request.
        let thisWindows = resetAt.flatMap { reset in namedEnd.map { abs($0.timeIntervalSince(reset)) < 0.5 } } ?? false
        floor = (thisWindows ? endBefore : namedEnd).map { min(first.sent, $0) }
        endBefore = nil
        opener = first
        triedAt = nil
        // Requests are kept back in the window after the one a 429 named the end of.
        if namedEnd == nil || resetsOnEveryAnswer { kept = nil } else { kept?.sent = 0 }
        namedEnd = resetAt
        guard let resetAt else { return }
        // The reset is rounded up to a whole second: the window ends within the second before.
        raiseLowerBound(resetAt.timeIntervalSince(first.received) - 1)
        if let floor {
            upperBound = min(upperBound, resetAt.timeIntervalSince(floor))
        } else {
            assumedUpper = min(assumedUpper, resetAt.timeIntervalSince(first.sent))
        }
    }

    /// A 429: the window was still open when the request left, and ends where it says.
    private mutating func refused(sentAt: Date, end: Date?, limit: Int) {
        triedAt = nil
        if let opener { raiseLowerBound(sentAt.timeIntervalSince(opener.received)) }
        guard let end, end > sentAt else { return }
        namedEnd = end
        if let opener { raiseLowerBound(end.timeIntervalSince(opener.received) - 1) }
        guard !resetsOnEveryAnswer else { return }
        // Where only a 429 names the end, the next window keeps requests back from its start
        // and tries them a second apart, the shortest length still possible among them: those
        // sent too soon are accepted in the window all the same.
        let slots = Self.keptSlots(limit: limit)
        let shortest = max(1, (lowerBound + 1).rounded(.down))
        kept = KeptTries(slots: slots, from: max(1, shortest - Double(slots - 1)))
    }

    private mutating func raiseLowerBound(_ value: TimeInterval) {
        lowerBound = max(lowerBound, value)
        // What held only where windows open with their first request did not hold here.
        if assumedUpper <= lowerBound { assumedUpper = .infinity }
        if upperBound <= lowerBound { upperBound = .infinity }
    }

    /// The length is learned once one whole second is left between the bounds, or, after a
    /// few probes, as the longest whole second they allow (never too short, perhaps a second
    /// long).
    private mutating func settle() {
        guard learnedLength == nil, upperBound.isFinite else { return }
        let whole = (upperBound + 0.001).rounded(.down)
        guard whole >= 1, whole > lowerBound else { return }
        if whole - 1 <= lowerBound || probesSent >= Self.probesBeforeSettling { learnedLength = whole }
    }

    /// Probes after which the longest length the bounds allow is taken.
    static let probesBeforeSettling = 3
}
