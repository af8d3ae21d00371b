import Foundation

/// How one contact of a deletion batch ended.
public enum BatchOutcome: Sendable, Equatable {
    case deleted
    case alreadyGone
    /// The server refused with 409 (pending messages): the row is locked.
    case locked(String)
    /// Locked before the batch began: skipped, nothing sent.
    case skippedLocked
    case failed(String)
    /// Stopped, undone or interrupted before its request left.
    case notSent(String)
    /// `--dry-run`: everything but the DELETE happened.
    case wouldDelete

    public var isFailure: Bool {
        if case .failed = self { return true }
        return false
    }

    /// How the results panel words it.
    public var summary: String {
        switch self {
        case .deleted: return "deleted"
        case .alreadyGone: return "already gone (nothing to delete)"
        case .locked(let reason): return "locked: \(reason)"
        case .skippedLocked: return "skipped: locked"
        case .failed(let reason): return "FAILED: \(reason)"
        case .notSent(let reason): return "not sent: \(reason)"
        case .wouldDelete: return "would be deleted (dry run)"
        }
    }
}

/// A confirmed set of deletions: it waits out the undo window, then works through its
/// contacts a few at a time, pausable and stoppable, and keeps every outcome for the
/// results panel.
public struct Batch: Sendable, Equatable {
    public enum Phase: Sendable, Equatable {
        /// The undo window: nothing has been sent; `u` cancels.
        case waiting(until: Date)
        case running
        /// Esc or a signal: no new contact is started; requests in flight finish.
        case stopping(String)
        case finished
    }

    public struct Item: Sendable, Equatable {
        public var contact: Contact
        public var outcome: BatchOutcome?
    }

    public private(set) var items: [Item]
    private var position: [ContactID: Int] = [:]
    /// The next item to start.
    public private(set) var nextToStart = 0
    public private(set) var inFlight: Set<ContactID> = []
    /// Looked up while the batch was paused: their DELETE waits for `p`.
    public private(set) var checkedWhilePaused: [Contact] = []
    public var phase: Phase
    public var isPaused = false
    /// Why the batch was stopped before its end (Esc, a signal, the account refusing), so
    /// it ends "stopped", never "finished".
    public private(set) var stopReason: String?
    public let isDryRun: Bool
    /// A single contact's deletion goes ahead of a batch's in the pacer.
    public let priority: RequestPriority
    /// This session's number for the batch (0 for the first), journalled with each deletion.
    public var serial = 0
    public static let concurrency = 4

    public init(contacts: [Contact], skipped: [Contact], startAt: Date?, now: Date, isDryRun: Bool) {
        items = skipped.map { Item(contact: $0, outcome: .skippedLocked) } + contacts.map { Item(contact: $0, outcome: nil) }
        nextToStart = skipped.count
        for (index, item) in items.enumerated() { position[item.contact.id] = index }
        phase = startAt.map { $0 > now ? .waiting(until: $0) : .running } ?? .running
        self.isDryRun = isDryRun
        priority = contacts.count + skipped.count > 1 ? .batch : .interactive
    }

    /// Every contact the batch was confirmed with, those skipped as locked included.
    public var total: Int { items.count }
    public var isSingle: Bool { items.count == 1 }
    public var isActive: Bool { phase != .finished }
    public var isWaiting: Bool {
        if case .waiting = phase { return true }
        return false
    }

    /// Contacts with an outcome: always `deleted + gone + locked + failed + skipped`.
    public var done: Int { items.count { $0.outcome != nil } }
    public var deleted: Int { count { $0 == .deleted || $0 == .wouldDelete } }
    public var gone: Int { count { $0 == .alreadyGone } }
    /// Refused by the server during the batch (409).
    public var lockedCount: Int { count { if case .locked = $0 { return true }; return false } }
    public var failedCount: Int { count(where: \.isFailure) }
    /// Never sent: locked before the batch began, or not sent because it was stopped.
    public var skippedCount: Int { count { if case .notSent = $0 { return true }; return $0 == .skippedLocked } }
    public var notSentCount: Int { count { if case .notSent = $0 { return true }; return false } }
    public var wasStopped: Bool { stopReason != nil }
    /// Contacts not started yet.
    public var queued: Int { items.count - nextToStart }

