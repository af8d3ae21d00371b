extension ContactStore {
    /// A text field of the provider's (`tag`, `group`, `company`), every value it has: as the
    /// provider gave it where it repeats (interned), folded otherwise.
    public func texts(_ name: String, at slot: Int) -> [String] {
        guard let code = fieldTable.code(of: name) else { return [] }
        var found: [String] = []
        forEach([slot], field: Self.blobField) { _, blob, length in
            _ = fieldTable.firstEntry(in: blob, count: length) { entryCode, entry in
                guard entryCode == code else { return false }
                switch entry {
                case .interned(let index): found.append(fieldTable.originals[index])
                case .inline(let bytes): found.append(String(decoding: bytes, as: UTF8.self))
                case .date: break
                }
                return false
            }
        }
        return found
    }

    /// Every field kept for the contact in this slot, by name as the provider spells it, in
    /// the order first seen: text values joined by ", " (as the provider gave them where they
    /// repeat, folded otherwise), dates as their UTC day. For `Y` where the full record is not
    /// kept.
    public func storedFields(at slot: Int) -> [(name: String, value: String)] {
        var order: [String] = []
        var values: [String: [String]] = [:]
        forEach([slot], field: Self.blobField) { _, blob, length in
            _ = fieldTable.firstEntry(in: blob, count: length) { code, entry in
                let name = fieldTable.shownNames[Int(code)]
                let text: String
                switch entry {
                case .interned(let index): text = fieldTable.originals[index]
                case .inline(let bytes): text = String(decoding: bytes, as: UTF8.self)
                case .date(let seconds): text = FieldDates.day(seconds)
                }
                if values[name] == nil { order.append(name) }
                values[name, default: []].append(text)
                return false
            }
        }
        return order.map { ($0, values[$0]!.joined(separator: ", ")) }
    }

    /// A date field of the provider's (`created`, `updated`), in seconds since 1970.
    public func date(_ name: String, at slot: Int) -> Int64? {
        guard let code = fieldTable.code(of: name) else { return nil }
        var found: Int64?
        _ = filter([slot], field: Self.blobField) { blob, length in
            fieldTable.firstEntry(in: blob, count: length) { entryCode, entry in
                if entryCode == code, case .date(let seconds) = entry { found = seconds }
                return found != nil
            }
        }
        return found
    }

    /// The values of a text field that repeat among these contacts (the interned ones: tags,
    /// groups, companies, country codes), as the provider wrote them, sorted; for Tab. One
    /// pass over the blobs, so only when asked.
    public func repeatedTexts(_ name: String, among slots: [Int]) -> [String] {
        guard let code = fieldTable.code(of: name) else { return [] }
        var seen = Set<Int>()
        forEach(slots, field: Self.blobField) { _, blob, length in
            _ = fieldTable.firstEntry(in: blob, count: length) { entryCode, entry in
                if entryCode == code, case .interned(let index) = entry { seen.insert(index) }
                return false
            }
        }
        return seen.map { fieldTable.originals[$0] }.sorted { $0.lowercased() < $1.lowercased() }
    }
}
