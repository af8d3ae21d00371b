import ArgumentParser
import Foundation

@main
struct RosterBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster-bench",
        abstract: "Roster's benchmarks: each prints its measured figures beside their targets.",
        subcommands: [PacingBenchmark.self, TeamPacingBenchmark.self, SpeedBenchmark.self, JournalBenchmark.self, SlowLinkRelay.self])

    static func main() async {
        BenchCleanup.shared.endAllOnSignals()
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            BenchCleanup.shared.endAll()
            exit(withError: error)
        }
        BenchCleanup.shared.endAll()
    }
}

/// The `roster` binary built beside this one.
func rosterExecutable() throws -> String {
    let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    let path = URL(fileURLWithPath: own).deletingLastPathComponent().appendingPathComponent("roster").path
    guard FileManager.default.isExecutableFile(atPath: path) else {
        throw ValidationError("roster is not built beside roster-bench (\(path)); run swift build -c release first")
    }
    return path
}
