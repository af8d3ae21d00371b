import Foundation
import RosterTestSupport
import RosterCore
import RosterTUI

// What scrolling costs on the wire: bytes per line beside less, and keypress to screen
// through a modem-speed link.
extension SpeedBenchmark {
    /// Bytes written for one line of scrolling, Roster against `less` on the same rows.
    func bytesOnTheWire(_ roster: String) throws -> Row {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-bench-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let terminal = try BenchTerminal()
        let rosterOut = folder.appendingPathComponent("roster.out").path
        terminal.run("\(roster) --demo")
        try terminal.waitFor("the demo") { $0.contains("contacts loaded") && cursorRow($0) != nil }
        try readyToScroll(terminal)
        terminal.record(to: rosterOut)
        let rosterBytes = try scrollSamples(terminal, output: rosterOut, key: "j")
        // The same rows as Roster draws them, for less: page through and keep each list line
        // once (the cursor's marker blanked).
        terminal.press("g")
        Thread.sleep(forTimeInterval: 0.3)
        var seen = Set<String>()
        var lines: [String] = []
        for _ in 0..<12 {
            for line in terminal.screen().split(separator: "\n") where line.hasPrefix("  ") || line.hasPrefix("›") || line.hasPrefix(" ●") {
                let row = " " + line.dropFirst()
                if row.contains("NAME") || row.contains("DEMO:") || row.contains("Loading") || !seen.insert(row).inserted { continue }
                lines.append(row)
            }
            terminal.press("f")
            Thread.sleep(forTimeInterval: 0.2)
        }
        terminal.press("q")

        let pager = try BenchTerminal()
        guard let less = which("less") else { throw BenchError("less is needed for the comparison") }
        let lessOut = folder.appendingPathComponent("less.out").path
        let rowsFile = folder.appendingPathComponent("rows.txt").path
        try lines.joined(separator: "\n").write(toFile: rowsFile, atomically: true, encoding: .utf8)
        pager.run("\(less) -S \(rowsFile)")
        let firstRow = String(lines.first?.prefix(12) ?? "")
        try pager.waitFor("less") { $0.contains(firstRow) }
        pager.record(to: lessOut)
        let lessBytes = try scrollSamples(pager, output: lessOut, key: "j")
        pager.press("q")
        let ratio = rosterBytes / max(1, lessBytes)
        return Row(
            what: "bytes on the wire", measured: String(format: "%.0f B per line (less: %.0f B, %.2f×)", rosterBytes, lessBytes, ratio),
            target: "within 1.5× of less", met: ratio <= 1.5,
            note: "one line of scrolling in a 100×30 list (after the gauge's countdown), tmux pipe-pane; less shows Roster's own rows; median of 15")
    }

    /// Puts the cursor on the list's bottom row, so each j scrolls it by one line, once the
    /// screen is still (over a slow link the first frames take a while), and waits out the
    /// gauge's countdown: its once-a-second redraws are not scrolling.
    func readyToScroll(_ terminal: BenchTerminal) throws {
        var first = terminal.screen()
        var still = Date()
        while Date().timeIntervalSince(still) < 1 {
            let now = terminal.screen()
            if now != first { first = now; still = Date() }
        }
        let listRows = first.split(separator: "\n", omittingEmptySubsequences: false).filter { $0.hasPrefix("  ") || $0.hasPrefix("›") }.count
        for _ in 0..<listRows { terminal.press("j") }
        try terminal.waitFor("the gauge's countdown to end", timeout: 90) { screen in
            let status = screen.split(separator: "\n").last.map(String.init) ?? ""
            return status.range(of: #"\d+s\s*$"#, options: .regularExpression) == nil
        }
        Thread.sleep(forTimeInterval: 1)
    }

    /// One line of scrolling, as the bytes figure scrolls it, with Roster's output reaching
    /// the terminal through a 56 kbit/s link (`roster-bench slow-link`): keypress to screen.
    func slowLink(_ roster: String) throws -> Row {
        let own = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        let terminal = try BenchTerminal()
        terminal.run("\(own) slow-link --bytes-per-second 7000 -- \(roster) --demo")
        try terminal.waitFor("the demo over the slow link", timeout: 60) { $0.contains("contacts loaded") && cursorRow($0) != nil }
        try readyToScroll(terminal)
        func cursorLine(_ screen: String) -> String {
            screen.split(separator: "\n", omittingEmptySubsequences: false).first { $0.hasPrefix("›") }.map(String.init) ?? ""
        }
        var samples: [Double] = []
        for _ in 0..<15 {
            let before = cursorLine(terminal.screen())
            var screen = terminal.screen()
            let start = Date()
            terminal.press("j")
            // Keypress to the whole frame on screen: the last change seen before the screen
            // stays still for a fifth of a second.
            var lastChange = start
            while Date().timeIntervalSince(lastChange) < 0.2 || cursorLine(screen) == before {
                let now = terminal.screen()
                if now != screen { screen = now; lastChange = Date() }
                if Date().timeIntervalSince(start) > 10 { throw BenchError("the scroll did not arrive over the slow link") }
            }
            samples.append(lastChange.timeIntervalSince(start))
        }
        terminal.press("q")
        let value = median(samples) * 1000
        return Row(
            what: "slow link", measured: String(format: "%.0f ms median at 56 kbit/s", value), target: "under 100 ms", met: value < 100,
            note: "one line of scrolling as above, keypress to screen, Roster's output through a 56 kbit/s link (7000 B/s, no added latency)")
    }

    func scrollSamples(_ terminal: BenchTerminal, output: String, key: String) throws -> Double {
        func size() -> Double { Double((try? FileManager.default.attributesOfItem(atPath: output)[.size] as? Int) ?? 0) }
        var samples: [Double] = []
        Thread.sleep(forTimeInterval: 0.3)
        for _ in 0..<15 {
            let before = terminal.screen()
            let start = size()
            terminal.press(key)
            try terminal.waitFor("a scroll", timeout: 5) { $0 != before }
            Thread.sleep(forTimeInterval: 0.2)
            samples.append(size() - start)
        }
        return median(samples)
    }
}
