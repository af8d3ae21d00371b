import Foundation
import Testing
@testable import RosterCore
@testable import RosterTUI

@Suite("Rendering queries and duplicates")
struct QueryScreenTests {
    /// Forty pairs that share a phone, and a hostile name among them.
    func pairs() -> [Contact] {
        (0..<40).flatMap { index -> [Contact] in
            let phone = "+57 300\(1_000_000 + index)"
            return [
                Contact(id: ContactID("a\(index)"), name: index == 0 ? "Evil\u{1b}]52;c;aGk=\u{07}" : "Person \(index)", phone: phone, email: "p\(index)@x.com"),
                Contact(id: ContactID("b\(index)"), name: "Person \(index)", phone: phone.replacingOccurrences(of: " ", with: ""), email: ""),
            ]
        }
    }

    @Test func theDuplicatesViewSaysWhyAndWhichIsKeptAndScrollsWithTheCursor() {
        var state = screenState(contacts: pairs())
        _ = update(&state, .action(.showDuplicates))
        var text = Screen.render(state, width: 100, height: 30).lines.joined(separator: "\n")
        #expect(text.contains("40 groups, 80 contacts among 80 · ● 40 marked to delete"))
        #expect(text.contains("─ 1 · same phone 573001000000"))
        #expect(text.contains("keep Evil^[]52;c;aGk=^G"), "the more complete one is kept, and its name cannot touch the terminal")
        #expect(text.contains("Space mark  K keep  U unmark group  d delete marked"), "the view's keys, in the status bar")
        // The keeper marked by hand shows as marked, and the group as keeping none.
        _ = update(&state, .action(.toggleMark))
        text = Screen.render(state, width: 100, height: 30).lines.joined(separator: "\n")
        #expect(text.contains("│  ●    Evil^[]52;c;aGk=^G"), "marked, and the cursor moved on")
        #expect(text.contains("! 1 group with none kept"))
        _ = update(&state, .action(.moveUp))
        for _ in 0..<70 { _ = update(&state, .action(.moveDown)) }
        text = Screen.render(state, width: 100, height: 30).lines.joined(separator: "\n")
        #expect(text.contains("─ 36 · same phone 573001000035"), "the view follows the cursor")
        #expect(!text.contains("─ 1 · same phone"))
        #expect(text.split(separator: "\n").contains { $0.contains("› ") && $0.contains("Person 35") })
    }

    @Test func aQueryLongerThanThePromptShowsItsEndWhereTheTypingIs() {
        var state = screenState(contacts: people)
        _ = update(&state, .action(.startFilter))
        let query = "status:inactive !email: created:<2024-01-01 updated:>30d tag:newsletter|tag:vip !custom.company:acme name:ana"
        for character in query { _ = update(&state, .action(.typed(character))) }
        let prompt = Screen.render(state, width: 80, height: 14).trimmedLines[12]
        #expect(prompt.hasPrefix(" /…"), "\(prompt)")
        #expect(prompt.contains("!custom.company:acme name:ana▏"), "the end, where the cursor is: \(prompt)")
        _ = update(&state, .action(.submit))
        _ = update(&state, .action(.startFilter))
        _ = update(&state, .action(.typed(" ")))
        _ = update(&state, .action(.typed("|")))
        _ = update(&state, .action(.submit))
        #expect(state.message?.text.hasPrefix("The filter is not applied yet") == true)
        _ = update(&state, .action(.cancel))
        #expect(state.message == nil, "the warning goes with the filter it was about")
    }

    /// The prompt's cursor shows where typing goes, and a long query keeps it in sight with
    /// some of what follows it.
    @Test func thePromptShowsItsCursorWhereverItIs() {
        var state = screenState(contacts: people)
        _ = update(&state, .action(.startFilter))
        for character in "status:active ana" { _ = update(&state, .action(.typed(character))) }
        _ = update(&state, .action(.editLine(.wordLeft)))
        var prompt = Screen.render(state, width: 80, height: 14).trimmedLines[12]
        #expect(prompt.hasPrefix(" /status:active ▏ana"), "\(prompt)")
        let long = "status:inactive !email: created:<2024-01-01 updated:>30d tag:newsletter|tag:vip !custom.company:acme name:ana"
        _ = update(&state, .action(.editLine(.deleteToStart)))
        for character in long { _ = update(&state, .action(.typed(character))) }
        for _ in 0..<4 { _ = update(&state, .action(.editLine(.wordLeft))) }
        prompt = Screen.render(state, width: 80, height: 14).trimmedLines[12]
        #expect(prompt.contains("tag:vip !▏custom.company:acme"), "the cursor in sight, text on both sides: \(prompt)")
    }

