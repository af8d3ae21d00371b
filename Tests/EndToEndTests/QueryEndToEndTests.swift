import Foundation
import Testing
@testable import RosterSandbox
import RosterTestSupport

/// Field queries, saved filters and duplicate review in the real binary: the demo in tmux,
/// and the headless commands against `roster sandbox`, each checked against the seeded data.
extension EndToEnd {
    @Suite("End to end: queries and duplicates")
    struct QueryEndToEndTests {
        let key = ["ROSTER_API_KEY": SandboxConfiguration.demoKey]

        /// The seeded account's inactive contacts without an email, read from the seed itself.
        func staleSeeds(_ seeded: [SeedContact]) -> [SeedContact] {
            seeded.filter { $0.status == "INACTIVE" && $0.email.trimmingCharacters(in: .whitespaces).isEmpty }
        }

        /// A config folder whose config.toml saves `stale`.
        func configHome() throws -> String {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-config-\(UUID().uuidString.prefix(8))")
            try writeConfig("[filters]\nstale = \"status:inactive !email:\"\n", configHome: folder.path)
            return folder.path
        }

        /// The issue's check: in the demo, `status:inactive !email:` and `+` mark exactly the
        /// matching contacts across every page (three pages of 100).
        @Test func theDemoMarksEveryMatchAcrossEveryPage() throws {
            let expected = staleSeeds(SeedData.contacts(count: 300, seed: 1))
            #expect(expected.count >= 3, "the seed has some to find")
            let tmux = try TmuxSession(width: 120, height: 40)
            try tmux.run("\(try rosterBinary) --demo")
            try tmux.waitFor(text: "100 of 300 contacts loaded")
            try tmux.filter("status:inactive !email:")
            try tmux.press("+")
            let marked = try tmux.waitFor(text: "● \(expected.count) marked", timeout: 30)
            #expect(marked.contains("across the account"), "the message says where it marked")
            #expect(marked.contains("filter “status:inactive !email:”: \(expected.count) of 300"), "the query is in the header")
            // Exactly those: every marked row is one of them, and each of them is marked.
            try tmux.press("Escape")
            try tmux.waitFor("the filter to clear") { !$0.contains("filter “") }
            try tmux.filter("marked:yes")
            let rows = try tmux.waitFor(text: "filter “marked:yes”: \(expected.count) of 300")
            let listed = rows.split(separator: "\n").filter { $0.hasPrefix("›●") || $0.hasPrefix(" ●") }
            #expect(listed.count == expected.count)
            for contact in expected {
                #expect(listed.contains { $0.contains(String(contact.uuid.prefix(12))) }, "\(contact.uuid) is marked")
            }
            try tmux.press("q")
        }

        /// A saved filter works from config.toml in the UI and headless, and `--where` gives the
        /// same set as the UI did.
        @Test func aSavedFilterAndWhereGiveTheSameSet() throws {
            let sandbox = try SandboxProcess(["--dialect", "easify", "--contacts", "300", "--rate-limit", "1000/60"])
            let account = ["--dialect", "easify", "--base-url", sandbox.baseURL]
            let config = try configHome()
            let environment = key.merging(["XDG_CONFIG_HOME": config]) { $1 }
            func ids(_ arguments: [String]) throws -> Set<String> {
                let result = try runProcess(try rosterBinary, ["list", "--json"] + arguments + account, environment: environment)
                #expect(result.status == 0, "\(result.errorOutput)")
                let records = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [[String: Any]])
                return Set(records.map { "\($0["id"]!)" })
            }
            // Easify has no status: the saved filter says so, by name.
            let wrongDialect = try runProcess(try rosterBinary, ["list", "--filter", "stale"] + account, environment: environment)
            #expect(wrongDialect.status == 2)
            #expect(wrongDialect.errorOutput.contains("saved filter @stale: unknown field “status”"))

