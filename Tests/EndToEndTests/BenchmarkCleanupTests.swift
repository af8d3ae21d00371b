import Foundation
import Testing
import RosterTestSupport

/// `roster-bench speed` drives the real binary in tmux servers of its own: every one of them,
/// and every process in them, ends with the benchmark, also when it is interrupted.
extension EndToEnd {
    @Suite("End to end: the benchmark ends what it starts")
    struct BenchmarkCleanupTests {
        var bench: String {
            get throws { URL(fileURLWithPath: try rosterBinary).deletingLastPathComponent().appendingPathComponent("roster-bench").path }
        }

        /// The command lines of running tmux servers the benchmark started (its sockets are
        /// `roster-bench-…`).
        func benchServers() -> [String] {
            let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
            return processes.filter { $0.allSatisfy(\.isNumber) }.compactMap { pid in
                guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return nil }
                let line = String(decoding: data.map { $0 == 0 ? 0x20 : $0 }, as: UTF8.self)
                return line.contains("tmux") && line.contains("-L roster-bench-") ? line : nil
            }
        }

        func waitFor(_ what: String, timeout: TimeInterval, _ condition: () -> Bool) throws {
            let deadline = Date().addingTimeInterval(timeout)
            while !condition() {
                guard Date() < deadline else { throw HarnessError("timed out waiting for \(what): \(benchServers())") }
                Thread.sleep(forTimeInterval: 0.1)
            }
        }

        @Test func aRunAndAnInterruptedRunLeaveNoTmuxServerBehind() throws {
            let binary = try bench
            try #require(FileManager.default.isExecutableFile(atPath: binary), "roster-bench is built beside roster")
            #expect(benchServers().isEmpty, "none before")
            let run = try runProcess(binary, ["speed", "--only", "startup"])
            #expect(run.status == 0, "\(run.errorOutput)")
            #expect(run.output.contains("start-up"))
            try waitFor("the servers of a finished run to end", timeout: 5) { benchServers().isEmpty }

            let interrupted = Process()
            interrupted.executableURL = URL(fileURLWithPath: binary)
            interrupted.arguments = ["speed", "--only", "idle", "--idle-seconds", "120"]
            interrupted.standardOutput = FileHandle.nullDevice
            interrupted.standardError = FileHandle.nullDevice
            try interrupted.run()
            try waitFor("the idle figure's tmux server", timeout: 30) { !benchServers().isEmpty }
            Thread.sleep(forTimeInterval: 1)
            kill(interrupted.processIdentifier, SIGINT)
            interrupted.waitUntilExit()
            #expect(interrupted.terminationStatus == 130)
            try waitFor("the servers of an interrupted run to end", timeout: 5) { benchServers().isEmpty }
        }
    }
}
