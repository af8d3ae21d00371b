import Foundation
import Testing
@testable import RosterCore
@testable import RosterTUI

/// Each screen owns its keys: its status bar offers them, `?` lists them, a click acts on
/// what it drew, and a key the account cannot honour is neither offered nor silent.
@Suite("Screens own their keys")
struct ScreenKeysTests {
    /// Three pairs sharing a phone.
    let twins: [Contact] = (0..<3).flatMap { index -> [Contact] in
        let phone = "+57300100000\(index)"
        return [
            Contact(id: ContactID("a\(index)"), name: "Person \(index)", phone: phone, email: "p\(index)@x.com"),
            Contact(id: ContactID("b\(index)"), name: "Twin \(index)", phone: phone, email: ""),
        ]
    }

    func statusBar(_ state: AppState, width: Int = 120, height: Int = 30) -> String {
        Screen.render(state, width: width, height: height).trimmedLines.last ?? ""
    }

    func deletion(_ id: String) -> RestoreLedger.Deletion {
        RestoreLedger.Deletion(
            entry: "e-\(id)", at: Date(timeIntervalSince1970: 60), operator: "ana", profile: "p", batch: "b",
            contactID: id, record: .object(["name": .string("Name \(id)")]))
    }

    @Test func theDuplicatesViewOffersItsOwnKeysNotTheList() {
        var state = screenState(contacts: twins)
        #expect(statusBar(state).contains("/ filter"), "the list offers its keys")
        _ = update(&state, .action(.showDuplicates))
        let bar = statusBar(state)
        for hint in ["Space mark", "K keep", "U unmark group", "d delete marked", "Enter go to it", "? help", "Esc close"] {
            #expect(bar.contains(hint), "\(hint) in «\(bar)»")
        }
        #expect(!bar.contains("filter") && !bar.contains("quit") && !bar.contains("details"), "none of the list's: «\(bar)»")
        state.session.isReadOnly = true
        let readOnly = statusBar(state)
        #expect(!readOnly.contains("mark") && !readOnly.contains("K keep") && !readOnly.contains("delete"), "«\(readOnly)»")
        #expect(readOnly.contains("Enter go to it"))
    }

    @Test func aReadOnlySessionKeepsEachScreensOwnHelpNote() {
        let readOnly = KeyMap.standard.readOnly
        #expect(readOnly.keys(for: .browse).note == "Read-only session: nothing here deletes, deactivates or marks.")
        #expect(readOnly.keys(for: .history).note == KeyMap.standard.keys(for: .history).note)
        #expect(readOnly.keys(for: .history).note?.contains("new id") == true)
        #expect(!readOnly.keys(for: .history).bindings.contains { $0.action == .restore }, "restoring is withheld")
    }

    @Test func aPlanUnderReviewStartsWithItsContactsMarked() {
        var state = screenState(contacts: twins)
        _ = update(&state, .marksGiven([ContactID("a1"), ContactID("b2")]))
        #expect(state.marks == [ContactID("a1"), ContactID("b2")])
        #expect(Screen.render(state, width: 100, height: 30).lines.joined().contains("● 2 marked"))
    }

    @Test func theHelpOverTheDuplicatesViewIsDrawnOverTheViewAndClosesBackToIt() {
        var state = screenState(contacts: twins)
        _ = update(&state, .action(.showDuplicates))
        _ = update(&state, .action(.moveDown))
        _ = update(&state, .action(.toggleHelp))
        let text = Screen.render(state, width: 100, height: 30).lines.joined(separator: "\n")
        #expect(text.contains("Keys: The duplicates view (D)") && text.contains("keep this one instead"))
        #expect(text.contains("┌─ Duplicates"), "the view is still there under the help")
        _ = update(&state, .action(.dismiss))
        guard case .duplicates(let review) = state.overlay else { Issue.record("back in the view"); return }
        #expect(review.cursor == 1, "where it was left")
    }

