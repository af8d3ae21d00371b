import Testing
@testable import RosterCore

@Suite("Deleting one contact")
struct DeletionTests {
    /// Easify answers 400 "Invalid contact id" for a contact listed moments ago: Roster reads
    /// its page to tell, and never sends the DELETE again.
    @Test func easifysInvalidIdIsCheckedOnTheList() {
        let invalid = ProviderError(kind: .badRequest, status: 400, message: "Invalid contact id", mayMeanGone: true)
        func deleteFirst(_ state: inout AppState, cursor: Int) -> (ContactID, [Effect]) {
            state.cursor = cursor
            let target = state.selectedContact!.id
            _ = update(&state, .action(.delete))
            _ = update(&state, .action(.confirm))
            return (target, update(&state, .deleteFinished(target, .failure(invalid))))
        }
        var state = loadedState(dialect: .easify, contacts: 10, pageSize: 10, total: 10)
        let (gone, check) = deleteFirst(&state, cursor: 3)
        #expect(check == [.checkGone(GoneCheck(id: gone, page: 1, triesLeft: 2, said: "400: Invalid contact id"))], "its page is read, not the DELETE sent again")
        #expect(state.activity[gone] == .checking)
        // Deleted elsewhere: the page has its neighbours and not it.
        let without = sampleContacts(0..<10).filter { $0.id != gone }
        _ = update(&state, .goneChecked(GoneCheck(id: gone, page: 1, triesLeft: 2, said: "400: Invalid contact id"), .success(ContactPage(contacts: without, page: 1, total: 9, hasMore: false))))
        #expect(!state.isLoaded(gone))
        #expect(state.message?.text.contains("already gone") == true)

        let (there, _) = deleteFirst(&state, cursor: 5)
        let still = sampleContacts(0..<10).filter { $0.id != gone }
        _ = update(&state, .goneChecked(GoneCheck(id: there, page: 1, triesLeft: 2, said: "400: Invalid contact id"), .success(ContactPage(contacts: still, page: 1, total: 9, hasMore: false))))
        #expect(state.isLoaded(there))
        #expect(state.failed[there]?.contains("still in the list") == true, "the failure is said, never silent")
        #expect(state.message?.level == .error)
    }

    @Test func deleteAsksFirstAndCancelSendsNothing() {
        var state = loadedState()
        #expect(update(&state, .action(.delete)) == [])
        #expect(state.overlay == .confirmDelete(state.contacts[0]))
        #expect(update(&state, .action(.cancel)) == [])
        #expect(state.overlay == .none)
        #expect(state.contacts.count == 10)
        #expect(state.message?.text.contains("not deleted") == true)
    }

    @Test func confirmingLooksTheContactUpBeforeDeleting() {
        var state = loadedState()
        let target = state.contacts[0]
        _ = update(&state, .action(.delete))
        #expect(update(&state, .action(.confirm)) == [.lookUp(target.id, .beforeDelete)])
        #expect(state.activity[target.id] == .checking)
        #expect(update(&state, .lookupFinished(target.id, .beforeDelete, .success(target))) == [.delete(target)])
        #expect(state.activity[target.id] == .deleting)
        _ = update(&state, .deleteFinished(target.id, .success(DeleteReceipt(id: target.id, message: "Contact successfully deleted"))))
        #expect(!state.contacts.contains(target))
        #expect(state.message == StatusMessage("Deleted Person 0 (+57 300000000, id id-0).", level: .success))
    }

    @Test func aContactAlreadyGoneIsRemovedWithoutADelete() {
        var state = loadedState()
        let target = state.contacts[0]
        _ = update(&state, .action(.delete))
        _ = update(&state, .action(.confirm))
        let effects = update(&state, .lookupFinished(target.id, .beforeDelete, .failure(notFound())))
        #expect(!effects.contains(.delete(target)))
        #expect(!state.contacts.contains(target))
        #expect(state.message?.text == "Person 0 was already gone; nothing was deleted.")
    }

    @Test func aFailedLookUpDeletesNothing() {
        var state = loadedState()
        let target = state.contacts[0]
        _ = update(&state, .action(.delete))
        _ = update(&state, .action(.confirm))
        let error = ProviderError(kind: .server, status: 500, message: "Internal server error")
        #expect(update(&state, .lookupFinished(target.id, .beforeDelete, .failure(error))) == [])
        #expect(state.contacts.contains(target))
        #expect(state.activity[target.id] == nil)
        #expect(state.message?.level == .error)
    }

    @Test func easifyDeletesDirectlyAfterConfirmation() {
        var state = loadedState(dialect: .easify)
        let target = state.contacts[0]
        _ = update(&state, .action(.delete))
        #expect(update(&state, .action(.confirm)) == [.delete(target)])
    }

