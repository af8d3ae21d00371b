import Foundation
import Testing
@testable import RosterCore
@testable import RosterTUI

func screenState(dialect: Dialect = .sendme123, isDemo: Bool = false, contacts: [Contact]) -> AppState {
    let capabilities = ProviderCapabilities(
        canLookUp: dialect == .sendme123, canDeactivate: false, pageSize: 100, detailFieldOrder: ["id", "name"])
    var state = AppState(
        account: AccountInfo(profile: "acme", dialect: dialect, baseURL: "https://api.example.test", isDemo: isDemo),
        capabilities: capabilities)
    _ = update(&state, .viewportChanged(listRows: Screen.listRows(state, width: 80, height: 14)))
    _ = start(&state)
    _ = update(&state, .pageLoaded(page: 1, generation: 0, .success(ContactPage(contacts: contacts, page: 1, total: contacts.count, hasMore: false))))
    return state
}

let people = [
    Contact(id: ContactID("2812001"), name: "Ana María Pérez", phone: "+573001112233", email: "ana@example.com", shared: true),
    Contact(id: ContactID("2812002"), name: "山田 太郎", phone: "+81312345678", email: "taro@example.jp", shared: false),
    Contact(id: ContactID("2812003"), name: "Evil\u{1b}[2J\u{1b}]52;c;aGk=\u{07}", phone: "", email: "x@example.com", shared: false),
]

@Suite("Rendering the screen")
struct ScreenTests {
    @Test func theListShowsHeaderColumnsRowsAndHints() {
        let canvas = Screen.render(screenState(dialect: .easify, contacts: people), width: 80, height: 14)
        let lines = canvas.trimmedLines
        #expect(lines[0] == " Roster · acme · Easify · https://api.example.test                   3 contacts")
        #expect(lines[1] == "  NAME               PHONE             EMAIL                  SHARED   ID")
        #expect(lines[2] == "› Ana María Pérez    +573001112233     ana@example.com        shared   2812001")
        #expect(lines[3] == "  山田 太郎          +81312345678      taro@example.jp                 2812002")
        #expect(lines[4] == "  Evil^[[2J^[]52;c;…                   x@example.com                   2812003")
        #expect(lines[13].hasPrefix(" ? help  Enter details  Space mark  / filter  d delete  q quit"))
    }

    /// With `--allow-http` to another machine, the header says for the whole session that the
    /// key crosses the network in clear.
    @Test func theHeaderSaysWhenTheKeyGoesInClear() {
        var state = screenState(contacts: people)
        state.session.account.sendsKeyInClear = true
        state.session.account.baseURL = "http://10.0.0.5"
        let header = Screen.render(state, width: 100, height: 14).trimmedLines[0]
        #expect(header.contains("KEY IN CLEAR (http)"), "\(header)")
    }

