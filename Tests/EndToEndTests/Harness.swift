import Foundation
import Testing
import RosterCore

/// Every end-to-end suite runs inside this one, one test at a time: they start processes
/// (tmux servers, sandboxes) that must not inherit each other's pipes.
@Suite(.serialized, .timeLimit(.minutes(3))) struct EndToEnd {}

/// The package's root folder, found from this file's place in it.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

/// The built `roster` executable: `ROSTER_BINARY`, or the debug build `swift test` makes.
var rosterBinary: String {
    get throws {
        let path = ProcessInfo.processInfo.environment["ROSTER_BINARY"] ?? packageRoot.appendingPathComponent(".build/debug/roster").path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw HarnessError("the roster binary is not at \(path); run swift build first or set ROSTER_BINARY")
        }
        return path
    }
}

/// A state folder of the tests' own, so their journals never mix with a real one.
let scratchStateHome: String = {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-e2e-state-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.path
}()

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

struct ProcessResult {
    var status: Int32
    var output: String
    var errorOutput: String
}

/// Runs a program to completion and returns what it printed.
func runProcess(_ executable: String, _ arguments: [String], environment: [String: String] = [:], input: String? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment
        .merging(["XDG_STATE_HOME": scratchStateHome]) { $1 }
        .merging(environment) { $1 }
    let output = Pipe()
    let errors = Pipe()
    let standardInput = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = standardInput
    try process.run()
    if let input { standardInput.fileHandleForWriting.write(Data(input.utf8)) }
    try standardInput.fileHandleForWriting.close()
    let outputData = output.fileHandleForReading.readDataToEndOfFile()
    let errorData = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus,
        output: String(decoding: outputData, as: UTF8.self),
        errorOutput: String(decoding: errorData, as: UTF8.self))
}

/// Runs a program with posix_spawn and waits for it. tmux's client forks the server, which
/// Foundation's Process does not always notice exiting, so tmux is run this way.
@discardableResult
func spawnAndWait(_ arguments: [String], outputPath: String = "/dev/null") -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    // A tmux server lives on: it must not inherit another test's pipes and hold them open.
    for descriptor in 3..<1024 where fcntl(Int32(descriptor), F_GETFD) != -1 {
        posix_spawn_file_actions_addclose(&actions, Int32(descriptor))
    }
    // Every signal at its default and none blocked, whatever the test runner set: tmux and
    // the programs under it must see Ctrl-Z and friends as a terminal session would.
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var defaults = sigset_t()
    sigfillset(&defaults)
    sigdelset(&defaults, SIGKILL)
    sigdelset(&defaults, SIGSTOP)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ) == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status >> 8) & 0xFF
}

func which(_ program: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(directory)/\(program)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// A tmux server of the test's own, with one window running a plain shell, for driving the
/// real binary as a person would and reading the screen back.
final class TmuxSession {
    let socket: String
    let tmux: String

    init(width: Int = 100, height: Int = 30) throws {
        guard let tmux = which("tmux") else { throw HarnessError("tmux is needed for the end-to-end tests (apt-get install tmux)") }
        self.tmux = tmux
        socket = "roster-e2e-\(UUID().uuidString.prefix(8))"
        let status = spawnAndWait([
            tmux, "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", String(width), "-y", String(height),
            "env", "PS1=$ ", "TERM=tmux-256color", "LANG=C.UTF-8", "XDG_STATE_HOME=\(scratchStateHome)",
            "bash", "--norc", "--noprofile",
        ])
        guard status == 0 else { throw HarnessError("tmux did not start (status \(status))") }
        _ = spawnAndWait([tmux, "-L", socket, "set-option", "-g", "escape-time", "0"])
    }

    func type(_ text: String) throws {
        _ = spawnAndWait([tmux, "-L", socket, "send-keys", "-l", text])
    }

    func press(_ keys: String...) throws {
        _ = spawnAndWait([tmux, "-L", socket, "send-keys"] + keys)
    }

    func run(_ command: String) throws {
        try type(command)
        try press("Enter")
    }

    func screen() throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-screen.txt").path
        _ = spawnAndWait([tmux, "-L", socket, "capture-pane", "-p"], outputPath: file)
        return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    }

    /// Copies every byte the window's programs write to the terminal into `path`.
    func recordOutput(to path: String) throws {
        _ = spawnAndWait([tmux, "-L", socket, "pipe-pane", "-o", "cat >> '\(path)'"])
    }

    /// The screen with its attributes and colours as escape sequences.
    func styledScreen() throws -> String {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-styled.txt").path
        _ = spawnAndWait([tmux, "-L", socket, "capture-pane", "-e", "-p"], outputPath: file)
        return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
    }

    /// The process id of the program the window runs (after `exec`, the program itself).
    func panePID() throws -> pid_t {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("\(socket)-pid.txt").path
        _ = spawnAndWait([tmux, "-L", socket, "display-message", "-p", "#{pane_pid}"], outputPath: file)
        let text = (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
        guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw HarnessError("tmux gave no pane pid: \(text)")
        }
        return pid
    }

    func resize(width: Int, height: Int) throws {
        _ = spawnAndWait([tmux, "-L", socket, "resize-window", "-x", String(width), "-y", String(height)])
    }

    /// Waits until the screen satisfies `condition`; fails with the last screen if it never does.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 15, _ condition: (String) -> Bool) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw HarnessError("timed out waiting for \(what); the screen was:\n\(last)")
    }

    @discardableResult
    func waitFor(text: String, timeout: TimeInterval = 15) throws -> String {
        try waitFor("'\(text)'", timeout: timeout) { $0.contains(text) }
    }

    deinit {
        _ = spawnAndWait([tmux, "-L", socket, "kill-server"])
    }
}

