import RosterCore

/// The detail pane: every field of one contact, and how fresh the data is.
enum DetailView {
    static func render(_ pane: DetailPane, state: AppState, in area: Rect, into canvas: inout Canvas) {
        let width = min(area.width - 4, 90)
        let height = area.height
        let x = area.x + (area.width - width) / 2
        let y = area.y
        canvas.drawBox(
            x: x, y: y, width: width, height: height, role: .dialog,
            title: "Contact · \(pane.contact.displayName)", titleRole: .dialogTitle)
        let (note, noteRole) = freshnessNote(pane.freshness, dialect: state.account.dialect)
        canvas.put(note, x: x + 2, y: y + 1, role: noteRole, maxWidth: width - 4)
        let fields = pane.contact.detailFields(preferredOrder: state.capabilities.detailFieldOrder)
        let labelWidth = min(16, (fields.map { TextWidth.of($0.key) }.max() ?? 0) + 1)
        var row = y + 3
        let lastRow = y + height - 3
        let visible = lastRow - row + 1
        let top = min(pane.scroll, max(0, fields.count - visible))
        for field in fields.dropFirst(top) where row <= lastRow {
            canvas.put(field.key, x: x + 2, y: row, role: .detailLabel, maxWidth: labelWidth)
            canvas.put(
                Canvas.truncate(field.value, to: width - labelWidth - 5), x: x + 3 + labelWidth, y: row,
                role: .dialog, maxWidth: width - labelWidth - 5)
            row += 1
        }
        let more = fields.count > visible ? " · j/k scroll (\(top + 1)–\(min(fields.count, top + visible)) of \(fields.count) fields)" : ""
        canvas.put((state.isReadOnly ? "Esc close" : "d delete · Esc close") + more, x: x + 2, y: y + height - 2, role: .dialogTitle, maxWidth: width - 4)
    }

    static func freshnessNote(_ freshness: DetailPane.Freshness, dialect: Dialect) -> (String, StyleRole) {
        switch freshness {
        case .loading: return ("Looking it up on the server…", .dialog)
        case .fresh: return ("Fresh from the server just now.", .dialog)
        case .listRecordOnly:
            return ("\(dialect.displayName) has no single-contact look-up: this is the record from the list.", .dialog)
        case .failed(let reason): return ("Look-up failed (\(reason)); showing the list record.", .dialogDanger)
        case .gone: return ("This contact is already gone from the server.", .dialogDanger)
        }
    }
}
