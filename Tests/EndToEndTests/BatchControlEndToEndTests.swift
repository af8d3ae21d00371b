import Foundation
import Testing
import RosterCore
@testable import RosterSandbox
import RosterTestSupport

/// The keys that steer a running batch, at the awkward moments: pause while requests wait
/// for the rate window, Esc while a filter is open, stop and resume, Ctrl-Z during the undo
/// window, q as a deletion completes. The real binary in tmux against `roster sandbox`.
extension EndToEnd {
    @Suite("End to end: steering a batch")
    struct BatchControlEndToEndTests {
        let key = ["ROSTER_API_KEY": SandboxConfiguration.demoKey]

        func start(_ sandbox: SandboxProcess, undo: Int) throws -> TmuxSession {
            let tmux = try TmuxSession()
            try tmux.run(
                "ROSTER_API_KEY=\(SandboxConfiguration.demoKey) \(try rosterBinary) --dialect sendme123 --base-url \(sandbox.baseURL) --undo-seconds \(undo)")
            try tmux.waitFor("the first page") { $0.contains("Roster ·") && $0.contains("@example") }
            return tmux
        }

        /// Marks the first `count` rows and confirms their deletion.
        func markAndConfirm(_ count: Int, in tmux: TmuxSession) throws {
            for _ in 0..<count { try tmux.type(" ") }
            try tmux.waitFor(text: "● \(count) marked")
            try tmux.deleteMarked(count)
        }

        /// The issue's case: 12 marked, paused at 2/12 while more wait in the pacer for the
        /// next window; windows pass and the server counts no DELETE more. Then stop and resume.
        @Test func pauseHoldsEverythingNotSentAndStopThenResumeFinishesTheRest() throws {
            // Six requests per 3 s: a look-up and a DELETE per contact, so requests queue.
            let sandbox = try SandboxProcess(["--dialect", "sendme123", "--contacts", "60", "--seed", "11", "--rate-limit", "6/3"])
            let seeded = SeedData.contacts(count: 60, seed: 11)
            let tmux = try start(sandbox, undo: 0)
            try markAndConfirm(12, in: tmux)
            try tmux.waitFor("two contacts done", timeout: 30) { (progressCount($0, total: 12) ?? 0) >= 2 }
            try tmux.type("p")
            try tmux.waitFor(text: "PAUSED")
            // What was on the wire at the pause finishes within a second on loopback.
            Thread.sleep(forTimeInterval: 1)
            let deletesAtPause = try sandbox.requestCount("DELETE")
            let requestsAtPause = try sandbox.stats()["requests"] as? Int
            let screenAtPause = try tmux.screen()
            Thread.sleep(forTimeInterval: 8)
            #expect(try sandbox.requestCount("DELETE") == deletesAtPause, "windows reset during the pause and nothing more was sent")
            #expect(try sandbox.stats()["requests"] as? Int == requestsAtPause)
            #expect(progressCount(try tmux.screen(), total: 12) == progressCount(screenAtPause, total: 12))

            // Esc while a filter is open closes the filter; the batch stays paused, not stopped.
            try tmux.press("/")
            try tmux.type("zz")
            try tmux.press("Escape")
            try tmux.press("Escape")
            let afterEsc = try tmux.waitFor(text: "x stops it")
            #expect(afterEsc.contains("PAUSED"))

            // x asks; any other key keeps it; y stops it.
            try tmux.answer("x", asks: "Stop the batch?", with: "n")
            try tmux.waitFor(text: "The batch goes on.")
            try tmux.answer("x", asks: "Stop the batch?", with: "y")
            let stopped = try tmux.waitFor(text: "Batch results (stopped)", timeout: 20)
            #expect(stopped.contains("Batch stopped (stopped by you):"))
            #expect(!stopped.contains("Batch finished"))
            #expect(stopped.contains("r resumes the"))
            let notSent = try #require(stopped.range(of: #"(\d+) not sent"#, options: .regularExpression).map {
                Int(stopped[$0].split(separator: " ")[0])!
            })
            #expect(notSent >= 6)
            #expect(try sandbox.requestCount("DELETE") == deletesAtPause, "stopping withdrew what the pause held")

            // r in the results resumes: the not sent are asked for again and go.
            try tmux.type("r")
            try tmux.waitFor(text: "Type \(notSent) and Enter")
            try tmux.type(String(notSent))
            try tmux.press("Enter")
            try tmux.waitFor(text: "Batch finished:", timeout: 60)
            let remaining = Set(try listIDs(sandbox))
            let locked = seeded.prefix(12).filter(\.hasPendingMessages)
            #expect(seeded.prefix(12).filter { remaining.contains($0.uuid) }.count == locked.count, "all twelve are done")
            try tmux.press("Escape")
            try tmux.type("q")
            try tmux.waitFor("the shell to come back") { !$0.contains("Roster ·") }
        }

        /// Ctrl-Z during the undo window holds the countdown; after fg the rest of the window
        /// is still there and nothing leaves early.
        @Test func suspendingDuringTheUndoWindowHoldsTheCountdown() throws {
            let sandbox = try SandboxProcess(["--dialect", "sendme123", "--contacts", "30", "--rate-limit", "100/60"])
            let tmux = try start(sandbox, undo: 6)
            try markAndConfirm(2, in: tmux)
            try tmux.waitFor(text: "Deleting 2 contacts in")
            Thread.sleep(forTimeInterval: 1)
            try tmux.press("C-z")
            // Stopped at once, not seconds later (the stop once raced Roster's own handler).
            try tmux.waitFor(text: "Stopped", timeout: 2)
            Thread.sleep(forTimeInterval: 7)
            #expect(try sandbox.requestCount("DELETE") == 0)
            try tmux.run("fg")
            let back = try tmux.waitFor(text: "left to undo")
            #expect(back.contains("Deleting 2 contacts in"))
            Thread.sleep(forTimeInterval: 1.5)
            #expect(try sandbox.requestCount("DELETE") == 0, "the window was held while Roster was stopped")
            try tmux.type("u")
            try tmux.waitFor(text: "Undone")
            #expect(try sandbox.requestCount("DELETE") == 0)
            try tmux.type("q")
            try tmux.waitFor("the shell to come back") { !$0.contains("Roster ·") }
        }

        /// q as a deletion is in flight asks in a dialog; left unanswered, Roster quits as asked
        /// once the deletion's answer has arrived (and the journal has it).
        @Test func quitWithADeletionInFlightAsksThenLeavesOnceItEnds() throws {
            let sandbox = try SandboxProcess(["--dialect", "sendme123", "--contacts", "30", "--seed", "2", "--faults", "latency=2"])
            let tmux = try start(sandbox, undo: 0)
            try tmux.answer("d", asks: "Delete this contact?", with: "y")
            try tmux.type("q")
            try tmux.waitFor(text: "Quit Roster?")
            try tmux.waitFor("the shell to come back once the deletion ended", timeout: 20) { !$0.contains("Roster ·") }
            #expect(try sandbox.requestCount("DELETE") == 1, "the deletion on the wire was let finish")
        }

        func listIDs(_ sandbox: SandboxProcess) throws -> [String] {
            let list = try runProcess(try rosterBinary, ["list", "--json", "--dialect", "sendme123", "--base-url", sandbox.baseURL], environment: key)
            let rows = try #require(try JSONSerialization.jsonObject(with: Data(list.output.utf8)) as? [[String: Any]])
            return rows.compactMap { $0["id"] as? String }
        }
    }
}
