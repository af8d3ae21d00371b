import Foundation

// Deleting: one contact or every marked one goes through the same batch, which waits out
// the undo window, looks each contact up first where the dialect allows, and keeps every
// outcome.

func startBatch(_ plan: BatchPlan, in state: inout AppState) -> [Effect] {
    let startAt = state.undoDelay > 0 ? state.clock.addingTimeInterval(state.undoDelay) : nil
    var batch = Batch(contacts: plan.contacts, skipped: plan.locked, startAt: startAt, now: state.clock, isDryRun: state.isDryRun)
    batch.serial = state.batchesStarted
    state.batchesStarted += 1
    for contact in plan.contacts { state.activity[contact.id] = .queued }
    state.batch = batch
    if batch.isWaiting {
        state.message = nil
        return []
    }
    return startNext(in: &state)
}

func undoWindowElapsed(in state: inout AppState) -> [Effect] {
    guard state.countdownHeldSince == nil, var batch = state.batch, case .waiting(let until) = batch.phase, state.clock >= until else {
        return []
    }
    batch.phase = .running
    state.batch = batch
    return startNext(in: &state)
}

func undo(in state: inout AppState) -> [Effect] {
    guard var batch = state.batch, batch.isWaiting else {
        state.message = .nothingToUndo(requestsHaveLeft: state.batch?.isActive == true)
        return []
    }
    let reason = "undone within the undo window"
    let cancelled = batch.abandonQueue(reason)
    for contact in cancelled { state.activity[contact.id] = nil }
    state.batch = nil
    state.message = .undone(cancelled)
    return [.recordNotSent(cancelled, reason: reason)]
}

/// `p`: pausing holds every request of the batch not yet on the wire, those waiting in the
/// pacer included; a look-up that finishes meanwhile keeps its DELETE until `p` again.
func togglePause(in state: inout AppState) -> [Effect] {
    guard var batch = state.batch, batch.phase == .running else {
        state.message = .nothingToPause
        return []
    }
    batch.isPaused.toggle()
    if batch.isPaused {
        state.batch = batch
        state.message = .paused
        return [.holdBatchRequests]
    }
    var effects: [Effect] = [.releaseBatchRequests]
    for contact in batch.takeParked() {
        state.activity[contact.id] = .deleting
        effects.append(.delete(contact, priority: batch.priority, batch: batch.serial))
    }
    state.batch = batch
    state.message = .resumed
    return effects + startNext(in: &state)
}

/// `x`: a running batch is stopped only on purpose, after one more key.
func askToStopBatch(in state: inout AppState) -> [Effect] {
    guard let batch = state.batch, batch.isActive else {
        state.message = .noBatchRunning
        return []
    }
    if batch.isWaiting { return undo(in: &state) }
    guard batch.phase == .running else {
        state.message = .alreadyStopping
        return []
    }
    state.overlay = .confirmStop
    return []
}

/// Stops the batch: nothing new starts, every request not yet on the wire is withdrawn, the
/// contacts not sent are recorded as such (and stay marked, to resume), and the requests on
/// the wire finish.
func stopBatch(_ reason: String, in state: inout AppState) -> [Effect] {
    guard var batch = state.batch, batch.isActive else { return [] }
    let abandoned = batch.stop(reason)
    state.batch = batch
    for contact in abandoned { state.activity[contact.id] = nil }
    let inFlight = batch.inFlight.count
    if !batch.isSingle || state.exitDeadline != nil {
        state.message = .stopping(reason, notSent: abandoned.count, inFlight: inFlight)
    }
    var effects: [Effect] = [.withdrawBatchRequests]
    if !abandoned.isEmpty { effects.append(.recordNotSent(abandoned, reason: reason)) }
    finishIfDone(in: &state)
    return effects
}

/// Starts contacts up to the batch's concurrency. Without a look-up in a dry run there is
/// nothing to send at all, so those settle at once.
private func startNext(in state: inout AppState) -> [Effect] {
    guard var batch = state.batch else { return [] }
    var effects: [Effect] = []
    var started = batch.takeStartable()
    while !started.isEmpty {
        for contact in started {
            if state.capabilities.canLookUp {
                state.activity[contact.id] = .checking
                effects.append(.lookUp(contact.id, .beforeDelete, priority: batch.priority))
            } else if batch.isDryRun {
                batch.settle(contact.id, .wouldDelete)
                state.activity[contact.id] = nil
            } else {
                state.activity[contact.id] = .deleting
                effects.append(.delete(contact, priority: batch.priority, batch: batch.serial))
            }
        }
        started = batch.takeStartable()
    }
    state.batch = batch
    if batch.isSingle, let contact = batch.items.first?.contact, batch.outcome(of: contact.id) == nil {
        state.message = state.activity[contact.id] == .checking ? .checkingBeforeDeleting(contact) : .deleting(contact)
    }
    finishIfDone(in: &state)
    return effects
}

