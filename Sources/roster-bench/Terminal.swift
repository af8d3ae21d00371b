import Foundation
import Synchronization

/// Runs a program and returns what it printed (standard error discarded). A program that
/// leaves a daemon behind (tmux starting its server) must not capture: the daemon would hold
/// the pipe open forever.
@discardableResult
func shell(_ executable: String, _ arguments: [String], capture: Bool = true) -> String {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    guard capture else {
        // posix_spawn with every inherited descriptor closed: Foundation's Process may wait
        // for the daemon too.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor: Int32 in 0...2 {
            posix_spawn_file_actions_addopen(&actions, descriptor, "/dev/null", descriptor == 0 ? O_RDONLY : O_WRONLY, 0)
        }
        for descriptor in 3..<1024 where fcntl(Int32(descriptor), F_GETFD) != -1 {
            posix_spawn_file_actions_addclose(&actions, Int32(descriptor))
        }
        // Default signal handling and nothing blocked: a thread of this process may block
        // signals, and what it spawns would inherit that. A tmux server whose shells block
        // SIGHUP never finishes kill-server, and stays.
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
        var argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, executable, &actions, &attributes, &argv, environ) == 0 else { return "" }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return ""
    }
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    do { try process.run() } catch { return "" }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self)
}

func locate(_ program: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(directory)/\(program)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// A tmux server of the benchmark's own with one 100×30 window, to drive the real binary as
/// a person would and time what reaches the screen.
final class BenchTerminal {
    let tmux: String
    let socket = "roster-bench-\(UUID().uuidString.prefix(8))"

    init(width: Int = 100, height: Int = 30, environment: [String] = []) throws {
        guard let tmux = locate("tmux") else { throw BenchError("tmux is needed for the terminal figures") }
        self.tmux = tmux
        shell(tmux, [
            "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", String(width), "-y", String(height),
            "env", "PS1=$ ", "TERM=tmux-256color", "LANG=C.UTF-8",
        ] + environment + ["bash", "--norc", "--noprofile"], capture: false)
        shell(tmux, ["-L", socket, "set-option", "-g", "escape-time", "0"])
        BenchCleanup.shared.adopt(socket: socket, tmux: tmux)
    }

    func run(_ command: String) {
        shell(tmux, ["-L", socket, "send-keys", "-l", command])
        shell(tmux, ["-L", socket, "send-keys", "Enter"])
    }

    func press(_ key: String) {
        shell(tmux, ["-L", socket, "send-keys", key])
    }

    func screen() -> String {
        shell(tmux, ["-L", socket, "capture-pane", "-p"])
    }

    func record(to path: String) {
        shell(tmux, ["-L", socket, "pipe-pane", "-o", "cat >> '\(path)'"])
    }

    /// The program the window's shell is running.
    func programPID() -> Int32? {
        let shellPID = shell(tmux, ["-L", socket, "display-message", "-p", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let pgrep = locate("pgrep") else { return nil }
        return shell(pgrep, ["-P", shellPID]).split(separator: "\n").compactMap { Int32($0) }.first
    }

    /// Waits until the screen satisfies `condition`; returns it and the seconds waited.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 60, _ condition: (String) -> Bool) throws -> (screen: String, seconds: Double) {
        let start = Date()
        while Date().timeIntervalSince(start) < timeout {
            let text = screen()
            if condition(text) { return (text, Date().timeIntervalSince(start)) }
        }
        throw BenchError("timed out waiting for \(what); the screen was:\n\(screen())")
    }

    deinit {
        BenchCleanup.shared.end(socket: socket)
    }
}

/// Every process the benchmark starts ends with it: tmux servers (and the shells and
/// programs in them) and sandboxes, when their figure is done, and all of them at once when
/// the benchmark is interrupted (Ctrl-C, SIGTERM, SIGHUP).
final class BenchCleanup: Sendable {
    static let shared = BenchCleanup()

    private struct Started {
        var servers: [String: String] = [:]
        var processes: [Int32] = []
    }

    private let started = Mutex(Started())

    func adopt(socket: String, tmux: String) {
        started.withLock { $0.servers[socket] = tmux }
    }

    func adopt(process: Int32) {
        started.withLock { $0.processes.append(process) }
    }

    func end(socket: String) {
        guard let tmux = started.withLock({ $0.servers.removeValue(forKey: socket) }) else { return }
        shell(tmux, ["-L", socket, "kill-server"])
    }

    func end(process: Int32) {
        forget(process: process)
        kill(process, SIGTERM)
    }

    /// A process that ended by itself.
    func forget(process: Int32) {
        started.withLock { $0.processes.removeAll { $0 == process } }
    }

    /// Ends everything still running.
    func endAll() {
        let (servers, processes) = started.withLock { started in
            defer { started = Started() }
            return (started.servers, started.processes)
        }
        for (socket, tmux) in servers { shell(tmux, ["-L", socket, "kill-server"]) }
        for process in processes { kill(process, SIGTERM) }
    }

    /// On a termination signal: end everything, then leave as the signal would (128 + n).
    func endAllOnSignals() {
        for number in [SIGINT, SIGTERM, SIGHUP] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                progress("interrupted: ending the tmux servers and sandboxes the benchmark started…")
                BenchCleanup.shared.endAll()
                exit(128 + number)
            }
            source.resume()
            signalSources.append(source)
        }
    }
}

/// The signal sources, kept alive for the run; set once at start, before any task.
nonisolated(unsafe) private var signalSources: [any DispatchSourceSignal] = []

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The row of the cursor (`›`) on a captured screen.
func cursorRow(_ screen: String) -> Int? {
    screen.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("›") }
}

/// CPU seconds (user + system) a process has used, from /proc.
func cpuSeconds(of pid: Int32) -> Double? {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
          let close = stat.lastIndex(of: ")") else { return nil }
    let fields = stat[stat.index(after: close)...].split(separator: " ")
    // After the command: state is field 3, utime 14 and stime 15 (1-based), so 11 and 12 here.
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

/// Resident memory of a process in MB, from /proc.
func residentMB(of pid: Int32) -> Double? { statusMB("VmRSS:", of: pid) }

/// The most the process has ever held resident.
func peakMB(of pid: Int32) -> Double? { statusMB("VmHWM:", of: pid) }

private func statusMB(_ field: String, of pid: Int32) -> Double? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = status.split(separator: "\n").first(where: { $0.hasPrefix(field) }),
          let kilobytes = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
    return kilobytes / 1024
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[sorted.count / 2]
}

func percentile(_ values: [Double], _ fraction: Double) -> Double {
    let sorted = values.sorted()
    return sorted.isEmpty ? .nan : sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
}
