import RosterCore

/// The banner (demo, dry run) and the header line: which account, how many contacts, and
/// the selection: marks, how many of them the filter hides, the filter and the sort.
enum HeaderView {
    static func render(_ state: AppState, layout: Layout, into canvas: inout Canvas) {
        if let row = layout.bannerRow { renderBanner(state, row: row, width: layout.width, into: &canvas) }
        canvas.fill(y: layout.headerRow, role: .header)
        // Both whole, the fullest pair that fits: the URL goes first, then the counts say it
        // shorter, and the account's profile and dialect stay longest.
        let lefts = leftCandidates(state)
        let counts = (0...2).map { countText(state, brevity: $0) }
        let order = [(0, 0), (1, 0), (2, 0), (3, 0), (3, 1), (3, 2), (4, 1), (4, 2), (5, 2)]
        var chosen = (left: "", count: counts[2])
        for (left, brevity) in order where TextWidth.of(lefts[left]) + TextWidth.of(counts[brevity]) + 2 <= layout.width {
            chosen = (lefts[left], counts[brevity])
            break
        }
        let countWidth = TextWidth.of(chosen.count)
        canvas.put(chosen.left, x: 0, y: layout.headerRow, role: .header, maxWidth: max(0, layout.width - countWidth - 2))
        canvas.put(chosen.count, x: max(0, layout.width - countWidth - 1), y: layout.headerRow, role: .header)
    }

    /// Which account, shorter and shorter until it fits beside the counts: the URL without
    /// its scheme, then its host, then without it; never cut mid-word.
    private static func leftCandidates(_ state: AppState) -> [String] {
        let marks = (state.accountLabel.map { Sanitizer.clean($0) + " · " } ?? "") + (state.isReadOnly ? "READ-ONLY · " : "")
            + (state.account.sendsKeyInClear ? "KEY IN CLEAR (http) · " : "")
        let start = " Roster · " + marks + "\(state.account.profile) · \(state.account.dialect.displayName)"
        let url = state.account.baseURL
        let bare = url.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "http://", with: "")
        let host = String(bare.prefix { $0 != "/" })
        return [start + " · " + url, start + " · " + bare, start + " · " + host, start,
                " Roster · " + marks + state.account.profile, " Roster" + (state.accountLabel.map { " · " + $0 } ?? "")]
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

    /// Marks, filter, range, sort and how many are loaded; `brevity` 1 and 2 say it shorter
    /// for a narrow terminal (`● 30 (3 hidden) · “silva” 27/1200 · 1200/5000 loaded`).
    static func countText(_ state: AppState, brevity: Int = 0) -> String {
        var parts: [String] = []
        if !state.marks.isEmpty {
            let hidden = state.hiddenMarkCount
            let notLoaded = state.unloadedMarks.count
            var notes: [String] = []
            if hidden > 0 { notes.append(brevity == 0 ? "\(hidden) hidden by filter" : "\(hidden) hidden") }
            // Every page read and still not found: deleted elsewhere (a plan under review says
            // so of a contact another client deleted since).
            if notLoaded > 0 { notes.append(state.pages.allLoaded ? "\(notLoaded) gone" : "\(notLoaded) not loaded") }
            // Shortest, the word goes but the counts stay: what the filter hides will be deleted too.
            let marked = brevity == 2 ? "● \(state.marks.count)" : "● \(state.marks.count) marked"
            parts.append(marked + (notes.isEmpty ? "" : " (\(notes.joined(separator: ", ")))"))
        }
        if state.filter.isActive {
            // A long query is cut in the shortest form, so the counts beside it still show.
            let text = brevity < 2 ? state.filter.query.text : Canvas.truncate(state.filter.query.text, to: 24)
            parts.append(brevity == 0
                ? "filter “\(text)”: \(state.rows.count) of \(state.contacts.count)" : "“\(text)” \(state.rows.count)/\(state.contacts.count)")
        }
        if let size = state.rangeSize { parts.append(brevity == 0 ? "range of \(size) (v marks it)" : "range \(size)") }
        if state.sort != .server {
            parts.append("by \(state.sort.label) \(SortOrder.arrow(descending: state.sortDescending))" + (state.pages.allLoaded || brevity > 0 ? "" : " (loaded only)"))
        }
        parts.append(loadedText(state, brevity: brevity))
        return parts.joined(separator: " · ")
    }

    private static func loadedText(_ state: AppState, brevity: Int) -> String {
        let text = countOfLoaded(state, brevity: brevity)
        // Where Roster cannot be sure it has every contact, it says so beside the count.
        guard state.pages.check.doubt != nil else { return text }
        return "⚠ " + text + (brevity == 0 ? " (may be incomplete: r reloads)" : " (r reloads)")
    }

    private static func countOfLoaded(_ state: AppState, brevity: Int) -> String {
        let loaded = state.contacts.count
        if state.contacts.isEmpty && state.pages.inFlight != nil { return "loading…" }
        if let total = state.pages.total, total != loaded {
            return brevity == 0 ? "\(loaded) of \(total) contacts loaded" : "\(loaded)/\(total) loaded"
        }
        if !state.pages.allLoaded { return brevity == 0 ? "\(loaded) contacts loaded, more on the server" : "\(loaded) loaded, more" }
        return "\(loaded) contact\(loaded == 1 ? "" : "s")"
    }
}
