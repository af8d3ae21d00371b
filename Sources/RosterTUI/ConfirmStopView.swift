import RosterCore

/// "Stop the running batch?": what stopping does, and that nothing is lost by it.
enum ConfirmStopView {
    static func render(_ state: AppState, in area: Rect, into canvas: inout Canvas) {
        guard let batch = state.batch else { return }
        let lines: [(String, StyleRole)] = [
            ("\(batch.done) of \(batch.total) done; \(batch.total - batch.done) to go.", .dialog),
            ("", .dialog),
            ("Stopping sends nothing more. Requests already on the wire", .dialog),
            ("finish; the rest are recorded as not sent and stay marked,", .dialog),
            ("so d resumes the batch later.", .dialog),
        ]
        ConfirmDialog.render(
            title: "Stop the batch?", lines: lines, answer: .yesKey("stop", no: "keep it running"), in: area,
            into: &canvas)
    }
}
