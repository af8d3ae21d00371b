import RosterCore

/// The help screen: the keys of the screen it was opened over, generated from that screen's
/// bindings. When the terminal is too short for one column of bindings it uses two, side by
/// side, where both fit whole, and scrolls when they do not fit.
enum HelpView {
    static func render(_ keys: ScreenKeys, scroll: Int = 0, in area: Rect, into canvas: inout Canvas) {
        let keyColumn = keys.bindings.map { keyLabel($0) }.map(TextWidth.of).max() ?? 0
        let lines = keys.bindings.map { (keyLabel($0), $0.summary) }
        let note = keys.note ?? ""
        let available = area.height - 2 - 6
        let summaryWidth = (lines.map { TextWidth.of($0.1) }.max() ?? 0)
        let columnWidth = keyColumn + 2 + summaryWidth
        // Two columns only where both fit whole: a narrow terminal scrolls one column rather
        // than cut what each key does.
        let twoFit = 2 * columnWidth + 6 + 3 <= area.width - 4
        let columns = lines.count > available && twoFit ? 2 : 1
        let perColumn = (lines.count + columns - 1) / columns
        let box = area.centered(
            width: min(area.width - 4, max(TextWidth.of(note) + 6, columns * columnWidth + 6 + (columns - 1) * 3)),
            height: min(area.height - 2, perColumn + 6))
        let (x, y, width, height) = (box.x, box.y, box.width, box.height)
        let cellWidth = (width - 6 - (columns - 1) * 3) / columns
        let title = keys.mode == .browse ? "Keys" : "Keys: \(keys.title)"
        canvas.drawDialog(title, in: box)
        let visible = height - 5
        let top = min(scroll, max(0, perColumn - visible))
        for (index, line) in lines.enumerated() {
            let row = index % perColumn - top
            guard row >= 0, row < visible else { continue }
            let left = x + 3 + (index / perColumn) * (cellWidth + 3)
            canvas.put(line.0, x: left, y: y + 2 + row, role: .dialogTitle, maxWidth: keyColumn)
            canvas.put(
                Canvas.truncate(line.1, to: max(1, cellWidth - keyColumn - 2)), x: left + keyColumn + 2, y: y + 2 + row,
                role: .dialog, maxWidth: max(1, cellWidth - keyColumn - 2))
        }
        canvas.put(note, x: x + 3, y: y + height - 3, role: .dialog, maxWidth: width - 6)
        let more = perColumn > visible
            ? " · j/k scroll (\(top + 1)–\(top + visible) of \(perColumn)\(top + visible < perColumn ? ", more below" : ""))" : ""
        canvas.put("? or Esc closes this help" + more, x: x + 3, y: y + height - 2, role: .dim, maxWidth: width - 6)
    }

    static func keyLabel(_ binding: KeyBinding) -> String { binding.label }
}