func batchLookupFinished(id: ContactID, result: Result<Contact, ProviderError>, in state: inout AppState) -> [Effect] {
    guard var batch = state.batch, batch.isInFlight(id) else { return [] }
    let name = batch.items.first { $0.contact.id == id }?.contact.displayName ?? id.rawValue
    switch result {
    case .success(let fresh):
        state.replace(fresh)
        batch.update(fresh)
        state.failed[id] = nil
        if case .stopping(let reason) = batch.phase {
            batch.settle(id, .notSent(reason))
            state.activity[id] = nil
            state.batch = batch
            finishIfDone(in: &state)
            return [.recordNotSent([fresh], reason: reason)]
        }
        if batch.isDryRun {
            batch.settle(id, .wouldDelete)
            state.activity[id] = nil
            state.batch = batch
            return startNext(in: &state)
        }
        if batch.isPaused {
            batch.park(fresh)
            state.activity[id] = .queued
            state.batch = batch
            return []
        }
        state.activity[id] = .deleting
        state.batch = batch
        if batch.isSingle { state.message = .deleting(fresh) }
        return [.delete(fresh, priority: batch.priority, batch: batch.serial)]
    case .failure(let error) where error.kind == .notFound:
        batch.settle(id, .alreadyGone)
        state.batch = batch
        state.remove(id)
        keepCursorVisible(&state)
        if batch.isSingle { state.message = .goneBeforeDeleting(name) }
    case .failure(let error) where error.kind == .cancelled:
        // Withdrawn before the look-up left: the batch was stopped.
        let reason = batch.stopReason ?? error.message
        batch.settle(id, .notSent(reason))
        state.batch = batch
        state.activity[id] = nil
        finishIfDone(in: &state)
        return batch.items.first { $0.contact.id == id }.map { [.recordNotSent([$0.contact], reason: reason)] } ?? []
    case .failure(let error):
        let reason = "could not check it first: \(explain(error, state))"
        batch.settle(id, .failed(reason))
        state.batch = batch
        state.activity[id] = nil
        state.failed[id] = reason
        if batch.isSingle { state.message = .couldNotCheckFirst(name, because: explain(error, state)) }
        if error.stopsEverything { return stopBatch(error.stopReason, in: &state) }
    }
    return startNext(in: &state)
}

func batchDeleteFinished(id: ContactID, result: Result<DeleteReceipt, ProviderError>, in state: inout AppState) -> [Effect] {
    guard var batch = state.batch, batch.isInFlight(id) else { return [] }
    let contact = batch.items.first { $0.contact.id == id }?.contact
    let name = contact?.displayName ?? id.rawValue
    var message: StatusMessage
    switch result {
    case .success:
        batch.settle(id, .deleted)
        state.remove(id)
        message = .deleted(name, phone: contact?.phone ?? "", id: id)
    case .failure(let error) where error.kind == .notFound:
        batch.settle(id, .alreadyGone)
        state.remove(id)
        message = .wasAlreadyGone(name)
    case .failure(let error) where error.kind == .cancelled:
        // Withdrawn before it left (the batch was stopped); the journal says "not sent".
        batch.settle(id, .notSent(batch.stopReason ?? error.message))
        state.activity[id] = nil
        message = .notSentBatchStopped(name)
    case .failure(let error) where error.kind == .claimedElsewhere:
        // Another operator's request for it is on the way: left to them, said on the row.
        batch.settle(id, .notSent(error.message))
        state.activity[id] = nil
        state.heldElsewhere[id] = error.message.components(separatedBy: " by ").last ?? error.message
        message = .notDeleted(name, because: error.message)
    case .failure(let error) where error.mayMeanGone:
        // The dialect's answer for an id it does not know (Easify's "Invalid contact id") for a
        // contact listed moments ago: most likely deleted elsewhere. Its page is read to tell
        // (never the DELETE again).
        if let slot = state.store.slot(of: id), let position = state.position(of: slot) {
            state.activity[id] = .checking
            state.batch = batch
            if batch.isSingle { state.message = .checkingWhetherGone(name, serverSaid: error.message) }
            let size = max(1, state.pages.serverPageSize ?? state.capabilities.pageSize)
            return [.checkGone(GoneCheck(id: id, page: position / size + 1, triesLeft: 2, said: error.description))]
        }
        batch.settle(id, .failed(explain(error, state)))
        state.activity[id] = nil
        state.failed[id] = error.description
        message = .notDeleted(name, because: explain(error, state))
    case .failure(let error) where error.kind == .conflict:
        batch.settle(id, .locked(error.message))
        state.activity[id] = nil
        state.locked[id] = error.message
        message = .cannotBeDeleted(name, error)
    case .failure(let error):
        batch.settle(id, .failed(explain(error, state)))
        state.activity[id] = nil
        state.failed[id] = error.description
        message = .notDeleted(name, because: explain(error, state))
    }
    state.batch = batch
    keepCursorVisible(&state)
    if batch.isSingle { state.message = message }
    if case .failure(let error) = result, error.stopsEverything {
        return stopBatch(error.stopReason, in: &state)
    }
    return startNext(in: &state)
}

