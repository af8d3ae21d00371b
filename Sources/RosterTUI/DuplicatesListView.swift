import RosterCore

/// The duplicates view over the list: each group under a heading that says why its contacts
/// matched, the keeper marked `keep`, the others `●` when marked to delete.
enum DuplicatesListView {
    static func render(_ review: DuplicatesReview, state: AppState, in area: Rect, into canvas: inout Canvas) {
        let panel = Rect(x: area.x, y: area.y, width: area.width, height: max(7, area.height))
        let (x, y, width, height) = (panel.x, panel.y, panel.width, panel.height)
        canvas.drawDialog("Duplicates", in: panel)
        let members = review.groups.flatMap(\.members)
        let marked = members.filter { state.marks.contains($0) }.count
        let keptNone = review.groups.filter { $0.members.allSatisfy { state.marks.contains($0) } }.count
        var summary = "\(review.groups.count) group\(review.groups.count == 1 ? "" : "s"), \(members.count) contacts among \(review.among) · ● \(marked) marked to delete"
        if keptNone > 0 { summary += " · ! \(keptNone) group\(keptNone == 1 ? "" : "s") with none kept" }
        canvas.put(summary, x: x + 2, y: y + 1, role: keptNone > 0 ? .dialogDanger : .dialogTitle, maxWidth: width - 4)
        let columns = Columns(width: width - 2, dialect: state.account.dialect)
        canvas.put(columns.line("      ", ["NAME", "PHONE", "EMAIL", "CREATED", "FIELDS", "ID"]), x: x + 1, y: y + 2, role: .dim, maxWidth: width - 2)

        // Only the groups on screen are drawn: a review can hold tens of thousands. The keys
        // are in the status bar, as every screen's are.
        let visible = height - 4
        let totalLines = review.groups.reduce(0) { $0 + $1.members.count + 1 }
        let cursorLine = review.line(of: review.cursor)
        var top = min(review.scroll, max(0, totalLines - visible))
        if cursorLine < top { top = max(0, cursorLine - 1) }
        if cursorLine >= top + visible { top = cursorLine - visible + 1 }
        var line = 0
        var member = 0
        for (number, group) in review.groups.enumerated() {
            if line >= top + visible { break }
            guard line + group.members.count + 1 > top else {
                line += group.members.count + 1
                member += group.members.count
                continue
            }
            if line >= top {
                let reasons = group.reasons.map(\.sentence).joined(separator: " · ")
                canvas.put("─ \(number + 1) · \(reasons)", x: x + 1, y: y + 3 + line - top, role: .dialogTitle, maxWidth: width - 2)
            }
            line += 1
            for id in group.members {
                if line >= top, line < top + visible {
                    let (text, role) = memberLine(id, group: group, isCursor: member == review.cursor, state: state, columns: columns)
                    canvas.put(text, x: x + 1, y: y + 3 + line - top, role: role, maxWidth: width - 2)
                    canvas.clickable(x: x + 1, y: y + 3 + line - top, width: width - 2, .selectRow(member))
                }
                line += 1
                member += 1
            }
        }
    }

    private static func memberLine(
        _ id: ContactID, group: DuplicateGroup, isCursor: Bool, state: AppState, columns: Columns
    ) -> (String, StyleRole) {
        let cursor = isCursor ? "›" : " "
        let isMarked = state.marks.contains(id)
        // A keeper marked by hand is marked: the row says what will happen to it.
        let label = isMarked ? "●   " : (id == group.keeper ? "keep" : "    ")
        guard let slot = state.store.slot(of: id) else {
            return ("\(cursor) \(label) \(id.rawValue)  (no longer on the list)", isCursor ? .cursorRow : .dim)
        }
        let contact = state.store.contact(at: slot, withRecord: false)
        let created = state.store.date("created", at: slot).map(FieldDates.day) ?? ""
        let line = columns.line(
            "\(cursor) \(label)",
            [contact.displayName, contact.phone, contact.email, created, "\(state.store.completeness(at: slot))", contact.id.rawValue])
        let role: StyleRole = isCursor ? .cursorRow : (isMarked ? .rowMarked : .dialog)
        return (line, role)
    }

    /// The widths of name, phone, email, created, fields and id inside the box: the id whole
    /// where the rest stays readable (else its first 12 characters and …, as in the list),
    /// the rest shared by name and email, and no created column below 96 columns.
    struct Columns: Equatable {
        var widths: [Int]

        init(width: Int, dialect: Dialect) {
            let phone = 18
            let fields = 6
            let created = width >= 94 ? 10 : 0
            let fullID = dialect == .sendme123 ? 36 : 9
            var rest = width - 6 - phone - fields - (created > 0 ? created + 1 : 0) - 5
            let id = rest - fullID >= 50 ? fullID : min(fullID, 13)
            rest -= id
            let name = max(8, min(rest / 2, 30))
            let email = max(8, min(rest - name, 40))
            widths = [name, phone, email, created, fields, id]
        }

        /// The marker, then each cell cut or padded to its width (a column of width 0 left out).
        func line(_ marker: String, _ cells: [String]) -> String {
            let shown = zip(cells, widths).filter { $0.1 > 0 }.map { Canvas.truncate($0.0, to: $0.1).padded(to: $0.1) }
            return ([marker] + shown).joined(separator: " ")
        }
    }
}
