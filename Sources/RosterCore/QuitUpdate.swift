import Foundation

/// `q`: what to do about work in flight before leaving, and the question that asks.

/// `q` leaves at once when nothing is under way; otherwise it asks, in a dialog that stays
/// until answered.
func quit(in state: inout AppState) -> [Effect] {
    if state.destructiveWorkUnderWay {
        state.overlay = .confirmQuit
        if state.batch?.isWaiting == true { state.countdownHeldSince = state.clock }
        return []
    }
    state.isFinished = true
    return []
}

/// Quitting or a signal with a batch on: cancel what waits, stop sending, let the requests
/// in flight be answered and journalled (for a few seconds at most), then leave.
func leaveDuringBatch(_ reason: String, in state: inout AppState) -> [Effect] {
    guard var batch = state.batch, batch.isActive, state.exitDeadline == nil else {
        state.isFinished = true
        return []
    }
    if batch.isWaiting {
        let abandoned = batch.abandonQueue("cancelled: \(reason) during the undo window")
        for contact in abandoned { state.activity[contact.id] = nil }
        state.batch = nil
        state.isFinished = true
        return [.recordNotSent(abandoned, reason: "cancelled: \(reason) during the undo window")]
    }
    state.batch = batch
    state.exitDeadline = state.clock.addingTimeInterval(10)
    return stopBatch(reason, in: &state)
}


/// "Quit with work in flight?" answered: `y` or `q` leaves (letting what is on the wire be
/// answered), anything else stays.
func answerQuit(_ action: UserAction, in state: inout AppState) -> [Effect] {
    state.overlay = .none
    let held = releaseCountdown(in: &state)
    if action == .confirm {
        if state.batch?.isActive == true { return leaveDuringBatch("Roster was told to quit", in: &state) }
        state.isFinished = true
        return []
    }
    state.message = .notQuitting(countdownLeft: held)
    return []
}

/// The quit question is answered: the undo countdown gets back the time it was asked for.
/// The seconds it has left, when one was held.
private func releaseCountdown(in state: inout AppState) -> Int? {
    guard let since = state.countdownHeldSince else { return nil }
    state.countdownHeldSince = nil
    return extendUndoWindow(heldFrom: since, to: state.clock, in: &state)
}

extension AppState {
    /// What `q` asks about: a batch under way (counting down or sending), or a single delete or
    /// deactivation queued or on the wire. A read (a page, a look-up) is not: leaving while
    /// one is answered loses nothing.
    var destructiveWorkUnderWay: Bool {
        batch?.isActive == true || activity.values.contains { $0 != .checking }
    }
}

/// The quit question open and what it waited for over: leave, as the user asked.
func quitIfNoLongerWaiting(_ state: inout AppState) {
    if state.overlay == .confirmQuit, !state.destructiveWorkUnderWay { state.isFinished = true }
}
