import Foundation
import Testing
@testable import RosterCore

/// The `:` command line, as k9s's: commands by name or unique prefix, Tab completing from the
/// user's own profiles, themes and saved filters; `:profile` asks before dropping anything and
/// is refused while a deletion is under way.
@Suite("The command line (:)")
struct CommandPromptTests {
    private func run(_ text: String, in state: inout AppState) -> [Effect] {
        _ = update(&state, .action(.startCommand))
        _ = typeKeys(text, into: &state)
        return update(&state, .action(.submit))
    }

    private func withChoices(_ state: AppState) -> AppState {
        var session = state.session
        session.profileNames = ["acme", "easify-eu"]
        session.themeNames = ["default", "high-contrast", "light"]
        session.savedFilters = ["stale": "status:inactive"]
        var fresh = AppState(session: session)
        _ = start(&fresh)
        _ = update(&fresh, .pageLoaded(page: 1, generation: 0, .success(ContactPage(contacts: sampleContacts(0..<10), page: 1, total: 10, hasMore: false))))
        return fresh
    }

    @Test func commandsAreReadByNameOrUniquePrefix() {
        #expect(PromptCommand.parse("sort phone desc") == .success(.sort(.phone, descending: true)))
        #expect(PromptCommand.parse("so name") == .success(.sort(.name, descending: false)))
        #expect(PromptCommand.parse("profile acme") == .success(.profile("acme")))
        #expect(PromptCommand.parse("filter status:inactive !email:") == .success(.filter("status:inactive !email:")))
        #expect(PromptCommand.parse("?") == .success(.help))
        guard case .failure(let unknown) = PromptCommand.parse("frobnicate") else { Issue.record("read"); return }
        #expect(unknown.description.hasPrefix("no command “frobnicate”: profile, sort"))
        guard case .failure(let missing) = PromptCommand.parse("theme") else { Issue.record("read"); return }
        #expect(missing.description == ":theme needs a theme's name (Tab lists them)")
        guard case .failure(let badSort) = PromptCommand.parse("sort shoe") else { Issue.record("read"); return }
        #expect(badSort.description.hasPrefix(":sort takes name, phone, email or server"))
    }

    @Test func sortFilterExportAndHelpRunAsTheirKeysDo() {
        var state = withChoices(loadedState(contacts: 10, total: 10))
        _ = run("sort name desc", in: &state)
        #expect(state.sort == .name && state.sortDescending)
        let exported = run("export picked.csv", in: &state)
        guard case .export(let contacts, let path)? = exported.first else { Issue.record("no export: \(exported)"); return }
        #expect(path == "picked.csv")
        #expect(contacts.count == 10)
        _ = run("filter @stale", in: &state)
        #expect(state.filter.query.text == "@stale")
        #expect(state.message?.text.hasPrefix("Filtered by “@stale”") == true)
        _ = run("help", in: &state)
        guard case .info(let panel) = state.overlay else { Issue.record("no panel"); return }
        #expect(panel.lines.contains { $0.hasPrefix(":profile NAME") })
        _ = update(&state, .action(.dismiss))
        let themed = run("theme light", in: &state)
        #expect(themed == [.switchTheme("light")])
        // A mistake stays on the line, said under it.
        _ = run("sort shoe", in: &state)
        #expect(state.commandPrompt?.hint?.hasPrefix(":sort takes") == true)
    }

    @Test func tabCompletesCommandsProfilesThemesAndSavedFilters() {
        var state = withChoices(loadedState(contacts: 10, total: 10))
        _ = update(&state, .action(.startCommand))
        _ = typeKeys("pr", into: &state)
        _ = update(&state, .action(.complete))
        #expect(state.commandPrompt?.typed == "profile ")
        _ = update(&state, .action(.complete))
        #expect(state.commandPrompt?.hint == "acme  easify-eu")
        _ = typeKeys("e", into: &state)
        _ = update(&state, .action(.complete))
        #expect(state.commandPrompt?.typed == "profile easify-eu ")
        _ = update(&state, .action(.cancel))
        _ = update(&state, .action(.startCommand))
        _ = typeKeys("theme h", into: &state)
        _ = update(&state, .action(.complete))
        #expect(state.commandPrompt?.typed == "theme high-contrast ")
        _ = update(&state, .action(.cancel))
        _ = update(&state, .action(.startCommand))
        _ = typeKeys("filter ", into: &state)
        _ = update(&state, .action(.complete))
        #expect(state.commandPrompt?.typed == "filter @stale ")
    }

