import Foundation

/// Reads queries for one account: its dialect's fields, the saved filters, and the time that
/// ages (`>30d`) count from.
public struct QueryLanguage: Sendable {
    public var dialect: Dialect
    public var now: Date
    public var saved: [String: String]
    public var transliterating: Bool

    public init(dialect: Dialect, now: Date, saved: [String: String] = [:], transliterating: Bool = true) {
        self.dialect = dialect
        self.now = now
        self.saved = saved
        self.transliterating = transliterating
    }

    public func parse(_ text: String) throws(QueryError) -> Query {
        Query(text: text, root: try root(of: text, expanding: []))
    }

    /// Characters a phone number is written with: a query of only these is one phone search,
    /// spaces and all, as the filter always read it.
    static let phoneCharacters = Set("0123456789+-() .")

    private func root(of text: String, expanding: [String]) throws(QueryError) -> QueryNode? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { return nil }
        if trimmed.contains(where: \.isNumber), trimmed.allSatisfy({ Self.phoneCharacters.contains($0) }) {
            return .text(FilterQuery(trimmed, transliterating: transliterating))
        }
        var parser = Parser(characters: Array(text), language: self, expanding: expanding)
        return try parser.sequence(closing: false)
    }

    fileprivate func expand(_ name: String, expanding: [String]) throws(QueryError) -> QueryNode {
        guard let text = saved[name] else {
            let names = saved.keys.sorted().map { "@" + $0 }
            throw QueryError(
                "no saved filter @\(name)"
                    + (names.isEmpty ? " ([filters] in config.toml names them)" : " (saved: \(names.joined(separator: ", ")))"))
        }
        if expanding.contains(name) {
            // Said as the loop it is: @a → @b → @a.
            let loop = (expanding.drop { $0 != name } + [name]).map { "@" + $0 }.joined(separator: " → ")
            throw QueryError(expanding.last == name ? "saved filter @\(name) refers to itself" : "saved filters refer to each other: \(loop)")
        }
        do {
            return try root(of: text, expanding: expanding + [name]) ?? .all([])
        } catch let error where error.message.hasPrefix("saved filter") {
            throw error
        } catch {
            throw QueryError("saved filter @\(name): \(error.message)")
        }
    }

    fileprivate func term(field typed: String, value: String) throws(QueryError) -> QueryNode {
        guard let (field, name) = dialect.queryField(named: typed) else {
            // The dialect's own fields first (what the shared ones do not say), the session's
            // last: the message is read on one line under the prompt, cut at its width.
            let session: [QueryField.Source] = [.locked, .failed, .marked]
            let common: [QueryField.Source] = [.name, .email, .phone, .id]
            let fields = dialect.queryFields
            let ordered = fields.filter { !session.contains($0.source) && !common.contains($0.source) && !["created", "updated"].contains($0.name) }
                + fields.filter { common.contains($0.source) || ["created", "updated"].contains($0.name) }
            let names = ordered.map { $0.isPrefix ? $0.name + "KEY" : $0.name }
            let rows = fields.filter { session.contains($0.source) }.map(\.name)
            throw QueryError(
                "unknown field “\(typed)”: \(dialect.displayName) has \(names.joined(separator: ", "))"
                    + (rows.isEmpty ? "" : "; in the UI also \(rows.joined(separator: ", "))") + " (text with a colon goes in quotes)")
        }
        let shown = field.isPrefix ? name : field.name
        let folded = TextFolding.fold(value, transliterating: transliterating && field.source == .name)
        let match: FieldMatch
        switch field.kind {
        case .text:
            if value.isEmpty {
                match = .present
            } else if value.hasPrefix("=") {
                guard value.count > 1 else { throw QueryError("\(shown):= needs the whole value after =") }
                match = .equals(Array(String(folded.dropFirst()).utf8))
            } else {
                match = .contains(Array(folded.utf8))
            }
        case .exact:
            let whole = folded.hasPrefix("=") ? String(folded.dropFirst()) : folded
            match = whole.isEmpty ? .present : .equals(Array(whole.utf8))
        case .flag:
            switch value.lowercased() {
            case "", "yes", "y", "true", "1": match = .flag(true)
            case "no", "n", "false", "0": match = .flag(false)
            default: throw QueryError("\(shown): takes yes or no, not “\(value)”")
            }
        case .phone:
            if value.isEmpty {
                match = .present
            } else {
                let digits = value.filter { $0.isASCII && $0.isNumber }
                guard !digits.isEmpty, value.allSatisfy({ Self.phoneCharacters.contains($0) }) else {
                    throw QueryError("\(shown): takes digits, e.g. phone:+57 (starts with 57) or phone:3001 (contains it)")
                }
                match = .phone(digits: Array(digits.utf8), anchored: value.hasPrefix("+"))
            }
        case .date:
            match = try dates(value, field: shown)
        }
        return .field(FieldTerm(field: field, name: name, match: match))
    }

    private func dates(_ value: String, field: String) throws(QueryError) -> FieldMatch {
        var comparison = ""
        var rest = Substring(value)
        for candidate in ["<=", ">=", "<", ">", "="] where rest.hasPrefix(candidate) {
            comparison = candidate == "=" ? "" : candidate
            rest = rest.dropFirst(candidate.count)
            break
        }
        let usage = QueryError(
            "\(field): takes a date (2024-01-31, 2024-01, 2024), a range (2024-01..2024-03), or an age after < or > (\(field):>30d is older than 30 days; h, d, w, m = 30 d, y = 365 d)")
        if rest.isEmpty {
            guard comparison.isEmpty else { throw usage }
            return .present
        }
        if let dots = rest.range(of: "..") {
            guard comparison.isEmpty, let from = period(rest[..<dots.lowerBound]), let to = period(rest[dots.upperBound...]) else {
                throw usage
            }
            guard from.start < to.end else {
                throw QueryError("\(field):\(rest) ends before it starts: the earlier date comes first (\(field):\(rest[dots.upperBound...])..\(rest[..<dots.lowerBound]))")
            }
            return .dates(lower: from.start, upper: to.end)
        }
        if let age = age(rest) {
            let moment = Int64(now.timeIntervalSince1970.rounded(.down)) - age
            switch comparison {
            case ">": return .dates(lower: nil, upper: moment)
            case ">=": return .dates(lower: nil, upper: moment + 1)
            case "<": return .dates(lower: moment + 1, upper: nil)
            case "<=": return .dates(lower: moment, upper: nil)
            default:
                throw QueryError("\(field):\(rest) is an age: say \(field):<\(rest) (within it) or \(field):>\(rest) (longer ago)")
            }
        }
        guard let (start, end) = period(rest) else { throw usage }
        switch comparison {
        case "<": return .dates(lower: nil, upper: start)
        case "<=": return .dates(lower: nil, upper: end)
        case ">": return .dates(lower: end, upper: nil)
        case ">=": return .dates(lower: start, upper: nil)
        default: return .dates(lower: start, upper: end)
        }
    }

    /// `30d`, `12h`, `2w`, `6m`, `1y` in seconds.
    private func age(_ text: Substring) -> Int64? {
        guard let unit = text.last, let count = Int64(text.dropLast()), count >= 0 else { return nil }
        let seconds: Int64
        switch unit {
        case "h": seconds = 3600
        case "d": seconds = 86_400
        case "w": seconds = 7 * 86_400
        case "m": seconds = 30 * 86_400
        case "y": seconds = 365 * 86_400
        default: return nil
        }
        return count.multipliedReportingOverflow(by: seconds).overflow ? nil : count * seconds
    }

    /// A day, month or year (or today, yesterday) as the seconds it starts and ends at.
    private func period(_ text: Substring) -> (start: Int64, end: Int64)? {
        let today = Int64(now.timeIntervalSince1970.rounded(.down)) / 86_400 * 86_400
        switch text.lowercased() {
        case "today": return (today, today + 86_400)
        case "yesterday": return (today - 86_400, today)
        default: break
        }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4, parts.dropFirst().allSatisfy({ $0.count == 2 }) else {
            return nil
        }
        let numbers = parts.compactMap { Int($0) }
        guard numbers.count == parts.count else { return nil }
        let year = numbers[0]
        if numbers.count == 1 {
            return (FieldDates.seconds(year: year, month: 1, day: 1), FieldDates.seconds(year: year + 1, month: 1, day: 1))
        }
        let month = numbers[1]
        guard (1...12).contains(month) else { return nil }
        let monthStart = FieldDates.seconds(year: year, month: month, day: 1)
        let monthEnd = month == 12 ? FieldDates.seconds(year: year + 1, month: 1, day: 1) : FieldDates.seconds(year: year, month: month + 1, day: 1)
        if numbers.count == 2 { return (monthStart, monthEnd) }
        let day = numbers[2]
        let start = FieldDates.seconds(year: year, month: month, day: day)
        guard day >= 1, start < monthEnd else { return nil }
        return (start, start + 86_400)
    }
}

