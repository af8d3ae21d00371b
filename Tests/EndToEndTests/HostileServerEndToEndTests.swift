import Foundation
import RosterCore
import Testing
@testable import RosterSandbox

/// Roster against servers that are broken, hostile, or merely strict: the real binary against
/// `roster sandbox` with small limits and injected faults.
extension EndToEnd {
    @Suite("End to end: no server can stall or turn Roster")
    struct HostileServerEndToEndTests {
        func ids(_ count: Int, seed: UInt64, _ take: Int) -> [String] {
            SeedData.contacts(count: count, seed: seed).prefix(take).map { String($0.numericID) }
        }

        /// Issue: at Easify 4 per 2 s, four intents were journalled and no DELETE left in 100 s.
        @Test func aSmallEasifyLimitStillDeletes() throws {
            let sandbox = try SandboxProcess(["--dialect", "easify", "--contacts", "40", "--seed", "2", "--rate-limit", "4/2"])
            let state = try freshStateFolder("small-limit")
            let targets = ids(40, seed: 2, 10)
            let started = Date()
            let run = try rosterWithSandboxKey(
                ["delete", "--yes", "--ids-from", "-", "--dialect", "easify", "--base-url", sandbox.baseURL], state: state,
                input: targets.joined(separator: "\n"))
            #expect(run.status == 0, "\(run.errorOutput)")
            #expect(run.output.split(separator: "\n").filter { $0.hasPrefix("deleted ") }.count == 10)
            #expect(Date().timeIntervalSince(started) < 60)
        }

        /// Issue: SIGTERM did not end a batch whose requests waited for the window.
        @Test func aStopSignalEndsABatchWaitingForItsWindow() throws {
            let sandbox = try SandboxProcess(["--dialect", "easify", "--contacts", "40", "--seed", "2", "--rate-limit", "6/120"])
            let state = try freshStateFolder("stop-waiting")
            let process = Process()
            process.executableURL = URL(fileURLWithPath: try rosterBinary)
            process.arguments = ["delete", "--yes", "--dialect", "easify", "--base-url", sandbox.baseURL] + ids(40, seed: 2, 20)
            process.environment = ProcessInfo.processInfo.environment.merging(
                ["ROSTER_API_KEY": SandboxConfiguration.demoKey, "XDG_STATE_HOME": state]) { $1 }
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let deadline = Date().addingTimeInterval(30)
            while try sandbox.requestCount("DELETE") < 2, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
            // Now the rest wait for a window two minutes away.
            Thread.sleep(forTimeInterval: 1)
            let signalled = Date()
            kill(process.processIdentifier, SIGTERM)
            let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(Date().timeIntervalSince(signalled) < 5, "ended at once, not after the window")
            #expect(process.terminationStatus == 128 + SIGTERM)
            #expect(printed.contains("skipped"), "\(printed)")
            let records = try journalRecords(stateHome: state)
            let intents = records.filter { $0.kind == .intent }
            let outcomes = Set(records.filter { $0.kind == .outcome }.map(\.entry))
            #expect(intents.allSatisfy { outcomes.contains($0.entry) }, "every intent has its outcome: nothing left in doubt")
        }
    }
}
