import Foundation
import Synchronization

/// Text as the filter and the name sort compare it: without case or accents, and in Latin
/// letters, so `perez` finds `Pérez`, `cagla` finds `Çağla`, `Çağla` sorts beside `Cagla`, and
/// what a terminal without UTF-8 shows transliterated (`Дмитрий` as `Dmitrij`, `山田` as
/// `shan tian`) can be typed to find it. The same folding on both sides makes it work both
/// ways: `Pérez` typed finds `Perez` too.
public enum TextFolding {
    /// Folds text for comparing. Plain ASCII is only lowercased; other words go through
    /// Unicode's transliteration to Latin and then ASCII, remembered per word since names
    /// repeat (a million contacts have far fewer distinct words).
    public static func fold(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return text.lowercased() }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        var word = ""
        for character in text {
            if character == " " {
                result += foldWord(word) + " "
                word = ""
            } else {
                word.append(character)
            }
        }
        return result + foldWord(word)
    }

    private static let cache = Mutex<[String: String]>([:])
    private static let cacheLimit = 200_000

    private static func foldWord(_ word: String) -> String {
        if word.utf8.allSatisfy({ $0 < 0x80 }) { return word.lowercased() }
        if let known = cache.withLock({ $0[word] }) { return known }
        let latin = word.applyingTransform(StringTransform("Any-Latin; Latin-ASCII"), reverse: false) ?? word
        let folded = latin.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).lowercased()
        cache.withLock { cache in
            if cache.count >= cacheLimit { cache.removeAll(keepingCapacity: true) }
            cache[word] = folded
        }
        return folded
    }
}
