import RosterCore

/// The duplicates view over the list: each group under a heading that says why its contacts
/// matched, the keeper marked `keep`, the others `●` when marked to delete.
enum DuplicatesListView {
    static func render(_ review: DuplicatesReview, state: AppState, layout: Layout, into canvas: inout Canvas) {
        let width = layout.width
        let y = layout.headerRow + 1
        let height = max(7, layout.statusRow - y)
        canvas.drawBox(x: 0, y: y, width: width, height: height, role: .dialog, title: "Duplicates", titleRole: .dialogTitle)
        let members = review.groups.flatMap(\.members)
        let marked = members.filter { state.marks.contains($0) }.count
        let keptNone = review.groups.filter { $0.members.allSatisfy { state.marks.contains($0) } }.count
        var summary = "\(review.groups.count) group\(review.groups.count == 1 ? "" : "s"), \(members.count) contacts among \(review.among) · ● \(marked) marked to delete"
        if keptNone > 0 { summary += " · ! \(keptNone) group\(keptNone == 1 ? "" : "s") with none kept" }
        canvas.put(summary, x: 2, y: y + 1, role: keptNone > 0 ? .dialogDanger : .dialogTitle, maxWidth: width - 4)
        let headings = ["      ", cell("NAME", 22), cell("PHONE", 18), cell("EMAIL", 28), cell("CREATED", 10), cell("FIELDS", 6), "ID"]
        canvas.put(headings.joined(separator: " "), x: 1, y: y + 2, role: .dim, maxWidth: width - 2)

        var lines: [(text: String, role: StyleRole)] = []
        var cursorIndex = 0
        for (number, group) in review.groups.enumerated() {
            let reasons = group.reasons.map(\.sentence).joined(separator: " · ")
            lines.append(("─ \(number + 1) · \(reasons)", .dialogTitle))
            for id in group.members {
                lines.append(memberLine(id, group: group, isCursor: cursorIndex == review.cursor, state: state, width: width - 2))
                cursorIndex += 1
            }
        }
        let visible = height - 5
        let cursorLine = review.line(of: review.cursor)
        var top = min(review.scroll, max(0, lines.count - visible))
        if cursorLine < top { top = max(0, cursorLine - 1) }
        if cursorLine >= top + visible { top = cursorLine - visible + 1 }
        for (offset, line) in lines.dropFirst(top).prefix(visible).enumerated() {
            canvas.put(line.text, x: 1, y: y + 3 + offset, role: line.role, maxWidth: width - 2)
        }
        let keys = state.isReadOnly
            ? "j/k move · Enter go to it in the list · Esc closes (read-only: nothing marked)"
            : "Space mark · K keep this one · U unmark group · d delete marked · Enter go to it · Esc closes"
        canvas.put(keys, x: 2, y: y + height - 2, role: .dim, maxWidth: width - 4)
    }

    private static func memberLine(_ id: ContactID, group: DuplicateGroup, isCursor: Bool, state: AppState, width: Int) -> (String, StyleRole) {
        let cursor = isCursor ? "›" : " "
        let isMarked = state.marks.contains(id)
        let label = id == group.keeper ? "keep" : (isMarked ? "●   " : "    ")
        guard let slot = state.store.slot(of: id) else {
            return ("\(cursor) \(label) \(id.rawValue)  (no longer on the list)", isCursor ? .cursorRow : .dim)
        }
        let contact = state.store.contact(at: slot, withRecord: false)
        let created = state.store.date("created", at: slot).map(FieldDates.day) ?? ""
        let line = [
            "\(cursor) \(label)", cell(contact.displayName, 22), cell(contact.phone, 18), cell(contact.email, 28), cell(created, 10),
            cell("\(state.store.completeness(at: slot))", 6), contact.id.rawValue,
        ].joined(separator: " ")
        let role: StyleRole = isCursor ? .cursorRow : (isMarked ? .rowMarked : .dialog)
        return (line, role)
    }

    private static func cell(_ text: String, _ width: Int) -> String { Canvas.truncate(text, to: width).padded(to: width) }
}
