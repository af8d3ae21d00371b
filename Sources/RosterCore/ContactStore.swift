import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The loaded contacts, compactly: every contact's text is one run of bytes in the arena
/// (`ByteChunks`: id, name, phone, email, a lowercased search key, the fields queries read
/// (`FieldTable`'s blob), and the full record where it must be kept, in `RecordCodec`'s
/// binary form), with
/// small fixed-size columns beside it and an open-addressing table from id to slot. A
/// million contacts fit in a few hundred megabytes, and the filter scans the search keys
/// with `memchr` instead of building strings.
///
/// A slot is a contact's permanent place: removing a contact only marks its slot dead, so
/// slots held elsewhere (the shown rows) never shift.
public struct ContactStore: Sendable, Equatable {
    /// Whether full records are kept (as JSON text). Only where the dialect has no look-up:
    /// elsewhere a fresh look-up supplies the record whenever it matters (details, journal).
    public let keepsRecords: Bool
    /// Names are searched by their Latin transliteration too (`dmitrij` finds `Дмитрий`).
    public let transliterates: Bool

    private(set) var arena = ByteChunks()
    /// Per slot, where its run starts: the arena's chunk, and the offset in it.
    private(set) var chunks: [UInt16] = []
    private(set) var starts: [UInt32] = []
    /// Per slot, the byte lengths of id, name, phone, email, search key and field blob.
    private(set) var lengths: [UInt16] = []
    private var recordLengths: [UInt32] = []
    private var records = RecordCodec()
    private(set) var statusCodes: [UInt8] = []
    private(set) var statusNames: [String] = []
    private(set) var sharedFlags: [UInt8] = []
    /// What the field blobs point into: field names and interned values.
    private(set) var fieldTable = FieldTable()
    private(set) var alive: [Bool] = []
    /// Open addressing: slot + 1, 0 for empty, -1 for a removed entry.
    private var table: [Int32] = Array(repeating: 0, count: 1024)
    public private(set) var liveCount = 0

    static let fieldCount = 6
    static let keyField = 4
    static let blobField = 5
    static let noStatus: UInt8 = 255
    static let maxFieldBytes = Int(UInt16.max)

    public init(keepsRecords: Bool, transliterates: Bool = true) {
        self.keepsRecords = keepsRecords
        self.transliterates = transliterates
    }

    // MARK: adding and removing

    /// Adds a contact; nil when its id is already here.
    @discardableResult
    public mutating func append(_ contact: Contact) -> Int? {
        guard slot(of: contact.id) == nil else { return nil }
        let slot = alive.count
        alive.append(true)
        chunks.append(0)
        starts.append(0)
        lengths.append(contentsOf: repeatElement(0, count: Self.fieldCount))
        recordLengths.append(0)
        statusCodes.append(Self.noStatus)
        sharedFlags.append(2)
        write(contact, at: slot)
        insertIntoTable(slot, hash: Self.hash(contact.id.rawValue.utf8))
        liveCount += 1
        return slot
    }

    /// Replaces a slot's contact with a fresher copy of the same contact.
    public mutating func replace(at slot: Int, with contact: Contact) {
        guard alive[slot], id(at: slot) == contact.id else { return }
        write(contact, at: slot)
    }

    public mutating func remove(at slot: Int) {
        guard alive[slot] else { return }
        let hash = Self.hash(idBytes(slot))
        if let position = tablePosition(of: slot, hash: hash) { table[position] = -1 }
        alive[slot] = false
        liveCount -= 1
    }

    public mutating func removeAll() {
        self = ContactStore(keepsRecords: keepsRecords, transliterates: transliterates)
    }

    /// Appends the contact's bytes to the arena as one run and points the slot at them.
    private mutating func write(_ contact: Contact, at slot: Int) {
        let fields = [
            contact.id.rawValue, contact.name, contact.phone, contact.email,
            Self.searchKey(contact, transliterating: transliterates),
        ].map { Self.clamped(Array($0.utf8)) }
        var run: [UInt8] = []
        run.reserveCapacity(fields.reduce(64) { $0 + $1.count })
        for (index, field) in fields.enumerated() {
            run.append(contentsOf: field)
            lengths[slot * Self.fieldCount + index] = UInt16(field.count)
        }
        let blobStart = run.count
        fieldTable.encode(contact.fields, into: &run, limit: Self.maxFieldBytes)
        lengths[slot * Self.fieldCount + Self.blobField] = UInt16(run.count - blobStart)
        if keepsRecords, contact.record != .null {
            let before = run.count
            records.encode(contact.record, into: &run)
            recordLengths[slot] = UInt32(run.count - before)
        } else {
            recordLengths[slot] = 0
        }
        let location = run.withUnsafeBufferPointer { arena.append($0) }
        // 65,535 chunks of a megabyte at least: 64 GB, far past any machine Roster runs on.
        precondition(location.chunk <= Int(UInt16.max), "the contact store is full")
        chunks[slot] = UInt16(location.chunk)
        starts[slot] = UInt32(location.offset)
        statusCodes[slot] = contact.status.map { statusCode($0) } ?? Self.noStatus
        sharedFlags[slot] = contact.shared.map { $0 ? 1 : 0 } ?? 2
    }

