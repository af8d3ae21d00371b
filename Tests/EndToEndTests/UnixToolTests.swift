import Foundation
import Testing
@testable import RosterSandbox
import RosterTestSupport

/// The headless commands behave like Unix tools: a closed pipe ends them quietly, usage
/// errors exit 2 with a message, and network failures name what the user can act on.
extension EndToEnd {
    @Suite("End to end: headless commands as Unix tools")
    struct UnixToolTests: HeadlessSuite {
        /// Runs a shell pipeline with pipefail, so the status is Roster's.
        func pipeline(_ command: String) throws -> ProcessResult {
            try runProcess("/bin/bash", ["-c", "set -o pipefail; " + command], environment: key)
        }

        /// bash's completion, from the script `--help` names, offers the user's own profiles,
        /// saved filters and themes.
        @Test func shellCompletionKnowsTheProfilesFiltersAndThemes() throws {
            let roster = try rosterBinary
            let help = try runProcess(roster, ["--help"])
            #expect(help.output.contains("--generate-completion-script"))
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-completion-\(UUID().uuidString.prefix(8))").path
            try FileManager.default.createDirectory(atPath: folder + "/roster/themes", withIntermediateDirectories: true)
            try "[profiles.acme]\ndialect = \"sendme123\"\n[profiles.easify-eu]\ndialect = \"easify\"\n[filters]\nstale = \"status:inactive\"\n"
                .write(toFile: folder + "/roster/config.toml", atomically: true, encoding: .utf8)
            try FileManager.default.copyItem(atPath: packageRoot.appendingPathComponent("themes/light.toml").path, toPath: folder + "/roster/themes/hiring-desk.toml")
            func complete(_ words: [String]) throws -> [String] {
                let line = "roster " + words.joined(separator: " ")
                let script = """
                    source <(roster --generate-completion-script bash)
                    COMP_WORDS=(roster \(words.map { "'\($0)'" }.joined(separator: " "))); COMP_CWORD=\(words.count)
                    COMP_LINE='\(line)'; COMP_POINT=${#COMP_LINE}
                    _roster roster '\(words.last!)' '\(words.dropLast().last!)'
                    printf '%s\\n' "${COMPREPLY[@]}"
                    """
                let run = try runProcess("/bin/bash", ["-c", script], environment: [
                    "PATH": (roster as NSString).deletingLastPathComponent + ":/usr/bin:/bin", "XDG_CONFIG_HOME": folder,
                ])
                return run.output.split(separator: "\n").map(String.init)
            }
            #expect(try complete(["list", "--profile", ""]) == ["acme", "easify-eu"])
            #expect(try complete(["delete", "--profile", "ea"]) == ["easify-eu"])
            #expect(try complete(["list", "--filter", ""]) == ["stale"])
            #expect(try complete(["ui", "--theme", "hi"]).contains("hiring-desk"))
            #expect(try complete(["ui", "--theme", ""]).contains("high-contrast"), "the built-in themes too")
        }

        @Test func aClosedPipeEndsTheCommandQuietly() throws {
            let sandbox = try SandboxProcess(["--dialect", "sendme123", "--contacts", "3000", "--max-page-size", "1000", "--rate-limit", "1000/60"])
            let roster = try rosterBinary
            let account = "--dialect sendme123 --base-url \(sandbox.baseURL)"
            for command in ["list", "list --json"] {
                let run = try pipeline("'\(roster)' \(command) \(account) | head -1")
                #expect(run.status == 141, "\(command): the shell's status for a broken pipe, not a crash (\(run.status))")
                #expect(run.errorOutput.isEmpty, "\(command) said nothing on a closed pipe: \(run.errorOutput)")
                #expect(run.output.split(separator: "\n").count == 1)
            }
            let themes = try pipeline("'\(roster)' themes | head -1")
            #expect(themes.errorOutput.isEmpty)
            #expect(themes.status == 0 || themes.status == 141)
        }

