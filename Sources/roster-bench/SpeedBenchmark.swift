import ArgumentParser
import Foundation
import RosterCore
import RosterTUI

/// Every speed and memory figure beside its target: in-process for the pure parts (render,
/// filter), and the real binary in tmux against the sandbox for the rest.
struct SpeedBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speed", abstract: "Render, keypress, bytes on the wire, memory, idle CPU, requests, start-up and filter figures.")

    @Option(help: "Contacts for the render, filter and memory figures.")
    var contacts = 1_000_000

    @Option(help: "Contacts in the demo for the keypress figure.")
    var demoContacts = 100_000

    @Option(help: "The dialect for the memory figure: sendme123 or easify (which keeps every record).")
    var memoryDialect = "sendme123"

    @Option(help: "Seconds of idle for the CPU figure.")
    var idleSeconds = 30

    @Option(help: "Only these figures, comma-separated: render, filter, query, duplicates, keypress, bytes, slowlink, memory, idle, requests, startup.")
    var only: String?

    private func wanted(_ key: String) -> Bool {
        only.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.contains(key) } ?? true
    }

    struct Row {
        var what: String
        var measured: String
        var target: String
        var met: Bool?
        var note = ""
    }

    mutating func run() async throws {
        #if DEBUG
        print("note: a debug build; the targets are for `swift run -c release roster-bench speed`")
        #endif
        var rows: [Row] = []
        var filterRow: Row?
        var queryRows: [Row] = []
        if wanted("render") || wanted("filter") || wanted("query") || wanted("duplicates") {
            let (render, filter, query, duplicates) = inProcessFigures()
            if wanted("render") { rows.append(render) }
            if wanted("filter") { filterRow = filter }
            if wanted("query") { queryRows.append(query) }
            if wanted("duplicates") { queryRows.append(duplicates) }
        }
        let roster = try rosterExecutable()
        if wanted("keypress") { rows.append(measure("keypress to screen") { try keypress(roster) }) }
        if wanted("bytes") { rows.append(measure("bytes on the wire") { try bytesOnTheWire(roster) }) }
        if wanted("slowlink") { rows.append(measure("slow link") { try slowLink(roster) }) }
        if wanted("memory") {
            var duplicatesView: Row?
            rows.append(measure("memory") { try memory(roster, duplicatesView: &duplicatesView) })
            if let duplicatesView { rows.append(duplicatesView) }
        }
        if wanted("idle") { rows.append(measure("idle CPU") { try idleCPU(roster) }) }
        if wanted("requests") { rows.append(measure("requests to browse") { try requestsToBrowse(roster) }) }
        if wanted("startup") { rows.append(measure("start-up") { try startUp(roster) }) }
        if let filterRow { rows.append(filterRow) }
        rows += queryRows
        print("")
        print(pad("what", 20) + pad("measured", 34) + pad("target", 34) + "met")
        for row in rows {
            let met = row.met.map { $0 ? "yes" : "NO" } ?? "?"
            print(pad(row.what, 20) + pad(row.measured, 34) + pad(row.target, 34) + met)
            if !row.note.isEmpty { print(pad("", 20) + row.note) }
        }
    }

    private func measure(_ what: String, _ body: () throws -> Row) -> Row {
        progress("measuring \(what)…")
        do {
            return try body()
        } catch {
            return Row(what: what, measured: "failed", target: "", met: false, note: "\(error)")
        }
    }

    // MARK: in process

    /// A state with `contacts` loaded page by page through `update`, as pages arriving would.
    private func loadedState(count: Int) -> AppState {
        var state = AppState(
            account: AccountInfo(profile: "bench", dialect: .sendme123, baseURL: "http://127.0.0.1:1", isDemo: false),
            capabilities: ProviderCapabilities(canLookUp: true, canDeactivate: true, pageSize: 1000, detailFieldOrder: []))
        _ = update(&state, .viewportChanged(listRows: 56))
        _ = start(&state)
        let pageSize = 1000
        var generator = SyntheticContacts()
        for page in 1...max(1, (count + pageSize - 1) / pageSize) {
            let size = min(pageSize, count - (page - 1) * pageSize)
            let contacts = (0..<size).map { _ in generator.next() }
            state.pageInFlight = page
            _ = update(&state, .pageLoaded(page: page, generation: 0, .success(
                ContactPage(contacts: contacts, page: page, total: count, hasMore: page * pageSize < count, pageSize: pageSize))))
        }
        return state
    }

    private func inProcessFigures() -> (Row, Row, Row, Row) {
        progress("loading \(contacts) contacts in process…")
        let loadStart = Date()
        var state = loadedState(count: contacts)
        print(String(format: "  loaded in %.1f s", Date().timeIntervalSince(loadStart)))

        // Filter: one character typed over every loaded contact, until the screen is drawn.
        var firstCharacter: [Double] = []
        var narrowing: [Double] = []
        for round in 0..<7 {
            _ = update(&state, .action(.startFilter))
            let (first, second): (Character, Character) = round % 2 == 0 ? ("a", "n") : ("e", "r")
            firstCharacter.append(timed { _ = update(&state, .action(.typed(first))); _ = Screen.render(state, width: 200, height: 60) })
            narrowing.append(timed { _ = update(&state, .action(.typed(second))); _ = Screen.render(state, width: 200, height: 60) })
            _ = update(&state, .action(.cancel))
        }
        let filterMedian = median(firstCharacter) * 1000
        let filter = Row(
            what: "filter", measured: String(format: "%.1f ms median (next key %.1f ms)", filterMedian, median(narrowing) * 1000),
            target: "under 50 ms", met: filterMedian < 50,
            note: "typing one character over \(contacts) loaded contacts until drawn; the next one narrows the matches")

        // Render: the list view at 200×60 with a filter active, the cursor moving.
        _ = update(&state, .action(.startFilter))
        _ = update(&state, .action(.typed("a")))
        _ = update(&state, .action(.submit))
        for _ in 0..<20 { _ = Screen.render(state, width: 200, height: 60) }
        var samples: [Double] = []
        for index in 0..<2000 {
            _ = update(&state, .action(index % 50 == 49 ? .pageDown : .moveDown))
            samples.append(timed { _ = Screen.render(state, width: 200, height: 60) })
        }
        let renderMedian = median(samples) * 1000
        let renderP99 = percentile(samples, 0.99) * 1000
        let render = Row(
            what: "render", measured: String(format: "%.2f ms median, %.2f ms p99", renderMedian, renderP99),
            target: "median under 2 ms, p99 under 5 ms", met: renderMedian < 2 && renderP99 < 5,
            note: "200×60, \(contacts) loaded, filter “a” matching \(state.rows.count)")
        _ = update(&state, .action(.startFilter))
        _ = update(&state, .action(.cancel))

        // A field query: its last key turns `!email` (text) into `!email:` (a field term), so
        // the whole query runs over every loaded contact again.
        var queryTimes: [Double] = []
        var matched = 0
        for _ in 0..<7 {
            _ = update(&state, .action(.startFilter))
            for character in "status:inactive tag:newsletter !email" { _ = update(&state, .action(.typed(character))) }
            queryTimes.append(timed { _ = update(&state, .action(.typed(":"))); _ = Screen.render(state, width: 200, height: 60) })
            matched = state.rows.count
            _ = update(&state, .action(.cancel))
        }
        let queryMedian = median(queryTimes) * 1000
        let query = Row(
            what: "query", measured: String(format: "%.1f ms median", queryMedian), target: "under 100 ms", met: queryMedian < 100,
            note: "status:inactive tag:newsletter !email: over \(contacts) loaded contacts until drawn (\(matched) match)")

        // Duplicates: grouping every loaded contact by phone and email.
        var groups: [DuplicateGroup] = []
        var groupTimes: [Double] = []
        for _ in 0..<3 { groupTimes.append(timed { groups = state.store.duplicateGroups(among: state.order) }) }
        let groupMedian = median(groupTimes)
        let duplicates = Row(
            what: "duplicates", measured: String(format: "%.2f s median", groupMedian), target: "under 2 s", met: groupMedian < 2,
            note: "grouping \(contacts) loaded contacts by phone and email in process (\(groups.count) groups)")
        return (render, filter, query, duplicates)
    }


    private func timed(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    // MARK: the real binary

    private func keypress(_ roster: String) throws -> Row {
        let terminal = try BenchTerminal()
        terminal.run("\(roster) --demo --demo-contacts \(demoContacts)")
        try terminal.waitFor("the demo", timeout: 120) { $0.contains("contacts loaded") && cursorRow($0) != nil }
        var samples: [Double] = []
        for index in 0..<40 {
            let before = cursorRow(terminal.screen())
            let start = Date()
            terminal.press(index % 20 < 10 ? "j" : "k")
            try terminal.waitFor("the cursor to move", timeout: 5) { cursorRow($0) != before }
            samples.append(Date().timeIntervalSince(start))
        }
        terminal.press("q")
        let value = median(samples) * 1000
        return Row(
            what: "keypress to screen", measured: String(format: "%.1f ms median", value), target: "median under 30 ms",
            met: value < 30, note: "j/k in tmux until capture-pane shows the cursor moved; demo with \(demoContacts) contacts")
    }

    /// Bytes written for one line of scrolling, Roster against `less` on the same rows.
    private func bytesOnTheWire(_ roster: String) throws -> Row {
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
        guard let less = locate("less") else { throw BenchError("less is needed for the comparison") }
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
    private func readyToScroll(_ terminal: BenchTerminal) throws {
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
    private func slowLink(_ roster: String) throws -> Row {
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

    private func scrollSamples(_ terminal: BenchTerminal, output: String, key: String) throws -> Double {
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

    /// The real binary's memory after loading every contact; then `D` over all of them, for
    /// `duplicatesView`.
    private func memory(_ roster: String, duplicatesView: inout Row?) throws -> Row {
        let sandbox = try SandboxRunner(arguments: [
            "--dialect", memoryDialect, "--contacts", String(contacts), "--max-page-size", "1000", "--rate-limit", "1000000/60",
        ], roster: roster)
        let terminal = try BenchTerminal(environment: ["ROSTER_API_KEY=roster-demo-key"])
        terminal.run("\(roster) --dialect \(memoryDialect) --base-url \(sandbox.baseURL)")
        try terminal.waitFor("the first page", timeout: 120) { $0.contains("contacts loaded") }
        // A filter nothing matches loads every page in search of a match.
        terminal.press("/")
        for key in ["z", "z", "q", "x"] { terminal.press(key) }
        terminal.press("Enter")
        let (_, seconds) = try terminal.waitFor("every page", timeout: 1200) { $0.contains("· \(contacts) contacts") }
        Thread.sleep(forTimeInterval: 2)
        guard let pid = terminal.programPID(), let megabytes = residentMB(of: pid), let loadingPeak = peakMB(of: pid) else {
            throw BenchError("no roster process")
        }
        terminal.press("Escape")
        // Then the duplicates view over all of them: the time until it is drawn, and the
        // process's peak memory over the whole session.
        Thread.sleep(forTimeInterval: 0.5)
        let peakBefore = peakMB(of: pid) ?? .nan
        terminal.press("D")
        let (_, grouping) = try terminal.waitFor("the duplicates view", timeout: 120) { $0.contains("Duplicates ─") || $0.contains("No duplicates") }
        Thread.sleep(forTimeInterval: 1)
        let peakAfter = peakMB(of: pid) ?? .nan
        let residentAfter = residentMB(of: pid) ?? .nan
        terminal.press("Escape")
        terminal.press("q")
        duplicatesView = Row(
            what: "duplicates view", measured: String(format: "%.1f s, %.0f MB resident", grouping, residentAfter),
            target: "under 2 s, under 400 MB", met: grouping < 2 && residentAfter < 400 && peakAfter < 400,
            note: String(
                format: "D until drawn in the real binary over the %d loaded; the session's peak: %.0f MB before D, %.0f MB after",
                contacts, peakBefore, peakAfter))
        return Row(
            what: "memory", measured: String(format: "%.0f MB resident, %.0f MB peak", megabytes, loadingPeak),
            target: "under 400 MB, peak too", met: megabytes < 400 && loadingPeak < 400,
            note: String(
                format: "the real binary after loading %d %@ contacts over HTTP (%.0f s, pages of 1000); peak: the most it held while they loaded",
                contacts, memoryDialect, seconds))
    }

    private func idleCPU(_ roster: String) throws -> Row {
        let terminal = try BenchTerminal()
        terminal.run("\(roster) --demo")
        try terminal.waitFor("the demo") { $0.contains("contacts loaded") }
        Thread.sleep(forTimeInterval: 1)
        guard let pid = terminal.programPID(), let before = cpuSeconds(of: pid) else { throw BenchError("no roster process") }
        Thread.sleep(forTimeInterval: Double(idleSeconds))
        guard let after = cpuSeconds(of: pid) else { throw BenchError("roster went away") }
        terminal.press("q")
        let used = after - before
        return Row(
            what: "idle CPU", measured: String(format: "%.2f s over %d s", used, idleSeconds), target: "under 0.1 s",
            met: used < 0.1, note: "user + system time from /proc while the demo sits idle (the gauge's countdown still ticks)")
    }

    private func requestsToBrowse(_ roster: String) throws -> Row {
        let maxPage = 250
        let sandbox = try SandboxRunner(arguments: [
            "--dialect", "sendme123", "--contacts", "5000", "--max-page-size", String(maxPage), "--rate-limit", "1000/60",
        ], roster: roster)
        let terminal = try BenchTerminal(environment: ["ROSTER_API_KEY=roster-demo-key"])
        terminal.run("\(roster) --dialect sendme123 --base-url \(sandbox.baseURL)")
        try terminal.waitFor("the first page") { $0.contains("contacts loaded") }
        func loaded(_ screen: String) -> Int {
            guard let range = screen.range(of: #"\d+ of \d+ contacts loaded"#, options: .regularExpression) else { return 0 }
            return Int(screen[range].split(separator: " ")[0]) ?? 0
        }
        var shown = loaded(terminal.screen())
        while shown < 1000 {
            terminal.press("G")
            let previous = shown
            shown = loaded(try terminal.waitFor("more contacts", timeout: 20) { loaded($0) > previous }.screen)
        }
        let requests = sandbox.requests("GET")
        terminal.press("q")
        let allowed = 1000 / maxPage
        return Row(
            what: "requests to browse", measured: "\(requests) requests for \(shown) contacts",
            target: "at most \(allowed) (1000 ÷ the server's \(maxPage))", met: requests <= allowed,
            note: "Roster asks for 1000 per page and follows the server's cap of \(maxPage); End until 1000 are shown")
    }

    private func startUp(_ roster: String) throws -> Row {
        var samples: [Double] = []
        for _ in 0..<5 {
            let terminal = try BenchTerminal()
            terminal.run("clear")
            Thread.sleep(forTimeInterval: 0.3)
            terminal.run("\(roster) --demo")
            let (_, seconds) = try terminal.waitFor("the first page") { $0.contains("contacts loaded") && cursorRow($0) != nil }
            samples.append(seconds)
            terminal.press("q")
        }
        let value = median(samples) * 1000
        return Row(
            what: "start-up", measured: String(format: "%.0f ms median", value), target: "under 500 ms", met: value < 500,
            note: "roster --demo (sandbox start included) until the first page is drawn, seen by capture-pane")
    }
}

/// Names, phones and emails like the sandbox's, without the sandbox: for in-process figures.
struct SyntheticContacts {
    private var index = 0
    private static let first = ["Ana María", "José", "Lucía", "Andrés", "Camila", "Zoë", "François", "Søren", "山田", "Дмитрий", "محمد", "Priya"]
    private static let last = ["Pérez", "García", "Müller", "Nowak", "Nguyễn", "陈", "Иванов", "Silva", "Santos", "Okafor", "Smith"]
    private static let tags = ["Customers", "Leads", "Suppliers", "Newsletter", "VIP", "Staff"]

    /// Every 9th inactive, every 13th without an email; one in 50 shares the phone of the
    /// contact 25 before it (written with spaces), so the duplicates view has groups to find.
    mutating func next() -> Contact {
        index += 1
        let name = "\(Self.first[index % Self.first.count]) \(Self.last[(index / 7) % Self.last.count])"
        let id = String(format: "%08x-%04x-4%03x-a%03x-%012x", index, index % 65536, index % 4096, (index * 7) % 4096, index * 2654435761 % 0xFFFF_FFFF_FFFF)
        let number = (index % 50 == 0 ? index - 25 : index) * 7919 % 1_000_000_000
        let phone = index % 50 == 0
            ? String(format: "+57 3%02d %03d %04d", number / 10_000_000, number / 10_000 % 1000, number % 10_000)
            : String(format: "+57 3%09d", number)
        let created = FieldDates.seconds(year: 2023 + index % 3, month: 1 + index % 12, day: 1 + index % 28)
        return Contact(
            id: ContactID(id), name: name, phone: phone, email: index % 13 == 0 ? "" : "contact\(index)@example.org",
            status: index % 9 == 0 ? "INACTIVE" : "ACTIVE",
            fields: [
                .text("tag", Self.tags[index % Self.tags.count]), .text("countryCode", "57"),
                ContactField("created", .date(created)), ContactField("updated", .date(created + Int64(index % 400) * 86_400)),
            ])
    }
}

/// A `roster sandbox` process for the figures that need a server of their own.
final class SandboxRunner {
    let process = Process()
    let baseURL: String
    let origin: String

    init(arguments: [String], roster: String) throws {
        process.executableURL = URL(fileURLWithPath: roster)
        process.arguments = ["sandbox"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        while !text.contains("Ctrl-C stops it.") {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw BenchError("roster sandbox exited early: \(text)") }
            text += String(decoding: chunk, as: UTF8.self)
        }
        func field(_ name: String) -> String {
            text.split(separator: "\n").first { $0.hasPrefix(name) }.map { $0.dropFirst(name.count).trimmingCharacters(in: .whitespaces) } ?? ""
        }
        baseURL = field("url:")
        origin = field("stats:").replacingOccurrences(of: "/_sandbox/stats", with: "")
        BenchCleanup.shared.adopt(process: process.processIdentifier)
    }

    func requests(_ method: String) -> Int {
        guard let curl = locate("curl"),
              let json = try? JSONSerialization.jsonObject(with: Data(shell(curl, ["-s", origin + "/_sandbox/stats"]).utf8)) as? [String: Any]
        else { return -1 }
        return (json["methods"] as? [String: Any])?[method] as? Int ?? 0
    }

    deinit {
        BenchCleanup.shared.end(process: process.processIdentifier)
        process.waitUntilExit()
    }
}

/// A progress line on standard error; a closed pipe is ignored rather than fatal.
func progress(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
