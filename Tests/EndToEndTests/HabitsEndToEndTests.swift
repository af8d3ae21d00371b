import Foundation
import Testing
@testable import RosterSandbox
import RosterTestSupport

/// The C library's wcwidth: columns a character takes on the terminal.
@_silgen_name("wcwidth") private func columnsOf(_ character: Int32) -> Int32

/// The habits of k9s and lazygit users, in the real binary in tmux.
extension EndToEnd {
    @Suite("End to end: terminal habits")
    struct HabitsEndToEndTests {
        func cursorLine(_ screen: String) -> Int? {
            screen.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("›") }
        }

        @Test func pagesMatchesRangesRepaintAndScrollingHelp() throws {
            let seeded = SeedData.contacts(count: 300, seed: 1)
            let tmux = try TmuxSession(width: 100, height: 20)
            try tmux.run("\(try rosterBinary) --demo")
            let first = try tmux.waitFor(text: "100 of 300 contacts loaded")
            let top = try #require(cursorLine(first))

            // Ctrl-D: half the list's rows down.
            try tmux.press("C-d")
            // A screen caught mid-repaint shows no cursor at all: that is not the move.
            let half = try tmux.waitFor("the cursor to move") { cursorLine($0).map { $0 != top } ?? false }
            // 20 lines: banner, header, column heads, 15 rows of the list, message, status bar.
            #expect(cursorLine(half) == top + 7, "half of 15 rows")
            try tmux.press("C-u")
            try tmux.waitFor("the cursor back") { cursorLine($0) == top }

            // v … v marks a range of four.
            try tmux.press("v")
            for _ in 0..<3 { try tmux.press("j") }
            try tmux.waitFor(text: "range of 4 (v marks it)")
            try tmux.press("v")
            try tmux.waitFor(text: "● 4 marked")
            try tmux.press("-")

            // n after the filter is cleared: the next contact it matches, among all the rest.
            let surname = seeded[40].lastName
            let matches = seeded.prefix(100).indices.filter { "\(seeded[$0].firstName) \(seeded[$0].lastName)".contains(surname) }
            try #require(matches.count >= 2)
            try tmux.filter(surname)
            try tmux.waitFor(text: "filter “\(surname)”")
            try tmux.press("Escape")
            try tmux.waitFor("the filter to clear") { !$0.contains("filter “") }
            try tmux.press("n")
            let second = seeded[matches[1]]
            let moved = try tmux.waitFor("the second match under the cursor") { screen in
                screen.split(separator: "\n").contains { $0.hasPrefix("›") && $0.contains(second.firstName) && $0.contains(String(second.uuid.prefix(12))) }
            }
            #expect(!moved.contains("filter “"), "the whole list shows")

            // Ctrl-L repaints what something else scribbled over.
            let ttyFile = FileManager.default.temporaryDirectory.appendingPathComponent("\(tmux.socket)-tty").path
            _ = spawnAndWait([tmux.tmux, "-L", tmux.socket, "display-message", "-p", "#{pane_tty}"], outputPath: ttyFile)
            let tty = try String(contentsOfFile: ttyFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            try "\u{1B}[5;5HSCRIBBLED-OVER".write(toFile: tty, atomically: false, encoding: .utf8)
            try tmux.waitFor(text: "SCRIBBLED-OVER")
            try tmux.press("C-l")
            try tmux.waitFor("the repaint") { !$0.contains("SCRIBBLED-OVER") && $0.contains("Roster ·") }

            // Help on a short terminal scrolls.
            try tmux.press("?")
            try tmux.waitFor(text: "j/k scroll (1–")
            try tmux.press("j")
            try tmux.waitFor(text: "j/k scroll (2–")
            try tmux.press("Escape")
            try tmux.press("q")
        }

        /// Mouse events as a terminal in xterm's mouse mode sends them (tmux-256color's kmous):
        /// ESC [ M, the button, then the column and the row, each plus 33.
        /// A click is a press and a release (3), as a terminal sends them; the wheel has no release.
        func mouse(_ tmux: TmuxSession, button: Int, x: Int, y: Int) throws {
            func event(_ code: Int) -> String {
                "\u{1B}[M" + String(UnicodeScalar(UInt8(32 + code))) + String(UnicodeScalar(UInt8(33 + x))) + String(UnicodeScalar(UInt8(33 + y)))
            }
            try tmux.type(event(button) + (button == 0 ? event(3) : ""))
        }

        /// Where a text is on the screen, in columns (wide characters count two, as the C
        /// library's wcwidth says under a UTF-8 locale).
        func position(of text: String, in screen: String) -> (x: Int, y: Int)? {
            setlocale(LC_CTYPE, "C.UTF-8")
            for (y, line) in screen.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                guard let range = line.range(of: text) else { continue }
                let x = line[..<range.lowerBound].unicodeScalars.reduce(0) { $0 + max(0, Int(columnsOf(Int32(bitPattern: $1.value)))) }
                return (x, y)
            }
            return nil
        }

