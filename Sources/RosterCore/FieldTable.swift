/// The fields queries read, kept per contact as a short run of bytes in the store's arena:
/// one entry per value, a field code and a varint. Text is folded (no case, no accents) and
/// interned while a field's values keep repeating (tags, groups, companies, country codes),
/// so most entries are two or three bytes; dates are seconds since 1970.
///
/// Entry: `code`, then for a date the zigzag varint of its seconds; for text the varint
/// `(index << 1) | 1` of an interned value, or `length << 1` followed by the bytes.
struct FieldTable: Sendable, Equatable {
    /// Per code, the field's name (lowercased) and whether it holds dates.
    private(set) var names: [String] = []
    /// Per code, the field's name as the provider first spelled it (`lastName`), for showing.
    private(set) var shownNames: [String] = []
    private(set) var holdsDates: [Bool] = []
    private var codes: [String: UInt8] = [:]
    /// Interned values, folded (for matching), and as the provider gave them (for showing).
    private(set) var values: [[UInt8]] = []
    private(set) var originals: [String] = []
    private var valueIndex: [String: UInt32] = [:]
    private var distinctPerCode: [Int] = []

    static let maxCodes = 255
    static let internLimitPerField = 512
    static let internMaxBytes = 48
    /// A value longer than this is cut (at a character) for searching; the record keeps it whole.
    static let maxValueBytes = 1024

    func code(of name: String) -> UInt8? { codes[name] }

    /// Appends the entries for `fields` to `bytes`, no more than `limit` bytes in all. Empty
    /// text is no value.
    mutating func encode(_ fields: [ContactField], into bytes: inout [UInt8], limit: Int) {
        let start = bytes.count
        for field in fields {
            var entry: [UInt8] = []
            switch field.value {
            case .date(let seconds):
                guard let code = code(for: field.name, dates: true) else { continue }
                entry.append(code)
                Self.appendVarint(UInt64(bitPattern: (seconds << 1) ^ (seconds >> 63)), into: &entry)
            case .text(let text):
                let original = text.trimmingCharacters(in: .whitespaces)
                var folded = Array(TextFolding.fold(original).utf8)
                guard !folded.isEmpty, let code = code(for: field.name, dates: false) else { continue }
                if folded.count > Self.maxValueBytes {
                    var end = Self.maxValueBytes
                    while end > 0 && folded[end] & 0xC0 == 0x80 { end -= 1 }
                    folded.removeSubrange(end...)
                }
                entry.append(code)
                if let index = intern(original, folded: folded, code: code) {
                    Self.appendVarint(UInt64(index) << 1 | 1, into: &entry)
                } else {
                    Self.appendVarint(UInt64(folded.count) << 1, into: &entry)
                    entry += folded
                }
            }
            guard bytes.count - start + entry.count <= limit else { break }
            bytes += entry
        }
    }

    private mutating func code(for shownName: String, dates: Bool) -> UInt8? {
        let name = shownName.lowercased()
        if let known = codes[name] { return holdsDates[Int(known)] == dates ? known : nil }
        guard names.count < Self.maxCodes else { return nil }
        let code = UInt8(names.count)
        names.append(name)
        shownNames.append(shownName)
        holdsDates.append(dates)
        distinctPerCode.append(0)
        codes[name] = code
        return code
    }

    private mutating func intern(_ original: String, folded: [UInt8], code: UInt8) -> UInt32? {
        if let index = valueIndex[original] { return index }
        guard original.utf8.count <= Self.internMaxBytes, distinctPerCode[Int(code)] < Self.internLimitPerField else { return nil }
        distinctPerCode[Int(code)] += 1
        values.append(folded)
        originals.append(original)
        let index = UInt32(values.count - 1)
        valueIndex[original] = index
        return index
    }

    static func appendVarint(_ value: UInt64, into bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// One entry of a blob as read back.
    enum Entry {
        case date(Int64)
        case interned(Int)
        case inline(UnsafeBufferPointer<UInt8>)
    }

    /// Calls `body` with each entry of the blob at `base` (`count` bytes) until it returns true;
    /// returns whether one did.
    @inline(__always)
    func firstEntry(
        in base: UnsafePointer<UInt8>, count: Int, where body: (UInt8, Entry) -> Bool
    ) -> Bool {
        var position = 0
        while position < count {
            let code = base[position]
            position += 1
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while position < count {
                let byte = base[position]
                position += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { break }
                shift += 7
            }
            let entry: Entry
            if holdsDates[Int(code)] {
                entry = .date(Int64(bitPattern: (value >> 1) ^ (0 &- (value & 1))))
            } else if value & 1 == 1 {
                entry = .interned(Int(value >> 1))
            } else {
                let length = min(Int(value >> 1), count - position)
                entry = .inline(UnsafeBufferPointer(start: base + position, count: length))
                position += length
            }
            if body(code, entry) { return true }
        }
        return false
    }
}
