import RosterCore

/// "Open profile NAME?": what switching drops, said before it is dropped.
enum ConfirmSwitchView {
    static func render(_ profile: String, state: AppState, in area: Rect, into canvas: inout Canvas) {
        let marks = state.marks.count
        var lines: [(String, StyleRole)] = [
            ("This session on \(state.account.profile) ends, and one on \(profile) begins:", .dialog),
            ("its account, theme and limits, its list loaded afresh.", .dialog),
            ("", .dialog),
            ("The \(state.contacts.count) loaded contacts are dropped from the screen.", .dialog),
        ]
        if marks > 0 { lines.append(("Your \(marks) mark\(marks == 1 ? " is" : "s are") dropped: nothing is deleted.", .dialogDanger)) }
        if state.filter.isActive { lines.append(("The filter “\(state.filter.query.text)” is dropped.", .dialog)) }
        lines.append(("The journal keeps everything deleted; H shows it there too.", .dialog))
        ConfirmDialog.render(title: "Open profile \(profile)?", lines: lines, answer: .yesKey("switch", no: "stay"), in: area, into: &canvas)
    }
}