            let seeded = SeedData.contacts(count: 300, seed: 1)
            let sharedWithoutEmail = Set(seeded.filter { $0.shared && $0.email.isEmpty }.map { String($0.numericID) })
            #expect(!sharedWithoutEmail.isEmpty)
            #expect(try ids(["--where", "shared:yes !email:"]) == sharedWithoutEmail)
            let companyRows = Set(seeded.filter { $0.company.lowercased().contains("acme") }.map { String($0.numericID) })
            #expect(try ids(["--where", "company:acme"]) == companyRows)
            let vipOrStaff = Set(seeded.filter { ["VIP", "Staff"].contains($0.groupName) && !$0.shared }.map { String($0.numericID) })
            #expect(try ids(["--where", "group:vip|group:staff shared:no"]) == vipOrStaff)
            let bad = try runProcess(try rosterBinary, ["list", "--where", "(group:vip"] + account, environment: environment)
            #expect(bad.status == 2)
            #expect(bad.errorOutput.contains("a ( is not closed"), "\(bad.errorOutput)")
            // An unset variable in a script: an empty query never selects the whole account.
            for (command, query) in [("delete", ""), ("delete", "   "), ("plan", "\"\""), ("list", "")] {
                let extra = command == "delete" ? ["--dry-run"] : command == "plan" ? ["-o", "/tmp/roster-empty-\(UUID()).plan"] : []
                let empty = try runProcess(try rosterBinary, [command, "--where", query] + extra + account, environment: environment)
                #expect(empty.status == 2, "\(command) --where '\(query)': \(empty.output)")
                #expect(empty.output.isEmpty, "nothing listed, planned or deleted")
                #expect(
                    empty.errorOutput.contains("is empty: it would match every contact") || empty.errorOutput.contains("holds nothing to look for"),
                    "\(empty.errorOutput)")
            }

            // SendMe123: the saved filter, headless and in the UI, is the seed's own answer.
            let sendMe = try SandboxProcess(["--dialect", "sendme123", "--contacts", "300", "--rate-limit", "1000/60", "--max-page-size", "100"])
            let sendMeAccount = ["--dialect", "sendme123", "--base-url", sendMe.baseURL]
            let expected = Set(staleSeeds(seeded).map(\.uuid))
            let saved = try runProcess(try rosterBinary, ["list", "--json", "--filter", "stale"] + sendMeAccount, environment: environment)
            let savedRecords = try #require(try JSONSerialization.jsonObject(with: Data(saved.output.utf8)) as? [[String: Any]])
            #expect(Set(savedRecords.map { "\($0["id"]!)" }) == expected)
            let tmux = try TmuxSession(width: 120, height: 40)
            try tmux.run("ROSTER_API_KEY=\(SandboxConfiguration.demoKey) XDG_CONFIG_HOME=\(config) \(try rosterBinary) \(sendMeAccount.joined(separator: " ")) --filter stale")
            try tmux.waitFor(text: "filter “@stale”")
            try tmux.press("+")
            let screen = try tmux.waitFor(text: "● \(expected.count) marked", timeout: 30)
            for id in expected { #expect(screen.contains(String(id.prefix(12))), "\(id) is shown") }
            try tmux.press("/")
            try tmux.type(" @")
            try tmux.press("Tab")
            try tmux.waitFor(text: "/@stale @stale ▏")
            try tmux.press("Escape")
            try tmux.press("q")
        }

