import ArgumentParser
import Foundation
import Glibc
import RosterCore
import RosterTUI

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Apply a plan: each contact is checked again just before acting, and one that changed since the plan is left alone (stale).",
        discussion: """
            The plan is refused when it was made for another account, is older than the profile's \
            plan_max_age (default 24h), was edited after it was made, or acts on more contacts than the \
            profile's approve_over without an approval (roster approve). Then it runs like roster delete: \
            paced, journalled (with planner and approver), one result line per contact; Ctrl-C stops \
            sending and lets the requests in flight finish.
            """)

    @OptionGroup var account: AccountOptions

    @Argument(help: "The plan file (roster plan -o FILE).")
    var plan: String

    @Flag(help: "Apply without asking.")
    var yes = false

    @Flag(name: .customLong("dry-run"), help: "Check every contact against the plan now and say what apply would do; send nothing.")
    var dryRun = false

    @OptionGroup var output: BatchOutput

    mutating func run() async throws {
        let resolved = resolveOrFail(account)
        let reading = PlanFile.readOrExit(plan)
        let plan = reading.plan
        if let tampering = reading.tampering { fail("refusing the plan \(self.plan): \(tampering); make it again", code: 1) }
        if let refusal = plan.refusal(for: resolved.info, now: Date(), maxAge: resolved.planMaxAge, approveOver: resolved.approveOver) {
            fail("refusing the plan \(self.plan): \(refusal)", code: 1)
        }
        let actions = plan.actions
        let approval = plan.approval.map { " approved by \($0.approver)" } ?? ""
        Console.note("the plan by \(plan.planner) of \(PlanFile.stamp(plan.createdAt))\(approval): \(plan.totals)")
        if dryRun {
            Console.note("DRY RUN: nothing will be deleted or deactivated")
        } else if !yes, !actions.isEmpty {
            askOnTerminal(
                """
                About to apply this plan to \(resolved.info.dialect.displayName) at \(resolved.info.baseURL) (profile \(resolved.info.profile)): \
                \(plan.totals). Each contact is checked first; one that changed is left alone.
                Deletion cannot be undone. Type yes to continue: 
                """, what: "apply a plan", nothingDone: "nothing applied")
        }
        let (provider, pacer) = resolved.makeProvider(priority: .batch)
        let journal = Result { () throws(JournalError) in try Journal(account: resolved.info) }
        if case .success(let log) = journal, let summary = await Reconciler.run(journal: log, provider: provider) {
            Console.note(summary)
        }
        // Without a look-up (Easify) the records to check against come from the list, read now.
        var listed: [ContactID: Contact]?
        if !provider.capabilities.canLookUp, !actions.isEmpty {
            Console.note("reading the contact list to check each contact against the plan (this API has no look-up)")
            switch await DeleteCommand.snapshots(of: Set(actions.compactMap { $0.id.map(ContactID.init) }), provider: provider) {
            case .success(let found): listed = found
            case .failure(let error):
                await finish(pacer, verbose: output.verbose, failure: "cannot read the contact list, so nothing was applied: \(explain(error, account: resolved))")
            }
        }
        for item in plan.items where item.action == .skip {
            output.report(DeleteOutcome(id: ContactID(item.id ?? item.line ?? ""), kind: .skipped, status: nil, message: "in the plan: \(item.reason ?? "skipped")"))
        }
        let stamp = PlanStamp(checksum: plan.checksum, planner: plan.planner, approver: plan.approval?.approver)
        let batch = Journal.newSessionName() + "-1"
        let isDryRun = dryRun
        let known = listed
        let tally = await HeadlessBatch(
            parallel: output.parallel,
            progress: .onTerminal(pacer: pacer, requestsPerContact: provider.capabilities.requestsPerDeletion)).run(actions.map { ContactID($0.id ?? "") }) { index in
            await PlanStep.run(actions[index], provider: provider, journal: journal, listed: known, dryRun: isDryRun, batch: batch, stamp: stamp)
        } report: { output.report($0) }
        Console.note(tally.summary.isEmpty ? "nothing to do" : tally.summary)
        await finish(pacer, verbose: output.verbose)
        if tally.signal != 0 { Glibc.exit(128 + tally.signal) }
        if tally.count(.deleted, .deactivated, .gone, .wouldDelete, .wouldDeactivate) != actions.count { throw ExitCode(1) }
    }

}

/// One item of a plan, applied: the contact checked against the record it was planned on,
/// then acted on only when it is unchanged.
enum PlanStep {
    static func run(
        _ item: Plan.Item, provider: any ContactProvider, journal: Result<Journal, JournalError>, listed: [ContactID: Contact]?,
        dryRun: Bool, batch: String, stamp: PlanStamp
    ) async -> DeleteOutcome {
        let id = ContactID(item.id ?? "")
        let fresh: Contact
        if provider.capabilities.canLookUp {
            switch await capture({ () async throws(ProviderError) in try await provider.lookUp(id: id) }) {
            case .success(let contact): fresh = contact
            case .failure(let error) where error.kind == .notFound:
                return DeleteOutcome(id: id, kind: .gone, status: error.status, message: "\(item.name): already gone; nothing sent")
            case .failure(let error):
                return DeleteOutcome(
                    id: id, kind: error.status == nil ? .failed : .refused, status: error.status,
                    message: "\(item.name): not applied: the look-up before acting failed: \(error.message)")
            }
        } else {
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
            let done = await journalled("deactivate", contact: fresh, journal: journal, batch: batch, plan: stamp) { () async throws(ProviderError) in
                try await provider.deactivate(fresh)
            } outcome: { DeleteOutcome.classify($0.map { _ in "deactivated as planned" }, success: "deactivated") }
            switch done {
            case .success: return DeleteOutcome(id: id, kind: .deactivated, status: 200, message: name + "deactivated as planned")
            case .failure(let error) where error.kind == .notFound:
                return DeleteOutcome(id: id, kind: .gone, status: error.status, message: name + "already gone")
            case .failure(let error):
                return DeleteOutcome(id: id, kind: error.status == nil ? .failed : .refused, status: error.status, message: name + error.message)
            }
        }
        return await SafeDelete.send(fresh, name: name, provider: provider, journal: journal, batch: batch, plan: stamp, namesFailures: true) { error in
            // A contact locked since the plan was made was not decided on as it is now.
            error.kind == .conflict
                ? DeleteOutcome(id: id, kind: .stale, status: error.status, message: name + "now refuses deletion (\(error.message)); nothing deleted")
                : nil
        }
    }
}
