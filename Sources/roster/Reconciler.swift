import RosterCore

/// On start, settles what an interrupted session left open: each intent without an outcome is
/// looked up where the dialect allows, and what the server says is recorded as its outcome.
enum Reconciler {
    /// A sentence for the user, or nil when nothing was open.
    static func run(journal: Journal, provider: any ContactProvider) async -> String? {
        let all = journal.unfinishedIntents()
        guard !all.isEmpty else { return nil }
        var done = 0
        var notDone = 0
        var unverified = 0
        let restores = all.filter { $0.operation == "restore" }
        if !restores.isEmpty {
            let settled = await settleRestores(restores, journal: journal, provider: provider)
            done += settled.done
            notDone += settled.notDone
            unverified += settled.unverified
        }
        let open = all.filter { $0.operation != "restore" }
        for intent in open {
            let id = ContactID(intent.contactID)
            let (result, status, message): (String, Int?, String)
            if !provider.capabilities.canLookUp {
                (result, status, message) = ("unverified", nil, "reconciled on start: this API has no look-up to check")
                unverified += 1
            } else {
                switch await capture({ () async throws(ProviderError) in try await provider.lookUp(id: id) }) {
                case .failure(let error) where error.kind == .notFound:
                    let deleted = intent.operation == "delete"
                    (result, status, message) = (deleted ? "deleted" : "gone", 404, "reconciled on start: the contact is gone")
                    if deleted { done += 1 } else { notDone += 1 }
                case .success(let contact):
                    let deactivated = intent.operation == "deactivate" && contact.status == "INACTIVE"
                    (result, status, message) = (
                        deactivated ? "deactivated" : "not done", 200,
                        "reconciled on start: the contact is still there" + (contact.status.map { " (\($0))" } ?? ""))
                    if deactivated { done += 1 } else { notDone += 1 }
                case .failure(let error):
                    (result, status, message) = ("unverified", error.status, "reconciled on start: the look-up failed (\(error))")
                    unverified += 1
                }
            }
            try? journal.outcome(intent.entry, operation: intent.operation, contactID: id, result: result, status: status, message: message)
        }
        var parts: [String] = []
        if done > 0 { parts.append("\(done) done") }
        if notDone > 0 { parts.append("\(notDone) not done") }
        if unverified > 0 { parts.append("\(unverified) could not be checked") }
        let count = all.count
        return "\(count) request\(count == 1 ? " was" : "s were") interrupted last time: \(parts.joined(separator: ", ")) (see roster journal)."
    }

    /// A restore without an outcome may have created the contact: it is looked for on the
    /// account by phone and email (one read of the list for them all). Found: restored, with
    /// the id it got; not found: not done, so it may be restored again.
    private static func settleRestores(
        _ intents: [JournalRecord], journal: Journal, provider: any ContactProvider
    ) async -> (done: Int, notDone: Int, unverified: Int) {
        let (index, failure) = await ContactIndex.read(provider)
        var tally = (done: 0, notDone: 0, unverified: 0)
        for intent in intents {
            let id = ContactID(intent.contactID)
            let plan = await capture { () async throws(ProviderError) in try await provider.restorePlan(for: intent.contact ?? .null) }
            guard let index, case .success(let plan) = plan else {
                tally.unverified += 1
                try? journal.outcome(
                    intent.entry, operation: "restore", contactID: id, result: "unverified", status: nil,
                    message: "reconciled on start: could not tell whether it was re-created (\(failure?.description ?? "its record cannot be read"))")
                continue
            }
            if let found = index.existing(plan)?.id {
                tally.done += 1
                try? journal.outcome(
                    intent.entry, operation: "restore", contactID: id, result: "restored", status: nil,
                    message: "reconciled on start: found on the account as \(found)", newContactID: found.rawValue)
            } else {
                tally.notDone += 1
                try? journal.outcome(
                    intent.entry, operation: "restore", contactID: id, result: "not done", status: nil,
                    message: "reconciled on start: not on the account; it may be restored again")
            }
        }
        return tally
    }
}
