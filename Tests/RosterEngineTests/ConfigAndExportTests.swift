import Foundation
import RosterCore
import Testing
@testable import RosterEngine

@Suite("Profiles and the journal's retention setting")
struct ProfileConfigTests {
    func environment(_ config: String) throws -> [String: String] {
        let path = scratchFolder("config") + "/config.toml"
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        return ["ROSTER_CONFIG": path]
    }

    @Test func retentionIsADayCountAtTheTop() throws {
        #expect(try ProfileConfig.journalRetention(environment: environment("journal_retention = 30\n")) == 30)
        #expect(try ProfileConfig.journalRetention(environment: environment("mouse = true\n")) == nil)
        #expect(try ProfileConfig.journalRetention(environment: ["ROSTER_CONFIG": "/nonexistent/config.toml"]) == nil)
        #expect {
            _ = try ProfileConfig.journalRetention(environment: environment("journal_retention = 0\n"))
        } throws: { "\($0)".contains("journal_retention must be a number of days from 1 to 36500") }
    }

    @Test func aProfileIsReadAndATypoIsNamed() throws {
        let text = """
            [profiles.acme]
            dialect = "easify"
            base_url = "https://backend.easify.app/api/v2"
            undo_seconds = 5
            """
        let profile = try ProfileConfig.parse(text, profile: "acme", file: "config.toml")
        #expect(profile.dialect == .easify && profile.undoSeconds == 5)
        #expect {
            _ = try ProfileConfig.parse(text + "\nundo_secs = 3\n", profile: "acme", file: "config.toml")
        } throws: { "\($0)".contains("unknown setting 'undo_secs'") }
    }

    /// Signed approval is a profile's setting; a signers file its operator owns is refused.
    @Test func signedApprovalIsAProfileSettingAndAnOwnSignersFileIsRefused() throws {
        let text = """
            [profiles.acme]
            dialect = "sendme123"
            require_signed_approval = true
            allowed_signers = "/etc/roster/team_signers"
            """
        let profile = try ProfileConfig.parse(text, profile: "acme", file: "config.toml")
        #expect(profile.requireSignedApproval && profile.allowedSigners == "/etc/roster/team_signers")
        #expect {
            _ = try ProfileConfig.parse(text.replacingOccurrences(of: "= true", with: "= \"yes\""), profile: "acme", file: "config.toml")
        } throws: { "\($0)".contains("require_signed_approval must be true or false") }
        let own = scratchFolder("signers") + "/allowed_signers"
        FileManager.default.createFile(atPath: own, contents: Data("alice@team ssh-ed25519 AAAA\n".utf8))
        #expect(PlanSigning.signersFileProblem(own)?.contains("can be written by you") == true)
        #expect(PlanSigning.signersFileProblem(own + ".missing")?.contains("cannot be read") == true)
    }

    /// Found by fuzzing: a table header beginning with a letter beyond ASCII (`[é]`), a control
    /// character or nothing stopped
    /// Roster (TOML's parser asserts). It is a mistake named by line, and quoted it is a name.
    @Test func aTableNameBeyondASCIIIsAMistakeNotACrash() throws {
        for header in ["[é]", "[[ é]]", "  [équipe]", "[", "[=]", "[\u{1}a]"] {
            #expect {
                _ = try ProfileConfig.parse("# team\n\(header)\ndialect = \"easify\"\n", profile: "équipe", file: "config.toml")
            } throws: { "\($0)".contains("config.toml line 2: a table's name must begin with a letter") }
        }
        #expect {
            _ = try ProfileConfig.parse("\u{FEFF}[~]\n", profile: "acme", file: "config.toml")
        } throws: { "\($0)".contains("config.toml line 1: a table's name must begin") }
        let quoted = try ProfileConfig.parse("[profiles.\"équipe\"]\ndialect = \"easify\"\n", profile: "équipe", file: "config.toml")
        #expect(quoted.dialect == .easify)
    }
}

@Suite("Export cells a spreadsheet opens without harm")
struct ExportTests {
    @Test func formulasAreDefusedAndNumbersAreNot() {
        #expect(Exporter.spreadsheetSafe("=SUM(A1)") == "'=SUM(A1)")
        #expect(Exporter.spreadsheetSafe("  +cmd|' /C calc'!A0") == "'  +cmd|' /C calc'!A0")
        #expect(Exporter.spreadsheetSafe("\tx") == "'\tx")
        #expect(Exporter.spreadsheetSafe("-5") == "-5")
        #expect(Exporter.spreadsheetSafe("+57 300 111 2233") == "+57 300 111 2233")
        #expect(Exporter.spreadsheetSafe("\u{1B}]52;c;cm0=\u{07}x") == "^[]52;c;cm0=^Gx", "escape codes made visible")
        #expect(csvField("a,b") == "\"a,b\"" && csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
    }
}
