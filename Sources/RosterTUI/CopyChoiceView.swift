import RosterCore

/// `Y`: the contact's fields, numbered; a digit or Enter copies one.
enum CopyChoiceView {
    static func render(_ choice: CopyChoice, in area: Rect, into canvas: inout Canvas) {
        let shown = Array(choice.fields.prefix(max(1, area.height - 8)))
        let nameWidth = min(18, (shown.map { TextWidth.of($0.name) }.max() ?? 4) + 1)
        let width = min(area.width - 4, 72)
        let height = shown.count + 5
        let box = area.centered(width: width, height: height)
        let (x, y) = (box.x, box.y)
        canvas.drawDialog("Copy which field?", in: box)
        for (index, field) in shown.enumerated() {
            let role: StyleRole = index == choice.cursor ? .cursorRow : .dialog
            let number = index < 9 ? "\(index + 1)" : " "
            let line = "\(index == choice.cursor ? "›" : " ") \(number)  " + Canvas.truncate(field.name, to: nameWidth).padded(to: nameWidth) + " " + field.value
            canvas.put(Canvas.truncate(line, to: width - 4), x: x + 2, y: y + 2 + index, role: role, maxWidth: width - 4)
        }
        canvas.put("1-9 or Enter copies · j/k move · Esc closes", x: x + 2, y: y + height - 2, role: .dim, maxWidth: width - 4)
    }
}
