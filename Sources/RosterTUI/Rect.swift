/// A rectangle of the screen: the area a view is given to draw in. A view draws only inside
/// it, so it renders, and is tested, in any part of any screen.
public struct Rect: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// A box of this size (at most the rectangle's) in the rectangle's middle.
    public func centered(width boxWidth: Int, height boxHeight: Int) -> Rect {
        let width = min(boxWidth, self.width)
        let height = min(boxHeight, self.height)
        return Rect(x: x + (self.width - width) / 2, y: y + max(0, (self.height - height) / 2), width: width, height: height)
    }

    public func contains(x column: Int, y row: Int) -> Bool {
        column >= x && column < x + width && row >= y && row < y + height
    }
}

extension Layout {
    /// The whole screen: where dialogs are centred.
    public var screen: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// Between the header and the status bar, the full width: where the duplicates view, the
    /// history and the panels go.
    public var body: Rect { Rect(x: 0, y: headerRow + 1, width: width, height: statusRow - headerRow - 1) }

    /// The list's column header and rows: where the details go.
    public var listArea: Rect { Rect(x: 0, y: columnHeaderRow, width: width, height: listRows + 1) }
}