        /// Every seeded duplicate group is found, with the right reason, in both dialects; the
        /// view in the demo says how many.
        @Test(arguments: ["sendme123", "easify"])
        func everySeededDuplicateGroupIsFound(dialect: String) throws {
            let seeded = SeedData.contacts(count: 300, seed: 1)
            // The seed's own groups: contacts joined by the phone's digits or the email's letters.
            var groupOf: [String: Int] = [:]
            var groups: [[SeedContact]] = []
            var reasons: [Set<String>] = []
            for contact in seeded {
                let keys = ["phone " + contact.phoneKey] + (contact.emailKey.isEmpty ? [] : ["email " + contact.emailKey])
                let known = Set(keys.compactMap { groupOf[$0] })
                guard let target = known.min() else {
                    groups.append([contact])
                    reasons.append([])
                    for key in keys { groupOf[key] = groups.count - 1 }
                    continue
                }
                for other in known where other != target {
                    groups[target] += groups[other]
                    groups[other] = []
                    reasons[target].formUnion(reasons[other])
                    for (key, value) in groupOf where value == other { groupOf[key] = target }
                }
                for key in keys {
                    if groupOf[key] != nil { reasons[target].insert("same " + key) }
                    groupOf[key] = target
                }
                groups[target].append(contact)
            }
            let expected = groups.indices.filter { groups[$0].count > 1 }.map { index in
                (ids: Set(groups[index].map { dialect == "easify" ? String($0.numericID) : $0.uuid }), reasons: reasons[index])
            }
            #expect(expected.count >= 8, "the seed has duplicates to find (\(expected.count))")

            let sandbox = try SandboxProcess(["--dialect", dialect, "--contacts", "300", "--rate-limit", "1000/60"])
            let result = try runProcess(
                try rosterBinary, ["duplicates", "--json", "--dialect", dialect, "--base-url", sandbox.baseURL], environment: key)
            #expect(result.status == 0, "\(result.errorOutput)")
            let found = result.output.split(separator: "\n").compactMap {
                try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
            }
            #expect(found.count == expected.count)
            for group in found {
                let members = Set((group["contacts"] as? [[String: Any]] ?? []).map { "\($0["id"]!)" })
                let said = Set((group["reasons"] as? [[String: Any]] ?? []).map { "same \($0["by"]!) \($0["value"]!)" })
                let match = expected.first { $0.ids == members }
                #expect(match != nil, "\(members) is one of the seeded groups")
                #expect(match?.reasons == said, "the group says why: \(said)")
                #expect(members.contains("\(group["keeper"]!)"))
            }
            let ids = try runProcess(
                try rosterBinary, ["duplicates", "--ids", "--dialect", dialect, "--base-url", sandbox.baseURL], environment: key)
            let memberCount = expected.reduce(0) { $0 + $1.ids.count }
            #expect(ids.output.split(separator: "\n").count == memberCount - expected.count, "every member but the keepers")
            // The plain listing says each group's keeper first, then what would go.
            let plain = try runProcess(try rosterBinary, ["duplicates", "--dialect", dialect, "--base-url", sandbox.baseURL], environment: key)
            let groupLines = plain.output.components(separatedBy: "group ").dropFirst()
            #expect(groupLines.count == expected.count)
            for group in groupLines {
                let rows = group.split(separator: "\n").dropFirst().map { $0.trimmingCharacters(in: .whitespaces) }
                #expect(rows.first?.hasPrefix("keep ") == true, "keeper first: \(rows)")
                #expect(rows.dropFirst().allSatisfy { $0.hasPrefix("delete ") }, "then the rest: \(rows)")
            }
            // The next step it prints names the account, so it runs as printed.
            let account = "--dialect \(dialect) --base-url \(sandbox.baseURL)"
            #expect(plain.errorOutput.contains("(roster duplicates \(account) --ids | roster delete \(account) --ids-from - deletes them)"),
                "\(plain.errorOutput)")

            let tmux = try TmuxSession(width: 120, height: 40)
            try tmux.run("ROSTER_API_KEY=\(SandboxConfiguration.demoKey) \(try rosterBinary) --dialect \(dialect) --base-url \(sandbox.baseURL)")
            try tmux.waitFor(text: "contacts loaded")
            try tmux.press("D")
            let view = try tmux.waitFor(text: "\(expected.count) groups, \(memberCount) contacts among 300", timeout: 30)
            #expect(view.contains("● \(memberCount - expected.count) marked to delete"))
            try tmux.press("Escape")
            try tmux.press("q")
        }
    }
}
