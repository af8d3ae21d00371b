import Foundation
import Testing
@testable import RosterCore

private let t0 = Date(timeIntervalSince1970: 1_800_000_000)

private func ids(_ contacts: [Contact]) -> [String] { contacts.map(\.id.rawValue) }

private func type(_ text: String, into state: inout AppState) -> [Effect] {
    text.flatMap { update(&state, .action(.typed($0))) }
}

/// Ten contacts named Person 0…9 with page size 10, at t0.
private func session(dialect: Dialect = .sendme123, undo: TimeInterval = 5) -> AppState {
    var state = loadedState(dialect: dialect, contacts: 10, total: 10)
    state.undoDelay = undo
    _ = update(&state, .tick(t0))
    return state
}

@Suite("Selecting: marks, filter, sort")
struct SelectingTests {
    @Test func spaceMarksAndMovesDownPlusMarksTheFilterMinusClears() {
        var state = session()
        _ = update(&state, .action(.toggleMark))
        #expect(state.marks == [ContactID("id-0")])
        #expect(state.cursor == 1)
        _ = update(&state, .action(.startFilter))
        _ = type("Person 1", into: &state)
        #expect(ids(state.matchingContacts) == ["id-1"])
        _ = update(&state, .action(.submit))
        _ = update(&state, .action(.markAllShown))
        #expect(state.marks == [ContactID("id-0"), ContactID("id-1")])
        #expect(state.hiddenMarkCount == 1, "id-0 is marked but the filter hides it")
        _ = update(&state, .action(.clearMarks))
        #expect(state.marks.isEmpty)
    }

    @Test func theFilterMatchesNamePhoneDigitsEmailAndIdAndEscClearsIt() {
        var state = session()
        _ = update(&state, .action(.startFilter))
        _ = type("P7@EXAMPLE", into: &state)
        #expect(ids(state.matchingContacts) == ["id-7"])
        _ = update(&state, .action(.cancel))
        #expect(state.rows.count == 10 && !state.filter.isActive && !state.filter.isEditing)
        _ = update(&state, .action(.startFilter))
        _ = type("300000003", into: &state)
        #expect(ids(state.matchingContacts) == ["id-3"], "digits match '+57 300000003'")
        for _ in 0..<9 { _ = update(&state, .action(.backspace)) }
        _ = type("id-9", into: &state)
        #expect(ids(state.matchingContacts) == ["id-9"])
    }

    @Test func theCursorStaysOnItsContactThroughFilterSortAndPages() {
        var state = loadedState(contacts: 10, pageSize: 10, total: 20)
        state.cursor = 4
        _ = update(&state, .action(.cycleSort))
        #expect(state.sort == .name)
        #expect(state.selectedContact?.id == ContactID("id-4"))
        state.pageInFlight = 2
        let page2 = ContactPage(contacts: [
            Contact(id: ContactID("x-1"), name: "Aaron", phone: "", email: ""),
            Contact(id: ContactID("x-2"), name: "Zoe", phone: "", email: ""),
        ], page: 2, total: 12, hasMore: false)
        _ = update(&state, .pageLoaded(page: 2, generation: 0, .success(page2)))
        #expect(state.matchingContacts.first?.name == "Aaron", "sorted by name, the new page's Aaron comes first")
        #expect(state.selectedContact?.id == ContactID("id-4"), "a page arriving never moves the cursor to another contact")
        _ = update(&state, .action(.toggleMark))
        #expect(state.marks == [ContactID("id-4")])
    }
}

@Suite("Deleting a batch")
struct BatchTests {
    private func markThree(_ state: inout AppState) {
        for _ in 0..<3 { _ = update(&state, .action(.toggleMark)) }
    }

    @Test func theDialogCountsHiddenAndLockedAndWantsTheCountTyped() {
        var state = session()
        state.locked[ContactID("id-2")] = "Contact cannot be deleted (has pending messages)"
        state.headroom = Headroom(limit: 60, remaining: 60, resetAt: nil, source: .server, window: 60, reserve: 3)
        markThree(&state)
        _ = update(&state, .action(.startFilter))
        _ = type("Person 1", into: &state)
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
        var state = session()
        markThree(&state)
        _ = update(&state, .action(.delete))
        _ = type("3", into: &state)
        _ = update(&state, .action(.submit))
        #expect(update(&state, .tick(t0.addingTimeInterval(4))) == [])
        let effects = update(&state, .action(.undo))
        #expect(effects.count == 1)
        guard case .recordNotSent(let contacts, _) = effects.first else { Issue.record("not journalled"); return }
        #expect(ids(contacts) == ["id-0", "id-1", "id-2"])
        #expect(state.batch == nil && state.activity.isEmpty)
        #expect(state.marks.count == 3, "the marks stay for another try")
        #expect(update(&state, .tick(t0.addingTimeInterval(10))) == [])
    }

