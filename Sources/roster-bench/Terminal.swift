import Foundation
import RosterTestSupport
import Synchronization

/// The shared tmux harness as the benchmark drives it: its server ends with the benchmark
/// when it is interrupted, and `waitFor` reads the screen again at once and says how long it
/// waited, for timing what reaches the screen.
final class BenchTerminal {
    let session: TmuxSession

    init(width: Int = 100, height: Int = 30, environment: [String] = []) throws {
        do {
            session = try TmuxSession(width: width, height: height, environment: environment, name: "roster-bench")
        } catch {
            throw BenchError("tmux is needed for the terminal figures: \(error)")
        }
        BenchCleanup.shared.adopt(socket: session.socket, tmux: session.tmux)
    }

    func run(_ command: String) { try? session.run(command) }

    func press(_ key: String) { try? session.press(key) }

    func screen() -> String { (try? session.screen()) ?? "" }

    func record(to path: String) { try? session.recordOutput(to: path) }

    /// The program the window's shell is running.
    func programPID() -> Int32? { (try? session.programPID()) ?? nil }

    /// Waits until the screen satisfies `condition`; returns it and the seconds waited.
    @discardableResult
    func waitFor(_ what: String, timeout: TimeInterval = 60, _ condition: (String) -> Bool) throws -> (screen: String, seconds: Double) {
        let start = Date()
        do {
            let screen = try session.waitFor(what, timeout: timeout, pollInterval: 0, condition)
            return (screen, Date().timeIntervalSince(start))
        } catch {
            throw BenchError("\(error)")
        }
    }

    deinit {
        BenchCleanup.shared.forget(socket: session.socket)
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

    /// A server its session ended.
    func forget(socket: String) {
        started.withLock { _ = $0.servers.removeValue(forKey: socket) }
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
        for (socket, tmux) in servers { spawnAndWait([tmux, "-L", socket, "kill-server"]) }
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