    /// No word is cut under the prompt: the help says as much as fits, and Tab's candidates
    /// show whole, with how many more there are.
    @Test func underThePromptNoWordIsCut() {
        var state = screenState(contacts: people)
        _ = update(&state, .action(.startFilter))
        for width in [80, 100, 120, 160, 200] {
            let line = Screen.render(state, width: width, height: 14).trimmedLines[13]
            #expect(StatusBarView.queryHelp.contains { line.hasPrefix(" " + $0) }, "one whole way of saying it at \(width): \(line)")
        }
        for character in "zz" { _ = update(&state, .action(.typed(character))) }
        state.filter.hint = (1...12).map { "tag:Candidate\($0)" }.joined(separator: "  ")
        let line = Screen.render(state, width: 80, height: 14).trimmedLines[13]
        let shown = line.dropFirst(" Tab: ".count).components(separatedBy: "  ").filter { !$0.isEmpty }
        #expect(line.contains(" more"), "\(line)")
        #expect(shown.dropLast().allSatisfy { $0.hasPrefix("tag:Candidate") && !$0.hasSuffix("…") }, "whole candidates: \(line)")
    }

    @Test func aSentenceTooLongLosesWholeWords() {
        #expect(Canvas.truncateWords("Enter go to the contact", to: 10) == "Enter go…")
        #expect(Canvas.truncateWords("Enter go to the contact", to: 30) == "Enter go to the contact")
        #expect(Canvas.truncateWords("text · Tab completes", to: 8) == "text…")
        #expect(Canvas.truncateWords("abcdefghijkl", to: 6) == "abcde…", "one long word is clipped")
    }

    @Test func theDuplicatesViewKeepsTheIdReadableAtEveryWidth() {
        let contacts = (0..<4).map { index in
            Contact(
                id: ContactID("5a1c9f0e-77d2-4c1b-9e3a-00000000000\(index)"), name: "Renée Müller-Lüdenscheidt \(index / 2)",
                phone: "+49 331 905 80\(index / 2)", email: "renee.mueller\(index)@verylongcompanyname.example.com")
        }
        var state = screenState(contacts: contacts)
        _ = update(&state, .action(.showDuplicates))
        for width in [80, 100, 140] {
            let lines = Screen.render(state, width: width, height: 24).lines
            let members = lines.filter { $0.contains("Renée") }
            #expect(members.count == 4, "at \(width) columns")
            for line in members {
                #expect(line.contains("5a1c9f0e-77d"), "the id stays recognisable at \(width) columns: \(line)")
                #expect(line.contains("+49 331 905 80"), "and the phone whole")
            }
            if width >= 140 { #expect(members[0].contains("5a1c9f0e-77d2-4c1b-9e3a-00000000000")) }
        }
    }

    @Test func aMistakeInTheQueryIsShownUnderThePromptAndTabListsChoices() {
        var state = screenState(contacts: people)
        _ = update(&state, .action(.startFilter))
        for character in "stat:x" { _ = update(&state, .action(.typed(character))) }
        var lines = Screen.render(state, width: 100, height: 14).trimmedLines
        #expect(lines[12].hasPrefix(" /stat:x▏  (showing the last valid filter)"))
        #expect(lines[13].hasPrefix(" ✗ unknown field “stat”: SendMe123 has status, tag, countryCode, custom.KEY, origin, birthDate"),
            "the mistake takes the whole line, the dialect's own fields first: \(lines[13])")
        for _ in 0..<6 { _ = update(&state, .action(.backspace)) }
        _ = update(&state, .action(.typed("c")))
        _ = update(&state, .action(.complete))
        lines = Screen.render(state, width: 100, height: 14).trimmedLines
        #expect(lines[13].hasPrefix(" Tab: created:  countryCode:"))
    }
}

