import RosterCore

/// One item of a plan, applied: the contact checked against the record it was planned on,
/// then acted on only when it is unchanged.
public enum PlanStep {
    public static func run(
        _ item: Plan.Item, policy: DeletionPolicy, listed: [ContactID: Contact]?, dryRun: Bool, batch: String, stamp: PlanStamp
    ) async -> DeleteOutcome {
        let id = ContactID(item.id ?? "")
        let fresh: Contact
        switch await policy.lookUp(id) {
        case .success(let contact): fresh = contact
        case .failure(let error) where error.kind == .notFound:
            return DeleteOutcome(id: id, kind: .gone, status: error.status, message: "\(item.name): already gone; nothing sent")
        case .failure(let error):
            return .lookUpFailed(error, id: id, message: "\(item.name): not applied: the look-up before acting failed: \(error.message)")
        case nil:
            guard let contact = listed?[id] else {
                return DeleteOutcome(id: id, kind: .gone, status: nil, message: "\(item.name): already gone (no longer in the list); nothing sent")
            }
            fresh = contact
        }
        let record = Journal.snapshot(of: fresh)
        guard PlanFile.fingerprint(record) == item.fingerprint else {
            let changes = item.changes(to: record)
            let what = changes.isEmpty ? "its record changed" : changes.prefix(3).joined(separator: "; ")
            return DeleteOutcome(id: id, kind: .stale, status: nil, message: "\(fresh.displayName): changed since the plan (\(what)); nothing sent")
        }
        let name = fresh.displayName + ": "
        if dryRun {
            return DeleteOutcome(
                id: id, kind: item.action == .deactivate ? .wouldDeactivate : .wouldDelete, status: nil,
                message: name + "as planned; dry run, nothing sent")
        }
        if item.action == .deactivate {
            return .of(
                await policy.deactivate(fresh, batch: batch, plan: stamp, planned: true), id: id, name: name, done: .deactivated,
                success: { _ in "deactivated as planned" }, namesFailures: true)
        }
        return .of(
            await policy.delete(fresh, batch: batch, plan: stamp), id: id, name: name, done: .deleted, success: \.message, namesFailures: true
        ) { error in
            // A contact locked since the plan was made was not decided on as it is now.
            error.kind == .conflict
                ? DeleteOutcome(id: id, kind: .stale, status: error.status, message: name + "now refuses deletion (\(error.message)); nothing deleted")
                : nil
        }
    }
}
