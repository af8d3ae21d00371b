import RosterCore

/// A panel over the list: a finished batch's outcome for every contact (problems first),
/// or lines to read such as `--select-from` lines that matched nothing. It stays until
/// dismissed.
enum ResultsView {
    static func render(_ batch: Batch, scroll: Int, in area: Rect, into canvas: inout Canvas) {
        let ordered = batch.items.enumerated().sorted { a, b in
            let (ra, rb) = (rank(a.element.outcome), rank(b.element.outcome))
            return ra != rb ? ra < rb : a.offset < b.offset
        }.map(\.element)
        // The panel's width goes to whole ids where they fit, and to whole messages: one longer
        // than its line goes on under it.
        let inner = panelWidth(area) - 4
        let longestID = ordered.map { TextWidth.of($0.contact.id.rawValue) }.max() ?? 12
        let idWidth = inner - 2 - 20 - 2 - longestID - 2 >= 45 ? longestID : min(longestID, 12)
        let messageWidth = max(10, inner - 2 - 20 - 2 - idWidth - 2)
        let indent = String(repeating: " ", count: inner - messageWidth)
        let lines = ordered.flatMap { item -> [(String, StyleRole)] in
            let outcome = item.outcome ?? .notSent("no answer")
            let (mark, role) = symbol(outcome)
            let name = Canvas.truncate(item.contact.displayName, to: 20).padded(to: 20)
            let id = Canvas.truncate(item.contact.id.rawValue, to: idWidth).padded(to: idWidth)
            let message = Canvas.wrap(outcome.summary, to: messageWidth, indent: 0)
            return [("\(mark) \(name)  \(id)  \(message.first ?? "")", role)] + message.dropFirst().map { (indent + $0, role) }
        }
        let failed = batch.failedCount
        let notSent = batch.notSentCount
        let again = [failed > 0 ? "retries the \(failed) failed" : nil, notSent > 0 ? "resumes the \(notSent) not sent" : nil]
            .compactMap { $0 }.joined(separator: " and ")
        let footer = (again.isEmpty ? "" : "r \(again) (asks first) · ") + "j/k scroll · Esc closes"
        drawPanel(
            title: batch.isDryRun ? "Dry run results" : (batch.wasStopped ? "Batch results (stopped)" : "Batch results"),
            summary: batchSummary(batch), lines: lines,
            scroll: scroll, footer: footer, in: area, into: &canvas)
    }

    static func render(_ panel: InfoPanel, in area: Rect, into canvas: inout Canvas) {
        var lines = panel.lines.map { ($0, StyleRole.dialog) }
        var scroll = panel.scroll
        if panel.wraps {
            // Whole lines, wrapped to the panel's width; scrolling moves by whole lines.
            let width = panelWidth(area) - 4
            lines = panel.lines.dropFirst(panel.scroll).flatMap { Canvas.wrap($0, to: width, indent: panel.wrapIndent) }.map { ($0, .dialog) }
            scroll = 0
        }
        let count = panel.lines.count
        let footer = "j/k scroll · Esc closes" + (panel.wraps && count > 1 ? "  (from \(panel.scroll + 1) of \(count))" : "")
        drawPanel(
            title: panel.title, summary: panel.summary ?? "\(count) line\(count == 1 ? "" : "s")",
            lines: lines, scroll: scroll, footer: footer, in: area, into: &canvas, showsPosition: !panel.wraps)
    }

    static func panelWidth(_ area: Rect) -> Int { min(area.width - 2, 160) }

    private static func drawPanel(
        title: String, summary: String, lines: [(String, StyleRole)], scroll: Int, footer: String, in area: Rect,
        into canvas: inout Canvas, showsPosition: Bool = true
    ) {
        let width = panelWidth(area)
        let x = area.x + (area.width - width) / 2
        let y = area.y
        let height = max(7, min(lines.count + 6, area.height))
        canvas.drawDialog(title, in: Rect(x: x, y: y, width: width, height: height))
        canvas.put(summary, x: x + 2, y: y + 1, role: .dialogTitle, maxWidth: width - 4)
        let visible = height - 5
        let first = min(scroll, max(0, lines.count - visible))
        for (offset, line) in lines.dropFirst(first).prefix(visible).enumerated() {
            canvas.put(line.0, x: x + 2, y: y + 3 + offset, role: line.1, maxWidth: width - 4)
        }
        let position = showsPosition && lines.count > visible ? "  (\(first + 1)–\(min(lines.count, first + visible)) of \(lines.count))" : ""
        canvas.put(footer + position, x: x + 2, y: y + height - 2, role: .dim, maxWidth: width - 4)
    }

    private static func rank(_ outcome: BatchOutcome?) -> Int {
        switch outcome {
        case .failed: return 0
        case .locked, .skippedLocked: return 1
        case .notSent, nil: return 2
        case .alreadyGone: return 3
        case .deleted, .wouldDelete: return 4
        }
    }

    private static func symbol(_ outcome: BatchOutcome) -> (String, StyleRole) {
        switch outcome {
        case .deleted, .wouldDelete: return ("✓", .dialog)
        case .alreadyGone: return ("·", .dialog)
        case .locked, .skippedLocked: return ("!", .dialog)
        case .failed: return ("✗", .dialogDanger)
        case .notSent: return ("–", .dialog)
        }
    }
}

extension String {
    /// Pads with spaces to this many columns.
    func padded(to columns: Int) -> String {
        self + String(repeating: " ", count: max(0, columns - TextWidth.of(self)))
    }
}
