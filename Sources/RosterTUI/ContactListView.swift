import RosterCore

/// The contact list: one row per loaded contact the filter shows, in the chosen order, only
/// the visible rows drawn. The cursor is `›`, a mark `●` (never colour alone).
enum ContactListView {
    struct Columns: Equatable {
        var name: Int, phone: Int, email: Int, flags: Int, id: Int
        /// On wide terminals (200 columns and more): created, tags or group, company.
        var created = 0, group = 0, company = 0

        var widths: [Int] { [name, phone, email, flags, id] + (created > 0 ? [created, group, company] : []) }
    }

    static let marker = 2
    static let wide = 200

    static func columns(width: Int, dialect: Dialect) -> Columns {
        // Room for "LOCKED INACTIVE" where there is width; Easify's flag is only "shared".
        let flags = dialect == .easify ? 8 : (width >= 96 ? 15 : 10)
        let phone = 17
        let fullID = dialect == .sendme123 ? 36 : 9
        // A wide terminal shows more of each contact rather than wider cells.
        let extra = width >= wide ? (created: 10, group: 18, company: 22) : (created: 0, group: 0, company: 0)
        let extraWidth = extra.created > 0 ? extra.created + extra.group + extra.company + 3 : 0
        var rest = width - marker - phone - flags - 4 - extraWidth
        let id = rest - fullID >= 40 ? fullID : min(fullID, 13)
        rest -= id
        let name = max(8, min(rest * 9 / 20, 40))
        var email = max(6, rest - name)
        var company = extra.company
        if extra.created > 0, email > 44 {
            // Past a readable email, the room goes to the last column.
            company += email - 44
            email = 44
        }
        return Columns(
            name: name, phone: phone, email: email, flags: flags, id: id, created: extra.created, group: extra.group, company: company)
    }

    /// The wide terminal's extra cells for a shown row.
    private static func extraCells(_ state: AppState, row: Int) -> [String] {
        let slot = state.rows[row]
        let store = state.store
        let easify = state.account.dialect == .easify
        return [
            store.date("created", at: slot).map(FieldDates.day) ?? "",
            store.texts(easify ? "group" : "tag", at: slot).joined(separator: ", "),
            store.texts(easify ? "company" : "custom.company", at: slot).joined(separator: ", "),
        ]
    }

