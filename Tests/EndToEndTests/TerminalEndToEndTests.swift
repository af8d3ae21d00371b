import Foundation
import Testing
@testable import RosterSandbox
import RosterTestSupport

/// Roster in the terminals its users have: hostile text from the server, TERM variants, a
/// non-UTF-8 locale, no colour, Ctrl-Z, and a real SSH session.
extension EndToEnd {
    @Suite("End to end: terminals, hostile text and SSH")
    struct TerminalEndToEndTests {
        /// A program on screen is the list: header, column titles and the cursor row.
        func showsTheList(_ screen: String) -> Bool {
            screen.contains("100 of 300 contacts loaded") && screen.contains("NAME") && screen.contains("PHONE")
        }

        @Test func hostileNamesFromTheServerNeverReachTheTerminalAsCodes() throws {
            let sandbox = try SandboxProcess(["--dialect", "sendme123", "--contacts", "20", "--hostile-names"])
            let tmux = try TmuxSession()
            let raw = FileManager.default.temporaryDirectory.appendingPathComponent("roster-raw-\(UUID().uuidString)").path
            try tmux.recordOutput(to: raw)
            try tmux.run("ROSTER_API_KEY=\(SandboxConfiguration.demoKey) \(try rosterBinary) --dialect sendme123 --base-url \(sandbox.baseURL)")
            let list = try tmux.waitFor(text: "20 contacts")
            #expect(list.contains("^[]52;c;cm0gLXJmIH4=^"), "the clipboard payload shows as text")
            #expect(list.contains("^[[2J^[[HClear"))
            #expect(list.contains("<U+202E>evil"))
            try tmux.press("Enter")
            let detail = try tmux.waitFor(text: "Fresh from the server just now.")
            #expect(detail.contains("^[]52;c;cm0gLXJmIH4=^GClip"))
            #expect(detail.contains("x^[[31m0@example.com"))
            try tmux.press("Escape")
            try tmux.press("q")
            try tmux.waitFor("the shell to come back") { !$0.contains("Roster ·") }
            let bytes = try Data(contentsOf: URL(fileURLWithPath: raw))
            func contains(_ needle: [UInt8]) -> Bool { bytes.range(of: Data(needle)) != nil }
            #expect(bytes.count > 1000, "the output was recorded")
            #expect(!contains([0x1B, 0x5D]), "no OSC (clipboard, title) reached the terminal")
            #expect(!contains([0x07]), "no BEL")
            #expect(!contains([0x1B, 0x50]), "no DCS")
            #expect(!contains(Array("\u{1B}[6n".utf8)), "no cursor-position report request")
            #expect(!contains([0xC2, 0x9B]) && !contains([0xC2, 0x85]), "no C1 controls")
            #expect(!contains(Array("\u{202E}".utf8)) && !contains(Array("\u{2066}".utf8)), "no bidi controls")
        }

        @Test(arguments: ["xterm-256color", "xterm", "screen", "tmux-256color", "linux", "vt100"])
        func theDemoWorksUnderEachTerm(term: String) throws {
            let tmux = try TmuxSession()
            try tmux.run("TERM=\(term) \(try rosterBinary) --demo")
            // The cursor row is marked by text; waited for, as a capture can catch a frame half drawn.
            try tmux.waitFor("the list and its cursor under TERM=\(term)") { screen in
                showsTheList(screen) && screen.split(separator: "\n").contains { $0.hasPrefix("›") }
            }
            try tmux.press("j")
            try tmux.press("?")
            try tmux.waitFor(text: "Keys")
            try tmux.press("Escape")
            try tmux.waitFor("help to close under TERM=\(term)") { !$0.contains("Keys") }
            try tmux.press("q")
            // Terminals without an alternate screen (linux, vt100) are cleared on the way out.
            try tmux.waitFor("the shell to come back under TERM=\(term)") { !$0.contains("Roster ·") }
        }

