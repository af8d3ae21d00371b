import Foundation
import Testing
@testable import RosterCore

private func ids(_ contacts: [Contact]) -> [String] { contacts.map(\.id.rawValue) }

@Suite("Deleting a batch")
struct BatchTests {
    private func markThree(_ state: inout AppState) {
        for _ in 0..<3 { _ = update(&state, .action(.toggleMark)) }
    }

    /// Marks three, asks, types 3 and Enter: the batch's undo window starts. The effects of
    /// the Enter.
    @discardableResult
    private func confirmThree(_ state: inout AppState) -> [Effect] { confirm(marking: 3, typing: "3", &state) }

    /// Marks `count` from the cursor down, asks, types the count the dialog wants (`typing`:
    /// fewer where some are locked) and Enter. The effects of the Enter.
    @discardableResult
    private func confirm(marking count: Int, typing typed: String, _ state: inout AppState) -> [Effect] {
        for _ in 0..<count { _ = update(&state, .action(.toggleMark)) }
        _ = update(&state, .action(.delete))
        _ = typeKeys(typed, into: &state)
        return update(&state, .action(.submit))
    }

    @Test func theDialogCountsHiddenAndLockedAndWantsTheCountTyped() {
        var state = cleanupSession()
        state.locked[ContactID("id-2")] = "Contact cannot be deleted (has pending messages)"
        state.headroom = Headroom(limit: 60, remaining: 60, resetAt: nil, source: .server, window: 60, reserve: 3)
        markThree(&state)
        _ = update(&state, .action(.startFilter))
        _ = typeKeys("Person 1", into: &state)
        _ = update(&state, .action(.submit))
        _ = update(&state, .action(.delete))
        guard case .confirmBatch(let plan) = state.overlay else { Issue.record("no batch dialog"); return }
        #expect(ids(plan.contacts) == ["id-0", "id-1"])
        #expect(ids(plan.locked) == ["id-2"])
        #expect(plan.hidden == 2)
        #expect(plan.estimate != nil)
        #expect(state.inputMode == .typedCount)
        #expect(update(&state, .action(.typed("3"))) == [])
        #expect(update(&state, .action(.submit)) == [], "3 is not the count")
        #expect(state.message?.text.contains("Type 2") == true)
        _ = update(&state, .action(.typed("2")))
        #expect(update(&state, .action(.submit)) == [], "the undo window comes first")
        #expect(state.batch?.isWaiting == true)
        #expect(state.activity[ContactID("id-0")] == .queued)
    }

    @Test func undoWithinTheWindowSendsNothingAndIsRecorded() {
        var state = cleanupSession()
        confirmThree(&state)
        #expect(update(&state, .tick(cleanupStart.addingTimeInterval(4))) == [])
        let effects = update(&state, .action(.undo))
        #expect(effects.count == 1)
        guard case .recordNotSent(let contacts, _) = effects.first else { Issue.record("not journalled"); return }
        #expect(ids(contacts) == ["id-0", "id-1", "id-2"])
        #expect(state.batch == nil && state.activity.isEmpty)
        #expect(state.marks.count == 3, "the marks stay for another try")
        #expect(update(&state, .tick(cleanupStart.addingTimeInterval(10))) == [])
    }

    @Test func afterTheWindowItSendsFourAtATimeAsBatchAndSkipsLocked() {
        var state = cleanupSession(dialect: .easify)
        state.locked[ContactID("id-1")] = "pending"
        confirm(marking: 6, typing: "5", &state)
        let sent = update(&state, .tick(cleanupStart.addingTimeInterval(5)))
        #expect(sent.count == 4)
        #expect(sent.allSatisfy { if case .delete(_, .batch, _) = $0 { return true } else { return false } })
        var all = sent
        var answered = Set<ContactID>()
        while let next = all.first(where: { if case .delete(let c, _, _) = $0 { return !answered.contains(c.id) } else { return false } }) {
            guard case .delete(let contact, _, _) = next else { break }
            answered.insert(contact.id)
            let result: Result<DeleteReceipt, ProviderError> = contact.id == ContactID("id-3")
                ? .failure(conflict())
                : (contact.id == ContactID("id-4") ? .failure(ProviderError(kind: .server, status: 500, message: "Internal server error"))
                    : .success(DeleteReceipt(id: contact.id, message: "ok")))
            all += update(&state, .deleteFinished(contact.id, result))
        }
        #expect(answered == Set(["id-0", "id-2", "id-3", "id-4", "id-5"].map(ContactID.init)), "the locked id-1 is never sent")
        let batch = try! #require(state.batch)
        #expect(batch.phase == .finished)
        #expect(batch.deleted == 3 && batch.lockedCount == 1 && batch.skippedCount == 1 && batch.failedCount == 1)
        #expect(batch.done == batch.deleted + batch.gone + batch.lockedCount + batch.failedCount + batch.skippedCount)
        #expect(state.overlay == .results(scroll: 0), "the results stay until dismissed")
        #expect(state.locked[ContactID("id-3")] != nil)
        _ = update(&state, .action(.retryFailed))
        guard case .confirmBatch(let plan) = state.overlay else { Issue.record("retry asks first"); return }
        #expect(ids(plan.contacts) == ["id-4"])
        #expect(!plan.requiresTypedCount)
    }