    private mutating func statusCode(_ status: String) -> UInt8 {
        if let index = statusNames.firstIndex(of: status) { return UInt8(index) }
        guard statusNames.count < Int(Self.noStatus) else { return Self.noStatus }
        statusNames.append(status)
        return UInt8(statusNames.count - 1)
    }

    /// Cut at a character boundary below the column's limit; a display field that long is
    /// already unreadable, and the record (kept whole) still has it.
    private static func clamped(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.count > maxFieldBytes else { return bytes }
        var end = maxFieldBytes
        while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        return Array(bytes[..<end])
    }

    /// What the filter searches: name and email folded (no case, no accents, in Latin
    /// letters: `TextFolding`), the id lowercased, the phone as written, and its digits alone
    /// last. The folded name comes first, so the name sort reads it from here.
    static func searchKey(_ contact: Contact, transliterating: Bool) -> String {
        let digits = contact.phone.filter(\.isNumber)
        return [
            TextFolding.fold(contact.name, transliterating: transliterating), TextFolding.fold(contact.email),
            contact.id.rawValue.lowercased(), contact.phone, digits,
        ].joined(separator: "\u{1}")
    }

    // MARK: reading

    /// A slot's run in the arena: where it starts.
    func location(_ slot: Int) -> ByteChunks.Location {
        ByteChunks.Location(chunk: Int(chunks[slot]), offset: Int(starts[slot]))
    }

    /// One of a slot's fields, as bytes in the arena (valid while the store lives).
    func bytes(_ slot: Int, field: Int) -> UnsafeBufferPointer<UInt8> {
        var offset = 0
        for index in 0..<field { offset += Int(lengths[slot * Self.fieldCount + index]) }
        return UnsafeBufferPointer(start: arena.pointer(location(slot)) + offset, count: Int(lengths[slot * Self.fieldCount + field]))
    }

    private func text(_ slot: Int, field: Int) -> String {
        withExtendedLifetime(arena) { String(decoding: bytes(slot, field: field), as: UTF8.self) }
    }

    /// The columns a scan reads for every slot, without bounds checks.
    func withColumns<Result>(
        _ body: (UnsafeBufferPointer<UInt16>, UnsafeBufferPointer<UInt16>, UnsafeBufferPointer<UInt32>) -> Result
    ) -> Result {
        lengths.withUnsafeBufferPointer { lengths in
            chunks.withUnsafeBufferPointer { chunks in
                starts.withUnsafeBufferPointer { starts in body(lengths, chunks, starts) }
            }
        }
    }

    private func idBytes(_ slot: Int) -> UnsafeBufferPointer<UInt8> { bytes(slot, field: 0) }

    /// The names of the provider's fields some loaded contact has (lowercased).
    public var storedFieldNames: [String] { fieldTable.names }

    public func id(at slot: Int) -> ContactID { ContactID(text(slot, field: 0)) }
    public func name(at slot: Int) -> String { text(slot, field: 1) }
    public func phone(at slot: Int) -> String { text(slot, field: 2) }
    public func email(at slot: Int) -> String { text(slot, field: 3) }

    /// The contact in a slot; `withRecord: false` skips decoding the full record, for
    /// drawing a row.
    public func contact(at slot: Int, withRecord: Bool = true) -> Contact {
        let code = statusCodes[slot]
        let shared = sharedFlags[slot]
        var record = JSONValue.null
        if withRecord, recordLengths[slot] > 0 {
            let blob = bytes(slot, field: Self.blobField)
            let stored = withExtendedLifetime(arena) {
                Array(UnsafeBufferPointer(start: blob.baseAddress! + blob.count, count: Int(recordLengths[slot])))
            }
            record = records.decode(stored[...])
        }
        return Contact(
            id: id(at: slot), name: name(at: slot), phone: phone(at: slot), email: email(at: slot),
            status: code == Self.noStatus ? nil : statusNames[Int(code)], shared: shared == 2 ? nil : shared == 1,
            record: record)
    }

    /// Whether the filter shows this contact: the query in the search key, or a phone-like
    /// query's digits in the phone's digits.
    public func matches(_ slot: Int, _ query: FilterQuery) -> Bool {
        filter([slot], query).count == 1
    }

