import Foundation
import Glibc
import RosterCore
import RosterEngine
import RosterTeam
import RosterTUI

/// The full-screen UI. One thread owns ncurses and the state: it waits in poll() on the
/// keyboard and the wake-up pipe, so it uses no CPU while nothing happens and draws an API
/// result the moment it arrives.
final class InteractiveSession {
    private let resolved: ResolvedAccount
    private let appearance: Appearance
    private let options: DeletionOptions
    /// The command line's history from the session before a `:profile` switch.
    private let commands: [String]

    init(account: ResolvedAccount, appearance: Appearance, options: DeletionOptions, commands: [String] = []) {
        self.resolved = account
        self.appearance = appearance
        self.options = options
        self.commands = commands
    }

    static var themesDirectory: String {
        ProfileConfig.configDirectory(environment: ProcessInfo.processInfo.environment) + "/themes"
    }

    /// Runs until the user quits, a termination signal arrives, or `:profile` opens another
    /// account: then the account to open next.
    func run() -> ProfileSwitch? {
        let wake = WakePipe()
        installSignalHandlers(wake)
        let inbox = EventInbox(wake: wake)
        let account = resolved.info
        let (provider, pacer) = resolved.makeProvider(
            onWaiting: { slow in
                let text = slow.sentence.prefix(1).uppercased() + slow.sentence.dropFirst() + "…"
                inbox.post(.notice(StatusMessage(text, level: .info, lifetime: .untilAnswer)))
            },
            // The gauge shows a wait for the rate limit as it counts down.
            onRateWait: nil,
            onHeadroom: { headroom in inbox.post(.headroomChanged(headroom)) })
        let journal = Result { () throws(JournalError) in
            try JournalAccess.open(resolved, forWriting: !options.isReadOnly && !options.isDryRun)
        }
        let runtime = Runtime(provider: provider, pacer: pacer, inbox: inbox, journal: journal, account: account, isDryRun: options.isDryRun)
        let sync = ProcessInfo.processInfo.environment["ROSTER_SYNC"]?.lowercased()
        let terminal = NcursesTerminal(
            theme: appearance.theme, useColor: appearance.useColor, mouse: appearance.mouse,
            synchronization: sync == "on" ? .on : (sync == "off" ? .off : .ask))
        terminal.start()
        defer { terminal.stop() }

        var message: StatusMessage?
        // The prompt's history: kept as long as the journal keeps personal data, written off
        // this thread, one write at a time; a failure costs the history, not the session.
        let queryHistory = QueryHistoryFile(profile: account.profile, isDemo: account.isDemo)
        let retentionDays = (try? ProfileConfig.journalRetention(environment: ProcessInfo.processInfo.environment)) ?? Retention.defaultDays
        let historyWrites = DispatchQueue(label: "roster.query-history")
        let savedFilters: [String: String]
        do {
            savedFilters = try ProfileConfig.savedFilters(environment: ProcessInfo.processInfo.environment)
        } catch {
            savedFilters = [:]
            message = StatusMessage("Saved filters are unavailable: \(error)", level: .warning)
        }
        var session = SessionConfig(
            account: account, capabilities: provider.capabilities, undoDelay: options.undoSeconds, isDryRun: options.isDryRun,
            // Review only: the plan's contacts marked and shown, nothing deleted from here.
            isReadOnly: options.isReadOnly, planBanner: options.review?.banner, accountLabel: appearance.theme.label,
            cursorStyle: appearance.cursor, duplicateOptions: resolved.duplicates, savedFilters: savedFilters,
            queryHistory: queryHistory.load(retentionDays: retentionDays))
        if case .failure(let error) = journal, !options.isDryRun {
            // Browsing and look-ups go on; the keys that would send something say why not.
            session.isReadOnly = true
            session.journalUnavailable = error.description
        }
        session.profileNames = ProfileConfig.profileNames(environment: ProcessInfo.processInfo.environment)
        session.themeNames = ThemeLoader.available(themesDirectory: Self.themesDirectory).map(\.name)
        session.commandHistory = commands
        var state = AppState(session: session)
        // `:profile NAME`, confirmed and resolved: this session ends for one on it.
        var next: ResolvedAccount?
        if let selection = options.selection {
            state.selectWhenLoaded(selection)
            _ = update(&state, .notice(StatusMessage(
                "Loading every contact to match the \(selection.unmatched.count) lines of \(selection.source)…", level: .info)))
        }
        if let problem = appearance.problem { _ = update(&state, .notice(StatusMessage(problem, level: .warning))) }
        if let message { _ = update(&state, .notice(message)) }
        if let review = options.review {
            _ = update(&state, .marksGiven(Set(review.ids)))
            _ = update(&state, .notice(StatusMessage(
                "Reviewing a plan: the \(review.ids.count) contacts it acts on are marked and shown (Esc shows every contact); roster apply runs it.",
                level: .info)))
        }
        if let filter = options.filter ?? (options.review != nil ? "marked:yes" : nil) {
            _ = update(&state, .tick(Date()))
            if let error = applyFilter(filter, in: &state) {
                _ = update(&state, .notice(StatusMessage("The filter \(filter) is not applied: \(error)", level: .error)))
            }
        }
        var claimWatch: Task<Void, Never>?
        defer { claimWatch?.cancel() }
        switch journal {
        case .failure(let error):
            _ = update(&state, .notice(StatusMessage("The journal is unavailable (\(error)): browsing only, nothing will be deleted.", level: .error)))
        case .success(let log):
            if let note = log.store.notes.last { _ = update(&state, .notice(StatusMessage(note.prefix(1).uppercased() + note.dropFirst() + ".", level: .info))) }
            // The terminal is the UI's now: a bad setting is said on screen, never an exit.
            do {
                if let said = try JournalRetention.prune(log.store) {
                    _ = update(&state, .notice(StatusMessage(said.prefix(1).uppercased() + said.dropFirst() + ".", level: .info)))
                }
            } catch {
                _ = update(&state, .notice(StatusMessage("The journal was not pruned: \(error)", level: .warning)))
            }
            if log.store is SpooledTeamStore {
                // Rows another operator's request is on the way for say who, as they happen.
                claimWatch = Task.detached {
                    var last: [ContactID: String] = [:]
                    while !Task.isCancelled {
                        // Said only when it changed: an idle session draws nothing new.
                        let held = log.claimsHeldElsewhere()
                        if held != last { inbox.post(.claimsSeen(held)) }
                        last = held
                        try? await Task.sleep(nanoseconds: 3_000_000_000)
                    }
                }
            }
            Task {
                await JournalAccess.shareQuota(of: log, with: pacer) { trouble in
                    inbox.post(.notice(StatusMessage(trouble.prefix(1).uppercased() + trouble.dropFirst() + ".", level: .warning)))
                }
                if let report = await Reconciler.run(journal: log, provider: provider, account: AccountReading(provider: provider)) {
                    inbox.post(.notice(StatusMessage(report.sentence, level: .warning)))
                }
            }
        }
        var size = terminal.size
        func dispatch(_ event: Event) {
            for effect in update(&state, event) {
                switch effect {
                case .repaintScreen: terminal.repaintAll()
                case .copyToClipboard(let text): terminal.copyToClipboard(text)
                case .switchTheme(let name):
                    let (theme, problem) = ThemeLoader.load(name, themesDirectory: Self.themesDirectory)
                    if let problem {
                        dispatch(.notice(StatusMessage("The theme \(name) is not used: \(problem)", level: .warning)))
                    } else {
                        terminal.adopt(theme)
                        dispatch(.notice(StatusMessage("Theme \(name) for this session (--theme or a profile's theme = \"\(name)\" keeps it).", level: .success)))
                    }
                case .switchProfile(let name):
                    // Checked before this session ends: a profile that cannot be used is said here.
                    do {
                        next = try AccountOptions.parse(["--profile", name]).resolve()
                        dispatch(.notice(StatusMessage("Opening \(name)…", level: .info)))
                    } catch {
                        dispatch(.notice(StatusMessage("Still on \(account.profile): \(error)", level: .error)))
                    }
                case .rememberQuery(let query):
                    historyWrites.async {
                        do {
                            try queryHistory.remember(query, retentionDays: retentionDays)
                        } catch {
                            inbox.post(.notice(StatusMessage("The query is not kept for later sessions: \(error)", level: .warning)))
                        }
                    }
                default: runtime.perform(effect)
                }
            }
        }
        func resized() {
            size = terminal.size
            dispatch(.viewportChanged(listRows: Screen.listRows(state, width: size.width, height: size.height)))
        }
        resized()
        for effect in start(&state) { runtime.perform(effect) }

        // After a hang-up the terminal is gone: stop polling it, so finishing a batch's
        // requests does not spin on a descriptor that is always ready.
        var inputOpen = true
        // The account's keys: read-only where the session is, no `s` where it has no soft alternative.
        let keyMap = KeyMap.session(state)
        // The frame on screen: a click acts on what it drew there.
        var drawn = Canvas(width: 0, height: 0)
        while !state.isFinished {
            dispatch(.tick(Date()))
            // A batch's progress line takes a row from the list while it shows.
            let rows = Screen.listRows(state, width: size.width, height: size.height)
            if rows != state.listHeight { dispatch(.viewportChanged(listRows: rows)) }
            if state.isFinished || next != nil { break }
            drawn = Screen.render(state, width: size.width, height: size.height, keyMap: keyMap, asciiOnly: appearance.asciiOnly)
            terminal.draw(drawn)
            var descriptors = [
                pollfd(fd: inputOpen ? terminal.inputDescriptor : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wake.readDescriptor, events: Int16(POLLIN), revents: 0),
            ]
            // Idle means asleep: wake only for input, an event, or the next second of a countdown.
            let timeout = state.wantsTicks ? Int32(1000 - Int(Date().timeIntervalSince1970 * 1000) % 1000) : -1
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
            if ready < 0 && errno != EINTR { break }
            if descriptors[1].revents != 0 {
                let wakes = wake.drain()
                if wakes.termination { dispatch(.terminationRequested) }
                if wakes.suspend && !state.isFinished {
                    dispatch(.suspended(Date()))
                    terminal.suspend()
                    suspendNow()
                    terminal.resume()
                    dispatch(.resumed(Date()))
                    resized()
                }
                if wakes.resize {
                    terminal.adoptWindowSize()
                    resized()
                }
            }
            if descriptors[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                inputOpen = false
                dispatch(.terminationRequested)
            }
            func press(_ key: Key) {
                if Layout(for: state, width: size.width, height: size.height).isTooSmall {
                    if key == .character("q") { dispatch(.action(.quit)) }
                    return
                }
                if case .mouse(let event) = key, event.kind == .click {
                    if let action = drawn.action(atX: event.x, y: event.y) { dispatch(.action(action)) }
                } else if let action = keyMap.action(for: key, mode: state.inputMode) {
                    // The wheel moves three lines at a time.
                    let times = if case .mouse = key { 3 } else { 1 }
                    for _ in 0..<times { dispatch(.action(action)) }
                }
            }
            for input in inputOpen ? terminal.readInputs() : [] {
                switch input {
                case .resize:
                    resized()
                case .key(let key):
                    // Esc and a letter read together is Alt and the letter where the screen
                    // binds it (the prompt's Alt-B); elsewhere it is Esc, then the letter, each
                    // read by the screen it lands on (Esc closes the prompt, q then quits).
                    if case .alt(let letter) = key, keyMap.action(for: key, mode: state.inputMode) == nil {
                        press(.escape)
                        press(.character(letter))
                    } else {
                        press(key)
                    }
                }
            }
            for event in inbox.takeAll() { dispatch(event) }
        }
        // A query kept just before quitting is on disk before Roster leaves.
        historyWrites.sync {}
        return next.map { ProfileSwitch(account: $0, commands: state.commandHistory.entries) }
    }
}
