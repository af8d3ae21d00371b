import RosterCore

/// "Quit with work in flight?": what is under way right now, kept current while the question
/// is open (it stays until answered).
enum ConfirmQuitView {
    static func render(_ state: AppState, in area: Rect, into canvas: inout Canvas) {
        var lines: [(String, StyleRole)]
        if let batch = state.batch, batch.isWaiting {
            lines = [
                ("\(batch.total) deletion\(batch.total == 1 ? " is" : "s are") counting down; nothing has been sent,", .dialog),
                ("and the countdown holds while this question is open.", .dialog),
                ("Quitting cancels \(batch.total == 1 ? "it" : "them") (the journal records them as not sent).", .dialog),
            ]
        } else if let batch = state.batch, batch.isActive {
            lines = [
                ("A deletion batch is running: \(batch.done) of \(batch.total) done.", .dialog),
                ("Quitting stops it: nothing more is sent, the requests on the wire", .dialog),
                ("finish (10 s at most) and the rest are recorded as not sent.", .dialog),
            ]
        } else if !state.activity.isEmpty {
            let count = state.activity.count
            lines = [
                ("\(count) request\(count == 1 ? " is" : "s are") still in flight.", .dialog),
                ("Quitting now may leave an answer unseen; the journal keeps", .dialog),
                ("any deletion, and the next start checks it.", .dialog),
            ]
        } else {
            lines = [("Nothing is in flight any more.", .dialog)]
        }
        ConfirmDialog.render(title: "Quit Roster?", lines: lines, answer: .yesOrQ("quit", no: "stay"), in: area, into: &canvas)
    }
}
