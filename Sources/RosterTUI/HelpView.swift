import RosterCore

/// The help screen, generated from the key map.
enum HelpView {
    static func render(keyMap: KeyMap, layout: Layout, into canvas: inout Canvas) {
        let keyColumn = keyMap.bindings.map { keyLabel($0) }.map(TextWidth.of).max() ?? 0
        let lines = keyMap.bindings.map { (keyLabel($0), $0.summary) }
        let note = keyMap.bindings.contains { $0.action == .delete }
            ? "One contact: only y deletes. Several: type their count, then Enter."
            : "Read-only session: nothing here deletes, deactivates or marks."
        let width = min(layout.width - 4, max(TextWidth.of(note) + 6, keyColumn + 40))
        let height = min(layout.height - 2, lines.count + 6)
        let x = (layout.width - width) / 2
        let y = max(0, (layout.height - height) / 2)
        canvas.drawBox(x: x, y: y, width: width, height: height, role: .dialog, title: "Keys", titleRole: .dialogTitle)
        for (offset, line) in lines.enumerated() where offset < height - 5 {
            canvas.put(line.0, x: x + 3, y: y + 2 + offset, role: .dialogTitle, maxWidth: keyColumn)
            canvas.put(line.1, x: x + 5 + keyColumn, y: y + 2 + offset, role: .dialog, maxWidth: width - keyColumn - 7)
        }
        canvas.put(note, x: x + 3, y: y + height - 3, role: .dialog, maxWidth: width - 6)
        canvas.put("? or Esc closes this help", x: x + 3, y: y + height - 2, role: .dim, maxWidth: width - 6)
    }

    static func keyLabel(_ binding: KeyBinding) -> String {
        binding.keys.map(\.label).joined(separator: " ")
    }
}