/// Recursive descent over the typed characters.
private struct Parser {
    let characters: [Character]
    let language: QueryLanguage
    let expanding: [String]
    var position = 0
    /// How deep `!` and `(` nest here: held to `maxDepth`, so no query can exhaust the stack.
    private var depth = 0

    /// Deeper than any query a person writes; a 30,000-deep one crashed the parser.
    static let maxDepth = 64

    init(characters: [Character], language: QueryLanguage, expanding: [String]) {
        self.characters = characters
        self.language = language
        self.expanding = expanding
    }

    private var atEnd: Bool { position >= characters.count }
    private var current: Character? { atEnd ? nil : characters[position] }

    private mutating func skipSpaces() {
        while let character = current, character.isWhitespace { position += 1 }
    }

    /// Terms side by side, all of which must match; up to the end, or a `)` when `closing`.
    mutating func sequence(closing: Bool) throws(QueryError) -> QueryNode? {
        var items: [QueryNode] = []
        while true {
            skipSpaces()
            guard let character = current else {
                if closing { throw QueryError("a ( is not closed") }
                break
            }
            if character == ")" {
                guard closing else { throw QueryError("a ) without its (") }
                position += 1
                break
            }
            if character == "|" { throw QueryError("| needs a term on each side") }
            items.append(try alternatives())
        }
        switch items.count {
        case 0: return nil
        case 1: return items[0]
        default: return .all(items)
        }
    }

