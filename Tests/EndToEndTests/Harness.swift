import Foundation
import Testing
import RosterCore
import RosterSandbox
import RosterTestSupport

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

extension TmuxSession {
    /// A window whose journal is the tests' own scratch one.
    convenience init(width: Int = 100, height: Int = 30) throws {
        try self.init(width: width, height: height, environment: ["XDG_STATE_HOME=\(scratchStateHome)"])
    }

    /// Filters the list by `query`, as `/`, the query and Enter do.
    func filter(_ query: String) throws {
        try press("/")
        try type(query)
        try press("Enter")
    }

    /// Runs a command of the `:` line, as `:`, the command and Enter do.
    func command(_ text: String) throws {
        try press(":")
        try type(text)
        try press("Enter")
    }

    /// Types `key`, waits for the question it asks and answers it.
    func answer(_ key: String, asks question: String, with answer: String) throws {
        try type(key)
        try waitFor(text: question)
        try type(answer)
    }

    /// Presses `d` over `count` marked contacts and answers the batch's question with the count.
    func deleteMarked(_ count: Int) throws {
        try press("d")
        try waitFor(text: "Type \(count) and Enter")
        try type(String(count))
        try press("Enter")
    }
}

extension SandboxProcess {
    /// The sandbox of the roster binary under test.
    convenience init(_ arguments: [String]) throws {
        try self.init(roster: try rosterBinary, arguments: arguments)
    }
}

/// The `roster` process the tmux window's shell runs.
func rosterPID(in tmux: TmuxSession) throws -> pid_t {
    try #require(try tmux.programPID(), "roster is not running")
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

/// Writes `toml` as the config.toml of a config home (what `XDG_CONFIG_HOME` names), making
/// its `roster` folder first.
func writeConfig(_ toml: String, configHome: String) throws {
    try FileManager.default.createDirectory(atPath: configHome + "/roster", withIntermediateDirectories: true)
    try toml.write(toFile: configHome + "/roster/config.toml", atomically: true, encoding: .utf8)
}

/// Runs `roster` with the sandbox's key and the state folder `state`.
func rosterWithSandboxKey(_ arguments: [String], state: String, input: String? = nil) throws -> ProcessResult {
    try runProcess(
        try rosterBinary, arguments, environment: ["ROSTER_API_KEY": SandboxConfiguration.demoKey, "XDG_STATE_HOME": state], input: input)
}

/// A suite whose tests run `roster` against the sandbox with its key.
protocol SandboxKeyed {}

extension SandboxKeyed {
    var key: [String: String] { ["ROSTER_API_KEY": SandboxConfiguration.demoKey] }
}

/// A suite whose tests run `roster` as a script would: with the sandbox's key unless they give
/// another environment.
protocol HeadlessSuite: SandboxKeyed {}

extension HeadlessSuite {
    func roster(_ arguments: [String], environment: [String: String]? = nil) throws -> ProcessResult {
        try runProcess(try rosterBinary, arguments, environment: environment ?? key)
    }
}

/// A suite whose tests each keep a journal of their own: `roster` runs with the sandbox's key
/// and a state folder `freshState()` makes.
protocol JournalledSuite: SandboxKeyed {
    /// Names the suite's state folders, to tell them apart in the temporary folder.
    static var stateTag: String { get }
}

extension JournalledSuite {
    func roster(_ arguments: [String], state: String, input: String? = nil) throws -> ProcessResult {
        try rosterWithSandboxKey(arguments, state: state, input: input)
    }

    func freshState() throws -> String {
        try freshStateFolder(Self.stateTag)
    }

    /// Starts `roster` and kills it (SIGKILL) once the sandbox has counted `count` requests
    /// of `method`, or after `timeout` seconds: a crash at a chosen point of a batch.
    func killRoster(
        _ arguments: [String], state: String, when sandbox: SandboxProcess, counts count: Int, of method: String, timeout: Double
    ) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try rosterBinary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(key.merging(["XDG_STATE_HOME": state]) { $1 }) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while try sandbox.requestCount(method) < count, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
