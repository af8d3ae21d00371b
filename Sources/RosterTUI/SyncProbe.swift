/// Whether the terminal draws a frame at once when asked to (DEC private mode 2026,
/// synchronized output), from its answers to two questions sent together: DECRQM about mode
/// 2026 (`ESC [ ? 2026 $ p`), then DA1 (`ESC [ c`), which every terminal answers. A terminal
/// that knows the mode answers the first (`ESC [ ? 2026 ; 1 $ y`, or `; 2`) before the second;
/// one that does not answers only the second, so the wait ends there either way.
public enum SyncProbe {
    public static let query = "\u{1B}[?2026$p\u{1B}[c"

    public enum Answer: Equatable, Sendable {
        /// Not all answered yet.
        case waiting
        /// Both answered: whether the mode is known (set or reset), and what else arrived (keys
        /// typed meanwhile), to be read as input.
        case decided(supported: Bool, rest: [UInt8])
    }

    public static func read(_ bytes: [UInt8]) -> Answer {
        var supported = false
        var rest: [UInt8] = []
        var index = 0
        while index < bytes.count {
            guard bytes[index] == 0x1B, index + 1 < bytes.count, bytes[index + 1] == 0x5B else {
                rest.append(bytes[index])
                index += 1
                continue
            }
            // A CSI sequence: up to its final byte.
            var end = index + 2
            while end < bytes.count, !(0x40...0x7E).contains(bytes[end]) { end += 1 }
            guard end < bytes.count else { return .waiting }
            let body = String(decoding: bytes[(index + 2)...end], as: UTF8.self)
            if body.hasPrefix("?2026;"), body.hasSuffix("$y") {
                let value = body.dropFirst(6).dropLast(2)
                supported = value == "1" || value == "2"
            } else if body.hasPrefix("?"), body.hasSuffix("c") {
                return .decided(supported: supported, rest: rest + bytes[(end + 1)...])
            } else {
                rest += bytes[index...end]
            }
            index = end + 1
        }
        return .waiting
    }
}
