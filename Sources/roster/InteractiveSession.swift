import Foundation
import Glibc
import RosterCore
import RosterTUI

/// The full-screen UI. One thread owns ncurses and the state: it waits in poll() on the
/// keyboard and the wake-up pipe, so it uses no CPU while nothing happens and draws an API
/// result the moment it arrives.
final class InteractiveSession {
    private let resolved: ResolvedAccount
    private let appearance: Appearance
    private let keyMap = KeyMap.standard

    init(account: ResolvedAccount, appearance: Appearance) {
        self.resolved = account
        self.appearance = appearance
    }

    /// Runs until the user quits or a termination signal arrives.
    func run() {
        let wake = WakePipe()
        installSignalHandlers(wake)
        let inbox = EventInbox(wake: wake)
        let account = resolved.info
        let provider = resolved.makeProvider { headroom in inbox.post(.headroomChanged(headroom)) }.provider
        let journal = Result { () throws(JournalError) in try Journal(account: account) }
        let runtime = Runtime(provider: provider, inbox: inbox, journal: journal)
        let terminal = NcursesTerminal(theme: appearance.theme, useColor: appearance.useColor)
        terminal.start()
        defer { terminal.stop() }

        var state = AppState(account: account, capabilities: provider.capabilities)
        if let problem = appearance.problem { state.message = StatusMessage(problem, level: .warning) }
        switch journal {
        case .failure(let error):
            state.message = StatusMessage("The journal is unavailable (\(error)): nothing will be deleted.", level: .error)
        case .success(let log):
            Task {
                if let summary = await Reconciler.run(journal: log, provider: provider) {
                    inbox.post(.notice(StatusMessage(summary, level: .warning)))
                }
            }
        }
        var size = terminal.size
        func dispatch(_ event: Event) {
            for effect in update(&state, event) { runtime.perform(effect) }
        }
        func resized() {
            size = terminal.size
            dispatch(.viewportChanged(listRows: Screen.listRows(width: size.width, height: size.height, isDemo: account.isDemo)))
        }
        resized()
        for effect in start(&state) { runtime.perform(effect) }

        while !state.isFinished {
            dispatch(.tick(Date()))
            terminal.draw(Screen.render(state, width: size.width, height: size.height, keyMap: keyMap))
            var descriptors = [
                pollfd(fd: terminal.inputDescriptor, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wake.readDescriptor, events: Int16(POLLIN), revents: 0),
            ]
            // Idle means asleep: wake only for input, an event, or the next second of a countdown.
            let timeout = state.wantsTicks ? Int32(1000 - Int(Date().timeIntervalSince1970 * 1000) % 1000) : -1
            let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
            if ready < 0 && errno != EINTR { break }
            if descriptors[1].revents != 0 {
                let wakes = wake.drain()
                if wakes.termination { dispatch(.terminationRequested) }
                if wakes.resize {
                    terminal.adoptWindowSize()
                    resized()
                }
            }
            if descriptors[0].revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 {
                dispatch(.terminationRequested)
            }
            for input in terminal.readInputs() {
                switch input {
                case .resize:
                    resized()
                case .key(let key):
                    if Layout(width: size.width, height: size.height, showsBanner: account.isDemo).isTooSmall {
                        if key == .character("q") { dispatch(.action(.quit)) }
                        continue
                    }
                    if let action = keyMap.action(for: key, overlay: state.overlay) { dispatch(.action(action)) }
                }
            }
            for event in inbox.takeAll() { dispatch(event) }
        }
    }
}
