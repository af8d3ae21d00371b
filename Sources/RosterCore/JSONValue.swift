import Foundation

/// A JSON document as the server sent it, kept so that a contact's full record can be shown
/// and journalled without Roster knowing every field a dialect may add.
public enum JSONValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 {
                try container.encode(Int64(value))
            } else {
                try container.encode(value)
            }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    public static func decode(_ data: Data) -> JSONValue? {
        try? JSONDecoder().decode(JSONValue.self, from: data)
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let fields) = self { return fields[key] }
        return nil
    }

    public var objectValue: [String: JSONValue]? {
        if case .object(let fields) = self { return fields }
        return nil
    }

    public var arrayValue: [JSONValue]? {
        if case .array(let items) = self { return items }
        return nil
    }

    public var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    public var intValue: Int? {
        switch self {
        case .number(let value) where value.rounded() == value && abs(value) < 1e15: return Int(value)
        case .string(let text): return Int(text)
        default: return nil
        }
    }

    public var boolValue: Bool? {
        switch self {
        case .bool(let value): return value
        case .number(let value): return value != 0
        case .string(let text): return ["true", "1", "yes"].contains(text.lowercased())
        default: return nil
        }
    }

    /// A one-line rendering for display: strings bare, everything else as compact JSON.
    public var displayText: String {
        switch self {
        case .null: return ""
        case .bool(let value): return value ? "true" : "false"
        case .string(let text): return text
        case .number: return jsonText
        case .array, .object: return jsonText
        }
    }

    /// As a person reads it in the detail pane: strings bare; a list of named things
    /// (SendMe123's tags, objects with `id`, `name`, `color`…) as their names, comma-separated;
    /// an object of plain values (`customValues`) as `key: value` pairs; anything deeper as
    /// compact JSON.
    public var readableText: String {
        switch self {
        case .array(let items):
            return items.map { item in
                if let name = item["name"]?.stringValue ?? item["title"]?.stringValue ?? item["label"]?.stringValue { return name }
                return item.isPlain ? item.displayText : item.jsonText
            }.joined(separator: ", ")
        case .object(let fields):
            guard fields.values.allSatisfy(\.isPlain) else { return jsonText }
            return fields.keys.sorted().map { "\($0): \(fields[$0]?.displayText ?? "")" }.joined(separator: "; ")
        default:
            return displayText
        }
    }

    /// A string, number, boolean or null.
    private var isPlain: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    public var jsonText: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }
}