    /// Another operator's request for a contact was on the way (a claim in the team's journal):
    /// the batch leaves it to them, goes on, and the row says who has it.
    @Test func aContactAnotherOperatorHoldsIsLeftToThemAndTheRowSaysWho() {
        var state = cleanupSession(dialect: .easify, undo: 0)
        confirm(marking: 2, typing: "2", &state)
        let claimed = ProviderError(kind: .claimedElsewhere, message: "being deleted by ops-a@jump2")
        let effects = update(&state, .deleteFinished(ContactID("id-0"), .failure(claimed)))
        #expect(!effects.contains(.withdrawBatchRequests), "one contact held elsewhere does not stop the batch")
        _ = update(&state, .deleteFinished(ContactID("id-1"), .success(DeleteReceipt(id: ContactID("id-1"), message: "ok"))))
        let batch = try! #require(state.batch)
        #expect(batch.phase == .finished && batch.deleted == 1 && batch.notSentCount == 1)
        #expect(state.isLoaded(ContactID("id-0")))
        #expect(state.heldElsewhere[ContactID("id-0")] == "ops-a@jump2")
    }

    @Test func whatOtherOperatorsHoldIsWhatTheTeamsJournalLastSaid() {
        var state = cleanupSession(dialect: .easify, undo: 0)
        _ = update(&state, .claimsSeen([ContactID("id-2"): "ops-a@jump2"]))
        #expect(state.heldElsewhere == [ContactID("id-2"): "ops-a@jump2"])
        _ = update(&state, .claimsSeen([:]))
        #expect(state.heldElsewhere.isEmpty, "released: the row no longer says so")
    }

    @Test func pauseHoldsNewRequestsAndXStopsAfterThoseInFlight() {
        var state = cleanupSession(dialect: .easify, undo: 0)
        let first = confirm(marking: 8, typing: "8", &state)
        #expect(first.count == 4)
        #expect(update(&state, .action(.togglePause)) == [.holdBatchRequests], "what waits in the pacer is held too")
        #expect(update(&state, .deleteFinished(ContactID("id-0"), .success(DeleteReceipt(id: ContactID("id-0"), message: "ok")))) == [])
        let resumed = update(&state, .action(.togglePause))
        #expect(resumed.first == .releaseBatchRequests)
        #expect(resumed.count == 2, "released, and one slot was free")
        #expect(update(&state, .action(.dismiss)).isEmpty, "Esc never stops a batch")
        #expect(state.batch?.phase == .running)
        _ = update(&state, .action(.stopBatch))
        #expect(state.overlay == .confirmStop)
        let stop = update(&state, .action(.confirm))
        #expect(stop.first == .withdrawBatchRequests, "requests not yet on the wire are withdrawn")
        guard case .recordNotSent(let notSent, _) = stop.last else { Issue.record("the rest is journalled as not sent"); return }
        #expect(notSent.count == 3)
        #expect(state.batch?.phase == .stopping("stopped by you"))
        for id in ["id-1", "id-2", "id-3"] {
            #expect(update(&state, .deleteFinished(ContactID(id), .success(DeleteReceipt(id: ContactID(id), message: "ok")))) == [])
        }
        // Withdrawn in the pacer before it left: not sent, and it stays.
        _ = update(&state, .deleteFinished(ContactID("id-4"), .failure(ProviderError(kind: .cancelled, message: "withdrawn"))))
        let batch = try! #require(state.batch)
        #expect(batch.phase == .finished)
        #expect(batch.deleted == 4 && batch.notSentCount == 4)
        #expect(batchSummary(batch).hasPrefix("Batch stopped (stopped by you): 4 deleted, 4 not sent"), "\(batchSummary(batch))")
        #expect(state.isLoaded(ContactID("id-4")))
        #expect(state.marks == Set(["id-4", "id-5", "id-6", "id-7"].map(ContactID.init)), "the not sent stay marked: d resumes")
        _ = update(&state, .action(.retryFailed))
        guard case .confirmBatch(let plan) = state.overlay else { Issue.record("r in the results resumes, asking first"); return }
        #expect(ids(plan.contacts) == ["id-4", "id-5", "id-6", "id-7"])
    }

