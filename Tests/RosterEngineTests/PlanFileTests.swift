import Foundation
import RosterCore
import Testing
@testable import RosterEngine

@Suite("Plan files")
struct PlanFileTests {
    func written() throws -> String {
        let account = AccountInfo(profile: "acme", dialect: .sendme123, baseURL: "https://app.sendme123.com", isDemo: false)
        let items = (0..<3).map { index in
            Plan.Item(.delete, contact: Contact(id: ContactID("id-\(index)"), name: "P \(index)", phone: "", email: ""), fingerprint: "f\(index)")
        }
        var plan = Plan(account: account, planner: "alice", createdAt: Date(timeIntervalSince1970: 1_800_000_000), source: "test",
                        estimateSeconds: 10, items: items)
        plan.checksum = PlanFile.checksum(of: plan)
        let path = scratchFolder("plan") + "/cleanup.plan"
        try PlanFile.write(plan, to: path)
        return path
    }

    @Test func aPlanAsWrittenReadsBackWhole() throws {
        let reading = try PlanFile.read(try written())
        #expect(reading.tampering == nil)
        #expect(reading.plan.items.count == 3)
    }

    /// Issue: edited `totals` passed `apply` (they were counted from the items, never read).
    @Test func editedTotalsOrAnUnknownFieldAreRefused() throws {
        let path = try written()
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: "\"delete\" : 3", with: "\"delete\" : 1").write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try PlanFile.read(path).tampering?.contains("totals do not agree with its items") == true)
        try text.replacingOccurrences(of: "\"source\"", with: "\"note\" : \"trust me\",\n  \"source\"").write(toFile: path, atomically: true, encoding: .utf8)
        #expect { _ = try PlanFile.read(path) } throws: { "\($0)".contains("unknown field “note”") }
    }
}
