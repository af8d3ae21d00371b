import Foundation
import Testing
@testable import RosterCore
@testable import RosterTUI

/// Views draw into the area they are given, as ratatui's widgets do: each renders, and is
/// tested, in any part of any screen.
@Suite("Views in an area")
struct AreaTests {
    let area = Rect(x: 31, y: 7, width: 72, height: 21)

    let pairs: [Contact] = (0..<4).flatMap { index -> [Contact] in
        let phone = "+57300200000\(index)"
        return [
            Contact(id: ContactID("a\(index)"), name: "Person \(index)", phone: phone, email: "p\(index)@x.com"),
            Contact(id: ContactID("b\(index)"), name: "Twin \(index)", phone: phone, email: ""),
        ]
    }

    /// Draws on an empty canvas larger than the area; what is outside the area must stay as
    /// it was, and something must be inside it.
    func drawnOnlyInside(_ what: String, _ draw: (inout Canvas) -> Void) {
        var canvas = Canvas(width: 140, height: 40)
        draw(&canvas)
        var inside = 0
        for y in 0..<canvas.height {
            for x in 0..<canvas.width {
                let cell = canvas[x, y]
                if area.contains(x: x, y: y) {
                    if cell.text != " " { inside += 1 }
                } else {
                    #expect(cell == .blank(.normal), "\(what): drawn outside its area at (\(x), \(y))")
                    if cell != .blank(.normal) { return }
                }
            }
        }
        #expect(inside > 20, "\(what) is drawn inside its area")
        for region in canvas.regions {
            #expect(area.contains(x: region.x, y: region.y), "\(what): a click region outside its area")
        }
    }

    @Test func theScreensOverTheListDrawOnlyInTheirArea() {
        var state = screenState(contacts: pairs)
        _ = update(&state, .action(.showDuplicates))
        guard case .duplicates(let review) = state.overlay else { Issue.record("the view opens"); return }
        drawnOnlyInside("the duplicates view") { DuplicatesListView.render(review, state: state, in: area, into: &$0) }

        var history = HistoryView()
        history.deletions = [RestoreLedger.Deletion(
            entry: "e1", at: Date(timeIntervalSince1970: 60), operator: "ana", profile: "p", batch: "b", contactID: "c1",
            record: .object(["name": .string("Gone Person")]))]
        drawnOnlyInside("the history") { HistoryListView.render(history, state: state, in: area, into: &$0) }

        drawnOnlyInside("the help") { HelpView.render(KeyMap.standard.keys(for: .duplicates), in: area, into: &$0) }
        drawnOnlyInside("a question") { ConfirmDeleteView.render(pairs[0], state: state, in: area, into: &$0) }
        drawnOnlyInside("the details") {
            DetailView.render(DetailPane(contact: pairs[0], freshness: .fresh), state: state, in: area, into: &$0)
        }
        drawnOnlyInside("a panel") {
            ResultsView.render(InfoPanel(title: "Messages", lines: (0..<40).map { "line \($0)" }), in: area, into: &$0)
        }
        drawnOnlyInside("the copy choice") {
            CopyChoiceView.render(CopyChoice(fields: [.init(name: "id", value: "a0"), .init(name: "phone", value: "+573002000000")]), in: area, into: &$0)
        }
    }
}
