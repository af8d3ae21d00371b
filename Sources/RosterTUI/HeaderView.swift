import RosterCore

/// The banner (demo, dry run) and the header line: which account, how many contacts, and
/// the selection: marks, how many of them the filter hides, the filter and the sort.
enum HeaderView {
    static func render(_ state: AppState, layout: Layout, into canvas: inout Canvas) {
        if let row = layout.bannerRow { renderBanner(state, row: row, width: layout.width, into: &canvas) }
        canvas.fill(y: layout.headerRow, role: .header)
        let count = countText(state)
        let countWidth = TextWidth.of(count)
        let left = " Roster · " + (state.isReadOnly ? "READ-ONLY · " : "") + "\(state.account.profile) · \(state.account.dialect.displayName) · \(state.account.baseURL)"
        canvas.put(left, x: 0, y: layout.headerRow, role: .header, maxWidth: max(0, layout.width - countWidth - 2))
        canvas.put(count, x: max(0, layout.width - countWidth - 1), y: layout.headerRow, role: .header)
    }

    private static func renderBanner(_ state: AppState, row: Int, width: Int, into canvas: inout Canvas) {
        let candidates: [String]
        let role: StyleRole
        if let plan = state.planBanner {
            role = .dryRunBanner
            candidates = [" \(plan) ", " PLAN under review: nothing is deleted here "]
        } else if state.isDryRun {
            role = .dryRunBanner
            let place = state.account.isDemo ? "the demo sandbox" : state.account.baseURL
            candidates = [
                " DRY RUN: nothing will be deleted or deactivated on \(place). Look-ups still happen. ",
                " DRY RUN: nothing will be deleted or deactivated. ",
                " DRY RUN ",
            ]
        } else {
            role = .demoBanner
            candidates = [
                " DEMO: built-in sandbox at \(state.account.baseURL). Nothing here is a real contact. ",
                " DEMO: built-in sandbox. Nothing here is real. ",
            ]
        }
        canvas.fill(y: row, role: role)
        let text = candidates.first { TextWidth.of($0) <= width } ?? candidates[candidates.count - 1]
        canvas.put(text, x: max(0, (width - TextWidth.of(text)) / 2), y: row, role: role, maxWidth: width)
    }

    static func countText(_ state: AppState) -> String {
        var parts: [String] = []
        if !state.marks.isEmpty {
            let hidden = state.hiddenMarkCount
            let notLoaded = state.unloadedMarks.count
            var notes: [String] = []
            if hidden > 0 { notes.append("\(hidden) hidden by filter") }
            if notLoaded > 0 { notes.append("\(notLoaded) not loaded") }
            parts.append("● \(state.marks.count) marked" + (notes.isEmpty ? "" : " (\(notes.joined(separator: ", ")))"))
        }
        if state.filter.isActive {
            parts.append("filter “\(state.filter.query.text)”: \(state.rows.count) of \(state.contacts.count)")
        }
        if let size = state.rangeSize { parts.append("range of \(size) (v marks it)") }
        if state.sort != .server { parts.append("by \(state.sort.label)" + (state.allPagesLoaded ? "" : " (loaded only)")) }
        parts.append(loadedText(state))
        return parts.joined(separator: " · ")
    }

    private static func loadedText(_ state: AppState) -> String {
        let text = countOfLoaded(state)
        // Where Roster cannot be sure it has every contact, it says so beside the count.
        return state.paging.doubt == nil ? text : "⚠ " + text + " (may be incomplete: r reloads)"
    }

    private static func countOfLoaded(_ state: AppState) -> String {
        let loaded = state.contacts.count
        if state.contacts.isEmpty && state.pageInFlight != nil { return "loading…" }
        if let total = state.totalOnServer, total != loaded {
            return "\(loaded) of \(total) contacts loaded"
        }
        if !state.allPagesLoaded { return "\(loaded) contacts loaded, more on the server" }
        return "\(loaded) contact\(loaded == 1 ? "" : "s")"
    }
}
