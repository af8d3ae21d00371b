import Foundation
import RosterCore

/// The batch's line above the message line: the undo countdown, then a bar with done/total,
/// the tallies, and the pacer's ETA; the keys that act on it are named on the line.
enum ProgressView {
    static func render(_ state: AppState, layout: Layout, into canvas: inout Canvas) {
        guard let row = layout.progressRow, let batch = state.batch else { return }
        let role: StyleRole = batch.isWaiting ? .dialogDanger : .progress
        canvas.fill(y: row, role: role)
        canvas.put(Canvas.truncate(text(batch, state: state), to: layout.width), x: 0, y: row, role: role)
    }

    static func text(_ batch: Batch, state: AppState) -> String {
        let dry = batch.isDryRun ? "DRY RUN · " : ""
        let what = batch.isSingle ? (batch.items.first?.contact.displayName ?? "1 contact") : "\(batch.total) contacts"
        switch batch.phase {
        case .waiting(let until):
            let seconds = max(0, Int(until.timeIntervalSince(state.countdownHeldSince ?? state.clock).rounded(.up)))
            if state.countdownHeldSince != nil {
                return " \(dry)Deleting \(what) in \(seconds)s · held while Roster asks (nothing sent yet) "
            }
            return " \(dry)Deleting \(what) in \(seconds)s · u undo (nothing sent yet) · Esc cancels "
        case .finished:
            return " \(dry)\(batchSummary(batch)) "
        case .running, .stopping:
            break
        }
        let width = 12
        let filled = batch.total == 0 ? width : width * batch.done / batch.total
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        // done/total, then what done is made of: the parts always add up to done.
        var parts = ["\(bar) \(batch.done)/\(batch.total)", "\(batch.deleted) \(batch.isDryRun ? "would go" : "deleted")"]
        if batch.gone > 0 { parts.append("\(batch.gone) gone") }
        parts.append("\(batch.lockedCount) locked")
        parts.append("\(batch.failedCount) failed")
        if batch.skippedCount > 0 { parts.append("\(batch.skippedCount) skipped") }
        let head: String
        switch batch.phase {
        case .stopping:
            head = "Stopping"
            parts.append("\(batch.inFlight.count) on the wire finishing")
        default:
            if batch.isPaused {
                head = "PAUSED"
                let waiting = batch.inFlight.count
                if waiting > 0 { parts.append("\(waiting) held or finishing") }
                parts.append("p resume · x stop")
            } else {
                head = "Deleting"
                let requests = batch.requestsLeft(perContact: state.capabilities.requestsPerDeletion)
                if let eta = state.headroom?.secondsToSend(requests, now: state.clock) {
                    parts.append("ETA \(durationText(eta))")
                }
                parts.append("p pause · x stop")
            }
        }
        return " \(dry)\(head) " + parts.joined(separator: " · ") + " "
    }
}