    /// Terms joined by `|`, any of which may match.
    private mutating func alternatives() throws(QueryError) -> QueryNode {
        var items = [try unary()]
        while true {
            let save = position
            skipSpaces()
            guard current == "|" else {
                position = save
                break
            }
            position += 1
            skipSpaces()
            guard let next = current, next != "|", next != ")" else { throw QueryError("| needs a term on each side") }
            items.append(try unary())
        }
        return items.count == 1 ? items[0] : .any(items)
    }

    private mutating func deeper() throws(QueryError) {
        guard depth < Self.maxDepth else {
            throw QueryError("the query nests ! and ( more than \(Self.maxDepth) deep: say it more simply")
        }
        depth += 1
    }

    private mutating func unary() throws(QueryError) -> QueryNode {
        switch current {
        case "!":
            try deeper()
            defer { depth -= 1 }
            position += 1
            guard let next = current, !next.isWhitespace, next != ")", next != "|" else {
                throw QueryError("! needs a term right after it, e.g. !email:")
            }
            return .not(try unary())
        case "(":
            try deeper()
            defer { depth -= 1 }
            position += 1
            guard let inner = try sequence(closing: true) else { throw QueryError("( ) holds nothing") }
            return inner
        default:
            return try term()
        }
    }

    private mutating func term() throws(QueryError) -> QueryNode {
        if current == "\"" {
            let text = try quoted()
            // Empty quotes would match every contact: never what a cleanup means.
            guard !text.trimmingCharacters(in: .whitespaces).isEmpty else { throw QueryError("\"\" holds nothing to look for") }
            return .text(FilterQuery(text, transliterating: language.transliterating))
        }
        let start = position
        while let character = current, character.isLetter || character.isNumber || character == "_" || character == "." {
            position += 1
        }
        let name = String(characters[start..<position])
        if current == ":", let first = name.first, first.isLetter {
            position += 1
            // `:="…"`: the whole value, quoted because it holds spaces.
            if current == "=", position + 1 < characters.count, characters[position + 1] == "\"" {
                position += 1
                return try language.term(field: name, value: "=" + (try quoted()))
            }
            let value = current == "\"" ? try quoted() : bare()
            return try language.term(field: name, value: value)
        }
        position = start
        let word = bare()
        if word.hasPrefix("@"), word.count > 1 { return try language.expand(String(word.dropFirst()), expanding: expanding) }
        return .text(FilterQuery(word, transliterating: language.transliterating))
    }

    /// A word: up to a space, `|` or `)`.
    private mutating func bare() -> String {
        let start = position
        while let character = current, !character.isWhitespace, character != "|", character != ")" { position += 1 }
        return String(characters[start..<position])
    }

    /// Text in double quotes; `\"` is a quote inside.
    private mutating func quoted() throws(QueryError) -> String {
        position += 1
        var text = ""
        while let character = current {
            position += 1
            if character == "\\", let next = current {
                text.append(next)
                position += 1
            } else if character == "\"" {
                return text
            } else {
                text.append(character)
            }
        }
        throw QueryError("a \" is not closed")
    }
}
