import Testing
@testable import RosterTUI

@Suite("Untrusted text and widths")
struct TextTests {
    @Test func controlsAndBidiOverridesBecomeVisibleText() {
        #expect(Sanitizer.clean("a\u{1b}[2Jb") == "a^[[2Jb")
        #expect(Sanitizer.clean("\u{1b}]52;c;aGk=\u{07}") == "^[]52;c;aGk=^G")
        #expect(Sanitizer.clean("x\u{9b}31m") == "x<U+009B>31m")
        #expect(Sanitizer.clean("abc\u{202e}fed") == "abc<U+202E>fed")
        #expect(Sanitizer.clean("tab\there\u{7f}") == "tab^Ihere^?")
        #expect(Sanitizer.clean("José 山田 🙂") == "José 山田 🙂")
    }

    @Test func widthsOfWideCombiningAndEmoji() {
        #expect(TextWidth.of("abc") == 3)
        #expect(TextWidth.of("山田") == 4)
        #expect(TextWidth.of("e\u{301}") == 1)
        #expect(TextWidth.of("🙂") == 2)
        #expect(TextWidth.of("❤\u{fe0f}") == 2)
        #expect(TextWidth.of("김민준") == 6)
    }

    @Test func truncationKeepsColumnsAndMarksTheCut() {
        #expect(Canvas.truncate("山田太郎さん", to: 7) == "山田太…")
        #expect(TextWidth.of(Canvas.truncate("山田太郎さん", to: 6)) <= 6)
        #expect(Canvas.truncate("short", to: 10) == "short")
    }

    @Test func aWideCharacterNeverStraddlesTheEdgeOrAnOverlay() {
        var canvas = Canvas(width: 5, height: 1)
        canvas.put("ab山田", x: 0, y: 0, role: .row)
        #expect(canvas.line(0) == "ab山 ")
        canvas.put("|", x: 3, y: 0, role: .dialog)
        #expect(canvas.line(0) == "ab |" + " ")
        #expect(canvas[2, 0].text == " ")
    }
}

@Suite("Key map")
struct KeyMapTests {
    @Test func onlyYConfirmsADelete() {
        #expect(KeyMap.standard.action(for: .character("y"), mode: .confirmKey) == .confirm)
        for key: Key in [.character("n"), .character("Y"), .escape, .enter, .character("d"), .character(" ")] {
            #expect(KeyMap.standard.action(for: key, mode: .confirmKey) == .cancel)
        }
    }

    @Test func aBatchConfirmationAndTheFilterTakeText() {
        for mode: InputMode in [.typedCount, .filterText] {
            #expect(KeyMap.standard.action(for: .character("3"), mode: mode) == .typed("3"))
            #expect(KeyMap.standard.action(for: .character("q"), mode: mode) == .typed("q"), "q is text here, not quit")
            #expect(KeyMap.standard.action(for: .character("y"), mode: mode) == .typed("y"), "y alone confirms no batch")
            #expect(KeyMap.standard.action(for: .backspace, mode: mode) == .backspace)
            #expect(KeyMap.standard.action(for: .enter, mode: mode) == .submit)
            #expect(KeyMap.standard.action(for: .escape, mode: mode) == .cancel)
        }
    }

    @Test func theResultsPanelRetriesWithR() {
        #expect(KeyMap.standard.action(for: .character("r"), mode: .results) == .retryFailed)
        #expect(KeyMap.standard.action(for: .character("r"), mode: .browse) == .reload)
        #expect(KeyMap.standard.action(for: .character("j"), mode: .results) == .moveDown)
    }

    @Test func browsingKeys() {
        let map = KeyMap.standard
        #expect(map.action(for: .character("j"), mode: .browse) == .moveDown)
        #expect(map.action(for: .down, mode: .browse) == .moveDown)
        #expect(map.action(for: .character("k"), mode: .browse) == .moveUp)
        #expect(map.action(for: .pageDown, mode: .browse) == .pageDown)
        #expect(map.action(for: .character("G"), mode: .browse) == .moveToBottom)
        #expect(map.action(for: .home, mode: .browse) == .moveToTop)
        #expect(map.action(for: .character("r"), mode: .browse) == .reload)
        #expect(map.action(for: .character("x"), mode: .browse) == .stopBatch)
        #expect(map.action(for: .character("z"), mode: .browse) == nil)
        #expect(map.action(for: .character("q"), mode: .confirmQuit) == .confirm)
        #expect(map.action(for: .character("q"), mode: .confirmKey) == .cancel)
        #expect(map.action(for: .character(" "), mode: .browse) == .toggleMark)
        #expect(map.action(for: .character("/"), mode: .browse) == .startFilter)
        #expect(map.action(for: .character("u"), mode: .browse) == .undo)
    }
}