        func mouseReporting(_ tmux: TmuxSession) -> String {
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(tmux.socket)-mouse").path
            _ = spawnAndWait([tmux.tmux, "-L", tmux.socket, "display-message", "-p", "#{mouse_any_flag}"], outputPath: file)
            return ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }

        @Test func aClickMovesTheCursorTheWheelScrollsAndADialogsButtonsAnswer() throws {
            let seeded = SeedData.contacts(count: 300, seed: 1)
            let tmux = try TmuxSession()
            try tmux.run("\(try rosterBinary) --demo")
            // The sixth row drawn, not only the header: a capture can catch a frame half drawn.
            let first = try tmux.waitFor("the sixth contact drawn") {
                $0.contains("contacts loaded") && $0.contains(String(seeded[5].uuid.prefix(12)))
            }
            #expect(mouseReporting(tmux) == "1", "Roster asked the terminal for clicks")
            // Click the sixth contact's row.
            let row = try #require(position(of: String(seeded[5].uuid.prefix(12)), in: first))
            try mouse(tmux, button: 0, x: 10, y: row.y)
            try tmux.waitFor("the cursor on the clicked row") { screen in
                screen.split(separator: "\n").contains { $0.hasPrefix("›") && $0.contains(String(seeded[5].uuid.prefix(12))) }
            }
            // The wheel: three rows a notch.
            try mouse(tmux, button: 65, x: 10, y: row.y)
            try mouse(tmux, button: 65, x: 10, y: row.y)
            try tmux.waitFor("six rows further") { screen in
                screen.split(separator: "\n").contains { $0.hasPrefix("›") && $0.contains(String(seeded[11].uuid.prefix(12))) }
            }
            try mouse(tmux, button: 64, x: 10, y: row.y)
            try tmux.waitFor("three back") { screen in
                screen.split(separator: "\n").contains { $0.hasPrefix("›") && $0.contains(String(seeded[8].uuid.prefix(12))) }
            }
            // A dialog's buttons: N keeps it; y deletes, after the undo window (u undoes it).
            try tmux.press("d")
            let dialog = try tmux.waitFor(text: "keep it (any other key)")
            let keep = try #require(position(of: " N ", in: dialog))
            try mouse(tmux, button: 0, x: keep.x + 1, y: keep.y)
            try tmux.waitFor("Delete cancelled (clicked \(keep.x + 1), \(keep.y))") { $0.contains("Delete cancelled") }
            try tmux.press("d")
            let again = try tmux.waitFor(text: "keep it (any other key)")
            let yes = try #require(position(of: " y  delete", in: again))
            try mouse(tmux, button: 0, x: yes.x + 1, y: yes.y)
            try tmux.waitFor(text: "u undo (nothing sent yet)")
            try tmux.press("u")
            try tmux.waitFor(text: "Undone")
            // In the duplicates view a click moves its cursor to the contact clicked, and its
            // status bar offers its own keys.
            try tmux.press("D")
            let review = try tmux.waitFor(text: "K keep")
            let lines = review.split(separator: "\n", omittingEmptySubsequences: false)
            let target = try #require(lines.lastIndex { $0.hasPrefix("│  ●") }, "a marked member drawn")
            try mouse(tmux, button: 0, x: 20, y: target)
            try tmux.waitFor("the view's cursor on the clicked contact") { screen in
                screen.split(separator: "\n", omittingEmptySubsequences: false)[target].hasPrefix("│› ●")
            }
            try tmux.press("Escape")
            try tmux.press("q")

            // --no-mouse leaves the mouse to the terminal.
            try tmux.run("clear; \(try rosterBinary) --demo --no-mouse")
            try tmux.waitFor(text: "contacts loaded")
            #expect(mouseReporting(tmux) == "0")
            try tmux.press("q")
        }