        @Test func usageErrorsExitTwoWithAMessage() throws {
            let cases: [([String], String)] = [
                (["list", "--max", "abc"], "invalid for '--max"),
                (["list", "--max=-3"], "--max cannot be negative"),
                (["list", "--page-size", "0", "--dialect", "sendme123"], "--page-size must be at least 1"),
                (["list", "--dialect", "sendme123", "--rate-limit", "fast"], "--rate-limit must look like 60/60"),
                (["list", "--dialect", "sendme123", "--timeout", "0"], "--timeout must be from 1 to 3600"),
                (["ui", "--demo", "--base-url", "http://127.0.0.1:1"], "--demo runs against its own sandbox"),
                (["ui", "--demo", "--profile", "acme"], "--demo runs against its own sandbox"),
                (["ui", "--demo", "--undo-seconds=-1"], "--undo-seconds must be from 0 to 600"),
                (["journal", "--json", "--csv"], "--json and --csv are two formats"),
                (["delete", "--parallel", "0", "x"], "--parallel must be at least 1"),
                (["no-such-command"], "Error"),
            ]
            for (arguments, message) in cases {
                let run = try roster(arguments)
                #expect(run.status == 2, "\(arguments.joined(separator: " ")) exits \(run.status)")
                #expect(run.errorOutput.contains(message), "\(arguments.joined(separator: " ")): \(run.errorOutput)")
                #expect(!run.errorOutput.contains("Fatal error"))
            }
        }

        @Test func networkFailuresNameWhatToCheck() throws {
            // Nothing listens on a port just closed: the connection is refused.
            let (closed, refusedPort) = try listeningSocket()
            close(closed)
            let refused = try roster(["list", "--dialect", "sendme123", "--base-url", "http://127.0.0.1:\(refusedPort)"])
            #expect(refused.status == 1)
            #expect(refused.errorOutput.contains("connection refused by 127.0.0.1:\(refusedPort)"), "\(refused.errorOutput)")
            #expect(refused.output.isEmpty, "no table header before the first page")

            // An Easify base URL without /api/v2: the list's 404 names the URL and the base path.
            let sandbox = try SandboxProcess(["--dialect", "easify", "--contacts", "5"])
            let wrongBase = try roster(["list", "--dialect", "easify", "--base-url", sandbox.origin])
            #expect(wrongBase.status == 1)
            #expect(wrongBase.errorOutput.contains("no contact list at \(sandbox.origin)/contacts?"), "\(wrongBase.errorOutput)")
            #expect(wrongBase.errorOutput.contains("/api/v2"))

            // A server that accepts but never answers: a line while waiting, then the timeout.
            let (silent, silentPort) = try listeningSocket()
            defer { close(silent) }
            let started = Date()
            let slow = try roster(["list", "--dialect", "sendme123", "--base-url", "http://127.0.0.1:\(silentPort)", "--timeout", "4"])
            let elapsed = Date().timeIntervalSince(started)
            #expect(slow.status == 1)
            #expect(slow.errorOutput.contains("waiting for an answer from 127.0.0.1:\(silentPort): 3 s so far (gives up after 4 s)"))
            #expect(slow.errorOutput.contains("no answer from 127.0.0.1:\(silentPort) within 4 s"))
            #expect(elapsed < 12, "the timeout is the wait, not tried again and again (\(elapsed) s)")
        }

        @Test func aListTheAccountRefusesIsReportedAsSuch() throws {
            // Easify's basic plan answers 403 to everything, the list included.
            let sandbox = try SandboxProcess(["--dialect", "easify", "--contacts", "8"])
            let run = try roster(
                ["delete", "--yes", "2812001", "2812002", "--dialect", "easify", "--base-url", sandbox.baseURL],
                environment: ["ROSTER_API_KEY": "basic-plan-key"])
            #expect(run.status == 1)
            #expect(run.errorOutput.contains("cannot read the contact list, so nothing was deleted: 403: Access denied"), "\(run.errorOutput)")
            #expect(!run.errorOutput.contains("not in the list"))
            #expect(try sandbox.requestCount("DELETE") == 0)
        }
    }
}

extension EndToEnd {
    @Suite("End to end: installing")
    struct InstallingTests {
        @Test func versionCompletionsForEveryShellAndTheirSubcommands() throws {
            let version = try runProcess(try rosterBinary, ["--version"])
            #expect(version.status == 0)
            #expect(version.output.range(of: #"^\d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil, "\(version.output)")
            for shell in ["bash", "zsh", "fish"] {
                let script = try runProcess(try rosterBinary, ["--generate-completion-script", shell])
                #expect(script.status == 0, "\(shell)")
                for command in ["list", "delete", "duplicates", "plan", "show-plan", "approve", "apply", "restore", "journal"] {
                    #expect(script.output.contains(command), "\(shell) completes \(command)")
                }
                #expect(script.output.contains("--where") || script.output.contains("where"), "\(shell) completes options")
            }
        }
    }
}