@testable import RosterCore

@Suite("Read-only sessions")
struct ReadOnlyTests {
    @Test func noDestructiveKeyIsShownAndEachSaysWhyItDoesNothing() {
        let map = KeyMap.standard.readOnly
        var state = screenState(contacts: people)
        state.session.isReadOnly = true
        let expected = [
            "d": "nothing is deleted", "s": "nothing is deactivated", " ": "marks do not change", "+": "marks do not change",
            "-": "marks do not change", "u": "no batch runs", "p": "no batch runs", "x": "no batch runs",
        ]
        for (key, said) in expected {
            let action = map.action(for: .character(Character(key)), mode: .browse)
            #expect(action != nil, "\(key) is read")
            _ = action.map { update(&state, .action($0)) }
            #expect(state.message?.text == "Read-only session: \(said) here (--read-only, or the profile's read_only = true).", "\(key)")
            #expect(state.marks.isEmpty && state.overlay == .none && state.batch == nil)
        }
        #expect(map.action(for: .character("j"), mode: .browse) == .moveDown)
        let text = Screen.render(state, width: 100, height: 14, keyMap: map).lines.joined(separator: "\n")
        #expect(text.contains("READ-ONLY"))
        #expect(!text.contains("d delete"))
        #expect(!text.contains("Space mark"))
        state.overlay = .help(scroll: 0)
        let help = Screen.render(state, width: 100, height: 30, keyMap: map).lines.joined(separator: "\n")
        #expect(help.contains("Read-only session"))
        #expect(!help.contains("delete the contact"))
    }

    @Test func theStateRefusesThemEvenIfAsked() {
        var state = screenState(contacts: people)
        state.session.isReadOnly = true
        #expect(update(&state, .action(.delete)) == [])
        #expect(update(&state, .action(.toggleMark)) == [])
        #expect(state.overlay == .none && state.marks.isEmpty)
        #expect(state.message?.text.contains("Read-only") == true)
    }

    /// The team's journal could not be reached at start: browsing goes on, and `d` says why
    /// nothing is deleted rather than offering a deletion the journal would refuse.
    @Test func aSessionWithoutItsJournalSaysSoWhenAskedToDelete() {
        var state = screenState(contacts: people)
        state.session.isReadOnly = true
        state.session.journalUnavailable = "the team's journal postgres://ops@db:5432/team cannot be opened: Connection refused"
        #expect(update(&state, .action(.delete)) == [])
        #expect(state.overlay == .none)
        #expect(state.message?.text == "The journal is unavailable, so nothing is deleted (nothing leaves unjournalled): the team's journal postgres://ops@db:5432/team cannot be opened: Connection refused.")
        _ = update(&state, .action(.moveDown))
        #expect(state.cursor == 1, "browsing goes on")
    }

    @Test func aRowAnotherOperatorHoldsSaysWho() {
        var state = screenState(contacts: people)
        state.heldElsewhere[people[0].id] = "ops-a@jump2"
        let text = Screen.render(state, width: 120, height: 14).lines.joined(separator: "\n")
        #expect(text.contains("by ops-a@jump2"), "\(text)")
    }

    @Test func longTextWrapsAtSpacesWithinTheWidth() {
        let lines = Canvas.wrap("Deleting 山田 太郎 failed: the server said something rather long about it", to: 20, indent: 2)
        #expect(lines.allSatisfy { TextWidth.of($0) <= 20 })
        #expect(lines.joined(separator: " ").replacingOccurrences(of: "   ", with: " ").contains("rather long"))
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("  ") })
        #expect(Canvas.wrap("short", to: 20) == ["short"])
    }
}