    @Test func aConflictLocksTheRowAndExplainsOnTheNextDelete() {
        var state = loadedState()
        let target = state.contacts[0]
        _ = update(&state, .action(.delete))
        _ = update(&state, .action(.confirm))
        _ = update(&state, .lookupFinished(target.id, .beforeDelete, .success(target)))
        _ = update(&state, .deleteFinished(target.id, .failure(conflict())))
        #expect(state.contacts.contains(target))
        #expect(state.locked[target.id] == "Contact cannot be deleted (has pending messages)")
        #expect(state.message?.text.contains("409: Contact cannot be deleted (has pending messages)") == true)
        _ = update(&state, .action(.delete))
        #expect(state.overlay == .none, "a locked row is not offered for deletion")
        #expect(state.message?.text.contains("cannot be deleted") == true)
    }

    @Test func otherErrorsShowTheServerMessageAndKeepTheRow() {
        var state = loadedState(dialect: .easify)
        let target = state.contacts[0]
        _ = update(&state, .action(.delete))
        _ = update(&state, .action(.confirm))
        let error = ProviderError(kind: .paymentRequired, status: 402, message: "You need to recharge your account to proceed")
        _ = update(&state, .deleteFinished(target.id, .failure(error)))
        #expect(state.contacts.contains(target))
        #expect(state.activity.isEmpty)
        #expect(state.message == StatusMessage(
            "Person 0 was not deleted: 402: You need to recharge your account to proceed", level: .error))
    }

    /// A journal that stops taking writes (a full disk) stops the batch as a 401 would:
    /// nothing more is sent, and what was not sent stays marked.
    @Test func aJournalThatCannotBeWrittenStopsTheBatch() {
        var state = loadedState(dialect: .easify)
        for _ in 0..<6 { _ = update(&state, .action(.toggleMark)) }
        _ = update(&state, .action(.delete))
        for key in "6" { _ = update(&state, .action(.typed(key))) }
        let sent = update(&state, .action(.submit)).filter { if case .delete = $0 { return true } else { return false } }
        #expect(sent.count == 4, "four at a time")
        let error = ProviderError(kind: .notJournalled, message: "the journal /s/journal.db cannot be written: No space left on device; nothing sent")
        let effects = update(&state, .deleteFinished(state.contacts[0].id, .failure(error)))
        #expect(effects.contains(.withdrawBatchRequests))
        #expect(!effects.contains { if case .delete = $0 { return true } else { return false } }, "nothing more is sent")
        #expect(state.batch?.stopReason?.contains("No space left on device") == true)
        #expect(state.marks.count >= 2, "the two never started stay marked")
    }

    @Test func aRowBeingDeletedCannotBeDeletedAgain() {
        var state = loadedState()
        _ = update(&state, .action(.delete))
        _ = update(&state, .action(.confirm))
        _ = update(&state, .action(.delete))
        #expect(state.overlay == .none)
        #expect(state.message?.text.contains("A deletion is under way") == true)
    }

    @Test func removingTheLastRowKeepsTheCursorInside() {
        var state = loadedState(contacts: 3, total: 3)
        _ = update(&state, .action(.moveToBottom))
        deleteAtCursor(state.contacts[2].id, in: &state)
        #expect(state.cursor == 1)
        #expect(state.pages.total == 2)
    }
}

@Suite("Every documented error reads as the server said it")
struct DocumentedErrorMessageTests {
    static let documented: [(Int, String)] = [
        (400, "Invalid contact id"),
        (401, "Unauthenticated"),
        (402, "You need to recharge your account to proceed"),
        (403, "Access denied. Your current plan does not allow access to this feature. Please upgrade to the Enterprise plan."),
        (409, "Contact cannot be deleted (has pending messages)"),
        (422, "The contact id field is required."),
        (500, "Internal server error"),
    ]

    @Test(arguments: documented)
    func aFailedDeleteShowsTheStatusAndTheServersMessage(status: Int, message: String) {
        var state = loadedState(dialect: .easify)
        let target = state.contacts[0]
        _ = update(&state, .action(.delete))
        _ = update(&state, .action(.confirm))
        // Easify's provider says a 400 "Invalid contact id" may mean the contact is gone.
        let error = ProviderError(kind: ProviderError.kind(forStatus: status), status: status, message: message, mayMeanGone: status == 400)
        let effects = update(&state, .deleteFinished(target.id, .failure(error)))
        if status == 400 {
            // Checked on the list first (see easifysInvalidIdIsCheckedOnTheList): still there.
            #expect(effects == [.checkGone(GoneCheck(id: target.id, page: 1, triesLeft: 2, said: "400: Invalid contact id"))])
            _ = update(&state, .goneChecked(GoneCheck(id: target.id, page: 1, triesLeft: 2, said: "400: Invalid contact id"), .success(
                ContactPage(contacts: Array(state.contacts), page: 1, total: 30, hasMore: true))))
        }
        #expect(state.message?.text.contains("\(status): \(message)") == true)
        #expect(state.contacts.contains(target), "the row stays")
        #expect(state.activity.isEmpty, "nothing left in flight")
        if status != 409 {
            #expect(state.failed[target.id]?.contains("\(status): \(message)") == true, "the row is marked failed with the reason")
            _ = update(&state, .action(.delete))
            #expect(state.overlay == .confirmDelete(target), "a failed row may be tried again")
        }
    }
}
