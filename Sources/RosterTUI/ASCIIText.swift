import Foundation

/// For terminals without UTF-8 (`LANG=C`, or `--ascii`): Roster's own symbols become ASCII
/// look-alikes, and names are transliterated (`Pérez` → `Perez`, `Дмитрий` → `Dmitrij`,
/// `山田` → `shan tian`) so they stay legible; anything left becomes `?`.
public enum ASCIIText {
    static let glyphs: [Character: String] = [
        "─": "-", "│": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+", "›": ">", "●": "*", "▲": "^",
        "█": "#", "░": ".", "✓": "+", "✗": "x", "·": "-", "▏": "_", "↑": "^", "↓": "v", "←": "<", "→": ">",
        "…": "...", "“": "\"", "”": "\"", "–": "-", "—": "-", "•": "*", "×": "x",
    ]

    public static func convert(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text }
        var mapped = ""
        for character in text { mapped += glyphs[character] ?? String(character) }
        let latin = mapped.applyingTransform(StringTransform("Any-Latin; Latin-ASCII"), reverse: false) ?? mapped
        var result = ""
        for scalar in latin.unicodeScalars {
            if scalar.isASCII {
                result.unicodeScalars.append(scalar)
            } else if scalar.properties.generalCategory != .nonspacingMark {
                result.append("?")
            }
        }
        return result
    }
}