    @Test func afterTheWindowItSendsFourAtATimeAsBatchAndSkipsLocked() {
        var state = session(dialect: .easify)
        state.locked[ContactID("id-1")] = "pending"
        for _ in 0..<6 { _ = update(&state, .action(.toggleMark)) }
        _ = update(&state, .action(.delete))
        _ = type("5", into: &state)
        _ = update(&state, .action(.submit))
        let sent = update(&state, .tick(t0.addingTimeInterval(5)))
        #expect(sent.count == 4)
        #expect(sent.allSatisfy { if case .delete(_, .batch) = $0 { return true } else { return false } })
        var all = sent
        var answered = Set<ContactID>()
        while let next = all.first(where: { if case .delete(let c, _) = $0 { return !answered.contains(c.id) } else { return false } }) {
            guard case .delete(let contact, _) = next else { break }
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
        #expect(batch.deleted == 3 && batch.lockedCount == 2 && batch.failedCount == 1)
        #expect(state.overlay == .results(scroll: 0), "the results stay until dismissed")
        #expect(state.locked[ContactID("id-3")] != nil)
        _ = update(&state, .action(.retryFailed))
        guard case .confirmBatch(let plan) = state.overlay else { Issue.record("retry asks first"); return }
        #expect(ids(plan.contacts) == ["id-4"])
        #expect(!plan.requiresTypedCount)
    }

    @Test func pauseHoldsNewRequestsAndEscStopsAfterThoseInFlight() {
        var state = session(dialect: .easify, undo: 0)
        for _ in 0..<8 { _ = update(&state, .action(.toggleMark)) }
        _ = update(&state, .action(.delete))
        _ = type("8", into: &state)
        let first = update(&state, .action(.submit))
        #expect(first.count == 4)
        _ = update(&state, .action(.togglePause))
        #expect(update(&state, .deleteFinished(ContactID("id-0"), .success(DeleteReceipt(id: ContactID("id-0"), message: "ok")))) == [])
        let resumed = update(&state, .action(.togglePause))
        #expect(resumed.count == 1, "one slot was free")
        let stop = update(&state, .action(.dismiss))
        guard case .recordNotSent(let notSent, _) = stop.first else { Issue.record("the rest is journalled as not sent"); return }
        #expect(notSent.count == 3)
        #expect(state.batch?.phase == .stopping("stopped by you"))
        for id in ["id-1", "id-2", "id-3", "id-4"] {
            #expect(update(&state, .deleteFinished(ContactID(id), .success(DeleteReceipt(id: ContactID(id), message: "ok")))) == [])
        }
        #expect(state.batch?.phase == .finished)
        #expect(state.batch?.deleted == 5 && state.batch?.notSentCount == 3)
    }

    @Test func aDryRunLooksUpButNeverDeletes() {
        var state = session(undo: 0)
        state.isDryRun = true
        markThree(&state)
        _ = update(&state, .action(.delete))
        _ = type("3", into: &state)
        let lookups = update(&state, .action(.submit))
        #expect(lookups.count == 3 && lookups.allSatisfy { if case .lookUp = $0 { return true } else { return false } })
        for contact in state.contacts.prefix(3) {
            #expect(update(&state, .lookupFinished(contact.id, .beforeDelete, .success(contact))) == [])
        }
        #expect(state.batch?.deleted == 3 && state.batch?.isDryRun == true)
        #expect(state.contacts.count == 10, "nothing left the list")
    }

    @Test func aSignalMidBatchStopsSendingAndLeavesOnceAnswered() {
        var state = session(dialect: .easify, undo: 0)
        for _ in 0..<6 { _ = update(&state, .action(.toggleMark)) }
        _ = update(&state, .action(.delete))
        _ = type("6", into: &state)
        _ = update(&state, .action(.submit))
        let effects = update(&state, .terminationRequested)
        guard case .recordNotSent(let notSent, _) = effects.first else { Issue.record("queued ones are journalled"); return }
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
        var state = session()
        markThree(&state)
        _ = update(&state, .action(.delete))
        _ = type("3", into: &state)
        _ = update(&state, .action(.submit))
        let effects = update(&state, .terminationRequested)
        #expect(state.isFinished)
        guard case .recordNotSent(let notSent, _) = effects.first else { Issue.record("journalled as not sent"); return }
        #expect(notSent.count == 3)
    }
}

@Suite("--select-from")
struct SelectFromTests {
    @Test func linesMatchByIdEmailOrPhoneDigitsAndAmbiguityMarksNothing() {
        let contacts = [
            Contact(id: ContactID("a1"), name: "Ana", phone: "+57 300 111 2233", email: "Ana@Example.com"),
            Contact(id: ContactID("b2"), name: "Bo", phone: "3001112244", email: "bo@example.com"),
            Contact(id: ContactID("c3"), name: "Cy", phone: "+1 555 0100", email: "cy@example.com"),
            Contact(id: ContactID("d4"), name: "Di", phone: "+1 555 0100", email: "di@example.com"),
        ]
        let selection = PendingSelection(source: "ticket.txt", lines: [
            "a1", "ana@example.com", "300-111-2244", "+15550100", "nobody@example.com", "", "# comment", "a1",
        ])
        let result = selection.resolve(in: contacts)
        #expect(result.marked == [ContactID("a1"), ContactID("b2")])
        #expect(result.unmatched == ["nobody@example.com"])
        #expect(result.ambiguous == ["+15550100"])
    }

    @Test func everyPageIsLoadedBeforeMatching() {
        var state = makeState(pageSize: 10)
        state.pendingSelection = PendingSelection(source: "t", lines: ["id-15", "id-99"])
        _ = start(&state)
        let next = update(&state, .pageLoaded(page: 1, generation: 0, .success(
            ContactPage(contacts: sampleContacts(0..<10), page: 1, total: 20, hasMore: true))))
        #expect(next == [.fetchPage(page: 2, generation: 0)], "loads on although the screen is full")
        _ = update(&state, .pageLoaded(page: 2, generation: 0, .success(
            ContactPage(contacts: sampleContacts(10..<20), page: 2, total: 20, hasMore: false))))
        #expect(state.marks == [ContactID("id-15")])
        guard case .info(let panel) = state.overlay else { Issue.record("unmatched lines are listed"); return }
        #expect(panel.lines == ["not found:  id-99"])
    }
}
