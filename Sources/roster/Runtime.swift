import Foundation
import RosterCore
import RosterEngine
import RosterTUI
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

/// Performs effects in Swift concurrency and posts their results as events. Every DELETE,
/// deactivate and restore goes through the engine's `DeletionPolicy`: it leaves only after its
/// intent is in the journal.
final class Runtime: Sendable {
    private let provider: any ContactProvider
    /// The provider's pacer, where a paused batch's requests are held and a stopped one's withdrawn.
    private let pacer: Pacer
    private let inbox: EventInbox
    private let account: AccountInfo
    private let journal: Result<Journal, JournalError>
    /// `--dry-run`: the state never asks for a DELETE or PATCH then, and the policy, given no
    /// journal, refuses one anyway.
    private let policy: DeletionPolicy
    /// Why nothing destructive may leave: the journal could not be opened.
    private let refusal: ProviderError?
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
        policy = DeletionPolicy(provider: provider, journal: isDryRun ? nil : try? journal.get())
        refusal = isDryRun ? nil : journal.failure.map { ProviderError(kind: .notJournalled, message: "\($0); nothing sent") }
    }

    private func post(_ event: Event) {
        inbox.post(event)
    }

    /// A journal write that failed after the request left: said on screen, in red.
    private func report(_ problem: JournalError?) {
        guard let problem else { return }
        post(.notice(StatusMessage("The journal could not record an outcome (\(problem)); it is written as soon as the journal takes it.", level: .error)))
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
            let policy = self.policy
            if let refusal { return post(.deactivateFinished(listed.id, .failure(refusal))) }
            Task {
                // The journal keeps the full record: where the list's copy is not kept, a
                // fresh look-up supplies it (and a 404 means there is nothing to deactivate).
                var contact = listed
                switch await policy.lookUp(listed.id) {
                case .success(let fresh): contact = fresh
                case .failure(let error): return self.post(.deactivateFinished(listed.id, .failure(error)))
                case nil: break
                }
                let sent = await policy.deactivate(contact, batch: nil)
                self.report(sent.journalProblem)
                self.post(.deactivateFinished(listed.id, sent.result))
            }
        case .delete(let contact, let priority, let batch):
            let policy = self.policy
            if let refusal { return post(.deleteFinished(contact.id, .failure(refusal))) }
            let batchID = "\(session)-\(batch + 1)"
            Task {
                let sent = await RequestContext.$priority.withValue(priority) {
                    await policy.delete(contact, batch: batchID)
                }
                self.report(sent.journalProblem)
                self.post(.deleteFinished(contact.id, sent.result))
            }
        case .loadHistory:
            let provider = self.provider
            guard case .success(let log) = journal else {
                return post(.historyLoaded(.failure(JournalReadError("the journal is unavailable"))))
            }
            // Read off the UI thread: a journal grows for as long as Roster is used.
            Task {
                do {
                    let ledger = RestoreLedger(
                        records: try log.records(), dialect: log.account.dialect, baseURL: log.account.baseURL,
                        describe: { provider.contact(fromRecord: $0) })
                    self.post(.historyLoaded(.success(ledger.restorable + ledger.unknownFate)))
                } catch {
                    self.post(.historyLoaded(.failure(JournalReadError("\(error)"))))
                }
            }
        case .restore(let deletions, let dryRun):
            guard case .success(let log) = journal else { return }
            let provider = self.provider
            let restorer = Restorer(
                policy: DeletionPolicy(provider: provider, journal: log), account: AccountReading(provider: provider), run: "\(session)-restore")
            Task {
                // Deletions of unknown fate are settled against the account first (one read
                // serves both): only one found gone is re-created.
                _ = await Reconciler.run(journal: log, provider: provider, account: restorer.account)
                let settled = (try? log.records()).map {
                    RestoreLedger(records: $0, dialect: log.account.dialect, baseURL: log.account.baseURL)
                }
                await restorer.account.setRestored(settled?.restored.values.map { $0 } ?? [])
                for deletion in deletions {
                    if case .unknown = deletion.fate, settled?.restorable.contains(where: { $0.entry == deletion.entry }) != true {
                        let reason = settled?.notDeleted.contains(deletion.contactID) == true
                            ? "it is still on the account: its deletion did not happen"
                            : "whether it was deleted is still unknown (the account could not be checked); nothing created"
                        self.post(.restoreFinished(entry: deletion.entry, .failed(reason)))
                        continue
                    }
                    let outcome = await restorer.restore(deletion, dryRun: dryRun)
                    self.report(outcome.journalProblem)
                    self.post(.restoreFinished(entry: deletion.entry, outcome.result))
                }
            }
        case .savePlan(let contacts, let locked):
            let account = self.account
            let pacer = self.pacer
            let journal = try? self.journal.get()
            Task {
                var known = PlanMaker.lockedContacts(in: journal)
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
                    account: account, planner: Journal.operatorName(), createdAt: Date(), source: "marks in the UI", estimateSeconds: estimate,
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
        case .writeText(let text, let given, let what):
            let path = given.hasPrefix("/") ? given : FileManager.default.currentDirectoryPath + "/" + given
            // A new file only (O_EXCL), readable by its owner alone: ids are an account's.
            let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                return post(.exported(path: nil, message: "The \(what) could not be written to \(path): \(String(cString: strerror(errno)))."))
            }
            let bytes = Array(text.utf8)
            let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            close(descriptor)
            if written == bytes.count {
                post(.exported(path: path, message: "The \(what) are more than a terminal's clipboard takes (OSC 52): written to \(path), one a line."))
            } else {
                unlink(path)
                post(.exported(path: nil, message: "The \(what) could not be written to \(path) (the disk may be full); nothing was left there."))
            }
        case .repaintScreen, .copyToClipboard, .rememberQuery, .switchTheme, .switchProfile:
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
            guard let log = policy.journal else { return }
            do {
                try log.notSent("delete", contacts: contacts, reason: reason)
            } catch {
                post(.notice(StatusMessage("The journal could not record what was not sent (\(error)).", level: .error)))
            }
        }
    }
}


extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