    static func render(_ state: AppState, layout: Layout, into canvas: inout Canvas) {
        let columns = columns(width: layout.width, dialect: state.account.dialect)
        canvas.fill(y: layout.columnHeaderRow, role: .columnHeader)
        func heading(_ title: String, _ order: SortOrder) -> String {
            state.sort == order ? title + " " + SortOrder.arrow(descending: state.sortDescending) : title
        }
        let extraHeadings = columns.created > 0 ? ["CREATED", state.account.dialect == .easify ? "GROUP" : "TAGS", "COMPANY"] : []
        drawRow(
            cells: [
                heading("NAME", .name), heading("PHONE", .phone), heading("EMAIL", .email),
                state.account.dialect == .easify ? "SHARED" : "STATUS", "ID",
            ] + extraHeadings,
            marker: "", columns: columns, y: layout.columnHeaderRow, role: .columnHeader, canvas: &canvas)
        // A click on NAME, PHONE or EMAIL sorts by it; again, the other way round.
        var headingX = marker
        for (index, order) in [SortOrder.name, .phone, .email].enumerated() {
            canvas.clickable(x: headingX, y: layout.columnHeaderRow, width: columns.widths[index], .sortBy(order))
            headingX += columns.widths[index] + 1
        }

        if state.rows.isEmpty {
            let text: String
            if state.pages.inFlight != nil {
                text = state.filter.isActive
                    ? "No match for “\(state.filter.query.text)” yet; searching the next page…"
                    : "Loading contacts from \(state.account.dialect.displayName)…"
            } else if state.filter.isActive && !state.contacts.isEmpty {
                text = "No loaded contact matches “\(state.filter.query.text)”. Esc clears the filter."
            } else if state.pages.allLoaded {
                text = "No contacts on this account."
            } else {
                text = "No contacts loaded. Press r to load."
            }
            canvas.put(text, x: marker, y: layout.listTop + 1, role: .dim, maxWidth: layout.width - marker)
            return
        }
        let last = min(state.rows.count, state.scrollTop + layout.listRows)
        let range = state.rangeRows
        for row in state.scrollTop..<last {
            let contact = state.listedContact(atRow: row)
            let y = layout.listTop + row - state.scrollTop
            let isCursor = row == state.cursor
            let isMarked = state.marks.contains(contact.id)
            let (flags, flagRole) = flagText(contact, state: state)
            let role: StyleRole
            if isCursor && state.cursorStyle == .bar {
                role = .cursorRow
            } else if state.activity[contact.id] != nil {
                role = .rowBusy
            } else if state.locked[contact.id] != nil {
                role = .rowLocked
            } else if state.failed[contact.id] != nil {
                role = .rowFailed
            } else if isMarked {
                role = .rowMarked
            } else {
                role = .row
            }
            canvas.fill(y: y, role: role)
            canvas.clickable(x: 0, y: y, width: layout.width, .selectRow(row))
            drawRow(
                cells: [contact.displayName, contact.phone, contact.email, flags, contact.id.rawValue]
                    + (columns.created > 0 ? extraCells(state, row: row) : []),
                // A pending v range shows beside its rows, so you see what v will mark.
                marker: (isCursor ? "›" : " ") + (isMarked ? "●" : (range?.contains(row) == true ? "│" : (isCursor ? " " : ""))),
                columns: columns, y: y, role: role,
                markerRole: isCursor ? .cursorRow : role, canvas: &canvas,
                flagRole: (role == .row || role == .rowMarked) && flagRole != .row ? flagRole : role)
        }
        if state.pages.inFlight != nil, last - state.scrollTop < layout.listRows {
            canvas.put("Loading more…", x: marker, y: layout.listTop + last - state.scrollTop, role: .dim)
        }
    }

    /// The flags column: work in flight or a lock first, then the dialect's own flag.
    static func flagText(_ contact: Contact, state: AppState) -> (String, StyleRole) {
        switch state.activity[contact.id] {
        case .queued: return ("queued", .rowBusy)
        case .checking: return ("checking…", .rowBusy)
        case .deleting: return ("deleting…", .rowBusy)
        case .deactivating: return ("deactivating…", .rowBusy)
        case nil: break
        }
        if state.locked[contact.id] != nil {
            let status = contact.status.map { $0 == "ACTIVE" ? "" : " " + $0 } ?? ""
            return ("LOCKED" + status, .rowLocked)
        }
        if state.failed[contact.id] != nil { return ("FAILED", .rowFailed) }
        if let holder = state.heldElsewhere[contact.id] { return ("by " + holder, .rowBusy) }
        if let status = contact.status {
            return (status, status == "ACTIVE" ? .row : .flagWarn)
        }
        if let shared = contact.shared { return (shared ? "shared" : "", .flagWarn) }
        return ("", .row)
    }

    private static func drawRow(
        cells: [String], marker markerText: String, columns: Columns, y: Int, role: StyleRole, markerRole: StyleRole? = nil,
        canvas: inout Canvas, flagRole: StyleRole? = nil
    ) {
        canvas.put(markerText, x: 0, y: y, role: markerRole ?? role, maxWidth: marker)
        let widths = columns.widths
        var x = marker
        for (index, text) in cells.enumerated() {
            let cellRole = index == 3 ? (flagRole ?? role) : role
            // Spaces around a value (" ana@x.com") would shift it out of its column.
            let shown = text.first == " " || text.last == " " ? text.trimmingCharacters(in: .whitespaces) : text
            canvas.put(Canvas.truncate(shown, to: widths[index]), x: x, y: y, role: cellRole, maxWidth: widths[index])
            x += widths[index] + 1
        }
    }
}