        @Test func aNonUTF8LocaleGetsASCIIAndLegibleNames() throws {
            let tmux = try TmuxSession()
            try tmux.run("LANG=C LC_ALL=C \(try rosterBinary) --demo")
            let screen = try tmux.waitFor(text: "100 of 300 contacts loaded")
            let nonASCII = screen.unicodeScalars.filter { !$0.isASCII }.count
            #expect(nonASCII == 0, "only ASCII under LANG=C:\n\(screen)")
            #expect(screen.contains("Roster - demo - SendMe123"))
            #expect(screen.contains("Dubois"), "names stay legible")
            #expect(screen.split(separator: "\n").contains { $0.hasPrefix(">") })
            try tmux.press("q")
            try tmux.waitFor("the shell to come back") { !$0.contains("Roster -") }
        }

        /// On a UTF-8 terminal, where names show in their own script, a person who cannot type
        /// Cyrillic still finds `Дмитрий` by typing `dmitrij`.
        @Test func aUTF8TerminalFindsNamesByTheirTransliteration() throws {
            let tmux = try TmuxSession()
            try tmux.run("LANG=C.UTF-8 LC_ALL=C.UTF-8 \(try rosterBinary) --demo")
            try tmux.waitFor(text: "100 of 300 contacts loaded")
            try tmux.filter("dmitrij")
            let screen = try tmux.waitFor(text: "filter “dmitrij”: 11 of 300")
            #expect(screen.contains("› Дмитрий"), "found by its Latin spelling:\n\(screen)")
            try tmux.press("q")
            try tmux.waitFor("the shell to come back") { !$0.contains("Roster ·") }
        }

        @Test func noColorShowsNoColour() throws {
            let tmux = try TmuxSession()
            try tmux.run("NO_COLOR=1 \(try rosterBinary) --demo")
            try tmux.waitFor("the list", showsTheList)
            let styled = try tmux.styledScreen()
            #expect(styled.range(of: #"\x1B\[[0-9;]*(3[0-7]|4[0-7]|9[0-7]|10[0-7]|38;5|48;5|38;2|48;2)[;m]"#, options: .regularExpression) == nil,
                    "a colour code under NO_COLOR")
            #expect(styled.contains("\u{1B}[7m") || styled.contains(";7m"), "reverse video still marks the cursor and bars")
            try tmux.press("q")
        }

        @Test func ctrlZSuspendsAndFgRedraws() throws {
            let tmux = try TmuxSession()
            try tmux.run("\(try rosterBinary) --demo")
            try tmux.waitFor("the list", showsTheList)
            try tmux.press("j")
            try tmux.press("C-z")
            try tmux.waitFor(text: "Stopped")
            try tmux.run("clear; fg")
            // Everything comes back, the banner on the first line included.
            try tmux.waitFor("a full redraw after fg") { showsTheList($0) && $0.hasPrefix("         DEMO: built-in sandbox") }
            try tmux.press("q")
            try tmux.waitFor("the shell to come back") { !$0.contains("Roster ·") }
        }

