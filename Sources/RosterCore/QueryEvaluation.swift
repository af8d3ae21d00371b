#if canImport(Glibc)
import Glibc
#endif

/// This session's row states, for `locked:`, `failed:` and `marked:`.
public struct QueryContext: Sendable {
    public var locked: Set<ContactID>
    public var failed: Set<ContactID>
    public var marked: Set<ContactID>

    public init(locked: Set<ContactID> = [], failed: Set<ContactID> = [], marked: Set<ContactID> = []) {
        self.locked = locked
        self.failed = failed
        self.marked = marked
    }
}

extension ContactStore {
    /// The slots, in the order given, whose contacts the query matches. Each term narrows the
    /// slots the previous ones left, so a query costs about one pass per term.
    public func filter(_ slots: [Int], _ query: Query, context: QueryContext = QueryContext()) -> [Int] {
        guard let root = query.root else { return slots }
        var evaluator = QueryEvaluator(store: self, context: context)
        return evaluator.evaluate(root, slots)
    }

    public func matches(_ slot: Int, _ query: Query, context: QueryContext = QueryContext()) -> Bool {
        filter([slot], query, context: context).count == 1
    }

    /// The number of slots a removed contact leaves behind: every slot index is below it.
    var slotCount: Int { alive.count }

    /// Calls `body` with each slot and one of its arena fields (its bytes and their count).
    func forEach(_ slots: [Int], field: Int, _ body: (Int, UnsafePointer<UInt8>, Int) -> Void) {
        arena.withBases { bases in
            withColumns { lengths, chunks, starts in
                for slot in slots {
                    let base = slot * ContactStore.fieldCount
                    var offset = Int(starts[slot])
                    for index in 0..<field { offset += Int(lengths[base + index]) }
                    body(slot, bases[Int(chunks[slot])] + offset, Int(lengths[base + field]))
                }
            }
        }
    }

    /// The slots, in order, for which `test` holds of one of their arena fields.
    func filter(_ slots: [Int], field: Int, _ test: (UnsafePointer<UInt8>, Int) -> Bool) -> [Int] {
        var kept: [Int] = []
        forEach(slots, field: field) { slot, bytes, count in
            if test(bytes, count) { kept.append(slot) }
        }
        return kept
    }
}

private struct QueryEvaluator {
    let store: ContactStore
    let context: QueryContext
    private var sessionSlots: [QueryField.Source: [Bool]] = [:]

    init(store: ContactStore, context: QueryContext) {
        self.store = store
        self.context = context
    }

    mutating func evaluate(_ node: QueryNode, _ slots: [Int]) -> [Int] {
        guard !slots.isEmpty else { return slots }
        switch node {
        case .text(let query):
            return store.filter(slots, query)
        case .field(let term):
            return field(term, slots)
        case .not(let inner):
            return Self.subtract(evaluate(inner, slots), from: slots)
        case .all(let nodes):
            var left = slots
            for node in nodes {
                left = evaluate(node, left)
                if left.isEmpty { break }
            }
            return left
        case .any(let nodes):
            var remaining = slots
            var hit = [Bool](repeating: false, count: store.slotCount)
            for node in nodes {
                let found = evaluate(node, remaining)
                for slot in found { hit[slot] = true }
                remaining = Self.subtract(found, from: remaining)
                if remaining.isEmpty { break }
            }
            return slots.filter { hit[$0] }
        }
    }

    /// `slots` without `part`, which is a subsequence of it.
    private static func subtract(_ part: [Int], from slots: [Int]) -> [Int] {
        guard !part.isEmpty else { return slots }
        var result: [Int] = []
        result.reserveCapacity(slots.count - part.count)
        var next = 0
        for slot in slots {
            if next < part.count, part[next] == slot {
                next += 1
            } else {
                result.append(slot)
            }
        }
        return result
    }

