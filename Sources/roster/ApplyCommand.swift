import ArgumentParser
import Foundation
import Glibc
import RosterCore
import RosterEngine
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

    @Argument(help: "The plan file (roster plan -o FILE), or the id of a plan shared in the team's journal (roster plan --share).")
    var plan: String

    @Flag(help: "Apply without asking.")
    var yes = false

    @Flag(name: .customLong("dry-run"), help: "Check every contact against the plan now and say what apply would do; send nothing.")
    var dryRun = false

    @OptionGroup var output: BatchOutput

    mutating func run() async throws {
        let reading = PlanFile.readOrExit(plan)
        let plan = reading.plan
        if let tampering = reading.tampering { fail("refusing the plan \(self.plan): \(tampering); make it again", code: 1) }
        let resolved = resolveOrFail(account.naming(plan, file: self.plan))
        // A dry run sends no deletion, so an approver may look before approving.
        if let refusal = plan.refusal(for: resolved.info, now: Date(), maxAge: resolved.planMaxAge, approveOver: dryRun ? nil : resolved.approveOver) {
            fail("refusing the plan \(self.plan): \(refusal)", code: 1)
        }
        if dryRun, let unapproved = plan.refusal(for: resolved.info, now: Date(), maxAge: resolved.planMaxAge, approveOver: resolved.approveOver) {
            Console.note("not yet runnable: \(unapproved)")
        }
        if resolved.requireSignedApproval, let refusal = Self.signatureRefusal(plan, allowedSigners: resolved.allowedSigners) {
            if dryRun { Console.note("not yet runnable: \(refusal)") } else { fail("refusing the plan \(self.plan): \(refusal)", code: 1) }
        }
        try await Self.execute(plan, on: resolved, dryRun: dryRun, yes: yes, output: output)
    }

    /// Why a plan's signatures do not let it run where the profile requires signed approval:
    /// the list of signers must be a file the operator cannot write; the planner and an
    /// approver must each have signed with a key in it, and not the same key or person.
    static func signatureRefusal(_ plan: Plan, allowedSigners: String) -> String? {
        if let problem = PlanSigning.signersFileProblem(allowedSigners) { return problem }
        guard let planner = plan.plannerSignature else {
            return "it is not signed by its planner, and this profile requires signed approval (roster plan --sign KEY)"
        }
        guard let approver = plan.approverSignature, plan.approval != nil else {
            return "it has no signed approval, and this profile requires one (roster approve --sign KEY, by someone other than \(plan.planner))"
        }
        let plannerPrincipal: String
        switch PlanSigning.verify(PlanSigning.message(for: plan, role: .planner), planner, allowedSigners: allowedSigners) {
        case .success(let principal): plannerPrincipal = principal
        case .failure(let why): return "the planner's signature is refused: \(why)"
        }
        let approverPrincipal: String
        switch PlanSigning.verify(PlanSigning.message(for: plan, role: .approver), approver, allowedSigners: allowedSigners) {
        case .success(let principal): approverPrincipal = principal
        case .failure(let why): return "the approval's signature is refused: \(why)"
        }
        if planner.key == approver.key || plannerPrincipal == approverPrincipal {
            return "it is approved by its own planner (\(plannerPrincipal) signed both): a second person must approve it"
        }
        Console.note("signed by \(plannerPrincipal) (planner) and \(approverPrincipal) (approver), as \(allowedSigners) allows")
        return nil
    }

    /// Checks every contact of an accepted plan against the account now, and acts on those
    /// still as planned (or, in a dry run, says what it would do).
    static func execute(_ plan: Plan, on resolved: ResolvedAccount, dryRun: Bool, yes: Bool, output: BatchOutput) async throws {
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
        // Before any request: a journal that cannot be written is one refusal.
        let journal = dryRun ? nil : JournalAccess.openOrExit(resolved)
        let (provider, pacer) = resolved.makeProvider(priority: .batch)
        await JournalAccess.shareQuota(of: journal, with: pacer)
        if let journal, let report = await Reconciler.run(journal: journal, provider: provider, account: AccountReading(provider: provider)) {
            Console.note(report.sentence)
        }
        // Without a look-up (Easify) the records to check against come from the list, read now.
        var listed: [ContactID: Contact]?
        if !provider.capabilities.canLookUp, !actions.isEmpty {
            Console.note("reading the contact list to check each contact against the plan (this API has no look-up)")
            switch await DeleteCommand.snapshots(of: Set(actions.compactMap { $0.id.map(ContactID.init) }), provider: provider) {
            case .success(let found): listed = found
            case .failure(let error):
                await output.headroom.finish(pacer, failure: "cannot read the contact list, so nothing was applied: \(explain(error, account: resolved))")
            }
        }
        for item in plan.items where item.action == .skip {
            output.report(DeleteOutcome(id: ContactID(item.id ?? item.line ?? ""), kind: .skipped, status: nil, message: "in the plan: \(item.reason ?? "skipped")"))
        }
        let stamp = PlanStamp(checksum: plan.checksum, planner: plan.planner, approver: plan.approval?.approver)
        let batch = Journal.newSessionName() + "-1"
        let isDryRun = dryRun
        let known = listed
        let policy = DeletionPolicy(provider: provider, journal: journal)
        let (tally, journalFailed) = await output.runBatch(
            actions.map { ContactID($0.id ?? "") }, account: resolved, provider: provider, pacer: pacer, journal: journal
        ) { index in
            await PlanStep.run(actions[index], policy: policy, listed: known, dryRun: isDryRun, batch: batch, stamp: stamp)
        }
        if journalFailed { throw ExitCode(1) }
        if tally.count(.deleted, .deactivated, .gone, .wouldDelete, .wouldDeactivate) != actions.count { throw ExitCode(1) }
    }

}

extension Plan {
    /// The command that applies this plan, as printed after `plan` and `approve`: the file
    /// alone where the plan names a profile, the account in full where it was made without one.
    func applyCommand(_ file: String) -> String { command("apply", file) }

    /// `roster COMMAND FILE`, with the account in full where the plan names no profile.
    func command(_ command: String, _ file: String) -> String {
        guard profile == AccountOptions.commandLineProfile else { return "roster \(command) \(shellWord(file))" }
        var words = ["roster \(command) --dialect", dialect, "--base-url", shellWord(baseURL)]
        if let host = URLComponents(string: baseURL)?.host, baseURL.lowercased().hasPrefix("http:"), !AccountOptions.isLoopback(host) {
            words.append("--allow-http")
        }
        return (words + [shellWord(file)]).joined(separator: " ")
    }
}

/// A word a POSIX shell reads back as it is: quoted where it holds anything but plain characters.
func shellWord(_ text: String) -> String {
    let plain = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,")
    if !text.isEmpty, text.allSatisfy({ plain.contains($0) }) { return text }
    return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
}

extension PlanFile {
    /// The plan, or the reason it cannot be read and exit 1.
    /// The plan file at `path`, or the plan a team shares under that id (`plan-3f2a91c0`).
    static func readOrExit(_ path: String) -> Reading {
        if SharedPlans.isReference(path) { return SharedPlans.readOrExit(path).reading }
        do {
            return try read(path)
        } catch {
            fail(error.description, code: 1)
        }
    }
}