    /// A look-up that finishes while paused does not send its DELETE until `p` again.
    @Test func aLookUpFinishedWhilePausedWaitsForResume() {
        var state = cleanupSession(undo: 0)
        let lookups = confirm(marking: 6, typing: "6", &state)
        #expect(lookups.count == 4)
        _ = update(&state, .action(.togglePause))
        let contact = state.contact(withID: ContactID("id-0"))!
        #expect(update(&state, .lookupFinished(contact.id, .beforeDelete, .success(contact))) == [])
        #expect(state.activity[contact.id] == .queued)
        let resumed = update(&state, .action(.togglePause))
        #expect(resumed.contains(.delete(contact, priority: .batch)))
        #expect(resumed.first == .releaseBatchRequests)
        // Stopped while one is parked: it is not sent, and journalled so.
        _ = update(&state, .action(.togglePause))
        let other = state.contact(withID: ContactID("id-1"))!
        _ = update(&state, .lookupFinished(other.id, .beforeDelete, .success(other)))
        _ = update(&state, .action(.stopBatch))
        let stop = update(&state, .action(.confirm))
        guard case .recordNotSent(let notSent, _) = stop.last else { Issue.record("journalled"); return }
        #expect(notSent.contains { $0.id == other.id })
        // A look-up withdrawn before it left is not sent either.
        let withdrawn = update(&state, .lookupFinished(ContactID("id-2"), .beforeDelete, .failure(ProviderError(kind: .cancelled, message: "withdrawn"))))
        #expect(withdrawn.count == 1)
        #expect(state.batch?.outcome(of: ContactID("id-2")) == .notSent("stopped by you"))
    }

    /// Esc closes the innermost thing; with a batch running that is the filter, then nothing.
    @Test func escDuringABatchClearsTheFilterAndLeavesTheBatchRunning() {
        var state = cleanupSession(undo: 0)
        confirmThree(&state)
        _ = update(&state, .action(.startFilter))
        _ = typeKeys("Person", into: &state)
        _ = update(&state, .action(.submit))
        #expect(update(&state, .action(.dismiss)).isEmpty)
        #expect(!state.filter.isActive)
        #expect(state.batch?.phase == .running)
        _ = update(&state, .action(.dismiss))
        #expect(state.batch?.phase == .running)
        #expect(state.message?.text.contains("x stops it") == true)
        _ = update(&state, .action(.stopBatch))
        _ = update(&state, .action(.cancel))
        #expect(state.batch?.phase == .running, "any key but y keeps it running")
    }

    /// Ctrl-Z during the undo window holds the countdown: after fg the rest of the window is
    /// still there.
    @Test func suspendingHoldsTheUndoCountdown() {
        var state = cleanupSession()
        confirmThree(&state)
        _ = update(&state, .tick(cleanupStart.addingTimeInterval(2)))
        _ = update(&state, .suspended(cleanupStart.addingTimeInterval(2)))
        _ = update(&state, .resumed(cleanupStart.addingTimeInterval(62)))
        #expect(update(&state, .tick(cleanupStart.addingTimeInterval(62.3))).isEmpty, "3 s of the window are left after fg")
        #expect(state.batch?.isWaiting == true)
        #expect(update(&state, .tick(cleanupStart.addingTimeInterval(64.5))).isEmpty)
        #expect(update(&state, .tick(cleanupStart.addingTimeInterval(65.1))).count == 3)
    }

    /// `q` during the undo window: nothing starts sending while Roster asks, and staying
    /// gives the countdown back what it had left.
    @Test func theQuitQuestionHoldsTheUndoCountdown() {
        var state = cleanupSession()
        confirmThree(&state)
        _ = update(&state, .tick(cleanupStart.addingTimeInterval(2)))
        _ = update(&state, .action(.quit))
        #expect(state.overlay == .confirmQuit)
        #expect(update(&state, .tick(cleanupStart.addingTimeInterval(30))).isEmpty, "nothing is sent under the question")
        #expect(state.batch?.isWaiting == true)
        _ = update(&state, .action(.cancel))
        #expect(state.message?.text == "Not quitting: the countdown goes on, 3s left to undo (u); nothing has been sent.")
        #expect(update(&state, .tick(cleanupStart.addingTimeInterval(32.5))).isEmpty, "3 s of the window are left")
        #expect(update(&state, .tick(cleanupStart.addingTimeInterval(33.1))).count == 3)
    }