/// A `roster sandbox` process, stopped when released.
final class SandboxProcess {
    let process = Process()
    let baseURL: String
    let origin: String

    init(_ arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: try rosterBinary)
        process.arguments = ["sandbox"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let handle = output.fileHandleForReading
        while !text.contains("Ctrl-C stops it.") {
            let chunk = handle.availableData
            if chunk.isEmpty { throw HarnessError("roster sandbox exited early: \(text)") }
            text += String(decoding: chunk, as: UTF8.self)
        }
        guard let urlLine = text.split(separator: "\n").first(where: { $0.hasPrefix("url:") }),
              let statsLine = text.split(separator: "\n").first(where: { $0.hasPrefix("stats:") }) else {
            throw HarnessError("roster sandbox printed no url: \(text)")
        }
        baseURL = urlLine.dropFirst("url:".count).trimmingCharacters(in: .whitespaces)
        origin = statsLine.dropFirst("stats:".count).trimmingCharacters(in: .whitespaces)
            .replacingOccurrences(of: "/_sandbox/stats", with: "")
    }

    /// The sandbox's own counts: requests, by status and by method, contacts left, deleted.
    func stats() throws -> [String: Any] {
        let curl = try which("curl") ?? { throw HarnessError("curl is needed for the sandbox's stats") }()
        let result = try runProcess(curl, ["-s", origin + "/_sandbox/stats"])
        guard let json = try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any] else {
            throw HarnessError("the sandbox's stats are not JSON: \(result.output)")
        }
        return json
    }

    /// Changes the faults in force (`drop=0.25`, or "" for none), as a network that gets
    /// better or worse mid-test.
    func setFaults(_ faults: String) throws {
        let curl = try which("curl") ?? { throw HarnessError("curl is needed for the sandbox's faults") }()
        let result = try runProcess(curl, ["-s", "-X", "POST", "--data-binary", faults, origin + "/_sandbox/faults"])
        guard result.output.contains("faults changed") else { throw HarnessError("the sandbox refused the faults \(faults): \(result.output)") }
    }

    func requestCount(_ method: String) throws -> Int {
        ((try stats()["methods"] as? [String: Any])?[method] as? Int) ?? 0
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }
}

/// The `roster` process the tmux window's shell runs.
func rosterPID(in tmux: TmuxSession) throws -> pid_t {
    let shell = try tmux.panePID()
    let children = try runProcess(try #require(which("pgrep")), ["-P", String(shell)])
    return try #require(children.output.split(separator: "\n").compactMap { pid_t($0) }.first, "roster is not running")
}

/// How many of `total` the progress line says are done, if it shows.
func progressCount(_ screen: String, total: Int) -> Int? {
    guard let range = screen.range(of: #"\d+/\#(total) · "#, options: .regularExpression) else { return nil }
    return Int(screen[range].split(separator: "/")[0])
}

/// A socket listening on a free loopback port that never accepts: connections open and
/// nothing answers. Closed, the port is free (and refuses connections).
func listeningSocket() throws -> (descriptor: Int32, port: Int) {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(descriptor, pointer, length) == 0 && listen(descriptor, 16) == 0 && getsockname(descriptor, pointer, &length) == 0
        }
    }
    guard bound else {
        close(descriptor)
        throw HarnessError("could not listen on loopback")
    }
    return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
}


/// The journal's records under a state folder, as `roster journal --json` prints them.
func journalRecords(stateHome: String = scratchStateHome, demo: Bool = false) throws -> [JournalRecord] {
    let result = try runProcess(try rosterBinary, ["journal", "--json"] + (demo ? ["--demo"] : []), environment: ["XDG_STATE_HOME": stateHome])
    return result.output.split(separator: "\n").compactMap { JournalRecord.decode(line: String($0)) }
}

/// A state folder of one test's own: its journal apart from every other test's.
func freshStateFolder(_ name: String) throws -> String {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    return folder.path
}

/// Runs `roster` with the sandbox's key and the state folder `state`.
func rosterWithSandboxKey(_ arguments: [String], state: String, input: String? = nil) throws -> ProcessResult {
    try runProcess(
        try rosterBinary, arguments, environment: ["ROSTER_API_KEY": "roster-demo-key", "XDG_STATE_HOME": state], input: input)
}
