import RosterCore

/// The whole screen as a pure function of the state and the terminal size.
public enum Screen {
    /// `keyMap`: the session's (`KeyMap.session(state)` when not given).
    public static func render(_ state: AppState, width: Int, height: Int, keyMap: KeyMap? = nil, asciiOnly: Bool = false) -> Canvas {
        let keyMap = keyMap ?? .session(state)
        var canvas = Canvas(width: width, height: height, asciiOnly: asciiOnly)
        let layout = Layout(for: state, width: width, height: height)
        if layout.isTooSmall {
            renderTooSmall(width: width, height: height, into: &canvas)
            return canvas
        }
        HeaderView.render(state, layout: layout, into: &canvas)
        ContactListView.render(state, layout: layout, into: &canvas)
        StatusBarView.render(state, keyMap: keyMap, layout: layout, into: &canvas)
        ProgressView.render(state, layout: layout, into: &canvas)
        // Every open screen, innermost last: the help opened over the duplicates view is drawn
        // over the view, as it was left.
        for overlay in state.screens {
            draw(overlay, state: state, keyMap: keyMap, layout: layout, into: &canvas)
        }
        return canvas
    }

    private static func draw(_ overlay: Overlay, state: AppState, keyMap: KeyMap, layout: Layout, into canvas: inout Canvas) {
        switch overlay {
        case .none: break
        case .help(let scroll): HelpView.render(keyMap.keys(for: state.helpTopic), scroll: scroll, in: layout.screen, into: &canvas)
        case .detail(let pane): DetailView.render(pane, state: state, in: layout.listArea, into: &canvas)
        case .confirmDelete(let contact): ConfirmDeleteView.render(contact, state: state, in: layout.screen, into: &canvas)
        case .confirmBatch(let plan): ConfirmBatchView.render(plan, state: state, in: layout.screen, into: &canvas)
        case .results(let scroll):
            if let batch = state.batch { ResultsView.render(batch, scroll: scroll, in: layout.body, into: &canvas) }
        case .info(let panel): ResultsView.render(panel, in: layout.body, into: &canvas)
        case .confirmDeactivate(let contact):
            ConfirmDeactivateView.render(contact, dialect: state.account.dialect, in: layout.screen, into: &canvas)
        case .confirmStop: ConfirmStopView.render(state, in: layout.screen, into: &canvas)
        case .confirmQuit: ConfirmQuitView.render(state, in: layout.screen, into: &canvas)
        case .confirmSwitch(let profile): ConfirmSwitchView.render(profile, state: state, in: layout.screen, into: &canvas)
        case .history(let view): HistoryListView.render(view, state: state, in: layout.body, into: &canvas)
        case .duplicates(let review): DuplicatesListView.render(review, state: state, in: layout.body, into: &canvas)
        case .copyChoice(let choice): CopyChoiceView.render(choice, in: layout.screen, into: &canvas)
        }
    }

    /// Rows the list shows at this size, for `Event.viewportChanged`.
    public static func listRows(_ state: AppState, width: Int, height: Int) -> Int {
        Layout(for: state, width: width, height: height).listRows
    }

    private static func renderTooSmall(width: Int, height: Int, into canvas: inout Canvas) {
        let lines = [
            "Roster needs a larger terminal:",
            "at least \(Layout.minimumWidth)×\(Layout.minimumHeight), now \(width)×\(height).",
            "Enlarge the window, or q to quit.",
        ]
        let top = max(0, (height - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            let x = max(0, (width - TextWidth.of(line)) / 2)
            canvas.put(line, x: x, y: top + offset, role: offset == 0 ? .messageWarning : .normal)
        }
    }
}