    /// `q` with a delete under way asks in a dialog; the question stays while it is under
    /// way, and once it has ended Roster leaves as asked. Issue: it said "Nothing is in flight
    /// any more" and still waited for a second key.
    @Test func quitAsksWhileADeleteIsUnderWayAndLeavesOnceItHasEnded() {
        var state = cleanupSession(undo: 0)
        _ = update(&state, .action(.delete))
        _ = update(&state, .action(.confirm))
        _ = update(&state, .action(.quit))
        #expect(state.overlay == .confirmQuit)
        let contact = state.contact(withID: ContactID("id-0"))!
        _ = update(&state, .lookupFinished(contact.id, .beforeDelete, .success(contact)))
        #expect(state.overlay == .confirmQuit && !state.isFinished, "the DELETE is on the wire: the question stays")
        _ = update(&state, .deleteFinished(contact.id, .success(DeleteReceipt(id: contact.id, message: "Contact successfully deleted"))))
        #expect(state.isFinished, "what it waited for has ended: q quits, as asked")
    }

    /// After a reload only the first page is loaded: `d` finds the other marked contacts
    /// before it asks, and says which are gone, so the count confirmed is the count marked.
    @Test func marksNotLoadedAfterAReloadAreFoundBeforeAsking() {
        var state = loadedState(contacts: 10, pageSize: 10, total: 20)
        _ = update(&state, .pageLoaded(page: 2, generation: 0, .success(
            ContactPage(contacts: sampleContacts(10..<20), page: 2, total: 20, hasMore: false))))
        state.marks = Set(["id-2", "id-12", "id-13", "id-14"].map(ContactID.init))
        _ = update(&state, .action(.reload))
        _ = update(&state, .pageLoaded(page: 1, generation: 1, .success(
            ContactPage(contacts: sampleContacts(0..<10), page: 1, total: 19, hasMore: true))))
        #expect(state.unloadedMarks.count == 3)
        state.cursor = 0
        #expect(state.pages.inFlight == 2, "the screen is near the end: page 2 is on its way already")
        #expect(update(&state, .action(.delete)).isEmpty)
        #expect(state.whenAccountLoaded == [.deleteMarked])
        #expect(state.overlay == .none)
        // id-13 was deleted elsewhere meanwhile.
        _ = update(&state, .pageLoaded(page: 2, generation: 1, .success(
            ContactPage(contacts: sampleContacts(10..<13) + sampleContacts(14..<20), page: 2, total: 19, hasMore: false))))
        guard case .confirmBatch(let plan) = state.overlay else { Issue.record("asks once they are found"); return }
        #expect(ids(plan.contacts) == ["id-2", "id-12", "id-14"])
        #expect(state.marks.count == 3)
        #expect(state.message?.text.contains("1 marked contact is no longer on the server") == true)
    }

    @Test func aDryRunLooksUpButNeverDeletes() {
        var state = cleanupSession(undo: 0)
        state.session.isDryRun = true
        let lookups = confirmThree(&state)
        #expect(lookups.count == 3 && lookups.allSatisfy { if case .lookUp = $0 { return true } else { return false } })
        for contact in state.contacts.prefix(3) {
            #expect(update(&state, .lookupFinished(contact.id, .beforeDelete, .success(contact))) == [])
        }
        #expect(state.batch?.deleted == 3 && state.batch?.isDryRun == true)
        #expect(state.contacts.count == 10, "nothing left the list")
    }

    @Test func aSignalMidBatchStopsSendingAndLeavesOnceAnswered() {
        var state = cleanupSession(dialect: .easify, undo: 0)
        confirm(marking: 6, typing: "6", &state)
        let effects = update(&state, .terminationRequested)
        #expect(effects.first == .withdrawBatchRequests)
        guard case .recordNotSent(let notSent, _) = effects.last else { Issue.record("queued ones are journalled"); return }
        #expect(notSent.count == 2)
        #expect(!state.isFinished)
        for id in ["id-0", "id-1", "id-2"] {
            _ = update(&state, .deleteFinished(ContactID(id), .success(DeleteReceipt(id: ContactID(id), message: "ok"))))
        }
        #expect(!state.isFinished)
        _ = update(&state, .deleteFinished(ContactID("id-3"), .success(DeleteReceipt(id: ContactID("id-3"), message: "ok"))))
        #expect(state.isFinished)
    }

    @Test func aSignalDuringTheUndoWindowCancelsEverything() {
        var state = cleanupSession()
        confirmThree(&state)
        let effects = update(&state, .terminationRequested)
        #expect(state.isFinished)
        guard case .recordNotSent(let notSent, _) = effects.first else { Issue.record("journalled as not sent"); return }
        #expect(notSent.count == 3)
    }
}
