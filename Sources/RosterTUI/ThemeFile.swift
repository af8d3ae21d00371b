import Foundation

/// Reads a theme file: TOML tables named after roles, each with optional `fg`, `bg` and
/// `attrs`. Only this small part of TOML is accepted, so every mistake can be reported with
/// its line.
public enum ThemeFile {
    public struct Problem: Error, Equatable, Sendable, CustomStringConvertible {
        public var line: Int
        public var reason: String
        public var description: String { "line \(line): \(reason)" }
    }

    /// The theme `base` with the file's roles laid over it.
    public static func parse(_ text: String, name: String, base: Theme = .standard) throws(Problem) -> Theme {
        var theme = base
        theme.name = name
        var role: StyleRole?
        var style = RoleStyle()
        func commit() { if let role { theme.set(role, style) } }
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            let line = stripComment(String(rawLine)).trimmingCharacters(in: .whitespaces)
            if line.isEmpty { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]") else { throw Problem(line: number, reason: "a table header must end with ]") }
                let roleName = String(line.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
                guard let next = StyleRole(rawValue: roleName) else {
                    throw Problem(line: number, reason: "unknown role '\(roleName)'")
                }
                commit()
                role = next
                style = base.style(for: next)
                continue
            }
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { throw Problem(line: number, reason: "expected key = value") }
            if role == nil, parts[0] == "label" {
                guard let text = quoted(parts[1]), !text.isEmpty, text.count <= 20 else {
                    throw Problem(line: number, reason: "label must be a quoted word of at most 20 characters, e.g. \"PRODUCTION\"")
                }
                theme.label = text
                continue
            }
            guard role != nil else { throw Problem(line: number, reason: "'\(parts[0])' comes before any [role] table") }
            switch parts[0] {
            case "fg", "bg":
                guard let text = quoted(parts[1]) else {
                    throw Problem(line: number, reason: "\(parts[0]) must be a quoted string")
                }
                guard let color = ThemeColor.parse(text) else {
                    throw Problem(line: number, reason: "'\(text)' is not a colour (use a name, 0-255, #rrggbb or default)")
                }
                if parts[0] == "fg" { style.foreground = color } else { style.background = color }
            case "attrs":
                guard let items = stringArray(parts[1]) else {
                    throw Problem(line: number, reason: "attrs must be an array of strings, e.g. [\"bold\"]")
                }
                var attributes: Set<TextAttribute> = []
                for item in items {
                    guard let attribute = TextAttribute(rawValue: item) else {
                        throw Problem(line: number, reason: "unknown attribute '\(item)' (bold, dim, reverse, underline)")
                    }
                    attributes.insert(attribute)
                }
                style.attributes = attributes
            default:
                throw Problem(line: number, reason: "unknown key '\(parts[0])' (fg, bg, attrs)")
            }
        }
        commit()
        return theme
    }

    private static func stripComment(_ line: String) -> String {
        var inString = false
        for (index, character) in zip(line.indices, line) {
            if character == "\"" { inString.toggle() }
            if character == "#" && !inString { return String(line[..<index]) }
        }
        return line
    }

    private static func quoted(_ text: String) -> String? {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return nil }
        return String(text.dropFirst().dropLast())
    }

    private static func stringArray(_ text: String) -> [String]? {
        guard text.hasPrefix("["), text.hasSuffix("]") else { return nil }
        let inner = text.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
        if inner.isEmpty { return [] }
        var items: [String] = []
        for part in inner.split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            guard let item = quoted(trimmed) else { return nil }
            items.append(item)
        }
        return items
    }
}
