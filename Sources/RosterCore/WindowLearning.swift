import Foundation

/// Learns the length of a rate-limit window the server does not name, without a 429, from
/// what it does say: Laravel-style headers give the limit and what remains in the current
/// window, but neither when it resets nor how long it lasts.
///
/// What remains only ever goes down within a window, so a rise means a new window began
/// between two answers: a refill, bracketed in time. Two refills bracket the window's length;
/// each further window narrows it. To see refills without running into the limit, a few
/// requests of each window are kept back and sent one at a time as probes: first at growing
/// intervals (0.3 s, then doubling) while nothing is known, then spread over the
/// span where the next refill must fall. Until the length is known this closely, the spare
/// probes and the waits cost some pace; after, the usual pacer runs on the learned window.
struct WindowLearning: Sendable, Equatable {
    /// When a refill happened: after `after`, before `before`.
    struct Bracket: Sendable, Equatable {
        var after: Date
        var before: Date

        var middle: Date { after.addingTimeInterval(before.timeIntervalSince(after) / 2) }
    }

    /// What remains, as the answer to the latest-sent request said, and that request's send time.
    private(set) var remaining: Int?
    private var remainingSentAt: Date?
    private(set) var refills: [Bracket] = []
    /// The window's length lies within these bounds once two refills are seen.
    private(set) var lengthBounds: ClosedRange<TimeInterval>?
    /// Probes sent since the last refill, and when the last one left.
    private var probesSent = 0
    private var lastProbeAt: Date?
    /// When the current window's requests began (the first send since the last refill).
    private var windowFirstSend: Date?

    /// The length is known closely enough to pace by: its bounds within 5 % of each other.
    /// The upper bound is used, so the pacer never runs faster than the server allows.
    var learnedLength: TimeInterval? {
        guard let bounds = lengthBounds, bounds.lowerBound > 0, bounds.upperBound <= bounds.lowerBound * 1.05 else { return nil }
        return bounds.upperBound
    }

    /// Requests of each window kept back for probing.
    static func probeSlots(limit: Int) -> Int { max(2, limit / 4) }

    /// The first probe's distance from where probing starts, doubling after.
    static let firstProbeStep: TimeInterval = 0.3

    mutating func recordSend(at time: Date) {
        if windowFirstSend == nil { windowFirstSend = time }
    }

    /// Takes in an answer's figure of what remains. `limit` is the server's; `tolerance`, how far
    /// requests in flight together can make it seem to rise without a refill.
    mutating func recordRemaining(_ value: Int, limit: Int, sentAt: Date, receivedAt: Date, tolerance: Int) {
        if let previous = remaining, let previousSent = remainingSentAt, sentAt >= previousSent {
            if value > previous + tolerance || (tolerance == 0 && value > previous) {
                refill(Bracket(after: previousSent, before: receivedAt))
            }
        }
        if remainingSentAt.map({ sentAt >= $0 }) ?? true {
            remaining = value
            remainingSentAt = sentAt
        }
    }

    private mutating func refill(_ bracket: Bracket) {
        // Refills come a whole number of windows apart. Against every earlier one, the bounds
        // narrow with each window seen, the sharpest bracket counting most.
        let guess = lengthBounds.map { ($0.lowerBound + $0.upperBound) / 2 }
            ?? refills.last.map { bracket.before.timeIntervalSince($0.before) } ?? 0
        if guess > 0 {
            for earlier in refills {
                let windows = (bracket.middle.timeIntervalSince(earlier.middle) / guess).rounded()
                guard windows >= 1 else { continue }
                let low = max(0.1, bracket.after.timeIntervalSince(earlier.before) / windows)
                let high = bracket.before.timeIntervalSince(earlier.after) / windows
                let fresh = low...max(low, high)
                lengthBounds = lengthBounds.map { old in
                    // A bound that disagrees means the count of windows between was wrong
                    // (refills missed): the new reckoning stands alone.
                    old.overlaps(fresh) ? max(old.lowerBound, fresh.lowerBound)...min(old.upperBound, fresh.upperBound) : fresh
                } ?? fresh
            }
        }
        refills.append(bracket)
        if refills.count > 16 { refills.removeFirst() }
        probesSent = 0
        lastProbeAt = nil
        windowFirstSend = nil
    }

    /// How long a request must wait at `now`, given the requests outstanding and those kept
    /// aside (the batch's reserve); nil when it may go at once.
    func delay(at now: Date, limit: Int, outstanding: Int, keep: Int) -> TimeInterval? {
        guard let remaining else { return nil }
        let probes = Self.probeSlots(limit: limit)
        let available = remaining - outstanding
        // While the window has more than the probes and the reserve, send.
        if available > keep + probes { return nil }
        // Probes go one at a time: wait for the last one's answer.
        if outstanding > 0 { return 0.05 }
        // Past the probes kept back, the schedule goes on: a refused probe's retry time tells
        // where the window ends (a window longer than the probes reach costs that one 429).
        let next = nextProbe(after: now, probesLeft: max(1, available - keep))
        return next > now ? next.timeIntervalSince(now) : nil
    }

    /// Counts a send made while probing.
    mutating func recordProbe(at time: Date, limit: Int, outstanding: Int, keep: Int) {
        guard let remaining, remaining - outstanding <= keep + Self.probeSlots(limit: limit) else { return }
        probesSent += 1
        lastProbeAt = time
    }

    /// When the next probe should leave: spread over the span the next refill must fall in,
    /// once the window's length is bounded; otherwise at doubling intervals from the last
    /// refill (or from now, before any).
    private func nextProbe(after now: Date, probesLeft: Int) -> Date {
        if let bounds = lengthBounds, let last = refills.last {
            let earliest = last.after.addingTimeInterval(bounds.lowerBound)
            let latest = last.before.addingTimeInterval(bounds.upperBound)
            let from = max(earliest, lastProbeAt ?? earliest)
            let step = max(0.05, latest.timeIntervalSince(from) / Double(max(1, probesLeft)))
            return lastProbeAt == nil ? max(earliest, now) : from.addingTimeInterval(step)
        }
        // A fixed point in the past: never `now`, or the schedule would recede as it is asked
        // (a limit so small that probing starts with the first answer sent nothing at all).
        let anchor = refills.last?.before ?? windowFirstSend ?? remainingSentAt ?? now
        var step = Self.firstProbeStep
        var time = anchor.addingTimeInterval(step)
        while time <= (lastProbeAt ?? .distantPast) {
            step *= 2
            time = anchor.addingTimeInterval(step)
        }
        return time
    }
}
