import Foundation

// What Roster says while it deletes: the undo window, pausing and stopping, each contact's
// outcome when one is deleted alone, and the batch's end.

extension StatusMessage {
    // MARK: The undo window

    static func nothingToUndo(requestsHaveLeft: Bool) -> StatusMessage {
        StatusMessage(requestsHaveLeft ? "Too late to undo: requests have left. Esc stops the rest of the batch." : "Nothing to undo.", level: .info)
    }

    static func undone(_ cancelled: [Contact]) -> StatusMessage {
        let who = cancelled.count == 1 ? cancelled[0].displayName : "\(cancelled.count) contacts"
        return StatusMessage("Undone: \(who) will not be deleted; nothing was sent.", level: .success)
    }

    // MARK: Pausing and stopping

    static let nothingToPause = StatusMessage("No batch is running to pause.", level: .info)
    static let paused = StatusMessage("Paused: nothing more is sent; requests already on the wire finish. p resumes, x stops.", level: .warning)
    static let resumed = StatusMessage("Resumed.", level: .info)
    static let noBatchRunning = StatusMessage("No batch is running.", level: .info)
    static let alreadyStopping = StatusMessage("The batch is already stopping.", level: .info)

    static func stopping(_ reason: String, notSent: Int, inFlight: Int) -> StatusMessage {
        StatusMessage("Stopping (\(reason)): \(notSent) not sent" + (inFlight > 0 ? "; \(inFlight) in flight finishing." : "."), level: .warning)
    }

    // MARK: One contact, deleted alone

    static func checkingBeforeDeleting(_ contact: Contact) -> StatusMessage {
        StatusMessage("Checking \(contact.displayName) before deleting…", level: .info)
    }

    static func deleting(_ contact: Contact) -> StatusMessage {
        StatusMessage("Deleting \(contact.displayName)…", level: .info)
    }

    static func goneBeforeDeleting(_ name: String) -> StatusMessage {
        StatusMessage("\(name) was already gone; nothing was deleted.", level: .warning)
    }

    static func couldNotCheckFirst(_ name: String, because explanation: String) -> StatusMessage {
        StatusMessage("Not deleted: could not check \(name) first: \(explanation)", level: .error)
    }

    static func deleted(_ name: String, phone: String, id: ContactID) -> StatusMessage {
        StatusMessage("Deleted \(name) (\(phone.isEmpty ? "" : "\(phone), ")id \(id)).", level: .success)
    }

    static func wasAlreadyGone(_ name: String) -> StatusMessage {
        StatusMessage("\(name) was already gone.", level: .warning)
    }

    static func goneElsewhere(_ name: String) -> StatusMessage {
        StatusMessage("\(name) was already gone (deleted elsewhere).", level: .warning)
    }

    static func notSentBatchStopped(_ name: String) -> StatusMessage {
        StatusMessage("\(name) was not sent: the batch was stopped.", level: .info)
    }

    static func checkingWhetherGone(_ name: String, serverSaid: String) -> StatusMessage {
        StatusMessage("\(name): the server said \"\(serverSaid)\"; checking whether it is gone…", level: .info)
    }

    static func notDeleted(_ name: String, because reason: String) -> StatusMessage {
        StatusMessage("\(name) was not deleted: \(reason)", level: .error)
    }

    static func cannotBeDeleted(_ name: String, _ error: ProviderError) -> StatusMessage {
        StatusMessage("\(name) cannot be deleted: \(error)", level: .warning)
    }

    static func wouldDelete(_ contact: Contact) -> StatusMessage {
        StatusMessage("DRY RUN: \(contact.displayName) would be deleted; nothing was sent.", level: .warning)
    }

    // MARK: The end of a batch

    static func finished(_ batch: Batch) -> StatusMessage {
        let clean = batch.failedCount == 0 && batch.notSentCount == 0
        return StatusMessage(batchSummary(batch), level: clean ? .success : .warning)
    }
}
