import Foundation

/// The `/` filter: across name, phone, email and id, regardless of case and accents both ways
/// (`TextFolding`). Digits typed alone also match a phone number written with spaces, dashes
/// or a `+`.
public struct FilterQuery: Sendable, Equatable {
    public let text: String
    private let needle: String
    private let transliterating: Bool
    private let digits: String
    /// The query as the store searches it: lowercased UTF-8, and a phone-like query's digits.
    let needleBytes: [UInt8]
    let digitBytes: [UInt8]

    public init(_ text: String, transliterating: Bool = true) {
        self.text = text
        needle = TextFolding.fold(text, transliterating: transliterating)
        self.transliterating = transliterating
        let phoneCharacters = Set("0123456789+-() .")
        let isPhoneLike = !text.isEmpty && text.allSatisfy { phoneCharacters.contains($0) }
        digits = isPhoneLike ? text.filter(\.isNumber) : ""
        needleBytes = Array(needle.utf8)
        digitBytes = Array(digits.utf8)
    }

    public var isEmpty: Bool { needle.isEmpty }

    public func matches(_ contact: Contact) -> Bool {
        if needle.isEmpty { return true }
        if TextFolding.fold(contact.name, transliterating: transliterating).contains(needle)
            || TextFolding.fold(contact.email).contains(needle)
            || contact.phone.contains(needle) || contact.id.rawValue.lowercased().contains(needle) {
            return true
        }
        return !digits.isEmpty && contact.phone.filter(\.isNumber).contains(digits)
    }

    /// Whether every contact this query matches is also matched by `broader`, so narrowing
    /// can search only the rows already shown.
    public func narrows(_ broader: FilterQuery) -> Bool {
        needle.hasPrefix(broader.needle) && digits.hasPrefix(broader.digits) && (broader.digits.isEmpty || !digits.isEmpty)
    }
}

/// The list's order; `o` cycles through them.
public enum SortOrder: String, Sendable, Equatable, CaseIterable {
    case server
    case name
    case phone
    case email

    public var next: SortOrder {
        let all = SortOrder.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    /// Which way it runs, as the heading shows it: ▲ A to Z, ▼ Z to A.
    public static func arrow(descending: Bool) -> String { descending ? "▼" : "▲" }

    /// How the column header and messages name it.
    public var label: String {
        switch self {
        case .server: return "server order"
        case .name: return "name"
        case .phone: return "phone"
        case .email: return "email"
        }
    }
}

/// The filter: what the prompt holds, and the query the rows show (the last one typed that
/// could be read: while the prompt does not parse, the rows stay and the error says why).
public struct FilterState: Sendable, Equatable {
    /// The prompt's length at most: a query is a line, and each key re-reads it, so a paste
    /// of a whole file would otherwise re-filter the list once per character.
    public static let maxLength = 500

    public var query = Query.empty
    public var typed = ""
    /// The prompt's cursor: how many characters of `typed` are before it.
    public var cursor = 0
    public var error: QueryError?
    /// What Tab offered for the word being typed, when it could not pick one (or found none).
    public var hint: String?
    /// A query that reads well but names a value no loaded contact has (`status:bogus`).
    public var notice: String?
    /// The `/` prompt is open and keys go into the query.
    public var isEditing = false

    public var isActive: Bool { !query.isEmpty }
}

extension AppState {
    /// Rebuilds the shown rows from the loaded contacts for the current filter and sort,
    /// keeping the cursor on the same contact when it is still shown.
    mutating func rebuildRows(narrowingFrom previous: Query? = nil) {
        let anchor = selectedSlot
        let offset = cursor - scrollTop
        let query = filter.query
        var shown: [Int]
        if let previous, query.narrows(previous) {
            shown = store.filter(rows, query, context: queryContext)
        } else if query.isEmpty {
            shown = order
            if sort != .server { shown = sorted(shown) }
        } else {
            shown = store.filter(order, query, context: queryContext)
            if sort != .server { shown = sorted(shown) }
        }
        setRows(shown)
        restoreCursor(on: anchor, screenOffset: offset)
    }

    /// Adds newly loaded contacts (store slots) to the shown rows.
    mutating func showAppended(_ slots: [Int]) {
        let matching = store.filter(slots, filter.query, context: queryContext)
        guard !matching.isEmpty else { return }
        if sort == .server {
            // Appended at the end: no shown row moves.
            appendRows(matching)
            keepCursorVisible(&self)
            return
        }
        let anchor = selectedSlot
        let offset = cursor - scrollTop
        setRows(sorted(rows + matching))
        restoreCursor(on: anchor, screenOffset: offset)
    }

    /// Adds contacts put into the middle of the server's order to the shown rows, keeping
    /// the cursor on its contact.
    mutating func showInserted(_ slots: [Int]) {
        let matching = store.filter(slots, filter.query, context: queryContext)
        guard !matching.isEmpty else { return }
        let anchor = selectedSlot
        let offset = cursor - scrollTop
        if sort == .server {
            var shown = rows
            for slot in matching {
                let target = rankOf(slot)
                var low = 0
                var high = shown.count
                while low < high {
                    let middle = (low + high) / 2
                    if rankOf(shown[middle]) < target { low = middle + 1 } else { high = middle }
                }
                shown.insert(slot, at: low)
            }
            setRows(shown)
        } else {
            setRows(sorted(rows + matching))
        }
        restoreCursor(on: anchor, screenOffset: offset)
    }

