import Foundation
import RosterCore
import Synchronization

/// Where finished work leaves its events for the UI thread: a locked list, and one byte on
/// the wake-up pipe so the thread's poll() returns.
final class EventInbox: Sendable {
    private let events = Mutex<[Event]>([])
    private let wake: WakePipe

    init(wake: WakePipe) {
        self.wake = wake
    }

    func post(_ event: Event) {
        events.withLock { $0.append(event) }
        wake.signal()
    }

    func takeAll() -> [Event] {
        events.withLock { events in
            defer { events.removeAll() }
            return events
        }
    }
}

/// Performs effects in Swift concurrency and posts their results as events. A DELETE or
/// deactivate leaves only after its intent is in the journal.
final class Runtime: Sendable {
    private let provider: any ContactProvider
    /// The provider's pacer, where a paused batch's requests are held and a stopped one's withdrawn.
    private let pacer: Pacer
    private let inbox: EventInbox
    private let account: AccountInfo
    private let journal: Result<Journal, JournalError>
    /// `--dry-run`: the state never asks for a DELETE or PATCH then, and this refuses one
    /// anyway.
    private let isDryRun: Bool
    /// This session's name in the journal: its batches are `SESSION-1`, `SESSION-2`, …
    private let session = Journal.newSessionName()

    init(
        provider: any ContactProvider, pacer: Pacer, inbox: EventInbox, journal: Result<Journal, JournalError>, account: AccountInfo,
        isDryRun: Bool = false
    ) {
        self.account = account
        self.provider = provider
        self.pacer = pacer
        self.inbox = inbox
        self.journal = journal
        self.isDryRun = isDryRun
    }

    /// The server answers a deactivation with the contact, not a sentence: the journal says
    /// what it now is.
    private static func deactivatedMessage(_ contact: Contact) -> String {
        contact.status.map { "the contact's status is now \($0)" } ?? "the contact was updated as the profile's deactivate_fields say"
    }

    private static let dryRunRefusal = ProviderError(kind: .invalidRequest, message: "dry run: nothing sent")

    private func post(_ event: Event) {
        inbox.post(event)
    }