    /// `H` shows phone, email, operator and batch as the width allows: the phone at 100
    /// columns, everything at 180.
    @Test func theHistoryShowsMoreOfEachDeletionAsTheWidthAllows() {
        var state = screenState(contacts: people)
        var deletion = RestoreLedger.Deletion(
            entry: "e1", at: Date(timeIntervalSince1970: 1_800_000_000), operator: "ana", profile: "acme", batch: "20261203-1",
            contactID: "c1", record: .object(["name": .string("Ana Pérez")]))
        deletion.phone = "+57 3001112233"
        deletion.email = "ana@example.com"
        var view = HistoryView()
        view.deletions = [deletion]
        state.overlay = .history(view)
        let narrow = Screen.render(state, width: 100, height: 14).trimmedLines.joined(separator: "\n")
        #expect(narrow.contains("+57 3001112233"), "\(narrow)")
        let wide = Screen.render(state, width: 180, height: 14).trimmedLines.joined(separator: "\n")
        for shown in ["+57 3001112233", "ana@example.com", "ana", "20261203-1"] { #expect(wide.contains(shown), "\(shown)") }
    }

    @Test func noEscapeByteReachesTheCanvas() {
        let canvas = Screen.render(screenState(contacts: people), width: 80, height: 14)
        for cell in canvas.cells {
            for scalar in cell.text?.unicodeScalars ?? "".unicodeScalars {
                #expect(scalar.value >= 0x20 && !(0x7F...0x9F).contains(scalar.value))
            }
        }
    }

    @Test func theDemoSaysSoOnTheFirstLine() {
        let wide = Screen.render(screenState(isDemo: true, contacts: people), width: 100, height: 14)
        #expect(wide.line(0).contains("DEMO: built-in sandbox at https://api.example.test. Nothing here is a real contact."))
        #expect(wide[0, 0].role == .demoBanner)
        let narrow = Screen.render(screenState(isDemo: true, contacts: people), width: 60, height: 14)
        #expect(narrow.line(0).contains("DEMO: built-in sandbox. Nothing here is real."))
    }

    @Test func theConfirmationNamesTheContactAndDefaultsToNo() {
        var state = screenState(dialect: .easify, contacts: people)
        _ = update(&state, .action(.delete))
        let text = Screen.render(state, width: 80, height: 14).trimmedLines.joined(separator: "\n")
        #expect(text.contains("Delete this contact?"))
        #expect(text.contains("Name   Ana María Pérez"))
        #expect(text.contains("Phone  +573001112233"))
        #expect(text.contains("ID     2812001"))
        #expect(text.contains("Shared contact: deleting it affects your colleagues too."))
        #expect(text.contains("Nothing is sent for 5s: u undoes it until then."))
        #expect(text.contains("A deletion, once sent, cannot be undone."))
        #expect(text.contains(" y  delete    N  keep it (any other key)"))
    }

    @Test func theHelpScreenListsEveryBinding() {
        var state = screenState(contacts: people)
        state.overlay = .help(scroll: 0)
        // Scrolled through to its end: the filter prompt's editing keys make it longer than a screen.
        let text = scrollThroughHelp(&state, width: 100, height: 30)
        for binding in KeyMap.session(state).bindings {
            #expect(text.contains(binding.summary))
            #expect(text.contains(HelpView.keyLabel(binding)))
        }
    }

    @Test func atEightyColumnsHelpScrollsOneColumnAndCutsNoDescription() {
        var state = screenState(contacts: people)
        state.overlay = .help(scroll: 0)
        let seen = scrollThroughHelp(&state, width: 80, height: 24)
        for binding in KeyMap.session(state).bindings { #expect(seen.contains(binding.summary), "\(binding.summary) whole at 80 columns") }
    }

    @Test func onAShortTerminalHelpUsesTwoColumnsScrollsAndLosesNoBinding() {
        var state = screenState(contacts: people)
        state.overlay = .help(scroll: 0)
        let first = Screen.render(state, width: 100, height: 20).lines.joined(separator: "\n")
        #expect(first.contains("j/k scroll (1–"), "it says it scrolls")
        #expect(first.contains("more below"))
        let seen = scrollThroughHelp(&state, width: 100, height: 20)
        #expect(!Screen.render(state, width: 100, height: 20).lines.joined(separator: "\n").contains("more below"), "it ends at its last line")
        for binding in KeyMap.session(state).bindings {
            #expect(seen.contains(HelpView.keyLabel(binding) + "  "), "\(HelpView.keyLabel(binding)) is shown")
        }
        #expect(seen.contains("? or Esc closes this help"))
    }

    @Test func theDetailPaneSaysWhereItsDataCameFrom() {
        var state = screenState(dialect: .easify, contacts: people)
        _ = update(&state, .action(.openDetail))
        let text = Screen.render(state, width: 100, height: 30).lines.joined(separator: "\n")
        #expect(text.contains("Easify has no single-contact look-up: this is the record from the list."))
    }

    /// Tags read as their names and custom values as `key: value`, not as raw JSON.
    @Test func theDetailPaneShowsTagsByNameNotAsJSON() {
        let record = JSONValue.decode(Data(#"""
            {"id": "c1", "name": "Ana", "tags": [{"id": "t1", "name": "vip", "color": "#ff0000"}, {"id": "t2", "name": "churned"}],
             "customValues": {"company": "Acme S.A.S.", "seats": 12}}
            """#.utf8))!
        var state = screenState(dialect: .easify, contacts: [Contact(id: ContactID("c1"), name: "Ana", phone: "", email: "", record: record)])
        _ = update(&state, .action(.openDetail))
        let text = Screen.render(state, width: 100, height: 30).lines.joined(separator: "\n")
        #expect(text.contains("vip, churned"), "\(text)")
        #expect(text.contains("company: Acme S.A.S.; seats: 12"), "\(text)")
        #expect(!text.contains("{\"") && !text.contains("#ff0000"), "no raw JSON:\n\(text)")
    }

    /// The sorted column says which way it runs; a click on a heading sorts by it, a second
    /// click the other way round, and `O` turns it round too; server order has one way.
    @Test func headingsShowTheSortAndAClickSortsByThem() {
        var state = screenState(contacts: people)
        var screen = Screen.render(state, width: 100, height: 14)
        let headingRow = try! #require(screen.lines.firstIndex { $0.contains("NAME") && $0.contains("EMAIL") })
        let phoneColumn = try! #require(screen.lines[headingRow].range(of: "PHONE")).lowerBound.utf16Offset(in: screen.lines[headingRow])
        let click = try! #require(screen.action(atX: phoneColumn + 1, y: headingRow))
        #expect(click == .sortBy(.phone))
        _ = update(&state, .action(click))
        screen = Screen.render(state, width: 100, height: 14)
        #expect(screen.lines[headingRow].contains("PHONE ▲"))
        #expect(state.rows.map { state.store.contact(at: $0).phone } == ["", "+573001112233", "+81312345678"])
        _ = update(&state, .action(click))
        screen = Screen.render(state, width: 100, height: 14)
        #expect(screen.lines[headingRow].contains("PHONE ▼"), "a second click turns it round")
        #expect(state.rows.map { state.store.contact(at: $0).phone } == ["+81312345678", "+573001112233", ""])
        #expect(screen.lines.joined().contains("by phone ▼"))
        _ = update(&state, .action(.reverseSort))
        #expect(Screen.render(state, width: 100, height: 14).lines[headingRow].contains("PHONE ▲"))
        _ = update(&state, .action(.sortBy(.name)))
        #expect(Screen.render(state, width: 100, height: 14).lines[headingRow].contains("NAME ▲"), "another heading sorts A to Z")
        for _ in 0..<3 { _ = update(&state, .action(.cycleSort)) }
        #expect(state.sort == .server)
        _ = update(&state, .action(.reverseSort))
        #expect(state.message?.text.hasPrefix("The server's order runs one way") == true)
        #expect(!state.sortDescending)
    }

    /// An empty message history says so, and does not count its "nothing yet" line as a message.
    @Test func anEmptyMessageHistorySaysNoneYet() {
        var state = screenState(contacts: people)
        _ = update(&state, .action(.showMessages))
        let text = Screen.render(state, width: 100, height: 30).lines.joined(separator: "\n")
        #expect(text.contains("none yet"))
        #expect(!text.contains("1 message"))
    }

    /// The batch question says the API's window only where it is known: a limit of 20 is not
    /// "20 per minute" until something says the window is a minute.
    @Test func theExpectedTimeNamesTheWindowOnlyWhereItIsKnown() {
        func question(window: TimeInterval?) -> String {
            var state = screenState(contacts: people)
            state.headroom = Headroom(limit: 20, remaining: 20, resetAt: nil, source: .server, window: window)
            _ = update(&state, .action(.toggleMark))
            _ = update(&state, .action(.toggleMark))
            _ = update(&state, .action(.delete))
            return Screen.render(state, width: 100, height: 30).lines.joined(separator: "\n")
        }
        let unknown = question(window: nil)
        #expect(!unknown.contains("per minute"), "\(unknown)")
        #expect(unknown.contains("limit of 20 (window unknown).") || unknown.contains("unknown until the API reports"), "\(unknown)")
        #expect(question(window: 60).contains("at the API's 20 per minute"))
    }

    @Test func lockedAndBusyRowsSayItInTextNotOnlyInColour() {
        var state = screenState(contacts: people)
        state.locked[ContactID("2812002")] = "Contact cannot be deleted (has pending messages)"
        state.activity[ContactID("2812003")] = .deleting
        state.failed[ContactID("2812001")] = "400: Invalid contact id"
        let canvas = Screen.render(state, width: 80, height: 14)
        #expect(canvas.line(2).contains("FAILED"))
        #expect(canvas.line(3).contains("LOCKED"))
        #expect(canvas[2, 3].role == .rowLocked)
        #expect(canvas.line(4).contains("deleting…"))
        #expect(canvas[2, 4].role == .rowBusy)
    }

    @Test func theGaugeShowsHeadroomABarAndTheCountdown() {
        var state = screenState(contacts: people)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        _ = update(&state, .tick(now))
        state.headroom = Headroom(limit: 60, remaining: 45, resetAt: now.addingTimeInterval(41.2), source: .server)
        #expect(Screen.render(state, width: 80, height: 14).line(13).hasSuffix(" API 45/60 ██████░░ 42s  "))
        let hints = Screen.render(state, width: 80, height: 14).line(13)
        #expect(hints.contains("? help") && hints.contains("q quit"), "beside the gauge, help and quit stay: \(hints)")
        #expect(state.wantsTicks)
        _ = update(&state, .tick(now.addingTimeInterval(40.5)))
        #expect(Screen.render(state, width: 80, height: 14).line(13).hasSuffix(" API 45/60 ██████░░ 1s  "))
        // A daily quota's reset reads in hours and minutes, not 86398s.
        state.headroom = Headroom(limit: 10_000, remaining: 9_000, resetAt: now.addingTimeInterval(40.5 + 86_398), source: .server)
        #expect(Screen.render(state, width: 80, height: 14).line(13).hasSuffix(" API 9000/10000 ███████░ 24h00m  "))
        state.headroom = Headroom(limit: 60, remaining: 45, resetAt: now.addingTimeInterval(40.5 + 600), source: .server)
        #expect(Screen.render(state, width: 80, height: 14).line(13).hasSuffix(" API 45/60 ██████░░ 10m  "))
    }

    /// Once the window has reset the gauge shows the fresh window as an estimate, never the
    /// old figure frozen; a reset time Roster worked out itself is marked as its estimate.
    @Test func theGaugeNeverFreezesPastTheReset() {
        var state = screenState(contacts: people)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        _ = update(&state, .tick(now))
        state.headroom = Headroom(limit: 60, remaining: 2, resetAt: now.addingTimeInterval(3), source: .server, observedAt: now)
        _ = update(&state, .tick(now.addingTimeInterval(4)))
        #expect(Screen.render(state, width: 80, height: 14).line(13).hasSuffix(" API ~60/60 ████████  "))
        // Laravel's headers: figures, no reset. Roster's reckoning of the reset is marked.
        state.headroom = Headroom(
            limit: 60, remaining: 40, resetAt: now.addingTimeInterval(30), source: .server, window: 60, resetIsEstimate: true,
            observedAt: now)
        _ = update(&state, .tick(now.addingTimeInterval(10)))
        #expect(Screen.render(state, width: 80, height: 14).line(13).hasSuffix(" API 40/60 █████░░░ ~20s  "))
        // No reset at all, a window after the figures were seen: refilled, as an estimate.
        state.headroom = Headroom(limit: 60, remaining: 5, resetAt: nil, source: .server, window: 60, observedAt: now)
        _ = update(&state, .tick(now.addingTimeInterval(61)))
        #expect(Screen.render(state, width: 80, height: 14).line(13).hasSuffix(" API ~60/60 ████████  "))
    }

    @Test func lowHeadroomWarnsWithATextMarkerNotColourAlone() {
        var state = screenState(contacts: people)
        state.headroom = Headroom(limit: 60, remaining: 12, resetAt: nil, source: .server)
        let warning = Screen.render(state, width: 80, height: 14)
        #expect(warning.line(13).contains("! API 12/60 ██░░░░░░"))
        #expect(warning[79 - 3, 13].role == .gaugeWarn)
        state.headroom = Headroom(limit: 60, remaining: 3, resetAt: nil, source: .estimate)
        #expect(Screen.render(state, width: 80, height: 14).line(13).contains("!! API ~3/60 ░░░░░░░░"))
    }

    @Test func aPauseAfter429CountsDown() {
        var state = screenState(contacts: people)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        _ = update(&state, .tick(now))
        state.headroom = Headroom(limit: 60, remaining: 0, resetAt: nil, source: .server, pausedUntil: now.addingTimeInterval(12))
        let line = Screen.render(state, width: 80, height: 14).line(13)
        #expect(line.contains("!! API paused: retry in 12s"))
    }

    @Test func aTinyTerminalAsksToBeEnlarged() {
        let canvas = Screen.render(screenState(contacts: people), width: 40, height: 8)
        let text = canvas.lines.joined(separator: "\n")
        #expect(text.contains("Roster needs a larger terminal:"))
        #expect(text.contains("now 40×8"))
    }

    @Test func rendersAtEverySizeWithoutTrapping() {
        let state = screenState(contacts: people)
        for width in stride(from: 0, through: 130, by: 7) {
            for height in stride(from: 0, through: 40, by: 3) {
                let canvas = Screen.render(state, width: width, height: height)
                #expect(canvas.width == width && canvas.height == height)
            }
        }
    }

    /// Every screen the help shows while it is scrolled down line by line to its end, one
    /// after another.
    private func scrollThroughHelp(_ state: inout AppState, width: Int, height: Int) -> String {
        var seen = ""
        for _ in 0..<40 {
            seen += Screen.render(state, width: width, height: height).lines.joined(separator: "\n")
            _ = update(&state, .action(.moveDown))
        }
        return seen
    }
}