@Suite("Clicks")
struct ClickTests {
    @Test func aClickOnARowMovesThereAndADialogsButtonsAnswerAsTheirKeys() {
        var state = screenState(contacts: people)
        var canvas = Screen.render(state, width: 80, height: 14)
        #expect(canvas.action(atX: 10, y: 3) == .selectRow(1))
        _ = update(&state, .action(.selectRow(1)))
        #expect(state.cursor == 1)
        _ = update(&state, .action(.delete))
        canvas = Screen.render(state, width: 80, height: 14)
        let lines = canvas.lines
        let row = lines.firstIndex { $0.contains("keep it") }!
        let yes = lines[row].distance(from: lines[row].startIndex, to: lines[row].range(of: " y ")!.lowerBound)
        let no = lines[row].distance(from: lines[row].startIndex, to: lines[row].range(of: " N ")!.lowerBound)
        #expect(canvas.action(atX: yes + 1, y: row) == .confirm)
        #expect(canvas.action(atX: no + 1, y: row) == .cancel)
        #expect(canvas.action(atX: no - 40, y: row - 2) == nil, "inside the dialog, away from its buttons, a click does nothing")
        _ = update(&state, .action(.cancel))
        #expect(state.message?.text.hasPrefix("Delete cancelled") == true)
    }
}

@Suite("Layout at every size")
struct LayoutTests {
    func contacts() -> [Contact] {
        (0..<5).map { index in
            Contact(
                id: ContactID("0d1624df-8c0d-4184-9370-5075f2d26bd\(index)"), name: "Person \(index)", phone: "+57 300100000\(index)",
                email: "p\(index)@example.com", status: "ACTIVE",
                fields: [
                    .text("tag", "Newsletter"), .text("custom.company", "Acme S.A.S."),
                    ContactField("created", .date(FieldDates.seconds(year: 2024, month: 3, day: 2 + index))),
                ])
        }
    }

    @Test func atEightyColumnsTheHeaderShortensTheURLWholeNeverMidWord() {
        var state = screenState(contacts: contacts())
        state.session.account.baseURL = "https://backend.example-service.com/api/v2"
        let header = Screen.render(state, width: 80, height: 24).lines[0]
        #expect(header.hasPrefix(" Roster · acme · SendMe123 · backend.example-service.com/api/v2 "), "without the scheme: \(header)")
        state.marks = [ContactID("0d1624df-8c0d-4184-9370-5075f2d26bd0")]
        let marked = Screen.render(state, width: 80, height: 24).lines[0]
        #expect(marked.hasPrefix(" Roster · acme · SendMe123  "), "no room for the URL, so none of it: \(marked)")
        #expect(marked.hasSuffix("● 1 marked · 5 contacts "))
        let hints = Screen.render(state, width: 80, height: 24).lines[23]
        #expect(hints.hasPrefix(" ? help  Enter details  Space mark  / filter"), "whole hints only: \(hints)")
    }

    @Test func theHeaderKeepsHowManyMarksTheFilterHidesAtEveryWidth() {
        let many = (0..<3000).map { index in
            Contact(
                id: ContactID(String(format: "5a1c9f0e-77d2-4c1b-9e3a-%012d", index)), name: "Person \(index)", phone: "+57 300 \(index)",
                email: "p\(index)@example.com", status: index % 30 == 0 ? "BLOCKED" : "ACTIVE")
        }
        var state = screenState(contacts: many)
        state.session.account.baseURL = "https://backend.example-service.com/api/v2"
        state.marks = Set(many.prefix(96).map(\.id))
        _ = update(&state, .action(.startFilter))
        for character in "status:blocked !email:nobody@example.com" { _ = update(&state, .action(.typed(character))) }
        _ = update(&state, .action(.submit))
        for width in [80, 100, 160] {
            let header = Screen.render(state, width: width, height: 24).lines[0]
            #expect(header.contains("(92 hidden"), "the marks the filter hides, at \(width) columns: \(header)")
            #expect(header.contains("3000"), "and the count of contacts: \(header)")
        }
    }

    @Test func aMarkedContactNotFoundOnAnyPageIsSaidToBeGone() {
        var state = screenState(contacts: people)
        state.marks = [ContactID("2812001"), ContactID("2812002")]
        _ = update(&state, .action(.reload))
        let fewer = Array(people.dropFirst())
        _ = update(&state, .pageLoaded(page: 1, generation: state.pages.generation, .success(
            ContactPage(contacts: fewer, page: 1, total: fewer.count, hasMore: false))))
        let header = Screen.render(state, width: 100, height: 24).lines[0]
        #expect(header.contains("● 2 marked (1 gone)"), "every page is read: not “not loaded”: \(header)")
    }

