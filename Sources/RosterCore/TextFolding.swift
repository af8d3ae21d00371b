import Foundation
import Synchronization

/// Text as the filter and the name sort compare it: without case or accents, so `perez`
/// finds `Pérez`, `cagla` finds `Çağla` and `Çağla` sorts beside `Cagla`. The same folding on
/// both sides makes it work both ways: `Pérez` typed finds `Perez` too. Where the terminal
/// shows names transliterated (no UTF-8: `Дмитрий` as `Dmitrij`, `山田` as `shan tian`), other
/// scripts are folded to that transliteration too, so what is shown can be typed.
public enum TextFolding {
    /// Folds text for comparing. Plain ASCII is only lowercased; Latin with accents loses the
    /// accents; other scripts are lowercased, or with `transliterating` go through Unicode's
    /// transliteration to Latin and then ASCII. Words are remembered, since names repeat (a
    /// million contacts have far fewer distinct words).
    public static func fold(_ text: String, transliterating: Bool = false) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var word = ""
        for character in text {
            if character == " " {
                result += foldWord(word, transliterating: transliterating) + " "
                word = ""
            } else {
                word.append(character)
            }
        }
        return result + foldWord(word, transliterating: transliterating)
    }

    /// Folds many texts' words ahead, with one transliteration for all the words that need
    /// it (a page of contacts, say): each transliteration call sets up ICU anew, which costs
    /// far more than the work itself.
    public static func prepare(_ texts: [String]) {
        var pending: [String] = []
        var queued = Set<String>()
        for text in texts where !text.utf8.allSatisfy({ $0 < 0x80 }) {
            for word in text.split(separator: " ") {
                let word = String(word)
                guard needsTransliteration(word), !word.contains("\n"), queued.insert(word).inserted else { continue }
                if cache.withLock({ $0[word] }) == nil { pending.append(word) }
            }
        }
        guard pending.count > 1 else { return }
        let joined = pending.joined(separator: "\n")
        let latin = joined.applyingTransform(transform, reverse: false) ?? joined
        let parts = latin.split(separator: "\n", omittingEmptySubsequences: false)
        // Should a script merge or split lines, each word is left to be folded on its own.
        guard parts.count == pending.count else { return }
        cache.withLock { cache in
            if cache.count + pending.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
            for (word, part) in zip(pending, parts) { cache[word] = finish(String(part)) }
        }
    }

    /// Folded words: transliterations under the word itself, plain folds under U+0001 and it.
    private static let cache = Mutex<[String: String]>([:])
    private static let cacheLimit = 200_000
    private static let transform = StringTransform("Any-Latin; Latin-ASCII")

    /// Latin letters that do not decompose into a base letter and a mark.
    private static let latinLetters: [Character: String] = [
        "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ß": "ss", "æ": "ae", "Æ": "ae",
        "œ": "oe", "Œ": "oe", "ı": "i", "þ": "th", "Þ": "th", "ð": "d", "Ð": "d", "ħ": "h", "Ħ": "h",
    ]

    /// Whether a word has letters beyond Latin with accents: those need transliterating.
    private static func needsTransliteration(_ word: String) -> Bool {
        word.unicodeScalars.contains { scalar in
            scalar.value >= 0x250 && !(0x300...0x36F).contains(scalar.value) && !(0x1E00...0x1EFF).contains(scalar.value)
        }
    }

    private static func finish(_ latin: String) -> String {
        latin.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
    }

    private static func foldWord(_ word: String, transliterating: Bool) -> String {
        if word.utf8.allSatisfy({ $0 < 0x80 }) { return word.lowercased() }
        // Transliterations and plain folds are remembered apart: a word folds differently in each.
        let transliterates = transliterating && needsTransliteration(word)
        let key = transliterates ? word : "\u{1}" + word
        if let known = cache.withLock({ $0[key] }) { return known }
        let folded: String
        if transliterates {
            folded = finish(word.applyingTransform(transform, reverse: false) ?? word)
        } else {
            // Accents dropped; Latin letters that carry no separate accent mapped by hand.
            folded = finish(String(word.flatMap { latinLetters[$0] ?? String($0) }))
        }
        cache.withLock { cache in
            if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[key] = folded
        }
        return folded
    }
}
