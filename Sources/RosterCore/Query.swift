import Foundation

/// Why a query cannot be used, in words the filter line shows as it is typed.
public struct QueryError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}

/// What a field term asks of a field's value. Text is compared folded (no case, no accents).
public enum FieldMatch: Sendable, Equatable {
    /// `field:` alone: the contact has a value there.
    case present
    case contains([UInt8])
    case equals([UInt8])
    /// Digits in the phone's digits (with the country code); `anchored`: at its start.
    case phone(digits: [UInt8], anchored: Bool)
    case flag(Bool)
    /// Seconds since 1970 from `lower` (included) to `upper` (excluded); nil is open.
    case dates(lower: Int64?, upper: Int64?)
}

public struct FieldTerm: Sendable, Equatable {
    public var field: QueryField
    /// The stored field's name, lowercased (`custom.company` for a prefix family).
    public var name: String
    public var match: FieldMatch
}

public indirect enum QueryNode: Sendable, Equatable {
    /// Plain text: name, phone, email or id, as the filter always searched.
    case text(FilterQuery)
    case field(FieldTerm)
    case not(QueryNode)
    case all([QueryNode])
    case any([QueryNode])
}

/// A parsed filter: plain text and field terms, `space` for and, `|` for or (binding tighter,
/// so `status:blocked|status:inactive !email:` reads as it sounds), `!` for not, parentheses,
/// and `@name` for a saved filter.
public struct Query: Sendable, Equatable {
    public let text: String
    public let root: QueryNode?

    public static let empty = Query(text: "", root: nil)

    public init(text: String, root: QueryNode?) {
        self.text = text
        self.root = root
    }

    public var isEmpty: Bool { root == nil }

    /// The query when it is one piece of plain text, which the store can narrow as it is typed.
    public var plainText: FilterQuery? {
        if case .text(let query) = root { return query }
        return nil
    }

    /// Whether every contact this query matches is also matched by `broader`.
    public func narrows(_ broader: Query) -> Bool {
        guard let mine = plainText, let theirs = broader.plainText else { return false }
        return mine.narrows(theirs)
    }

    /// The session's row states the query asks about (locked, failed, marked).
    public var sessionSources: Set<QueryField.Source> {
        var found = Set<QueryField.Source>()
        func visit(_ node: QueryNode) {
            switch node {
            case .text: break
            case .field(let term): if term.field.isSessionState { found.insert(term.field.source) }
            case .not(let inner): visit(inner)
            case .all(let nodes), .any(let nodes): nodes.forEach(visit)
            }
        }
        root.map(visit)
        return found
    }
}

extension QueryNode {
    /// The first `status:` value asked for that none of `statuses` (those the contacts read
    /// have) is, as `status “inactve” (they have active, blocked)`: a typo matches nothing, and
    /// nothing else would say why. Nil when every value asked for is known, or none is.
    public func unknownStatus(among statuses: some Collection<String>) -> String? {
        guard !statuses.isEmpty else { return nil }
        switch self {
        case .field(let term) where term.field.source == .status:
            guard case .equals(let wanted) = term.match else { return nil }
            let known = statuses.map { TextFolding.fold($0) }
            let value = String(decoding: wanted, as: UTF8.self)
            return known.contains(value) ? nil : "status “\(value)” (they have \(known.joined(separator: ", ")))"
        case .not(let inner): return inner.unknownStatus(among: statuses)
        case .all(let nodes), .any(let nodes): return nodes.lazy.compactMap { $0.unknownStatus(among: statuses) }.first
        case .text, .field: return nil
        }
    }
}
