import RosterCore

/// The demo banner and the header line: which account, which dialect, how many contacts.
enum HeaderView {
    static func render(_ state: AppState, layout: Layout, into canvas: inout Canvas) {
        if let row = layout.bannerRow {
            canvas.fill(y: row, role: .demoBanner)
            let long = " DEMO: built-in sandbox at \(state.account.baseURL). Nothing here is a real contact. "
            let text = TextWidth.of(long) <= layout.width ? long : " DEMO: built-in sandbox. Nothing here is real. "
            let width = TextWidth.of(text)
            canvas.put(text, x: max(0, (layout.width - width) / 2), y: row, role: .demoBanner)
        }
        canvas.fill(y: layout.headerRow, role: .header)
        let count = countText(state)
        let countWidth = TextWidth.of(count)
        let left = " Roster · \(state.account.profile) · \(state.account.dialect.displayName) · \(state.account.baseURL)"
        canvas.put(left, x: 0, y: layout.headerRow, role: .header, maxWidth: max(0, layout.width - countWidth - 2))
        canvas.put(count, x: max(0, layout.width - countWidth - 1), y: layout.headerRow, role: .header)
    }

    static func countText(_ state: AppState) -> String {
        let loaded = state.contacts.count
        if state.contacts.isEmpty && state.pageInFlight != nil { return "loading…" }
        if let total = state.totalOnServer, total != loaded {
            return "\(loaded) of \(total) contacts loaded"
        }
        if !state.allPagesLoaded { return "\(loaded) contacts loaded, more on the server" }
        return "\(loaded) contact\(loaded == 1 ? "" : "s")"
    }
}
