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
    /// Each page is asked for as a user's End asks for it, and arrives as the server's would.
    private func loadedState(count: Int) -> AppState {
        var state = AppState(
            account: AccountInfo(profile: "bench", dialect: .sendme123, baseURL: "http://127.0.0.1:1", isDemo: false),
            capabilities: ProviderCapabilities(canLookUp: true, canDeactivate: true, pageSize: 1000, detailFieldOrder: []))
        let pageSize = 1000
        var generator = SyntheticContacts()
        var asked = update(&state, .viewportChanged(listRows: 56)) + start(&state)
        while case .fetchPage(let page, let generation)? = asked.first(where: { if case .fetchPage = $0 { true } else { false } }) {
            let size = min(pageSize, count - (page - 1) * pageSize)
            let contacts = (0..<size).map { _ in generator.next() }
            asked = update(&state, .pageLoaded(page: page, generation: generation, .success(
                ContactPage(contacts: contacts, page: page, total: count, hasMore: page * pageSize < count, pageSize: pageSize))))
            asked += update(&state, .action(.moveToBottom))
        }
        _ = update(&state, .action(.moveToTop))
        return state
    }

    private func inProcessFigures() -> (Row, Row, Row, Row) {
        progress("loading \(contacts) contacts in process…")
        let loadStart = Date()
        var state = loadedState(count: contacts)
        print(String(format: "  loaded in %.1f s", Date().timeIntervalSince(loadStart)))
        // The session's key map is built once, as the interactive session builds it.
        let keyMap = KeyMap.session(state)
        func draw() { _ = Screen.render(state, width: 200, height: 60, keyMap: keyMap) }

        // Filter: one character typed over every loaded contact, until the screen is drawn.
        var firstCharacter: [Double] = []
        var narrowing: [Double] = []
        for round in 0..<7 {
            _ = update(&state, .action(.startFilter))
            let (first, second): (Character, Character) = round % 2 == 0 ? ("a", "n") : ("e", "r")
            firstCharacter.append(timed { _ = update(&state, .action(.typed(first))); draw() })
            narrowing.append(timed { _ = update(&state, .action(.typed(second))); draw() })
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
        for _ in 0..<20 { draw() }
        var samples: [Double] = []
        for index in 0..<2000 {
            _ = update(&state, .action(index % 50 == 49 ? .pageDown : .moveDown))
            samples.append(timed { draw() })
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
            queryTimes.append(timed { _ = update(&state, .action(.typed(":"))); draw() })
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
