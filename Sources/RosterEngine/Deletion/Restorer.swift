import Foundation
import RosterCore

/// Re-creates deleted contacts, for `roster restore` and the UI's history view alike. It asks
/// "is this contact on the account now?": the same person (name, phone and email alike after
/// folding, the name as the create call keeps it) created since it was deleted. A duplicate
/// that was there all along (the keeper of a duplicates cleanup) is not it: the deleted one is
/// re-created, and the message says its duplicate is still there. Nothing is created that a
/// whole read of the account cannot prove absent.
public struct Restorer: Sendable {
    public let policy: DeletionPolicy
    public let account: AccountReading
    /// The journal's batch for this run's creates.
    public let run: String

    public init(policy: DeletionPolicy, account: AccountReading, run: String) {
        self.policy = policy
        self.account = account
        self.run = run
    }

    /// Restores one: plans the create, checks the account, then journals the intent, creates,
    /// journals the outcome. `dryRun` stops before the create.
    public func restore(_ deletion: RestoreLedger.Deletion, dryRun: Bool) async -> RestoreOutcome {
        let id = deletion.contactID
        let provider = policy.provider
        let plan: RestorePlan
        switch await capture({ () async throws(ProviderError) in try await provider.restorePlan(for: deletion.record) }) {
        case .success(let value): plan = value
        case .failure(let error):
            return RestoreOutcome(id: id, kind: .failed, status: error.status, message: "cannot be re-created: \(error.message)")
        }
        let name = plan.name.isEmpty ? "" : plan.name + ": "
        // Another operator on the team's journal may be restoring it now, or have restored it
        // since this run read the journal: held while it is checked and created, then asked.
        if !dryRun, let journal = policy.journal {
            do {
                if let holder = try journal.claim(ContactID(id)) {
                    return RestoreOutcome(id: id, kind: .failed, status: nil, message: name + "being restored by \(holder); nothing created")
                }
                if let done = try journal.restoreRecorded(of: deletion.entry) {
                    journal.release(ContactID(id))
                    let newID = done.outcome.newContactID ?? "?"
                    return RestoreOutcome(
                        id: id, kind: .present, status: nil, message: name + "already restored by \(done.by) as \(newID); nothing created",
                        newID: done.outcome.newContactID, foundBy: "the journal")
                }
            } catch {
                return RestoreOutcome(id: id, kind: .failed, status: nil, message: name + "\(error); nothing created")
            }
        }
        defer { if !dryRun { policy.journal?.release(ContactID(id)) } }
        let contents: AccountContents
        switch await account.contents() {
        case .failure(let error):
            return RestoreOutcome(
                id: id, kind: .failed, status: error.status, message: name + "the contact list cannot be read (\(error)); nothing created")
        case .success(let read): contents = read
        }
        let snapshot = provider.contact(fromRecord: deletion.record)
            ?? Contact(id: ContactID(id), name: plan.name, phone: "", email: "", record: deletion.record)
        let identity = provider.identity(of: snapshot)
        if contents.ids.contains(ContactID(id)) {
            return RestoreOutcome(
                id: id, kind: .present, status: nil, message: name + "still on the account with its own id; nothing created", newID: id,
                foundBy: "its id")
        }
        if let found = contents.sameOne(as: identity, deletedAt: deletion.at) {
            if !dryRun { record(present: found, snapshot: snapshot, deletion: deletion) }
            return RestoreOutcome(
                id: id, kind: .present, status: nil, message: name + "already back as \(found) (the same name, phone and email); nothing created",
                newID: found.rawValue, foundBy: "name, phone and email")
        }
        guard contents.isComplete else {
            return RestoreOutcome(
                id: id, kind: .failed, status: nil,
                message: name + "the contact list could not be read whole (\(contents.doubt ?? "")), so Roster cannot tell whether it is back; nothing created")
        }
        let twin = contents.sharing(identity)
        let duplicate = twin.map { " (its duplicate \($0.id), with the same \($0.by), is still there)" } ?? ""
        if dryRun {
            return RestoreOutcome(
                id: id, kind: .wouldRestore, status: nil,
                message: name + "would be created with \(plan.body.jsonText)\(duplicate); cannot come back: \(plan.lost.joined(separator: "; "))")
        }
        let sent = await policy.create(plan, snapshot: snapshot, run: run, restores: deletion.entry)
        var outcome: RestoreOutcome
        switch sent.result {
        case .success(let created):
            await account.add(created)
            outcome = RestoreOutcome(
                id: id, kind: .restored, status: 200, message: name + "re-created as \(created.id)\(duplicate)", newID: created.id.rawValue)
            outcome.duplicate = twin.map { "\($0.id) (same \($0.by))" }
        case .failure(let error):
            // In the server's own words: a service that refuses a second contact with the same
            // phone says so here, and nothing is called restored.
            outcome = RestoreOutcome(id: id, kind: .failed, status: error.status, message: name + error.message)
        }
        outcome.journalProblem = sent.journalProblem
        return outcome
    }

    /// A contact found back is recorded as this deletion's restore, so it is not offered again.
    private func record(present found: ContactID, snapshot: Contact, deletion: RestoreLedger.Deletion) {
        guard let journal = policy.journal,
              let entry = try? journal.intent("restore", contact: snapshot, batch: run, restores: deletion.entry) else { return }
        try? journal.outcome(
            entry, operation: "restore", contactID: ContactID(deletion.contactID), result: "present", status: nil,
            message: "already back on the account as \(found); nothing created", newContactID: found.rawValue)
    }
}

/// What happened to one contact in a restore.
public struct RestoreOutcome: Sendable {
    public enum Kind: String, Sendable {
        case restored
        case present
        case failed
        case wouldRestore = "would-restore"
    }

    public var id: String
    public var kind: Kind
    public var status: Int?
    public var message: String
    public var newID: String?
    /// `present`: how it was recognised.
    public var foundBy: String?
    /// `restored`: a duplicate that was there all along, and what it shares ("c7 (same phone)").
    public var duplicate: String?
    /// The outcome could not be written to the journal.
    public var journalProblem: JournalError?

    public init(id: String, kind: Kind, status: Int?, message: String, newID: String? = nil, foundBy: String? = nil) {
        self.id = id
        self.kind = kind
        self.status = status
        self.message = message
        self.newID = newID
        self.foundBy = foundBy
    }

    /// The outcome as the UI's history view shows it.
    public var result: RestoreResult {
        switch kind {
        case .restored: return .restored(newID: newID ?? "", duplicate: duplicate)
        case .present: return .present(id: newID ?? "", by: foundBy ?? "name, phone and email")
        case .failed: return .failed(status.map { "\($0): \(message)" } ?? message)
        case .wouldRestore: return .wouldRestore(message)
        }
    }
}
