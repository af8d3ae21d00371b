import ArgumentParser
import Foundation
import RosterCore
import RosterEngine
import RosterTUI

struct ShowPlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show-plan", abstract: "Print a plan readably: for which account, by whom, whether it is intact and approved, and each contact.")

    @Argument(help: "The plan file, or the id of a plan shared in the team's journal.")
    var plan: String

    @Flag(help: "Print the plan as one JSON object, with whether it is intact.")
    var json = false

    @Flag(help: "Print one CSV row per contact.")
    var csv = false

    @Flag(help: "Also check every contact against the account now, as apply --dry-run does: what is stale (changed since the plan) or gone. Sends no deletion; an unapproved plan may be checked.")
    var check = false

    @OptionGroup(title: "With --check, the account (default: the profile the plan names)") var account: AccountOptions

    mutating func validate() throws {
        if json && csv { throw ValidationError("--json and --csv are two different outputs: choose one") }
        if check && (json || csv) { throw ValidationError("--check prints its findings as text: leave out --json and --csv") }
    }

    mutating func run() async throws {
        let reading = PlanFile.readOrExit(plan)
        let plan = reading.plan
        if json {
            guard let text = PlanFile.text(of: plan).data(using: .utf8), case .object(var fields)? = JSONValue.decode(text) else { return }
            fields["intact"] = .bool(reading.tampering == nil)
            if let tampering = reading.tampering { fields["problem"] = .string(tampering) }
            Console.out(JSONValue.object(fields).jsonText + "\n")
        } else if csv {
            var lines = ["action,id,name,phone,email,reason,fingerprint"]
            for item in plan.items {
                lines.append([item.action.rawValue, item.id ?? item.line ?? "", item.name, item.phone, item.email, item.reason ?? "", item.fingerprint ?? ""]
                    .map(csvField).joined(separator: ","))
            }
            Console.out(lines.joined(separator: "\n") + "\n")
        } else {
            Console.out(Self.describe(plan, tampering: reading.tampering))
        }
        if reading.tampering != nil { throw ExitCode(1) }
        if check {
            Console.out("\nchecked against the account now (nothing is sent but reads):\n")
            let resolved = resolveOrFail(account.naming(plan, file: self.plan, for: "show-plan --check"))
            if let refusal = plan.refusal(for: resolved.info, now: Date(), maxAge: .infinity, approveOver: nil) {
                fail("cannot check the plan \(self.plan): \(refusal)", code: 1)
            }
            try await ApplyCommand.execute(plan, on: resolved, dryRun: true, yes: true, output: try BatchOutput.parse([]))
        }
    }

    static func describe(_ plan: Plan, tampering: String?) -> String {
        let dialect = Dialect(rawValue: plan.dialect)?.displayName ?? plan.dialect
        let age = durationText(max(0, Date().timeIntervalSince(plan.createdAt)))
        var lines = [
            "Plan for \(dialect) at \(plan.baseURL) (profile \(plan.profile))",
            "made by \(plan.planner) at \(PlanFile.stamp(plan.createdAt)) (\(age) ago), from \(plan.source)",
            tampering.map { "NOT INTACT: \($0); apply refuses it" } ?? "intact: unchanged since it was made (checksum \(plan.checksum.prefix(12)))",
            plan.approval.map { "approved by \($0.approver) at \(PlanFile.stamp($0.at))" } ?? "not approved",
            "signatures: " + [("planner", plan.plannerSignature), ("approver", plan.approverSignature)]
                .map { role, signature in signature.map { "\(role) (\($0.key.split(separator: " ").first ?? "key"))" } ?? "no \(role)" }
                .joined(separator: ", ") + " (apply checks them where require_signed_approval is set)",
        ]
        if let estimate = plan.estimateSeconds { lines.append("expected to take about \(durationText(Double(estimate))) at the headroom of its making") }
        lines.append("")
        let widths = [11, 38, 26, 20, 30]
        func row(_ cells: [String]) -> String {
            zip(cells, widths + [0]).map { cell, width in
                let clean = Sanitizer.clean(cell)
                return width == 0 ? clean : clean + String(repeating: " ", count: max(1, width - TextWidth.of(clean)))
            }.joined()
        }
        lines.append(row(["ACTION", "ID", "NAME", "PHONE", "EMAIL", "NOTE"]))
        for item in plan.items {
            lines.append(row([item.action.rawValue, item.id ?? "(line) \(item.line ?? "")", item.name, item.phone, item.email, item.reason ?? ""]))
        }
        lines.append("")
        lines.append("totals: \(plan.totals)")
        return lines.joined(separator: "\n") + "\n"
    }
}

struct ApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a plan as its second person: your name ($USER) and the time are recorded in it.",
        discussion: "The approver must be someone other than the planner, and the plan must be intact.")

    @Argument(help: "The plan file, or the id of a plan shared in the team's journal.")
    var plan: String

    @Flag(help: "Approve without asking.")
    var yes = false

    @Option(help: "Sign the approval with this OpenSSH key (a private key file, or KEY.pub with the key in your agent).")
    var sign: String?

    mutating func run() async throws {
        let shared = SharedPlans.isReference(plan) ? SharedPlans.readOrExit(plan) : nil
        var reading = shared?.reading ?? PlanFile.readOrExit(plan)
        if let tampering = reading.tampering { fail("refusing to approve \(plan): \(tampering)", code: 1) }
        let approver = Journal.operatorName()
        if let approval = reading.plan.approval {
            Console.note("\(plan) is already approved by \(approval.approver) at \(PlanFile.stamp(approval.at)); nothing changed")
            return
        }
        guard approver != reading.plan.planner else {
            fail("you made this plan (\(approver)): the approver must be someone else", code: 1)
        }
        if !yes {
            Console.out(ShowPlanCommand.describe(reading.plan, tampering: nil))
            askOnTerminal("\nApprove this plan as \(approver)? Type yes to approve: ", what: "approve a plan", nothingDone: "not approved")
        }
        let now = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        reading.plan.approval = Plan.Approval(
            approver: approver, at: now, checksum: PlanFile.approvalChecksum(planChecksum: reading.plan.checksum, approver: approver, at: now))
        do {
            if let sign {
                reading.plan.approverSignature = try PlanSigning.sign(PlanSigning.message(for: reading.plan, role: .approver), key: sign)
            }
            if let shared {
                // Written back only if nobody changed it since it was read (another approval).
                guard try shared.store.replacePlan(id: plan, previous: shared.text, with: PlanFile.text(of: reading.plan)) else {
                    fail("\(plan) changed in the team's journal while you approved it (someone else approved it?): look again with roster show-plan \(plan)", code: 1)
                }
            } else {
                try PlanFile.write(reading.plan, to: plan, replacing: true)
            }
        } catch {
            fail("\(error)", code: 1)
        }
        Console.note("\(plan) approved by \(approver); \(reading.plan.applyCommand(plan)) may run it")
    }
}
