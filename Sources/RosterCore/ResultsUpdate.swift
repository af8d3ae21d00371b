import Foundation

// A finished batch: its summary line and the results panel, where `r` tries again.

/// `Batch finished: 28 deleted, 2 locked.` or, when contacts were not sent,
/// `Batch stopped (stopped by you): 4 deleted, 8 not sent (still marked: d resumes).`
public func batchSummary(_ batch: Batch) -> String {
    var parts = ["\(batch.deleted) \(batch.isDryRun ? "would be deleted" : "deleted")"]
    if batch.gone > 0 { parts.append("\(batch.gone) already gone") }
    if batch.lockedCount > 0 { parts.append("\(batch.lockedCount) locked") }
    let skippedLocked = batch.skippedCount - batch.notSentCount
    if skippedLocked > 0 { parts.append("\(skippedLocked) skipped (locked)") }
    if batch.failedCount > 0 { parts.append("\(batch.failedCount) failed") }
    if batch.notSentCount > 0 { parts.append("\(batch.notSentCount) not sent (still marked: d resumes)") }
    let dry = batch.isDryRun ? "DRY RUN " : ""
    if let reason = batch.stopReason, batch.notSentCount > 0 || batch.isActive {
        return "\(dry)Batch stopped (\(reason)): " + parts.joined(separator: ", ") + "."
    }
    return (batch.isDryRun ? "DRY RUN finished: " : "Batch finished: ") + parts.joined(separator: ", ") + "."
}

/// A finished batch of several contacts shows its results panel as soon as nothing else is
/// open over the list.
func showResultsIfReady(_ state: inout AppState) {
    guard let batch = state.batch, batch.phase == .finished, !batch.isSingle else { return }
    switch state.overlay {
    case .none, .help, .detail: state.overlay = .results(scroll: 0)
    default: break
    }
}

func handleResults(_ action: UserAction, scroll: Int, in state: inout AppState) -> [Effect] {
    guard let batch = state.batch else {
        state.overlay = .none
        return []
    }
    switch action {
    case _ where scrollActions.contains(action):
        state.overlay = .results(scroll: scrolled(scroll, by: action, lines: batch.items.count, page: state.listHeight))
    case .retryFailed:
        // The failed and the not sent, marked again: retrying one, resuming the other.
        let again = (batch.failedContacts + batch.notSentContacts).filter { state.isLoaded($0.id) && state.locked[$0.id] == nil }
        guard !again.isEmpty else {
            state.message = .nothingToTryAgain
            return []
        }
        state.batch = nil
        state.marks = Set(again.map(\.id))
        state.overlay = .none
        return askToDeleteMarked(in: &state)
    case .dismiss, .cancel, .quit, .submit, .openDetail:
        state.batch = nil
        state.overlay = .none
    default:
        break
    }
    return []
}