    /// The slots, in order, whose contacts the filter shows. One pass over the arena.
    public func filter(_ slots: [Int], _ query: FilterQuery) -> [Int] {
        if query.isEmpty { return slots }
        return arena.withBases { bases in
            withColumns { lengths, chunks, starts in
                var shown: [Int] = []
                for slot in slots {
                    let base = slot * Self.fieldCount
                    let offset = Int(starts[slot]) + Int(lengths[base]) + Int(lengths[base + 1]) + Int(lengths[base + 2])
                        + Int(lengths[base + 3])
                    let count = Int(lengths[base + 4])
                    let key = bases[Int(chunks[slot])] + offset
                    if Self.contains(key, count, query.needleBytes) {
                        shown.append(slot)
                        continue
                    }
                    guard !query.digitBytes.isEmpty else { continue }
                    // The digits come after the last separator.
                    var digitsStart = count
                    while digitsStart > 0 && key[digitsStart - 1] != 1 { digitsStart -= 1 }
                    if Self.contains(key + digitsStart, count - digitsStart, query.digitBytes) { shown.append(slot) }
                }
                return shown
            }
        }
    }

    /// Substring search: `memchr` finds each candidate first byte, the second byte is checked
    /// in place, `memcmp` the rest. (glibc's `memmem` costs more per call on keys this short.)
    static func contains(_ haystack: UnsafePointer<UInt8>, _ count: Int, _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= count else { return needle.isEmpty }
        return needle.withUnsafeBufferPointer { pattern in
            let length = pattern.count
            let last = count - length
            var offset = 0
            while offset <= last {
                guard let found = memchr(haystack + offset, Int32(first), last - offset + 1) else { return false }
                let position = haystack.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if length == 1 || (haystack[position + 1] == pattern[1]
                    && (length == 2 || memcmp(haystack + position + 2, pattern.baseAddress! + 2, length - 2) == 0)) {
                    return true
                }
                offset = position + 1
            }
            return false
        }
    }

    /// The text a sort order compares, read straight from the arena: names and emails as
    /// the search key folds them, so `Çağla` sorts beside `Cagla`, not after `Zoë`.
    public func sortKey(_ slot: Int, _ order: SortOrder) -> String {
        switch order {
        case .server: return ""
        case .name: return searchKeyField(slot, 0).trimmingCharacters(in: .whitespaces)
        case .phone: return phone(at: slot).filter(\.isNumber)
        case .email: return searchKeyField(slot, 1)
        }
    }

    /// One field of a slot's search key (they are separated by U+0001).
    private func searchKeyField(_ slot: Int, _ index: Int) -> String {
        let key = text(slot, field: Self.keyField)
        let fields = key.split(separator: "\u{1}", maxSplits: index + 1, omittingEmptySubsequences: false)
        return fields.indices.contains(index) ? String(fields[index]) : ""
    }

    // MARK: the id table

    public func slot(of id: ContactID) -> Int? {
        let bytes = Array(id.rawValue.utf8)
        let mask = table.count - 1
        var position = Int(truncatingIfNeeded: Self.hash(bytes)) & mask
        while true {
            let entry = table[position]
            if entry == 0 { return nil }
            if entry > 0, idBytes(Int(entry - 1)).elementsEqual(bytes) { return Int(entry - 1) }
            position = (position + 1) & mask
        }
    }

    private func tablePosition(of slot: Int, hash: UInt64) -> Int? {
        let mask = table.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while table[position] != 0 {
            if table[position] == Int32(slot + 1) { return position }
            position = (position + 1) & mask
        }
        return nil
    }

    private mutating func insertIntoTable(_ slot: Int, hash: UInt64) {
        // Keep it at most half full, counting removed entries, so probes stay short.
        if (alive.count + 1) * 2 > table.count { rebuildTable(capacity: max(1024, table.count * 2)) }
        let mask = table.count - 1
        var position = Int(truncatingIfNeeded: hash) & mask
        while table[position] > 0 { position = (position + 1) & mask }
        table[position] = Int32(slot + 1)
    }

    private mutating func rebuildTable(capacity: Int) {
        table = Array(repeating: 0, count: capacity)
        let mask = capacity - 1
        for slot in 0..<alive.count where alive[slot] {
            var position = Int(truncatingIfNeeded: Self.hash(idBytes(slot))) & mask
            while table[position] != 0 { position = (position + 1) & mask }
            table[position] = Int32(slot + 1)
        }
    }

    /// FNV-1a: stable across runs, unlike `Hasher`, which keeps `Equatable` honest.
    static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt64 where Bytes.Element == UInt8 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}

/// The live contacts in the server's order, as a collection of `Contact` values made on
/// demand from the store.
public struct ContactList: RandomAccessCollection, Sendable {
    let store: ContactStore
    let slots: [Int]

    public var startIndex: Int { 0 }
    public var endIndex: Int { slots.count }
    public subscript(position: Int) -> Contact { store.contact(at: slots[position]) }
}
