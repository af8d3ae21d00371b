import RosterCore

/// Re-creates one deleted contact, for `roster restore` and the UI's history view alike.
enum Restorer {
    /// Restores one: looks for it first, then journals the intent, creates, journals the outcome.
    static func restore(
        _ deletion: RestoreLedger.Deletion, provider: any ContactProvider, journal: Journal, run: String,
        index: inout ContactIndex, dryRun: Bool
    ) async -> RestoreOutcome {
        let id = deletion.contactID
        let plan: RestorePlan
        switch await capture({ () async throws(ProviderError) in try await provider.restorePlan(for: deletion.record) }) {
        case .success(let value): plan = value
        case .failure(let error):
            return RestoreOutcome(id: id, kind: .failed, status: error.status, message: "cannot be re-created: \(error.message)")
        }
        let name = plan.name.isEmpty ? "" : plan.name + ": "
        if let (found, by) = index.existing(plan) {
            if !dryRun {
                let snapshot = Contact(id: ContactID(id), name: plan.name, phone: "", email: "", record: deletion.record)
                if let entry = try? journal.intent("restore", contact: snapshot, batch: run, restores: deletion.entry) {
                    try? journal.outcome(
                        entry, operation: "restore", contactID: ContactID(id), result: "present", status: nil,
                        message: "already on the account (same \(by)); nothing created", newContactID: found.rawValue)
                }
            }
            return RestoreOutcome(
                id: id, kind: .present, status: nil, message: name + "already there as \(found) (same \(by)); nothing created",
                newID: found.rawValue, foundBy: by)
        }
        if dryRun {
            return RestoreOutcome(
                id: id, kind: .wouldRestore, status: nil,
                message: name + "would be created with \(plan.body.jsonText); cannot come back: \(plan.lost.joined(separator: "; "))")
        }
        let snapshot = Contact(id: ContactID(id), name: plan.name, phone: "", email: "", record: deletion.record)
        let result = await journalled("restore", contact: snapshot, journal: .success(journal), batch: run, restores: deletion.entry) {
            () async throws(ProviderError) in try await provider.create(plan)
        } outcome: { result in
            DeleteOutcome.classify(result.map { "re-created as \($0.id)" }, success: "restored")
        } newID: { $0.id.rawValue }
        switch result {
        case .success(let created):
            index.add(plan, as: created.id)
            return RestoreOutcome(id: id, kind: .restored, status: 200, message: name + "re-created as \(created.id)", newID: created.id.rawValue)
        case .failure(let error):
            return RestoreOutcome(id: id, kind: .failed, status: error.status, message: error.message)
        }
    }
}
