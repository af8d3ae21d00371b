import Foundation

/// The panes and panels over the list: the help, the details of one contact, and panels of
/// lines to read (the message history); each scrolls and closes.

/// `?` over any screen: the help opens over it and shows its keys; closing it shows that
/// screen again as it was.
func openHelp(in state: inout AppState) -> [Effect] {
    state.open(.help(scroll: 0))
    return []
}

func handleHelp(_ action: UserAction, scroll: Int, in state: inout AppState) -> [Effect] {
    if [.toggleHelp, .dismiss, .quit, .cancel].contains(action) {
        state.overlay = .none
    } else if scrollActions.contains(action) {
        // The help view stops at its last line; here it only must not run away.
        state.overlay = .help(scroll: scrolled(scroll, by: action, lines: 100, page: state.listHeight))
    }
    return []
}

func handleInfo(_ action: UserAction, panel: InfoPanel, in state: inout AppState) -> [Effect] {
    var panel = panel
    switch action {
    case _ where scrollActions.contains(action):
        panel.scroll = scrolled(panel.scroll, by: action, lines: panel.lines.count, page: state.listHeight)
        state.overlay = .info(panel)
    case .dismiss, .cancel, .quit, .submit, .openDetail:
        state.overlay = .none
    default:
        break
    }
    return []
}

func handleDetail(_ action: UserAction, pane: DetailPane, in state: inout AppState) -> [Effect] {
    var pane = pane
    switch action {
    case _ where scrollActions.contains(action):
        pane.scroll = scrolled(pane.scroll, by: action, lines: 200, page: state.listHeight)
        state.overlay = .detail(pane)
        return []
    case .dismiss, .openDetail, .quit, .cancel:
        state.overlay = .none
        return []
    case .delete:
        return askToDelete(pane.contact, in: &state)
    case .deactivate:
        return askToDeactivate(pane.contact, in: &state)
    case .toggleHelp:
        return openHelp(in: &state)
    case .copyID:
        return copyID(in: &state, marked: false)
    default:
        return []
    }
}

/// The keys that scroll a pane or panel.
let scrollActions: Set<UserAction> = [.moveDown, .moveUp, .pageDown, .pageUp, .halfPageDown, .halfPageUp, .moveToTop, .moveToBottom]

func scrolled(_ scroll: Int, by action: UserAction, lines: Int, page: Int) -> Int {
    let target: Int
    switch action {
    case .moveDown: target = scroll + 1
    case .moveUp: target = scroll - 1
    case .pageDown: target = scroll + page
    case .pageUp: target = scroll - page
    case .halfPageDown: target = scroll + max(1, page / 2)
    case .halfPageUp: target = scroll - max(1, page / 2)
    case .moveToTop: target = 0
    case .moveToBottom: target = lines
    default: target = scroll
    }
    return min(max(0, target), max(0, lines - 1))
}

/// A look-up for the details arrived: the pane says what it found, on top or under the help.
func detailLookupFinished(id: ContactID, result: Result<Contact, ProviderError>, in state: inout AppState) {
    let freshness: DetailPane.Freshness
    switch result {
    case .success: freshness = .fresh
    case .failure(let error) where error.kind == .notFound: freshness = .gone
    case .failure(let error): freshness = .failed(explain(error, state))
    }
    var shown: Contact?
    state.updateScreens { screen in
        guard case .detail(var pane) = screen, pane.contact.id == id else { return }
        if case .success(let contact) = result { pane.contact = contact }
        pane.freshness = freshness
        shown = pane.contact
        screen = .detail(pane)
    }
    switch result {
    case .success(let contact):
        state.replace(contact)
    case .failure(let error) where error.kind == .notFound:
        guard let shown else { return }
        state.remove(id)
        state.message = .alreadyGone(shown.displayName)
    case .failure:
        break
    }
    if shown != nil { keepCursorVisible(&state) }
}

/// The message history as a panel: every message of the session, newest first, with the
/// time it was said and its level in text.
func messageHistory(_ state: AppState) -> InfoPanel {
    let time = DateFormatter()
    time.dateFormat = "HH:mm:ss"
    let lines = state.messageLog.reversed().map { logged -> String in
        let mark: String
        switch logged.message.level {
        case .info: mark = " "
        case .success: mark = "✓"
        case .warning: mark = "!"
        case .error: mark = "✗"
        }
        return "\(time.string(from: logged.at))  \(mark) \(logged.message.text)"
    }
    return InfoPanel(
        title: "Messages of this session, newest first",
        lines: lines.isEmpty ? ["Nothing has been said yet."] : lines, wraps: true,
        summary: lines.isEmpty ? "none yet" : "\(lines.count) message\(lines.count == 1 ? "" : "s")")
}
