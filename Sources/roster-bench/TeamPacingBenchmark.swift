import ArgumentParser
import Foundation
import RosterSandbox
import RosterTestSupport

/// Two operators' headless deletes at once against one account: each Roster alone, and both
/// on one team's journal in PostgreSQL, which shares the account's rate limit between them.
/// Needs PostgreSQL installed (a throwaway cluster on loopback is started and stopped).
struct TeamPacingBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team", abstract: "Two Rosters deleting at once on one account: alone, and sharing its quota through a team's store.")

    @Option(help: "Contacts each of the two deletes.")
    var contacts = 200

    @Option(help: "Requests allowed per window.")
    var limit = 20

    @Option(help: "Window length in seconds.")
    var window = 2.0

    mutating func run() async throws {
        let roster = try rosterExecutable()
        guard PostgresCluster.isAvailable else { throw ValidationError("PostgreSQL is not installed (initdb under /usr/lib/postgresql/*/bin)") }
        let cluster = try PostgresCluster.dedicated()
        print("Two headless deletes of \(contacts) contacts each, at once, on one sandbox (Easify dialect) limited to \(limit) per \(window.formatted()) s")
        print("rate/limit = accepted requests per second (both together) ÷ the limit's rate (\((Double(limit) / window).formatted()) per second)")
        print("")
        print(pad("journals", 30) + pad("elapsed", 10) + pad("rate/limit", 12) + pad("429s", 7) + pad("deleted", 10) + "target")
        var counted: (statements: Int, deletions: Int)?
        for shared in [false, true] {
            let url = shared ? try cluster.makeDatabase("bench") : nil
            let statements = try url.map(cluster.countStatements)
            let before = statements?() ?? 0
            let (line, deleted) = try await runBoth(roster, url: url, password: cluster.password)
            print(line)
            if let statements { counted = (statements() - before, deleted) }
        }
        if let counted, counted.deletions > 0 {
            print("")
            print(String(
                format: "the team store received %d statements for %d deletions: %.1f round trips a deletion (each opening of the store included; target: at most 10)",
                counted.statements, counted.deletions, Double(counted.statements) / Double(counted.deletions)))
        }
    }

    /// The run's row, and how many contacts it deleted.
    private func runBoth(_ roster: String, url: String?, password: String) async throws -> (String, Int) {
        let server = try await SandboxServer.start(SandboxConfiguration(
            dialect: .easify, contactCount: contacts * 2, seed: 7, rateLimit: limit, rateWindowSeconds: window, rateHeaders: .laravel))
        let ids = (1...(contacts * 2)).map { String(2_812_000 + $0) }
        let arguments = ["delete", "--yes", "--ids-from", "-", "--dialect", "easify", "--base-url", server.baseURL, "--rate-limit", "\(limit)/\(window)"]
        let started = Date()
        let statuses = await withTaskGroup(of: Int32.self) { group in
            for (index, name) in ["ops-a", "ops-b"].enumerated() {
                let state = FileManager.default.temporaryDirectory.appendingPathComponent("roster-bench-\(name)-\(UUID().uuidString.prefix(8))").path
                var environment = ["XDG_STATE_HOME": state, "USER": name]
                if let url { environment.merge(["ROSTER_JOURNAL_URL": url, "PGPASSWORD": password]) { $1 } }
                let settings = environment
                let mine = ids[(index * contacts)..<((index + 1) * contacts)].joined(separator: "\n")
                group.addTask {
                    // On a thread of its own: waiting for a process must not hold the pool the
                    // sandbox answers on.
                    await withCheckedContinuation { continuation in
                        DispatchQueue.global().async {
                            continuation.resume(returning: (try? runProcess(roster, arguments, input: mine, environment: settings)) ?? -1)
                        }
                    }
                }
            }
            return await group.reduce(into: [Int32]()) { $0.append($1) }
        }
        let elapsed = Date().timeIntervalSince(started)
        let stats = try await PacingBenchmark().statistics(server)
        await server.stop()
        let accepted = stats.requests - stats.refused
        let ratio = Double(accepted) / elapsed / (Double(limit) / window)
        let label = url == nil ? "each its own (SQLite)" : "one team store (PostgreSQL)"
        let target = url == nil ? "comparison: they race for one quota" : "≥ 0.90 together, no 429"
        let deleted = contacts * 2 - stats.remaining
        let row = pad(label, 30) + pad(String(format: "%.1f s", elapsed), 10) + pad(String(format: "%.2f", ratio), 12)
            + pad(String(stats.refused), 7) + pad("\(deleted)/\(contacts * 2)", 10) + target
            + (statuses.allSatisfy { $0 == 0 } ? "" : " (exit \(statuses))")
        return (row, deleted)
    }
}
