import Foundation
import Testing
@testable import RosterCore

@Suite("Plans")
struct PlanTests {
    let account = AccountInfo(profile: "acme", dialect: .sendme123, baseURL: "https://app.sendme123.com", isDemo: false)
    let made = Date(timeIntervalSince1970: 1_800_000_000)

    func plan(actions: Int, skips: [String] = []) -> Plan {
        let items = (0..<actions).map { index in
            Plan.Item(.delete, contact: Contact(id: ContactID("id-\(index)"), name: "P \(index)", phone: "", email: ""), fingerprint: "f\(index)")
        } + skips.map { Plan.Item(action: .skip, id: nil, line: "x", reason: $0) }
        return Plan(account: account, planner: "alice", createdAt: made, source: "test", estimateSeconds: 10, items: items)
    }

    @Test func aPlanIsRefusedForAnotherAccountWhenTooOldOrDatedAheadOrUnapprovedAboveTheLimit() {
        let fresh = plan(actions: 5)
        #expect(fresh.refusal(for: account, now: made.addingTimeInterval(60), maxAge: 86_400, approveOver: nil) == nil)
        var other = account
        other.baseURL = "https://staging.sendme123.com"
        #expect(fresh.refusal(for: other, now: made, maxAge: 86_400, approveOver: nil)?.contains("not for SendMe123 at https://staging.sendme123.com") == true)
        other = account
        other.profile = "acme-live"
        #expect(fresh.refusal(for: other, now: made, maxAge: 86_400, approveOver: nil) != nil, "the profile is part of the account")
        let old = fresh.refusal(for: account, now: made.addingTimeInterval(90_000), maxAge: 86_400, approveOver: nil)
        #expect(old?.contains("older than the 24h 00m this profile allows (plan_max_age)") == true, "\(old ?? "")")
        #expect(fresh.refusal(for: account, now: made.addingTimeInterval(-3600), maxAge: 86_400, approveOver: nil)?.contains("in the future") == true)
        let big = fresh.refusal(for: account, now: made, maxAge: 86_400, approveOver: 4)
        #expect(big?.contains("acts on 5 contacts") == true && big?.contains("someone other than alice") == true)
        var approved = fresh
        approved.approval = Plan.Approval(approver: "bob", at: made, checksum: "c")
        #expect(approved.refusal(for: account, now: made, maxAge: 86_400, approveOver: 4) == nil)
        #expect(fresh.refusal(for: account, now: made, maxAge: 86_400, approveOver: 5) == nil, "at the limit is not above it")
    }

    @Test func totalsCountActionsAndSaySkipReasons() {
        let mixed = plan(actions: 3, skips: ["locked: 409", "not found: no such contact", "not found: gone", "ambiguous: two"])
        #expect(mixed.totals == "3 to delete, 4 skipped (1 ambiguous, 1 locked, 2 not found)")
        #expect(mixed.actions.count == 3)
    }

    @Test func changesAreSaidFieldByField() {
        var item = Plan.Item(action: .delete, id: "1")
        item.record = .object(["status": .string("ACTIVE"), "email": .string("a@x.com"), "name": .string("Ana")])
        let fresh = JSONValue.object(["status": .string("INACTIVE"), "email": .string(""), "name": .string("Ana"), "tags": .array([])])
        #expect(item.changes(to: fresh) == ["email: a@x.com → (none)", "status: ACTIVE → INACTIVE", "tags: (none) → []"])
        #expect(item.changes(to: item.record!).isEmpty)
    }
}