    @Test func profileAsksFirstAndIsRefusedWhileADeletionIsUnderWay() {
        var state = withChoices(loadedState(contacts: 10, total: 10))
        _ = update(&state, .action(.toggleMark))
        _ = run("profile acme", in: &state)
        #expect(state.overlay == .confirmSwitch(profile: "acme"))
        let stayed = update(&state, .action(.cancel))
        #expect(stayed.isEmpty)
        #expect(state.marks.count == 1, "staying drops nothing")
        _ = run("profile acme", in: &state)
        #expect(update(&state, .action(.confirm)) == [.switchProfile("acme")])

        // A deletion counting down in its undo window: not now.
        var busy = cleanupSession(undo: 5)
        _ = update(&busy, .action(.toggleMark))
        _ = update(&busy, .action(.toggleMark))
        _ = update(&busy, .action(.delete))
        _ = update(&busy, .action(.typed("2")))
        _ = update(&busy, .action(.submit))
        #expect(busy.batch != nil)
        _ = run("profile acme", in: &busy)
        #expect(busy.overlay == .none)
        #expect(busy.message?.text.hasPrefix("Not now: a deletion is under way") == true)
    }

    /// ↑ and ↓ recall the commands run before, newest first, as a shell's history does; a
    /// command that did not run is not kept, and a `:profile` switch carries them on.
    @Test func upAndDownRecallTheCommandsRunBefore() {
        var state = withChoices(loadedState(contacts: 10, total: 10))
        _ = update(&state, .action(.startCommand))
        _ = update(&state, .action(.recallOlder))
        #expect(state.commandPrompt?.hint == "no earlier command yet")
        _ = update(&state, .action(.dismiss))
        _ = run("sort phone desc", in: &state)
        _ = run("theme light", in: &state)
        _ = run("sort shoe", in: &state)
        _ = update(&state, .action(.dismiss))
        #expect(state.commandHistory.entries == ["sort phone desc", "theme light"], "the mistake is not kept")

        _ = update(&state, .action(.startCommand))
        _ = typeKeys("so", into: &state)
        _ = update(&state, .action(.recallOlder))
        #expect(state.commandPrompt?.typed == "theme light")
        #expect(state.commandPrompt?.cursor == "theme light".count)
        _ = update(&state, .action(.recallOlder))
        #expect(state.commandPrompt?.typed == "sort phone desc")
        _ = update(&state, .action(.recallOlder))
        #expect(state.commandPrompt?.typed == "sort phone desc")
        #expect(state.commandPrompt?.hint == "the oldest command kept")
        _ = update(&state, .action(.recallNewer))
        _ = update(&state, .action(.recallNewer))
        #expect(state.commandPrompt?.typed == "so", "past the newest: what was being typed")
        _ = update(&state, .action(.recallOlder))
        _ = update(&state, .action(.editLine(.deleteWordBefore)))
        _ = typeKeys("dark", into: &state)
        #expect(state.commandPrompt?.typed == "theme dark")

        var session = state.session
        session.commandHistory = state.commandHistory.entries
        var next = AppState(session: session)
        _ = update(&next, .action(.startCommand))
        _ = update(&next, .action(.recallOlder))
        #expect(next.commandPrompt?.typed == "theme light", "the next session on another profile has them")
    }

    /// The export's file name is edited as any prompt's line: the cursor moves, Ctrl-U clears
    /// what is before it, Backspace on an empty line closes it with nothing written.
    @Test func theExportPromptEditsLikeAShell() {
        var state = withChoices(loadedState(contacts: 10, total: 10))
        _ = update(&state, .action(.export))
        #expect(state.exportPrompt?.typed.hasPrefix("roster-export-") == true)
        _ = update(&state, .action(.editLine(.deleteToStart)))
        _ = typeKeys("picked.csv", into: &state)
        _ = update(&state, .action(.editLine(.start)))
        _ = typeKeys("/tmp/", into: &state)
        #expect(state.exportPrompt?.typed == "/tmp/picked.csv")
        let written = update(&state, .action(.submit))
        guard case .export(_, let path)? = written.first else { Issue.record("no export: \(written)"); return }
        #expect(path == "/tmp/picked.csv")

        _ = update(&state, .action(.export))
        _ = update(&state, .action(.editLine(.deleteToStart)))
        _ = update(&state, .action(.backspace))
        #expect(state.exportPrompt == nil)
        #expect(state.message == .nothingExported)
    }
}
