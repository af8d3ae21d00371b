/// Makes untrusted text (anything a server sent) safe to draw or print: control characters,
/// ESC, DEL, C1 codes and bidirectional overrides become visible, inert text such as `^[` or
/// `<U+202E>`, so a contact's name or a server's error can never move the cursor, set the
/// title, touch the clipboard or reorder the line around it. In the core, because a provider
/// error's message is cleaned where the error is made, so no output path can forget it.
public enum Sanitizer {
    /// `keepingLineBreaks`: tab, line feed and carriage return stay (a CSV cell may hold lines).
    public static func clean(_ text: String, keepingLineBreaks: Bool = false) -> String {
        func escaped(_ scalar: Unicode.Scalar) -> Bool {
            needsEscape(scalar) && !(keepingLineBreaks && [0x09, 0x0A, 0x0D].contains(scalar.value))
        }
        guard text.unicodeScalars.contains(where: escaped) || startsWithMark(text) else { return text }
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if escaped(scalar) {
                output.append(contentsOf: visible(scalar).unicodeScalars)
            } else {
                output.append(scalar)
            }
        }
        var result = String(output)
        // A combining mark with nothing before it would attach to the cell on its left.
        if startsWithMark(result) { result = "\u{25CC}" + result }
        return result
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value < 0x20 || value == 0x7F || (0x80...0x9F).contains(value) { return true }
        return bidiControls.contains(value)
    }

    private static let bidiControls: Set<UInt32> = [
        0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
    ]

    private static func visible(_ scalar: Unicode.Scalar) -> String {
        let value = scalar.value
        if value < 0x20 { return "^" + String(Character(Unicode.Scalar(UInt8(value + 0x40)))) }
        if value == 0x7F { return "^?" }
        let hex = String(value, radix: 16, uppercase: true)
        return "<U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex + ">"
    }

    private static func startsWithMark(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first else { return false }
        switch first.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .spacingMark: return true
        default: return false
        }
    }
}