    @Test func aPendingRangeShowsBesideItsRowsAndAValueKeepsItsColumn() {
        var state = screenState(contacts: people)
        _ = update(&state, .action(.markRange))
        _ = update(&state, .action(.moveDown))
        _ = update(&state, .action(.moveDown))
        let lines = Screen.render(state, width: 100, height: 14).lines
        let rows = Array(lines[2..<5])
        #expect(rows[0].hasPrefix(" │Ana María Pérez"), "\(rows[0])")
        #expect(rows[1].hasPrefix(" │山田 太郎"))
        #expect(rows[2].hasPrefix("›│"), "the cursor ends the range")

        var spaced = screenState(contacts: [
            Contact(id: ContactID("1"), name: "Ana", phone: "+57 300", email: " ANA@X.COM"),
            Contact(id: ContactID("2"), name: "Bea", phone: "+57 301", email: "bea@x.com"),
        ])
        _ = update(&spaced, .action(.moveDown))
        let list = Screen.render(spaced, width: 100, height: 14).lines
        let first = try! #require(list.first { $0.contains("ANA@X.COM") })
        let second = try! #require(list.first { $0.contains("bea@x.com") })
        #expect(first.range(of: "ANA@X.COM")!.lowerBound.utf16Offset(in: first) == second.range(of: "bea@x.com")!.lowerBound.utf16Offset(in: second))
    }

    @Test func aDialogNarrowerThanItsTextWrapsAtSpaces() {
        var state = screenState(contacts: people)
        for _ in 0..<2 { _ = update(&state, .action(.toggleMark)) }
        _ = update(&state, .action(.delete))
        let wide = Screen.render(state, width: 120, height: 30).lines.filter { $0.contains("│") }.joined(separator: "\n")
        let narrow = Screen.render(state, width: 60, height: 24).lines.filter { $0.contains("│") }
        let words = Set(wide.split { " │•…,.:()".contains($0) }.map(String.init))
        for line in narrow {
            for word in line.split(whereSeparator: { " │•…,.:()".contains($0) }) where !word.contains("─") {
                #expect(words.contains(String(word)), "“\(word)” is a whole word at 60 columns: \(line)")
            }
        }
    }

    @Test func atTwoHundredColumnsTheListShowsCreatedTagsAndCompany() {
        let state = screenState(contacts: contacts())
        let lines = Screen.render(state, width: 210, height: 14).lines
        #expect(lines[1].contains("CREATED") && lines[1].contains("TAGS") && lines[1].contains("COMPANY"))
        #expect(lines[2].contains("0d1624df-8c0d-4184-9370-5075f2d26bd0 2024-03-02 Newsletter"), "\(lines[2])")
        #expect(lines[2].contains("Acme S.A.S."), "as the provider wrote it, not folded")
        let narrow = Screen.render(state, width: 150, height: 14).lines
        #expect(!narrow[1].contains("CREATED"))
    }

    @Test func aBoxHasABlankColumnEachSideAndTheResultsUseTheirWidth() {
        var state = screenState(contacts: contacts())
        _ = update(&state, .action(.delete))
        let canvas = Screen.render(state, width: 100, height: 24)
        let row = canvas.lines.firstIndex { $0.contains("keep it") }!
        let line = Array(canvas.lines[row])
        let border = line.firstIndex(of: "│")!
        #expect(line[border - 1] == " ", "nothing of the row underneath touches the border")
        var batch = Batch(contacts: contacts(), skipped: [], startAt: nil, now: Date(timeIntervalSince1970: 0), isDryRun: false)
        for contact in contacts() {
            batch.settle(contact.id, .failed("400: " + String(repeating: "the server explained at length why it refused ", count: 4)))
        }
        state.overlay = .results(scroll: 0)
        state.batch = batch
        let panel = Screen.render(state, width: 160, height: 40).lines.joined(separator: "\n")
        #expect(panel.contains("0d1624df-8c0d-4184-9370-5075f2d26bd0"), "whole ids where they fit")
        #expect(panel.contains("why it refused the server explained"), "the message goes on under it")
    }
}

@Suite("The cursor")
struct CursorTests {
    @Test func theArrowCursorIsABlockAtTheRowsStartAndTheBarTheWholeRow() {
        var state = screenState(contacts: people)
        state.locked[ContactID("2812001")] = "Contact cannot be deleted (has pending messages)"
        var canvas = Screen.render(state, width: 80, height: 14)
        let y = 2
        #expect(canvas.lines[y].hasPrefix("› Ana María Pérez"))
        #expect(canvas[0, y].role == .cursorRow && canvas[1, y].role == .cursorRow, "a block of two cells")
        #expect(canvas[5, y].role == .rowLocked, "the row keeps its own look: locked shows under the cursor too")
        state.session.cursorStyle = .bar
        canvas = Screen.render(state, width: 80, height: 14)
        #expect(canvas[5, y].role == .cursorRow)
    }
}
