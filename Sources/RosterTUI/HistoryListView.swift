import Foundation
import RosterCore

/// The history view over the list: the contacts Roster deleted on this account, newest first,
/// with marks and each restore's outcome; and the confirmation before restoring, which says
/// what cannot come back.
enum HistoryListView {
    static func render(_ view: HistoryView, state: AppState, in area: Rect, into canvas: inout Canvas) {
        let panel = Rect(x: area.x, y: area.y, width: area.width, height: max(7, area.height))
        let (x, y, width, height) = (panel.x, panel.y, panel.width, panel.height)
        // A team's journal holds others' deletions too: who did each comes first among the extras.
        let team = Set((view.deletions ?? []).map(\.operator)).count > 1
        canvas.drawDialog(team ? "Deleted by the team here" : "Deleted by Roster here", in: panel)
        guard let deletions = view.deletions else {
            canvas.put("Reading the journal…", x: x + 2, y: y + 1, role: .dialog, maxWidth: width - 4)
            return
        }
        let marked = view.marks.isEmpty ? "" : " · ● \(view.marks.count) marked"
        // Those restored (or found back) in this view are no longer to restore: the count says so.
        let settled = deletions.count { deletion in
            switch view.results[deletion.entry] {
            case .restored?, .present?: return true
            default: return false
            }
        }
        let open = deletions.filter { deletion in
            switch view.results[deletion.entry] {
            case .restored?, .present?: return false
            default: return true
            }
        }
        let unknown = open.count { if case .unknown = $0.fate { return true } else { return false } }
        let known = open.count - unknown
        let uncertain = unknown == 0 ? "" : ", \(unknown) more whose DELETE had no answer (checked first)"
        let done = settled == 0 ? "" : " · \(settled) back on the account"
        let summary = view.problem ?? (deletions.isEmpty
            ? "Nothing Roster deleted here is left to restore."
            : "\(known) contact\(known == 1 ? "" : "s") can be restored\(uncertain)\(done)\(marked)")
        canvas.put(summary, x: x + 2, y: y + 1, role: .dialogTitle, maxWidth: width - 4)
        let time = DateFormatter()
        time.dateFormat = "MM-dd HH:mm"
        // The keys are in the status bar, as every screen's are.
        let visible = height - 4
        let columns = Columns(width: width - 2, team: team)
        canvas.put(columns.header, x: x + 1, y: y + 2, role: .dim, maxWidth: width - 2)
        // The cursor stays in sight whatever height the list had when it moved.
        var top = min(view.scroll, max(0, deletions.count - visible))
        if view.cursor < top { top = view.cursor }
        if view.cursor >= top + visible { top = view.cursor - visible + 1 }
        for (offset, deletion) in deletions.dropFirst(top).prefix(visible).enumerated() {
            let index = top + offset
            let cursor = index == view.cursor ? "›" : " "
            let mark = view.marks.contains(deletion.entry) ? "●" : " "
            var outcome = view.results[deletion.entry]?.summary ?? ""
            if outcome.isEmpty, case .unknown = deletion.fate { outcome = "? its DELETE had no answer: checked before restoring" }
            let lead = "\(cursor)\(mark) " + columns.row(deletion, time: time.string(from: deletion.at))
            // Why it failed, or what is uncertain, loses its last words where it is long, never half a word.
            let line = lead + Canvas.truncateWords(outcome, to: max(0, width - 2 - TextWidth.of(lead)))
            let role: StyleRole = index == view.cursor ? .cursorRow : (view.results[deletion.entry].map(isFailure) == true ? .dialogDanger : .dialog)
            canvas.put(line, x: x + 1, y: y + 3 + offset, role: role, maxWidth: width - 2)
            canvas.clickable(x: x + 1, y: y + 3 + offset, width: width - 2, .selectRow(index))
        }
        if let confirming = view.confirming { confirm(confirming, view: view, state: state, in: area, into: &canvas) }
    }

    /// The columns a width allows: time, name and id always; phone, email, operator and batch
    /// while they fit beside room for the outcome (on a team's journal, the operator first).
    struct Columns {
        var fields: [(title: String, width: Int, value: (RestoreLedger.Deletion) -> String)] = []

        init(width: Int, team: Bool = false) {
            let always: [(String, Int, (RestoreLedger.Deletion) -> String)] = [
                ("NAME", 22, { $0.name.isEmpty ? "(no name)" : $0.name }), ("ID", 14, { $0.contactID }),
            ]
            var optional: [(String, Int, (RestoreLedger.Deletion) -> String)] = [
                ("PHONE", 16, { $0.phone }), ("EMAIL", 26, { $0.email }), ("BY", 10, { $0.operator }), ("BATCH", 24, { $0.batch ?? "-" }),
            ]
            if team { optional.insert(optional.remove(at: 2), at: 0) }
            fields = always
            // Cursor, mark and time take 16; the outcome keeps at least 24 (enough for
            // "restored as" and the start of an id). At 100 columns the phone fits.
            var used = 16 + always.reduce(0) { $0 + $1.1 + 2 }
            for field in optional where used + field.1 + 2 + 24 <= width {
                fields.append(field)
                used += field.1 + 2
            }
        }

        var header: String {
            "   " + "WHEN".padded(to: 11) + "  " + fields.map { $0.title.padded(to: $0.width) + "  " }.joined() + "OUTCOME"
        }

        func row(_ deletion: RestoreLedger.Deletion, time: String) -> String {
            time + "  " + fields.map { Canvas.truncate($0.value(deletion), to: $0.width).padded(to: $0.width) + "  " }.joined()
        }
    }

    private static func isFailure(_ result: RestoreResult) -> Bool {
        if case .failed = result { return true }
        return false
    }

    private static func confirm(_ entries: [String], view: HistoryView, state: AppState, in area: Rect, into canvas: inout Canvas) {
        let chosen = (view.deletions ?? []).filter { entries.contains($0.entry) }
        var lines: [(String, StyleRole)] = [("\(chosen.count) contact\(chosen.count == 1 ? "" : "s") will be created again:", .dialog)]
        for deletion in chosen.prefix(4) { lines.append(("  • \(deletion.name.isEmpty ? deletion.contactID : deletion.name)", .dialog)) }
        if chosen.count > 4 { lines.append(("  … and \(chosen.count - 4) more", .dialog)) }
        lines.append(("", .dialog))
        lines.append(("Each gets a new id. Its message history, and anything the", .dialogDanger))
        lines.append(("service deleted with it, does not come back.", .dialogDanger))
        switch state.account.dialect {
        case .sendme123: lines.append(("Its dates, origin and organizationId are set anew.", .dialog))
        case .easify: lines.append(("Its dates are set anew; names over 20 characters are cut.", .dialog))
        }
        lines.append(("One already back (the same name, phone and email) is left alone.", .dialog))
        if state.isDryRun { lines.append(("DRY RUN: nothing will be created.", .dialogDanger)) }
        ConfirmDialog.render(
            title: "Restore \(chosen.count) contact\(chosen.count == 1 ? "" : "s")?", lines: lines,
            answer: .yesKey("restore", no: "keep them deleted"), in: area, into: &canvas)
    }
}