        @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/sbin/sshd") && which("ssh") != nil))
        func overARealSSHSession() throws {
            let server = try SSHServer()
            let seeded = SeedData.contacts(count: 300, seed: 1)
            let index = try #require((2..<300).first { !seeded[$0].hasPendingMessages })
            let name = "\(seeded[index].firstName) \(seeded[index].lastName)"
            let tmux = try TmuxSession()
            try tmux.run("echo BEFORE-SSH; " + server.command(
                "cd /tmp && env LANG=C.UTF-8 XDG_STATE_HOME=\(scratchStateHome) \(try rosterBinary) --demo"))
            try tmux.waitFor("the list over SSH", timeout: 30, showsTheList)

            for _ in 0..<index { try tmux.press("j") }
            try tmux.waitFor("the cursor on \(name)") { screen in
                screen.split(separator: "\n").contains { $0.hasPrefix("›") && $0.contains(name) }
            }
            try tmux.press("d")
            try tmux.waitFor(text: "keep it (any other key)")
            try tmux.press("y")
            try tmux.waitFor(text: "Deleting \(name) in")
            let deleted = try tmux.waitFor(text: "Deleted \(name)", timeout: 20)
            #expect(deleted.contains("99 of 299 contacts loaded"))

            try tmux.resize(width: 72, height: 22)
            try tmux.waitFor("a redraw at 72×22 over SSH") { screen in
                let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
                return lines.count >= 22 && lines[21].contains("? help") && lines[1].contains("Roster · demo")
            }
            try tmux.press("q")
            // The local prompt ("$") after the command line: ssh has closed.
            try tmux.waitFor("the local shell to come back") { screen in
                guard !screen.contains("Roster ·"), let marker = screen.range(of: "\nBEFORE-SSH\n") else { return false }
                return screen[marker.upperBound...].split(separator: "\n").contains { $0.trimmingCharacters(in: .whitespaces) == "$" }
            }
            try tmux.run("echo RESTORED-$((40+2))")
            let after = try tmux.waitFor(text: "RESTORED-42")
            #expect(after.contains("echo RESTORED-$((40+2))"), "typed text echoes: the terminal is back in its normal mode")
        }
    }
}

/// A throwaway `sshd` on a loopback port: its own host key, a user key for the current user,
/// no passwords, no PAM. Stopped when released.
final class SSHServer {
    let folder: URL
    let port: Int
    private let process = Process()

    init() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-sshd-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let keygen = try which("ssh-keygen") ?? { throw HarnessError("ssh-keygen is needed") }()
        for key in ["host", "user"] {
            let made = try runProcess(keygen, ["-q", "-t", "ed25519", "-N", "", "-f", folder.appendingPathComponent(key).path])
            guard made.status == 0 else { throw HarnessError("ssh-keygen failed: \(made.errorOutput)") }
        }
        try FileManager.default.copyItem(at: folder.appendingPathComponent("user.pub"), to: folder.appendingPathComponent("authorized_keys"))
        // Privilege separation wants this folder; as root we may make it.
        try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        port = try SSHServer.freePort()
        let config = """
            Port \(port)
            ListenAddress 127.0.0.1
            HostKey \(folder.appendingPathComponent("host").path)
            AuthorizedKeysFile \(folder.appendingPathComponent("authorized_keys").path)
            PidFile \(folder.appendingPathComponent("sshd.pid").path)
            PasswordAuthentication no
            KbdInteractiveAuthentication no
            PubkeyAuthentication yes
            PermitRootLogin prohibit-password
            UsePAM no
            StrictModes no
            PrintMotd no
            PrintLastLog no
            """
        let configPath = folder.appendingPathComponent("sshd_config").path
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)
        process.executableURL = URL(fileURLWithPath: "/usr/sbin/sshd")
        process.arguments = ["-D", "-e", "-f", configPath]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Ready when it accepts a connection.
        let deadline = Date().addingTimeInterval(10)
        while !SSHServer.accepts(port: port) {
            guard process.isRunning, Date() < deadline else { throw HarnessError("sshd did not start on port \(port)") }
            Thread.sleep(forTimeInterval: 0.1)
        }
    }

    /// The ssh command line that runs `remote` with a terminal.
    func command(_ remote: String) -> String {
        let user = ProcessInfo.processInfo.environment["USER"] ?? NSUserName()
        return "ssh -tt -i \(folder.appendingPathComponent("user").path) -p \(port) -o StrictHostKeyChecking=no "
            + "-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR \(user)@127.0.0.1 '\(remote)'"
    }

    static func freePort() throws -> Int {
        let (descriptor, port) = try listeningSocket()
        close(descriptor)
        return port
    }

    static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: folder)
    }
}
