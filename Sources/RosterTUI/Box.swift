extension Canvas {
    /// Draws a framed, filled box with an optional title in its top border.
    mutating func drawBox(x: Int, y: Int, width: Int, height: Int, role: StyleRole, title: String? = nil, titleRole: StyleRole? = nil) {
        guard width >= 2, height >= 2 else { return }
        // A blank column each side, so the text underneath never touches the border.
        if x > 0 { fill(x: x - 1, y: y, width: 1, height: height, role: .normal) }
        if x + width < self.width { fill(x: x + width, y: y, width: 1, height: height, role: .normal) }
        fill(x: x, y: y, width: width, height: height, role: role)
        clickable(x: x, y: y, width: width, height: height, nil)
        let horizontal = String(repeating: "─", count: width - 2)
        put("┌" + horizontal + "┐", x: x, y: y, role: role)
        for row in (y + 1)..<(y + height - 1) {
            put("│", x: x, y: row, role: role)
            put("│", x: x + width - 1, y: row, role: role)
        }
        put("└" + horizontal + "┘", x: x, y: y + height - 1, role: role)
        if let title {
            put(" " + Canvas.truncate(title, to: width - 6) + " ", x: x + 2, y: y, role: titleRole ?? role)
        }
    }
}

extension Canvas {
    /// A dialog's box filling `box`, its title in the dialog's title role.
    mutating func drawDialog(_ title: String, in box: Rect) {
        drawBox(x: box.x, y: box.y, width: box.width, height: box.height, role: .dialog, title: title, titleRole: .dialogTitle)
    }
}
