import Foundation
import RosterCore

/// A part of the screen a click acts on; nil: it only keeps clicks from what is under it.
public struct ClickRegion: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int
    public var action: UserAction?
}

/// One screen cell: a grapheme and its role. A wide character's second column is a
/// continuation cell with no text of its own.
public struct Cell: Equatable, Sendable {
    public var text: Character?
    public var role: StyleRole

    public static func blank(_ role: StyleRole) -> Cell { Cell(text: " ", role: role) }
}

/// A grid of cells that views draw into. The terminal copies it to the screen; tests read
/// it back as lines of text.
public struct Canvas: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Everything drawn is ASCII (`LANG=C`, `--ascii`): see `ASCIIText`.
    public let asciiOnly: Bool
    /// What a click does where: the list's rows, a dialog's buttons. A box drawn over others
    /// takes the clicks inside it (with no action where it has no button).
    public private(set) var regions: [ClickRegion] = []

    public init(width: Int, height: Int, role: StyleRole = .normal, asciiOnly: Bool = false) {
        self.width = max(0, width)
        self.height = max(0, height)
        self.asciiOnly = asciiOnly
        cells = Array(repeating: .blank(role), count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        cells[y * width + x]
    }

    /// Makes a stretch of one row act on a click.
    public mutating func clickable(x: Int, y: Int, width: Int, height: Int = 1, _ action: UserAction?) {
        regions.append(ClickRegion(x: x, y: y, width: width, height: height, action: action))
    }

    /// What a click at (x, y) does: the region drawn last there.
    public func action(atX x: Int, y: Int) -> UserAction? {
        regions.last { x >= $0.x && x < $0.x + $0.width && y >= $0.y && y < $0.y + $0.height }?.action
    }

    /// Paints a rectangle's background.
    public mutating func fill(x: Int = 0, y: Int, width fillWidth: Int? = nil, height fillHeight: Int = 1, role: StyleRole) {
        let right = min(width, x + (fillWidth ?? width - x))
        for row in max(0, y)..<min(height, y + fillHeight) where x < right {
            for column in max(0, x)..<right { set(column, row, .blank(role)) }
        }
    }

    /// Draws text at (x, y), sanitised and clipped to `maxWidth` columns (default: to the
    /// right edge). A wide character that would straddle the limit is replaced by a space.
    /// Returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, role: StyleRole, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width - x))
        var column = x
        let clean = Sanitizer.clean(text)
        for character in asciiOnly ? ASCIIText.convert(clean) : clean {
            let columns = TextWidth.of(character)
            if columns == 0 { continue }
            if column + columns > limit {
                if column < limit { set(column, y, .blank(role)); column += 1 }
                break
            }
            if column >= 0 {
                set(column, y, Cell(text: character, role: role))
                if columns == 2 { set(column + 1, y, Cell(text: nil, role: role)) }
            }
            column += columns
        }
        return column - x
    }

    /// Writes one cell. Overwriting half of a wide character blanks its other half, so no
    /// wide character is ever left straddling something drawn over it.
    private mutating func set(_ x: Int, _ y: Int, _ cell: Cell) {
        let index = y * width + x
        if cells[index].text == nil, cell.text != nil, x > 0 {
            cells[index - 1] = .blank(cells[index - 1].role)
        }
        if x + 1 < width, cells[index + 1].text == nil, cells[index].text != nil {
            cells[index + 1] = .blank(cells[index + 1].role)
        }
        cells[index] = cell
    }

    /// Text clipped to `columns`, ending in "…" when cut.
    public static func truncate(_ text: String, to columns: Int) -> String {
        let clean = Sanitizer.clean(text)
        guard TextWidth.of(clean) > columns else { return clean }
        guard columns > 1 else { return columns == 1 ? "…" : "" }
        var result = ""
        var used = 0
        for character in clean {
            let width = TextWidth.of(character)
            if used + width > columns - 1 { break }
            result.append(character)
            used += width
        }
        return result + "…"
    }

    /// Text clipped to `columns` after a whole word, ending in "…" when cut: a sentence that
    /// does not fit loses its last words, never half of one (a single word longer than the
    /// room is clipped as `truncate` does).
    public static func truncateWords(_ text: String, to columns: Int) -> String {
        let clipped = truncate(text, to: columns)
        guard clipped.hasSuffix("…"), clipped != Sanitizer.clean(text) else { return clipped }
        let kept = clipped.dropLast()
        // The cut fell between words already where the next character of the text is a space.
        let next = Sanitizer.clean(text).dropFirst(kept.count).first
        if next == " " { return kept.trimmingCharacters(in: .whitespaces) + "…" }
        guard let space = kept.lastIndex(of: " ") else { return clipped }
        let whole = kept[..<space].trimmingCharacters(in: CharacterSet(charactersIn: " ·,;:"))
        return whole.isEmpty ? clipped : whole + "…"
    }

    /// As many of `items` as fit in `columns`, joined by `separator`, and "+N more" for the
    /// rest: a list that is cut shows no half item.
    public static func fitItems(_ items: [String], separator: String, to columns: Int) -> String {
        for count in stride(from: items.count, through: 1, by: -1) {
            let shown = items.prefix(count).joined(separator: separator)
            let line = count == items.count ? shown : shown + separator + "+\(items.count - count) more"
            if TextWidth.of(line) <= columns { return line }
        }
        return items.count > 0 ? truncate("+\(items.count) more", to: columns) : ""
    }

    /// Breaks text into lines of at most `columns`, at spaces where it can; later lines are
    /// indented by `indent` columns.
    public static func wrap(_ text: String, to columns: Int, indent: Int = 0) -> [String] {
        let clean = Sanitizer.clean(text)
        guard columns > indent + 1, TextWidth.of(clean) > columns else { return [clean] }
        var lines: [String] = []
        var line = ""
        var used = 0
        var lastSpace: String.Index?
        for character in clean {
            let width = TextWidth.of(character)
            if used + width > columns {
                if let space = lastSpace, space > line.startIndex {
                    let rest = String(line[line.index(after: space)...])
                    lines.append(String(line[..<space]))
                    line = String(repeating: " ", count: indent) + rest
                } else {
                    lines.append(line)
                    line = String(repeating: " ", count: indent)
                }
                used = TextWidth.of(line)
                lastSpace = nil
            }
            if character == " " { lastSpace = line.endIndex }
            line.append(character)
            used += width
        }
        lines.append(line)
        return lines
    }

    /// The row as text, for tests and for reading the screen.
    public func line(_ y: Int) -> String {
        var text = ""
        for x in 0..<width { if let character = self[x, y].text { text.append(character) } }
        return text
    }

    public var lines: [String] { (0..<height).map(line) }

    /// Rows with trailing blanks removed, for readable test expectations.
    public var trimmedLines: [String] {
        lines.map { line in
            var trimmed = line
            while trimmed.last == " " { trimmed.removeLast() }
            return trimmed
        }
    }
}