    private func sorted(_ slots: [Int]) -> [Int] {
        let keys = slots.map { store.sortKey($0, sort) }
        let descending = sortDescending
        return slots.indices.sorted { a, b in
            keys[a] != keys[b] ? (keys[a] < keys[b]) != descending : slots[a] < slots[b]
        }.map { slots[$0] }
    }

    var selectedSlot: Int? { rows.indices.contains(cursor) ? rows[cursor] : nil }

    private mutating func restoreCursor(on anchor: Int?, screenOffset: Int) {
        guard let anchor, let row = rows.firstIndex(of: anchor) else {
            cursor = min(cursor, max(0, rows.count - 1))
            keepCursorVisible(&self)
            return
        }
        cursor = row
        scrollTop = max(0, row - max(0, min(screenOffset, listHeight - 1)))
        keepCursorVisible(&self)
    }

    /// Contacts the filter matches among those loaded.
    public var matchingContacts: [Contact] { rows.map { store.contact(at: $0) } }

    /// Loaded marked contacts the filter hides from view (those not loaded are counted in
    /// `unloadedMarks`).
    public var hiddenMarkCount: Int { hiddenMarkCount(among: marks) }

    /// How many of these marked contacts the filter hides.
    func hiddenMarkCount(among marked: Set<ContactID>) -> Int {
        guard filter.isActive else { return 0 }
        let loaded = marked.compactMap { store.slot(of: $0) }
        return loaded.count - store.filter(loaded, filter.query, context: queryContext).count
    }

    /// This session's row states, as `locked:`, `failed:` and `marked:` read them.
    public var queryContext: QueryContext {
        QueryContext(locked: Set(locked.keys), failed: Set(failed.keys), marked: marks)
    }

    /// How this session reads queries: its dialect's fields, the saved filters, and the time
    /// now for ages such as `>30d`.
    public var queryLanguage: QueryLanguage {
        QueryLanguage(dialect: account.dialect, now: clock, saved: savedFilters, transliterating: store.transliterates)
    }
}

/// Lines from `--select-from`: ids, phone numbers or emails, matched as pages arrive.
public struct PendingSelection: Sendable, Equatable {
    public var source: String
    /// Lines not matched yet, in file order.
    public var unmatched: [String]
    public var markedCount = 0
    /// Lines that matched more than one contact: not marked, so nothing is deleted by guess.
    public var ambiguous: [String] = []

    public init(source: String, lines: [String]) {
        self.source = source
        var seen = Set<String>()
        unmatched = lines.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") && seen.insert($0).inserted }
    }

    /// Matches every line against the loaded contacts: by id, by email (any case or accents), or by the
    /// phone number's digits (a country code on one side only still matches when ten or more
    /// digits agree). A line naming several contacts marks none of them.
    public func resolve(in contacts: [Contact]) -> (marked: [ContactID], unmatched: [String], ambiguous: [String]) {
        var byID: [String: [ContactID]] = [:]
        var byEmail: [String: [ContactID]] = [:]
        var byDigits: [String: [ContactID]] = [:]
        var byLastTen: [String: [(digits: String, id: ContactID)]] = [:]
        for contact in contacts {
            byID[contact.id.rawValue.lowercased(), default: []].append(contact.id)
            if !contact.email.isEmpty { byEmail[TextFolding.fold(contact.email), default: []].append(contact.id) }
            let digits = contact.phone.filter(\.isNumber)
            guard !digits.isEmpty else { continue }
            byDigits[digits, default: []].append(contact.id)
            if digits.count >= 10 { byLastTen[String(digits.suffix(10)), default: []].append((digits, contact.id)) }
        }
        var marked: [ContactID] = []
        var seen = Set<ContactID>()
        var unmatched: [String] = []
        var ambiguous: [String] = []
        for line in self.unmatched {
            let lowered = line.lowercased()
            var found = byID[lowered] ?? []
            if found.isEmpty, line.contains("@") { found = byEmail[TextFolding.fold(line)] ?? [] }
            if found.isEmpty, line.allSatisfy({ "0123456789+-() .".contains($0) }) {
                let digits = line.filter(\.isNumber)
                if digits.count >= 5 { found = byDigits[digits] ?? [] }
                if found.isEmpty, digits.count >= 10 {
                    found = (byLastTen[String(digits.suffix(10))] ?? [])
                        .filter { $0.digits.hasSuffix(digits) || digits.hasSuffix($0.digits) }.map(\.id)
                }
            }
            switch found.count {
            case 0: unmatched.append(line)
            case 1: if seen.insert(found[0]).inserted { marked.append(found[0]) }
            default: ambiguous.append(line)
            }
        }
        return (marked, unmatched, ambiguous)
    }
}
