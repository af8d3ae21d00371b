import Foundation
import RosterCore

/// The delete confirmation: names the contact, says it cannot be undone, defaults to No.
enum ConfirmDeleteView {
    static func render(_ contact: Contact, state: AppState, in area: Rect, into canvas: inout Canvas) {
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
        lines += ConfirmDialog.consequences(state)
        ConfirmDialog.render(title: "Delete this contact?", lines: lines, answer: .yesKey("delete"), in: area, into: &canvas)
    }
}

/// The confirmation for every marked contact: how many, the first names, what the filter
/// hides, what is locked, how long the pacer expects it to take. More than one contact
/// needs the count typed.
enum ConfirmBatchView {
    static func render(_ plan: BatchPlan, state: AppState, in area: Rect, into canvas: inout Canvas) {
        let count = plan.contacts.count
        var lines: [(String, StyleRole)] = [("\(count) contact\(count == 1 ? "" : "s") will be deleted:", .dialog)]
        let shown = min(plan.contacts.count, max(1, min(5, area.height - 18)))
        for contact in plan.contacts.prefix(shown) {
            lines.append(("  • \(contact.displayName)  \(contact.phone)", .dialog))
        }
        if count > shown { lines.append(("  … and \(count - shown) more", .dialog)) }
        if plan.hidden > 0 {
            lines.append(("\(plan.hidden) of the marked contacts are hidden by the filter and included.", .dialogDanger))
        }
        if plan.leftOut > 0 {
            lines.append((
                "\(plan.leftOut) other marked contact\(plan.leftOut == 1 ? " is" : "s are") not among the duplicates: left out, still marked.",
                .dialog))
        }
        if !plan.locked.isEmpty {
            lines.append(("\(plan.locked.count) marked contact\(plan.locked.count == 1 ? " is" : "s are") locked and will be skipped.", .dialog))
        }
        let shared = plan.contacts.count { $0.shared == true }
        if shared > 0 { lines.append(("\(shared) shared contact\(shared == 1 ? "" : "s"): your colleagues lose them too.", .dialogDanger)) }
        let requests = count * state.capabilities.requestsPerDeletion
        if let estimate = plan.estimate {
            // The window is said only where it is known: a limit of 20 is not "20 per minute"
            // until the server (or what Roster learned of it) says the window is a minute.
            let window = state.headroom?.window
            let limit = state.headroom?.limit.map { limit in
                window.map { " at the API's \(limit) per \($0 == 60 ? "minute" : durationText($0))" } ?? " at the API's limit of \(limit) (window unknown)"
            } ?? ""
            lines.append(("Expected time: about \(durationText(estimate)) for \(requests) requests\(limit).", .dialog))
        } else {
            lines.append(("Expected time: unknown until the API reports its limit (\(requests) requests).", .dialog))
        }
        lines.append(("", .dialog))
        lines += ConfirmDialog.consequences(state)
        if plan.requiresTypedCount {
            lines.append(("P writes a plan of this instead, for review (roster show-plan, approve, apply).", .dialog))
        }
        let answer: ConfirmDialog.Answer = plan.requiresTypedCount ? .typed(expected: String(count), typed: plan.typed) : .yesKey("delete")
        ConfirmDialog.render(
            title: "Delete \(count) marked contact\(count == 1 ? "" : "s")?", lines: lines, answer: answer, in: area,
            into: &canvas)
    }
}

/// A centred confirmation box. No is always the default: a single contact takes only `y`,
/// a batch the count typed and Enter.
enum ConfirmDialog {
    enum Answer {
        /// `y` does this; any other key does `no` (it keeps things as they are).
        case yesKey(String, no: String = "keep it")
        /// `y` or `q` does this; any other key does `no`.
        case yesOrQ(String, no: String)
        case typed(expected: String, typed: String)
    }

    /// What happens after yes: the undo window, the dry run, and that a sent deletion is final.
    static func consequences(_ state: AppState) -> [(String, StyleRole)] {
        var lines: [(String, StyleRole)] = []
        if state.isDryRun { lines.append(("DRY RUN: look-ups only, nothing will be deleted.", .dialogDanger)) }
        if state.undoDelay > 0 {
            lines.append(("Nothing is sent for \(durationText(state.undoDelay)): u undoes it until then.", .dialog))
        }
        lines.append(("A deletion, once sent, cannot be undone.", .dialogDanger))
        return lines
    }

    static func render(title: String, lines given: [(String, StyleRole)], answer: Answer, in area: Rect, into canvas: inout Canvas) {
        let width = min(area.width - 4, max(56, (given.map { TextWidth.of($0.0) }.max() ?? 0) + 6))
        // Narrower than its text, a dialog wraps at spaces rather than cut a word; where even
        // that does not fit the screen, what does not fit is said to be there.
        var lines = given.flatMap { text, role in Canvas.wrap(text, to: max(8, width - 6), indent: text.hasPrefix("  •") ? 4 : 0).map { ($0, role) } }
        let room = max(1, area.height - 2 - 5)
        if lines.count > room { lines = Array(lines.prefix(room - 1)) + [("…", .dialog)] }
        let height = lines.count + 5
        let box = area.centered(width: width, height: height)
        let (x, y) = (box.x, box.y)
        canvas.drawDialog(title, in: box)
        for (offset, line) in lines.enumerated() {
            canvas.put(line.0, x: x + 3, y: y + 2 + offset, role: line.1, maxWidth: width - 6)
        }
        let answerRow = y + height - 2
        var column = x + 3
        switch answer {
        case .yesKey(let yes, let no), .yesOrQ(let yes, let no):
            // Each answer is a button a click presses, as its key would.
            let keys = if case .yesOrQ = answer { " y/q " } else { " y " }
            let yesStart = column
            column += canvas.put(keys, x: column, y: answerRow, role: .dialogKey)
            column += canvas.put(" \(yes)   ", x: column, y: answerRow, role: .dialog)
            canvas.clickable(x: yesStart, y: answerRow, width: column - yesStart - 3, .confirm)
            let noStart = column
            column += canvas.put(" N ", x: column, y: answerRow, role: .dialogKey)
            column += canvas.put(" \(no) (any other key)", x: column, y: answerRow, role: .dialog, maxWidth: x + width - 1 - column)
            canvas.clickable(x: noStart, y: answerRow, width: column - noStart, .cancel)
        case .typed(let expected, let typed):
            // A batch is confirmed only by typing its count; a click can only keep them.
            column += canvas.put("Type \(expected) and Enter to delete: ", x: column, y: answerRow, role: .dialogTitle)
            let field = typed + String(repeating: "_", count: max(1, expected.count + 1 - typed.count))
            column += canvas.put(" \(field) ", x: column, y: answerRow, role: .dialogKey)
            let keepStart = column + 3
            column += canvas.put("   Esc keeps them", x: column, y: answerRow, role: .dialog, maxWidth: x + width - 1 - column)
            canvas.clickable(x: keepStart, y: answerRow, width: column - keepStart, .cancel)
        }
    }
}