    private func count(where predicate: (BatchOutcome) -> Bool) -> Int {
        items.count { $0.outcome.map(predicate) ?? false }
    }

    public func isInFlight(_ id: ContactID) -> Bool { inFlight.contains(id) }

    public func outcome(of id: ContactID) -> BatchOutcome? { position[id].flatMap { items[$0].outcome } }

    /// Takes the next contacts to start, up to the concurrency, unless paused or stopping.
    mutating func takeStartable() -> [Contact] {
        guard phase == .running, !isPaused else { return [] }
        var started: [Contact] = []
        while inFlight.count < Batch.concurrency, nextToStart < items.count {
            let contact = items[nextToStart].contact
            nextToStart += 1
            inFlight.insert(contact.id)
            started.append(contact)
        }
        return started
    }

    mutating func update(_ contact: Contact) {
        guard let index = position[contact.id] else { return }
        items[index].contact = contact
    }

    mutating func settle(_ id: ContactID, _ outcome: BatchOutcome) {
        guard let index = position[id] else { return }
        items[index].outcome = outcome
        inFlight.remove(id)
    }

    /// Keeps a contact looked up while paused, for its DELETE to go on resume.
    mutating func park(_ contact: Contact) {
        update(contact)
        checkedWhilePaused.append(contact)
    }

    /// The contacts parked while paused, to be sent now.
    mutating func takeParked() -> [Contact] {
        defer { checkedWhilePaused = [] }
        return checkedWhilePaused
    }

    /// Stops the batch: what was not started, and what waits parked, is not sent.
    mutating func stop(_ reason: String) -> [Contact] {
        stopReason = stopReason ?? reason
        phase = .stopping(reason)
        isPaused = false
        var abandoned = abandonQueue(reason)
        for contact in takeParked() {
            settle(contact.id, .notSent(reason))
            abandoned.append(contact)
        }
        return abandoned
    }

    /// Marks every contact not yet started as not sent, for this reason.
    mutating func abandonQueue(_ reason: String) -> [Contact] {
        var abandoned: [Contact] = []
        while nextToStart < items.count {
            items[nextToStart].outcome = .notSent(reason)
            abandoned.append(items[nextToStart].contact)
            nextToStart += 1
        }
        return abandoned
    }

    /// Requests still to send for the queued contacts, for the pacer's estimate.
    public func requestsLeft(perContact: Int) -> Int { (queued + inFlight.count) * perContact }

    public var failedContacts: [Contact] { items.filter { $0.outcome?.isFailure == true }.map(\.contact) }

    /// Contacts confirmed but never sent because the batch stopped: what resuming sends.
    public var notSentContacts: [Contact] {
        items.filter { if case .notSent = $0.outcome { return true }; return false }.map(\.contact)
    }
}

extension Headroom {
    /// Seconds the pacer needs to send `requests` more, from the limit it knows: what is
    /// left in this window goes at once (less the reserve kept for the user), the rest a
    /// limit's worth per window. Nil while the limit is unknown.
    public func secondsToSend(_ requests: Int, now: Date) -> TimeInterval? {
        guard requests > 0 else { return 0 }
        guard let limit, limit > 0 else { return nil }
        let window = self.window ?? 60
        let capacity = max(1, limit - reserve)
        let available = max(0, min(capacity, (remaining ?? limit) - reserve))
        // Each request also takes a round trip; four at a time, about a quarter second each.
        let sending = Double(requests) * 0.25 / Double(Batch.concurrency)
        if requests <= available { return sending }
        let untilReset = max(0, (resetAt ?? now.addingTimeInterval(window)).timeIntervalSince(now))
        let laterWindows = Double((requests - available - 1) / capacity)
        return untilReset + laterWindows * window + sending
    }
}

/// `1m 05s`, `42s`, `2h 03m`: a duration as the progress line and dialog say it.
public func durationText(_ seconds: TimeInterval) -> String {
    let total = max(0, Int(seconds.rounded(.up)))
    if total < 60 { return "\(total)s" }
    if total < 3600 { return String(format: "%dm %02ds", total / 60, total % 60) }
    return String(format: "%dh %02dm", total / 3600, (total % 3600) / 60)
}
