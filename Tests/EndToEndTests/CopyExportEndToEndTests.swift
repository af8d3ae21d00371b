import Foundation
import Testing
@testable import RosterSandbox
import RosterTestSupport

/// Copying and exporting, as a k9s or lazygit user expects them: `y` and `Y` to the terminal's
/// clipboard (OSC 52), `e` to a CSV file; in the real binary in tmux.
extension EndToEnd {
    @Suite("End to end: copy and export")
    struct CopyExportEndToEndTests {
        /// tmux with set-clipboard on keeps what an application copies with OSC 52 as its buffer.
        @Test func yCopiesTheIdAndYAChosenFieldToTheClipboard() throws {
            let seeded = SeedData.contacts(count: 300, seed: 1)
            let tmux = try TmuxSession()
            _ = spawnAndWait([tmux.tmux, "-L", tmux.socket, "set-option", "-g", "set-clipboard", "on"])
            func clipboard() throws -> String {
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(tmux.socket)-buffer").path
                _ = spawnAndWait([tmux.tmux, "-L", tmux.socket, "show-buffer"], outputPath: file)
                return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
            }
            try tmux.run("\(try rosterBinary) --demo")
            try tmux.waitFor(text: "contacts loaded")
            try tmux.press("j")
            try tmux.press("y")
            let said = try tmux.waitFor(text: "Copied")
            #expect(said.contains("id to the clipboard: \(seeded[1].uuid)"))
            #expect(try clipboard() == seeded[1].uuid)
            try tmux.press("Y")
            try tmux.waitFor(text: "Copy which field?")
            try tmux.press("3")
            try tmux.waitFor(text: "phone to the clipboard")
            #expect(try clipboard() == "+\(seeded[1].countryCode) \(seeded[1].phoneStyle.written(seeded[1].phone))")
            // With marks, y copies every marked id, one a line, for the ticket.
            try tmux.press("Space", "Space", "y")
            try tmux.waitFor(text: "Copied the 2 marked ids")
            #expect(try clipboard() == "\(seeded[1].uuid)\n\(seeded[2].uuid)\n")
            try tmux.press("q")
        }

        /// e writes the marked contacts, or else those shown, as CSV with every field of their
        /// records (SendMe123's read again from the list).
        @Test func eExportsTheMarkedOrTheShownAsCSVWithEveryField() throws {
            let seeded = SeedData.contacts(count: 300, seed: 1)
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-export-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let tmux = try TmuxSession()
            try tmux.run("cd \(folder) && \(try rosterBinary) --demo")
            try tmux.waitFor(text: "contacts loaded")
            for _ in 0..<3 { try tmux.press("Space") }
            try tmux.press("e")
            try tmux.waitFor(text: "Export to: roster-export-")
            for _ in 0..<"roster-export-YYYYMMDD-HHMMSS.csv".count { try tmux.press("BSpace") }
            try tmux.type("marked.csv")
            try tmux.press("Enter")
            try tmux.waitFor(text: "Exported 3 contacts with 14 fields to marked.csv")
            let marked = try String(contentsOfFile: folder + "/marked.csv", encoding: .utf8).split(separator: "\n")
            #expect(marked.first == "id,birthDate,countryCode,createdAt,customValues,email,lastName,name,organizationId,origin,phone,status,tags,updatedAt")
            #expect(marked.dropFirst().map { String($0.prefix(36)) } == seeded.prefix(3).map(\.uuid))
            #expect(marked[1].contains(seeded[0].firstName) && marked[1].contains(seeded[0].createdAt.iso8601))

            try tmux.press("-")
            try tmux.filter("status:blocked")
            // Few match, so the filter loads every page looking for more.
            let blocked = seeded.filter { $0.status == "BLOCKED" }
            try tmux.waitFor(text: "filter “status:blocked”: \(blocked.count) of 300 · 300 contacts")
            try tmux.press("e")
            try tmux.waitFor(text: "Export to:")
            try tmux.press("Enter")
            try tmux.waitFor(text: "Exported \(blocked.count) contact")
            let files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix("roster-export-") }
            let shown = try String(contentsOfFile: folder + "/" + (files.first ?? ""), encoding: .utf8).split(separator: "\n")
            #expect(shown.count == blocked.count + 1)
            let attributes = try FileManager.default.attributesOfItem(atPath: folder + "/marked.csv")
            #expect((attributes[.posixPermissions] as? Int) == 0o600, "contact data, readable by its owner only")
            try tmux.press("q")
        }

        /// Exported cells cannot run anything: not in a spreadsheet (a formula after spaces or
        /// a tab gets a '), not on a terminal that shows the file (escape codes made visible).
        @Test func anExportedCellIsNeitherAFormulaNorAnEscapeCode() throws {
            let sandbox = try SandboxProcess(["--dialect", "easify", "--contacts", "20", "--hostile-names", "--rate-limit", "1000/60"])
            let curl = try which("curl") ?? { throw HarnessError("curl is needed as the other client") }()
            let body = #"{"group_id":2,"first_name":"=1+2","last_name":" =HYPERLINK(1)","company":"\t=cmd","email_address":"f@example.com"}"#
            let created = try runProcess(curl, [
                "-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", "-H", "Authorization: Bearer \(SandboxConfiguration.demoKey)",
                "-H", "Content-Type: application/json", "-d", body, "\(sandbox.baseURL)/contacts/create",
            ])
            #expect(created.output == "200")
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-export-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let tmux = try TmuxSession()
            try tmux.run(
                "cd \(folder) && ROSTER_API_KEY=\(SandboxConfiguration.demoKey) \(try rosterBinary) --dialect easify --base-url \(sandbox.baseURL)")
            try tmux.waitFor(text: "21 contacts")
            try tmux.press("e")
            try tmux.waitFor(text: "Export to:")
            try tmux.press("Enter")
            try tmux.waitFor(text: "Exported 21 contacts")
            let file = try #require(try FileManager.default.contentsOfDirectory(atPath: folder).first { $0.hasSuffix(".csv") })
            let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + file))
            #expect(!bytes.contains(0x1B) && !bytes.contains(0x07), "no ESC or BEL reaches a terminal that shows the file")
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(!text.unicodeScalars.contains { (0x80...0x9F).contains($0.value) }, "nor a C1 control")
            #expect(text.contains("^[]52;c;cm0gLXJmIH4=^GClip"), "the hostile name is kept, visibly")
            #expect(text.contains("'=1+2"))
            #expect(text.contains("' =HYPERLINK(1)"))
            #expect(text.contains("'\t=cmd"))
            try tmux.press("q")
        }
    }
}