    private mutating func field(_ term: FieldTerm, _ slots: [Int]) -> [Int] {
        switch term.field.source {
        case .name: return keyField(0, term.match, slots)
        case .email: return keyField(1, term.match, slots)
        case .id: return keyField(2, term.match, slots)
        case .phone: return keyField(term.match == .present ? 3 : 4, term.match, slots)
        case .status:
            let wanted = store.statusNames.map { name -> Bool in
                Array(TextFolding.fold(name).utf8).withUnsafeBufferPointer { Self.text($0, term.match) }
            }
            let codes = store.statusCodes
            return slots.filter { slot in
                let code = codes[slot]
                return code != ContactStore.noStatus && Int(code) < wanted.count && wanted[Int(code)]
            }
        case .shared:
            let flags = store.sharedFlags
            switch term.match {
            case .flag(let wanted): return slots.filter { flags[$0] == (wanted ? 1 : 0) }
            default: return slots.filter { flags[$0] != 2 }
            }
        case .locked, .failed, .marked:
            let set = sessionSet(term.field.source)
            let wanted = term.match != .flag(false)
            return slots.filter { set[$0] == wanted }
        case .stored:
            return stored(term, slots)
        }
    }

    /// Slots of the session's locked, failed or marked contacts, worked out once per query.
    private mutating func sessionSet(_ source: QueryField.Source) -> [Bool] {
        if let known = sessionSlots[source] { return known }
        let ids: Set<ContactID>
        switch source {
        case .locked: ids = context.locked
        case .failed: ids = context.failed
        default: ids = context.marked
        }
        var set = [Bool](repeating: false, count: store.slotCount)
        for id in ids { if let slot = store.slot(of: id) { set[slot] = true } }
        sessionSlots[source] = set
        return set
    }

    /// One field of the search key: folded name (0), folded email (1), lowercased id (2), the
    /// phone as written (3), its digits (4).
    private func keyField(_ index: Int, _ match: FieldMatch, _ slots: [Int]) -> [Int] {
        store.filter(slots, field: ContactStore.keyField) { key, count in
            var start = 0
            var part = 0
            while part < index, start < count {
                guard let found = memchr(key + start, 1, count - start) else { start = count; break }
                start = key.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                part += 1
            }
            guard part == index else { return Self.text(UnsafeBufferPointer(start: key, count: 0), match) }
            var end = start
            while end < count, key[end] != 1 { end += 1 }
            return Self.text(UnsafeBufferPointer(start: key + start, count: end - start), match)
        }
    }

    /// The provider's fields, read from each slot's blob.
    private func stored(_ term: FieldTerm, _ slots: [Int]) -> [Int] {
        let table = store.fieldTable
        guard let code = table.code(of: term.name) else {
            // No loaded contact has the field: only a term that wants it absent can match.
            return []
        }
        let internedMatches = table.values.map { value in value.withUnsafeBufferPointer { Self.text($0, term.match) } }
        return store.filter(slots, field: ContactStore.blobField) { blob, count in
            table.firstEntry(in: blob, count: count) { entryCode, entry in
                guard entryCode == code else { return false }
                switch entry {
                case .date(let seconds): return Self.date(seconds, term.match)
                case .interned(let index): return internedMatches[index]
                case .inline(let bytes): return Self.text(bytes, term.match)
                }
            }
        }
    }

    private static func date(_ seconds: Int64, _ match: FieldMatch) -> Bool {
        switch match {
        case .present: return true
        case .dates(let lower, let upper): return (lower.map { seconds >= $0 } ?? true) && (upper.map { seconds < $0 } ?? true)
        default: return false
        }
    }

    private static func text(_ value: UnsafeBufferPointer<UInt8>, _ match: FieldMatch) -> Bool {
        switch match {
        case .present:
            return value.count > 0
        case .contains(let needle):
            guard let base = value.baseAddress else { return needle.isEmpty }
            return ContactStore.contains(base, value.count, needle)
        case .equals(let needle):
            return value.count == needle.count && (needle.isEmpty || memcmp(value.baseAddress!, needle, needle.count) == 0)
        case .phone(let digits, let anchored):
            guard let base = value.baseAddress, value.count >= digits.count else { return false }
            if anchored { return memcmp(base, digits, digits.count) == 0 }
            return ContactStore.contains(base, value.count, digits)
        case .flag(let wanted):
            return (value.count > 0) == wanted
        case .dates:
            return false
        }
    }
}