    @Test func theHistoryOffersItsOwnKeysAndItsHelpComesBackToIt() {
        var state = screenState(contacts: twins)
        _ = update(&state, .action(.showHistory))
        let bar = statusBar(state)
        for hint in ["Space mark", "+ all", "R restore", "? help", "Esc close"] { #expect(bar.contains(hint), "\(hint) in «\(bar)»") }
        #expect(!bar.contains("d delete") && !bar.contains("filter"), "«\(bar)»")
        _ = update(&state, .action(.toggleHelp))
        let help = Screen.render(state, width: 100, height: 30).lines.joined(separator: "\n")
        #expect(help.contains("Keys: The history (H)"))
        #expect(help.contains("restore the marked (asks)"))
        #expect(!help.contains("filter by text"), "the history's keys, not the list's")
        // The journal's answer arrives while the help is open over the history: it is kept.
        _ = update(&state, .historyLoaded(.success([deletion("a")])))
        _ = update(&state, .action(.dismiss))
        guard case .history(let view) = state.overlay else { Issue.record("back in the history"); return }
        #expect(view.deletions?.map(\.contactID) == ["a"])
    }

    /// On a team's journal the history holds others' deletions: who did each is shown first.
    @Test func theHistoryOnATeamsJournalSaysWhoDeletedEach() {
        var state = screenState(contacts: twins)
        _ = update(&state, .action(.showHistory))
        var other = deletion("b")
        other.operator = "bo"
        _ = update(&state, .historyLoaded(.success([deletion("a"), other])))
        let text = Screen.render(state, width: 100, height: 20).lines.joined(separator: "\n")
        #expect(text.contains("Deleted by the team here") && text.contains("BY"), "\(text)")
        #expect(text.contains(" bo "), "\(text)")
    }

    @Test func easifyNeitherOffersNorSilentlyIgnoresDeactivate() {
        var easify = screenState(dialect: .easify, contacts: twins)
        easify.overlay = .help(scroll: 0)
        let help = Screen.render(easify, width: 100, height: 60).lines.joined(separator: "\n")
        #expect(!help.contains("deactivate"), "Easify has no soft alternative: s is not offered")
        #expect(help.contains("delete it, or the marked"))
        easify.overlay = .none
        let key = KeyMap.session(easify).action(for: .character("s"), mode: .browse)
        #expect(key == .deactivate, "s is still read")
        _ = key.map { update(&easify, .action($0)) }
        #expect(easify.message?.text == "This Easify account offers no soft alternative: contacts can only be deleted.")
        #expect(easify.overlay == .none)

        let capabilities = ProviderCapabilities(canLookUp: true, canDeactivate: true, pageSize: 100, detailFieldOrder: ["id"])
        var sendme = AppState(
            account: AccountInfo(profile: "p", dialect: .sendme123, baseURL: "https://api.example.test", isDemo: false), capabilities: capabilities)
        sendme.overlay = .help(scroll: 0)
        #expect(Screen.render(sendme, width: 100, height: 60).lines.joined(separator: "\n").contains("deactivate instead"))
    }

    @Test func aClickOnAContactOfTheDuplicatesViewMovesTheCursorThere() {
        var state = screenState(contacts: twins)
        _ = update(&state, .action(.showDuplicates))
        let canvas = Screen.render(state, width: 100, height: 30)
        guard let row = canvas.lines.firstIndex(where: { $0.contains("Twin 1") }) else { Issue.record("Twin 1 is drawn"); return }
        let action = canvas.action(atX: 20, y: row)
        #expect(action != nil, "the row takes the click")
        _ = action.map { update(&state, .action($0)) }
        guard case .duplicates(let review) = state.overlay else { Issue.record("still in the view"); return }
        let here = review.position(of: review.cursor).map { review.groups[$0.group].members[$0.member] }
        #expect(here == ContactID("b1"))
        let after = Screen.render(state, width: 100, height: 30).lines
        #expect(after.contains { $0.contains("›") && $0.contains("Twin 1") }, "the cursor is drawn on it")
        #expect(canvas.action(atX: 20, y: 1) == nil, "the view's title takes no click to the list under it")
    }

    @Test func aClickOnADeletionInTheHistoryMovesTheCursorThere() {
        var state = screenState(contacts: twins)
        _ = update(&state, .action(.showHistory))
        _ = update(&state, .historyLoaded(.success([deletion("a"), deletion("b"), deletion("c")])))
        let canvas = Screen.render(state, width: 100, height: 30)
        guard let row = canvas.lines.firstIndex(where: { $0.contains("Name a") }) else { Issue.record("drawn"); return }
        _ = canvas.action(atX: 30, y: row).map { update(&state, .action($0)) }
        guard case .history(let view) = state.overlay else { Issue.record("still open"); return }
        #expect(view.cursor == 2, "newest first: a is the third")
    }

    @Test func helpOverTheDetailsListsTheirKeysAndGoesBackToThem() {
        var state = screenState(dialect: .easify, contacts: twins)
        _ = update(&state, .action(.openDetail))
        #expect(statusBar(state).contains("d delete"))
        _ = update(&state, .action(.toggleHelp))
        let help = Screen.render(state, width: 100, height: 30).lines.joined(separator: "\n")
        #expect(help.contains("close the details"))
        _ = update(&state, .action(.dismiss))
        guard case .detail = state.overlay else { Issue.record("the details again, not the list"); return }
    }

    @Test func everyScreenReadsOnlyTheKeysItOffersOrExplains() {
        for screen in KeyMap.standard.screens {
            let keys = screen.bindings.flatMap(\.keys)
            #expect(Set(keys).count == keys.count, "\(screen.title): no key bound twice")
        }
        // The list's keys of other screens say where they work.
        var state = screenState(contacts: twins)
        for key in ["R", "K", "U"] {
            _ = KeyMap.standard.action(for: .character(Character(key)), mode: .browse).map { update(&state, .action($0)) }
            #expect(state.message?.text.contains("view") == true, "\(key): \(state.message?.text ?? "silent")")
        }
    }
}