        /// 80×24 keeps every column readable and shortens the header whole; 220 columns show the
        /// created date, tags and company too.
        @Test func theLayoutUsesTheScreenFromEightyToTwoHundredAndTwentyColumns() throws {
            let seeded = SeedData.contacts(count: 300, seed: 1)
            let tmux = try TmuxSession(width: 80, height: 24)
            try tmux.run("\(try rosterBinary) --demo")
            let small = try tmux.waitFor(text: "contacts loaded")
            let lines = small.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines[2].contains("NAME") && lines[2].contains("PHONE") && lines[2].contains("EMAIL") && lines[2].contains("ID"))
            #expect(lines[1].hasPrefix(" Roster · demo · SendMe123 · 127.0.0.1:") || lines[1].hasPrefix(" Roster · demo · SendMe123 · http://127.0.0.1:"))
            try tmux.press("Space")
            try tmux.filter("status:active")
            let busy = try tmux.waitFor(text: "“status:active”")
            let header = String(busy.split(separator: "\n", omittingEmptySubsequences: false)[1])
            // Whole parts only: the URL whole, without its scheme, or not at all.
            let whole = #"^ Roster · demo( · SendMe123( · (http://)?127\.0\.0\.1:\d+)?)? +[●f0-9]"#
            #expect(header.range(of: whole, options: .regularExpression) != nil, "header: \(header)")
            try tmux.press("Escape")
            try tmux.resize(width: 220, height: 24)
            let wide = try tmux.waitFor(text: "COMPANY")
            #expect(wide.contains("CREATED") && wide.contains("TAGS"))
            #expect(wide.contains(seeded[0].createdAt.iso8601.prefix(10) + " " + seeded[0].groupName), "\(seeded[0].groupName)")
            try tmux.press("q")
        }

        /// `roster themes` on a terminal, as `script` gives it one, with the colours `TERM` has.
        func themes(term: String, extra: String = "") throws -> String {
            let script = try which("script") ?? { throw HarnessError("script (util-linux) is needed") }()
            // NO_COLOR and COLORTERM as each case says, whatever the tests run under.
            return try runProcess(script, ["-qc", "env -u NO_COLOR -u COLORTERM TERM=\(term) \(extra) \(try rosterBinary) themes", "/dev/null"]).output
        }

        @Test func themesUseOnlyTheColoursTheTerminalHasAndProductionIsSaidInText() throws {
            let vt100 = try themes(term: "vt100")
            #expect(vt100.contains("PRODUCTION"))
            #expect(vt100.range(of: #"\[[0-9;]*(3[0-8]|4[0-8]|9[0-7])[;m]"#, options: .regularExpression) == nil, "a vt100 has no colours")
            let xterm = try themes(term: "xterm")
            #expect(xterm.contains("\u{1B}[0;1;37;41m"), "the production header in the eight colours")
            #expect(!xterm.contains("38;5;") && !xterm.contains("38;2;") && !xterm.contains("48;2;"), "no 256 or truecolour on plain xterm")
            let rich = try themes(term: "xterm-256color")
            #expect(rich.contains("38;5;") && !rich.contains("48;2;"), "256 colours, no truecolour unless COLORTERM says so")
            #expect(try themes(term: "xterm-256color", extra: "COLORTERM=truecolor").contains("48;2;170;0;0"))

            // The UI without colours still says which account is production.
            let tmux = try TmuxSession()
            try tmux.run("NO_COLOR=1 \(try rosterBinary) --demo --theme production")
            let screen = try tmux.waitFor(text: "contacts loaded")
            #expect(screen.contains(" Roster · PRODUCTION · demo · SendMe123"))
            try tmux.press("q")
        }

        /// Each frame between DEC 2026's begin and end where the terminal knows the mode:
        /// Roster asks it at start (DECRQM, then DA1); ROSTER_SYNC=on|off overrides.
        @Test func framesAreSynchronizedWhereTheTerminalSupportsIt() throws {
            func session(_ prefix: String) throws -> [UInt8] {
                let tmux = try TmuxSession()
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(tmux.socket)-output").path
                try tmux.recordOutput(to: file)
                try tmux.run("\(prefix) \(try rosterBinary) --demo")
                try tmux.waitFor(text: "contacts loaded")
                try tmux.press("j")
                try tmux.press("j")
                Thread.sleep(forTimeInterval: 0.5)
                try tmux.press("q")
                try tmux.waitFor("the shell") { !$0.contains("Roster ·") }
                return Array((try? Data(contentsOf: URL(fileURLWithPath: file))) ?? Data())
            }
            func count(_ needle: String, in haystack: [UInt8]) -> Int {
                let pattern = Array(needle.utf8)
                guard haystack.count >= pattern.count else { return 0 }
                return (0...(haystack.count - pattern.count)).count { haystack[$0..<($0 + pattern.count)].elementsEqual(pattern) }
            }
            let forced = try session("ROSTER_SYNC=on")
            let begins = count("\u{1B}[?2026h", in: forced)
            #expect(begins >= 3, "the first frame and one per keypress")
            #expect(count("\u{1B}[?2026l", in: forced) == begins, "each frame ends what it began")
            let asked = try session("")
            #expect(count("\u{1B}[?2026$p", in: asked) == 1, "the terminal is asked once")
            #expect(count("\u{1B}[?2026h", in: asked) == count("\u{1B}[?2026l", in: asked))
            #expect(try session("ROSTER_SYNC=off").isEmpty == false)
            #expect(count("\u{1B}[?2026", in: try session("ROSTER_SYNC=off")) == 0, "off: not even asked")
        }

        @Test func aReadOnlySessionSaysWhyADestructiveKeyDoesNothing() throws {
            let tmux = try TmuxSession()
            try tmux.run("\(try rosterBinary) --demo --read-only")
            try tmux.waitFor(text: "contacts loaded")
            for (key, said) in [("d", "nothing is deleted"), ("Space", "marks do not change"), ("+", "marks do not change"), ("s", "nothing is deactivated")] {
                try tmux.press(key)
                try tmux.waitFor(text: "Read-only session: \(said) here")
                try tmux.press("Escape")
                try tmux.waitFor("the message to go") { !$0.contains("Read-only session:") }
            }
            #expect(try !tmux.screen().contains("●"), "nothing was marked")
            try tmux.press("q")
        }

        /// The filter prompt edits like a shell (Ctrl-A, Alt-F, Ctrl-W, Ctrl-U) and ↑ recalls a
        /// query kept in an earlier session on the same profile, from a 0600 file.
        @Test func theFilterPromptEditsLikeAShellAndRemembersAcrossSessions() throws {
            let stateHome = FileManager.default.temporaryDirectory.appendingPathComponent("roster-history-\(UUID().uuidString.prefix(8))").path
            let tmux = try TmuxSession(width: 100, height: 30, environment: ["XDG_STATE_HOME=\(stateHome)"])
            try tmux.run("\(try rosterBinary) --demo")
            try tmux.waitFor(text: "100 of 300 contacts loaded")
            try tmux.press("/")
            try tmux.type("active dmitrij")
            try tmux.press("C-a")
            try tmux.type("!status:")
            try tmux.waitFor(text: "/!status:▏active dmitrij")
            try tmux.press("M-f", "M-f", "C-w")
            try tmux.waitFor(text: "/!status:active ▏")
            try tmux.type("dmitrij")
            try tmux.press("Enter")
            try tmux.waitFor(text: "filter “!status:active dmitrij”")
            try tmux.press("/", "C-u")
            try tmux.waitFor(text: " /▏")
            try tmux.press("Escape", "q")
            try tmux.waitFor("the shell to come back") { !$0.contains("Roster ·") }

            let file = stateHome + "/roster/history/demo.tsv"
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)

            try tmux.run("\(try rosterBinary) --demo")
            try tmux.waitFor(text: "100 of 300 contacts loaded")
            try tmux.press("/", "Up")
            try tmux.waitFor(text: "/!status:active dmitrij▏")
            try tmux.press("Enter")
            try tmux.waitFor(text: "filter “!status:active dmitrij”")
            try tmux.press("q")
        }

        /// `:` as k9s's command line: `:sort`, and `:profile` opening another account's session
        /// (after a question that says the marks go), Tab completing the profile's name.
        @Test func theCommandLineSortsAndOpensAnotherProfile() throws {
            let sandbox = try SandboxProcess(["--dialect", "sendme123", "--contacts", "20", "--seed", "9"])
            let config = FileManager.default.temporaryDirectory.appendingPathComponent("roster-switch-\(UUID().uuidString.prefix(8))").path
            try writeConfig("[profiles.acme]\ndialect = \"sendme123\"\nbase_url = \"\(sandbox.baseURL)\"\nkey_env = \"ACME_KEY\"\n", configHome: config)
            let tmux = try TmuxSession(width: 100, height: 30, environment: [
                "XDG_STATE_HOME=\(scratchStateHome)", "XDG_CONFIG_HOME=\(config)", "ACME_KEY=\(SandboxConfiguration.demoKey)",
            ])
            try tmux.run("\(try rosterBinary) --demo")
            try tmux.waitFor(text: "100 of 300 contacts loaded")
            try tmux.command("so email desc")
            try tmux.waitFor(text: "EMAIL ▼")
            try tmux.press("Space", ":")
            try tmux.type("profile a\t")
            try tmux.waitFor(text: ":profile acme ▏")
            try tmux.press("Enter")
            let question = try tmux.waitFor(text: "Open profile acme?")
            #expect(question.contains("Your 1 mark is dropped: nothing is deleted."))
            try tmux.type("y")
            try tmux.waitFor(text: "Roster · acme · SendMe123 · \(sandbox.baseURL)")
            try tmux.waitFor(text: "20 contacts")
            try tmux.press("q")
            try tmux.waitFor("the shell to come back") { !$0.contains("Roster ·") }
        }
    }
}
