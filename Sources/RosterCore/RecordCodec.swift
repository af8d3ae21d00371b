/// Keeps full records small: a record is written as tagged binary with every object key
/// interned, and short string values interned too while a key's values keep repeating
/// (company, group, status), so a million records cost a fraction of their JSON text.
struct RecordCodec: Sendable, Equatable {
    private var keys: [String] = []
    private var keyIndex: [String: UInt16] = [:]
    private var values: [String] = []
    private var valueIndex: [String: UInt32] = [:]
    /// Distinct values interned per key; past the limit a key's new values are written inline.
    private var distinctPerKey: [UInt16: Int] = [:]

    static let internLimitPerKey = 512
    static let internMaxBytes = 48

    private enum Tag: UInt8 {
        case null, `true`, `false`, number, inlineString, internedString, array, object, integer
    }

    mutating func encode(_ value: JSONValue, into bytes: inout [UInt8]) {
        encode(value, key: nil, into: &bytes)
    }

    private mutating func encode(_ value: JSONValue, key: UInt16?, into bytes: inout [UInt8]) {
        switch value {
        case .null: bytes.append(Tag.null.rawValue)
        case .bool(let flag): bytes.append(flag ? Tag.true.rawValue : Tag.false.rawValue)
        case .number(let number):
            // Whole numbers (ids, counts) as a zigzag varint; anything else bit for bit.
            if number == number.rounded(), abs(number) < 1e15, number.sign == .plus || number != 0 {
                let integer = Int64(number)
                bytes.append(Tag.integer.rawValue)
                Self.appendVarint(UInt64(bitPattern: (integer << 1) ^ (integer >> 63)), into: &bytes)
            } else {
                bytes.append(Tag.number.rawValue)
                Self.append(number.bitPattern, into: &bytes)
            }
        case .string(let text):
            if let index = intern(text, key: key) {
                bytes.append(Tag.internedString.rawValue)
                Self.appendVarint(UInt64(index), into: &bytes)
            } else {
                bytes.append(Tag.inlineString.rawValue)
                let utf8 = Array(text.utf8)
                Self.appendVarint(UInt64(utf8.count), into: &bytes)
                bytes.append(contentsOf: utf8)
            }
        case .array(let items):
            bytes.append(Tag.array.rawValue)
            Self.appendVarint(UInt64(items.count), into: &bytes)
            for item in items { encode(item, key: key, into: &bytes) }
        case .object(let members):
            bytes.append(Tag.object.rawValue)
            Self.appendVarint(UInt64(members.count), into: &bytes)
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                let index = keyNumber(name)
                Self.appendVarint(UInt64(index), into: &bytes)
                encode(member, key: index, into: &bytes)
            }
        }
    }

    func decode(_ bytes: ArraySlice<UInt8>) -> JSONValue {
        var position = bytes.startIndex
        return decodeValue(bytes, &position)
    }

    private func decodeValue(_ bytes: ArraySlice<UInt8>, _ position: inout Int) -> JSONValue {
        guard position < bytes.endIndex, let tag = Tag(rawValue: bytes[position]) else { return .null }
        position += 1
        switch tag {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .number: return .number(Double(bitPattern: Self.read(bytes, &position)))
        case .integer:
            let zigzag = Self.readVarint(bytes, &position)
            return .number(Double(Int64(bitPattern: (zigzag >> 1) ^ (0 &- (zigzag & 1)))))
        case .inlineString:
            let count = Int(Self.readVarint(bytes, &position))
            let text = String(decoding: bytes[position..<(position + count)], as: UTF8.self)
            position += count
            return .string(text)
        case .internedString:
            return .string(values[Int(Self.readVarint(bytes, &position))])
        case .array:
            let count = Int(Self.readVarint(bytes, &position))
            return .array((0..<count).map { _ in decodeValue(bytes, &position) })
        case .object:
            let count = Int(Self.readVarint(bytes, &position))
            var members: [String: JSONValue] = [:]
            members.reserveCapacity(count)
            for _ in 0..<count {
                let key = keys[Int(Self.readVarint(bytes, &position))]
                members[key] = decodeValue(bytes, &position)
            }
            return .object(members)
        }
    }

    private mutating func keyNumber(_ name: String) -> UInt16 {
        if let index = keyIndex[name] { return index }
        // Past 65,535 distinct keys (no real record has them) the last slot is shared: the
        // keys still read back, merged under one name, rather than failing.
        guard keys.count < Int(UInt16.max) else { return UInt16.max - 1 }
        keys.append(name)
        let index = UInt16(keys.count - 1)
        keyIndex[name] = index
        return index
    }

    private mutating func intern(_ text: String, key: UInt16?) -> UInt32? {
        if let index = valueIndex[text] { return index }
        guard let key, text.utf8.count <= Self.internMaxBytes, distinctPerKey[key, default: 0] < Self.internLimitPerKey,
              values.count < Int(UInt32.max) else { return nil }
        distinctPerKey[key, default: 0] += 1
        values.append(text)
        let index = UInt32(values.count - 1)
        valueIndex[text] = index
        return index
    }

    private static func append<T: FixedWidthInteger>(_ value: T, into bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func appendVarint(_ value: UInt64, into bytes: inout [UInt8]) {
        var rest = value
        while rest >= 0x80 {
            bytes.append(UInt8(rest & 0x7F) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    private static func readVarint(_ bytes: ArraySlice<UInt8>, _ position: inout Int) -> UInt64 {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < bytes.endIndex {
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return value
    }

    private static func read<T: FixedWidthInteger>(_ bytes: ArraySlice<UInt8>, _ position: inout Int) -> T {
        var value: T = 0
        for offset in 0..<MemoryLayout<T>.size { value |= T(bytes[position + offset]) << (8 * offset) }
        position += MemoryLayout<T>.size
        return T(littleEndian: value)
    }
}