/// The page a contact the server called invalid was on came back: it is gone if loaded
/// contacts were seen on both sides of it and not it (the first page has nothing before it,
/// the last nothing after); still there if the page has it; otherwise the page beside is
/// read, once.
func goneChecked(_ check: GoneCheck, result: Result<ContactPage, ProviderError>, in state: inout AppState) -> [Effect] {
    let id = check.id
    guard var batch = state.batch, batch.isInFlight(id), let slot = state.store.slot(of: id) else { return [] }
    let name = state.store.name(at: slot).isEmpty ? id.rawValue : state.store.name(at: slot)
    let said = "the server said \"\(check.said)\""
    var verdict: BatchOutcome
    switch result {
    case .success(let loaded):
        let target = state.rankOf(slot)
        let ranks = loaded.contacts.compactMap { state.store.slot(of: $0.id) }.filter { $0 != slot }.map { state.rankOf($0) }
        var next = check
        next.seenBefore = check.seenBefore || ranks.contains { $0 < target } || check.page == 1
        next.seenAfter = check.seenAfter || ranks.contains { $0 > target } || (!loaded.hasMore && !ranks.isEmpty)
        if loaded.contacts.contains(where: { $0.id == id }) {
            verdict = .failed("\(said), yet it is still in the list")
        } else if next.seenBefore && next.seenAfter {
            verdict = .alreadyGone
        } else if check.triesLeft > 1, !ranks.isEmpty {
            next.page = next.seenBefore ? check.page + 1 : check.page - 1
            next.triesLeft -= 1
            return [.checkGone(next)]
        } else {
            verdict = .failed("\(said), and Roster could not tell whether it is gone (r reloads the list)")
        }
    case .failure(let error):
        verdict = .failed("\(said), and reading the list to check failed too (\(explain(error, state)))")
    }
    batch.settle(id, verdict)
    state.batch = batch
    let message: StatusMessage
    if verdict == .alreadyGone {
        state.remove(id)
        message = .goneElsewhere(name)
    } else {
        let reason = if case .failed(let reason) = verdict { reason } else { verdict.summary }
        state.activity[id] = nil
        state.failed[id] = reason
        message = .notDeleted(name, because: reason)
    }
    keepCursorVisible(&state)
    if batch.isSingle { state.message = message }
    return startNext(in: &state)
}

/// Ends the batch once nothing is queued or in flight.
private func finishIfDone(in state: inout AppState) {
    guard var batch = state.batch, batch.isActive, !batch.isWaiting, batch.inFlight.isEmpty else { return }
    guard batch.queued == 0 else { return }
    batch.phase = .finished
    state.batch = batch
    // What was not sent stays marked, so `d` (or `r` in the results) resumes the batch.
    for item in batch.items {
        if case .notSent = item.outcome {} else { state.marks.remove(item.contact.id) }
        if state.activity[item.contact.id] == .queued { state.activity[item.contact.id] = nil }
    }
    if state.exitDeadline != nil { state.isFinished = true }
    if batch.isSingle {
        if batch.isDryRun, let contact = batch.items.first?.contact {
            state.message = .wouldDelete(contact)
        }
        state.batch = nil
        return
    }
    state.message = .finished(batch)
}
