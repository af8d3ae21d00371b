import RosterCore

/// The delete confirmation: names the contact, says it cannot be undone, defaults to No.
enum ConfirmDeleteView {
    static func render(_ contact: Contact, layout: Layout, into canvas: inout Canvas) {
        var lines: [(String, StyleRole)] = [
            ("Name   \(contact.displayName)", .dialog),
            ("Phone  \(contact.phone.isEmpty ? "(none)" : contact.phone)", .dialog),
            ("ID     \(contact.id)", .dialog),
        ]
        if let status = contact.status { lines.append(("Status \(status)", .dialog)) }
        if contact.shared == true {
            lines.append(("Shared contact: deleting it affects your colleagues too.", .dialogDanger))
        }
        lines.append(("", .dialog))
        lines.append(("Deletion cannot be undone.", .dialogDanger))
        ConfirmDialog.render(title: "Delete this contact?", lines: lines, yes: "delete", layout: layout, into: &canvas)
    }
}

/// A centred confirmation box whose only yes is `y`; No is the default.
enum ConfirmDialog {
    static func render(title: String, lines: [(String, StyleRole)], yes: String, layout: Layout, into canvas: inout Canvas) {
        let width = min(layout.width - 4, max(56, (lines.map { TextWidth.of($0.0) }.max() ?? 0) + 6))
        let height = lines.count + 5
        let x = (layout.width - width) / 2
        let y = max(0, (layout.height - height) / 2)
        canvas.drawBox(x: x, y: y, width: width, height: height, role: .dialog, title: title, titleRole: .dialogTitle)
        for (offset, line) in lines.enumerated() {
            canvas.put(line.0, x: x + 3, y: y + 2 + offset, role: line.1, maxWidth: width - 6)
        }
        let answerRow = y + height - 2
        var column = x + 3
        column += canvas.put(" y ", x: column, y: answerRow, role: .dialogKey)
        column += canvas.put(" \(yes)   ", x: column, y: answerRow, role: .dialog)
        column += canvas.put(" N ", x: column, y: answerRow, role: .dialogKey)
        canvas.put(" keep it (any other key)", x: column, y: answerRow, role: .dialog, maxWidth: x + width - 1 - column)
    }
}