    func perform(_ effect: Effect) {
        let provider = self.provider
        switch effect {
        case .fetchPage(let page, let generation):
            Task {
                let result = await capture { () async throws(ProviderError) in try await provider.list(page: page) }
                self.post(.pageLoaded(page: page, generation: generation, result))
            }
        case .rereadPage(let page, let generation):
            Task {
                let result = await capture { () async throws(ProviderError) in try await provider.list(page: page) }
                self.post(.pageReread(page: page, generation: generation, result))
            }
        case .checkGone(let check):
            Task {
                let result = await capture { () async throws(ProviderError) in try await provider.list(page: check.page) }
                self.post(.goneChecked(check, result))
            }
        case .lookUp(let id, let purpose, let priority):
            Task {
                let result = await RequestContext.$priority.withValue(priority) {
                    await capture { () async throws(ProviderError) in try await provider.lookUp(id: id) }
                }
                self.post(.lookupFinished(id, purpose, result))
            }
        case .deactivate(let listed):
            let journal = self.journal
            guard !isDryRun else { return post(.deactivateFinished(listed.id, .failure(Self.dryRunRefusal))) }
            Task {
                // The journal keeps the full record: where the list's copy is not kept, a
                // fresh look-up supplies it (and a 404 means there is nothing to deactivate).
                var contact = listed
                if provider.capabilities.canLookUp {
                    switch await capture({ () async throws(ProviderError) in try await provider.lookUp(id: listed.id) }) {
                    case .success(let fresh): contact = fresh
                    case .failure(let error): return self.post(.deactivateFinished(listed.id, .failure(error)))
                    }
                }
                let result = await journalled("deactivate", contact: contact, journal: journal) { () async throws(ProviderError) in
                    try await provider.deactivate(contact)
                } outcome: { DeleteOutcome.classify($0.map(Self.deactivatedMessage), success: "deactivated") }
                self.post(.deactivateFinished(listed.id, result))
            }
        case .delete(let contact, let priority, let batch):
            let journal = self.journal
            guard !isDryRun else { return post(.deleteFinished(contact.id, .failure(Self.dryRunRefusal))) }
            let batchID = "\(session)-\(batch + 1)"
            Task {
                let result = await RequestContext.$priority.withValue(priority) {
                    await journalled("delete", contact: contact, journal: journal, batch: batchID) { () async throws(ProviderError) in
                        try await provider.delete(id: contact.id)
                    } outcome: { DeleteOutcome.classify($0.map(\.message), success: "deleted") }
                }
                self.post(.deleteFinished(contact.id, result))
            }
        case .loadHistory:
            let account = self.account
            guard case .success(let log) = journal else {
                return post(.historyLoaded(.failure(JournalReadError("the journal is unavailable"))))
            }
            // Read off the UI thread: a journal grows for as long as Roster is used.
            Task {
                let ledger = RestoreLedger(records: log.allRecords(), dialect: account.dialect.rawValue, baseURL: account.baseURL)
                self.post(.historyLoaded(.success(ledger.restorable)))
            }
        case .restore(let deletions, let dryRun):
            guard case .success(let log) = journal else { return }
            let run = "\(session)-restore"
            Task {
                // What is on the account now, to leave alone a contact someone has re-added.
                let (read, failure) = await ContactIndex.read(provider)
                guard var index = read else {
                    let reason = "the contact list cannot be read (\(failure?.description ?? "unknown")); nothing was created"
                    for deletion in deletions { self.post(.restoreFinished(entry: deletion.entry, .failed(reason))) }
                    return
                }
                for deletion in deletions {
                    let outcome = await Restorer.restore(deletion, provider: provider, journal: log, run: run, index: &index, dryRun: dryRun)
                    self.post(.restoreFinished(entry: deletion.entry, outcome.result))
                }
            }
        case .savePlan(let contacts, let locked):
            let account = self.account
            let pacer = self.pacer
            Task {
                var known = PlanMaker.lockedContacts(account: account)
                for (id, reason) in locked { known[id] = "locked: \(reason)" }
                let maker = PlanMaker(provider: provider, locked: known, action: .delete, lockedAction: .skip)
                let items = await RequestContext.$priority.withValue(.batch) {
                    var filled = maker
                    _ = await filled.add(listed: contacts)
                    return filled.items
                }
                let requests = items.count { $0.action != .skip } * provider.capabilities.requestsPerDeletion
                let estimate = await pacer.headroom.secondsToSend(requests, now: Date()).map { Int($0.rounded(.up)) }
                var plan = Plan(
                    account: account, planner: operatorName(), createdAt: Date(), source: "marks in the UI", estimateSeconds: estimate,
                    items: items)
                plan.checksum = PlanFile.checksum(of: plan)
                let path = FileManager.default.currentDirectoryPath + "/roster-plan-\(Journal.newSessionName()).json"
                do {
                    try PlanFile.write(plan, to: path)
                    self.post(.planSaved(
                        path: path, message: "Nothing deleted: the plan (\(plan.totals)) is in \(path); roster show-plan, approve and apply take it from there."))
                } catch {
                    self.post(.planSaved(path: nil, message: "The plan could not be written: \(error)"))
                }
            }
        case .export(let contacts, let path):
            Task {
                let (written, message) = await RequestContext.$priority.withValue(.batch) {
                    await Exporter.export(contacts, to: path, provider: provider) { said in
                        self.post(.notice(StatusMessage(said, level: .info)))
                    }
                }
                self.post(.exported(path: written, message: message))
            }
        case .repaintScreen, .copyToClipboard:
            // The terminal's: the UI thread performs them before effects reach here.
            break
        case .holdBatchRequests:
            Task { await pacer.holdBatch() }
        case .releaseBatchRequests:
            Task { await pacer.releaseBatch() }
        case .withdrawBatchRequests:
            Task { await pacer.withdrawBatch() }
        case .recordNotSent(let contacts, let reason):
            // Written on this thread: a signal's exit may follow at once.
            guard !isDryRun, case .success(let log) = journal else { return }
            try? log.notSent("delete", contacts: contacts, reason: reason)
        }
    }
}

/// Runs a destructive call between its journal records: the intent first (if it cannot be
/// written, nothing is sent), the outcome after.
func journalled<T>(
    _ operation: String, contact: Contact, journal: Result<Journal, JournalError>, batch: String? = nil,
    restores: String? = nil, plan: PlanStamp? = nil,
    _ call: () async throws(ProviderError) -> T,
    outcome: (Result<T, ProviderError>) -> (result: String, status: Int?, message: String),
    newID: (T) -> String? = { _ in nil }
) async -> Result<T, ProviderError> {
    let log: Journal
    let entry: String
    do {
        log = try journal.get()
        entry = try log.intent(operation, contact: contact, batch: batch, restores: restores, plan: plan)
    } catch {
        return .failure(ProviderError(kind: .invalidRequest, message: "nothing sent: the journal cannot be written (\(error))"))
    }
    let result = await capture(call)
    let summary = outcome(result)
    let created = (try? result.get()).flatMap(newID)
    try? log.outcome(
        entry, operation: operation, contactID: contact.id, result: summary.result, status: summary.status, message: summary.message,
        newContactID: created)
    return result
}

func capture<T>(_ operation: () async throws(ProviderError) -> T) async -> Result<T, ProviderError> {
    do {
        return .success(try await operation())
    } catch {
        return .failure(error)
    }
}
