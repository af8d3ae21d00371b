import Testing
import RosterCore
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
        #expect(text.contains("Space mark · K keep this one · U unmark group · d delete marked"))
        for _ in 0..<70 { _ = update(&state, .action(.moveDown)) }
        text = Screen.render(state, width: 100, height: 30).lines.joined(separator: "\n")
        #expect(text.contains("─ 36 · same phone 573001000035"), "the view follows the cursor")
        #expect(!text.contains("─ 1 · same phone"))
        #expect(text.split(separator: "\n").contains { $0.contains("› ") && $0.contains("Person 35") })
    }

    @Test func aMistakeInTheQueryIsShownUnderThePromptAndTabListsChoices() {
        var state = screenState(contacts: people)
        _ = update(&state, .action(.startFilter))
        for character in "stat:x" { _ = update(&state, .action(.typed(character))) }
        var lines = Screen.render(state, width: 100, height: 14).trimmedLines
        #expect(lines[12].hasPrefix(" /stat:x▏  (showing the last valid filter)"))
        #expect(lines[13].hasPrefix(" ✗ unknown field “stat”: SendMe123 contacts have name, email, phone"))
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
