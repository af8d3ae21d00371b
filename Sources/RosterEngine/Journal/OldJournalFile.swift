import Foundation
import RosterCore

/// Reads a journal of Roster's first format (JSON Lines, `journal.jsonl`) for its import into
/// the database, byte by byte and line by line, so one damaged line never hides the rest:
/// - a line cut short by a full disk, with the next record written onto it, gives back that
///   next record and keeps the fragment aside;
/// - a line that is not valid UTF-8 (a record cut inside a character) is kept aside alone.
public enum OldJournalFile {
    public struct Contents: Sendable, Equatable {
        public var records: [JournalRecord] = []
        public var damaged: [DamagedLine] = []
    }

    public static func read(_ bytes: [UInt8], source: String) -> Contents {
        var contents = Contents()
        var number = 0
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            number += 1
            let trimmed = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") }
            guard !trimmed.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }) else {
                continue
            }
            if let record = decode(trimmed) {
                contents.records.append(record)
                continue
            }
            // A record written onto the fragment of one cut short: it starts at a `{"` after
            // the fragment, and reads whole from there.
            if let (start, record) = gluedRecord(in: trimmed) {
                contents.damaged.append(DamagedLine(
                    source: source, line: number, reason: reason(Array(trimmed[trimmed.startIndex..<start]), cutShort: true),
                    bytes: Array(trimmed[trimmed.startIndex..<start])))
                contents.records.append(record)
                continue
            }
            contents.damaged.append(DamagedLine(source: source, line: number, reason: reason(Array(trimmed), cutShort: false), bytes: Array(trimmed)))
        }
        return contents
    }

    private static func decode(_ bytes: ArraySlice<UInt8>) -> JournalRecord? {
        guard bytes.first == UInt8(ascii: "{") else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(JournalRecord.self, from: Data(bytes))
    }

    private static func gluedRecord(in line: ArraySlice<UInt8>) -> (ArraySlice<UInt8>.Index, JournalRecord)? {
        var index = line.index(after: line.startIndex)
        while index < line.endIndex - 1 {
            if line[index] == UInt8(ascii: "{"), line[index + 1] == UInt8(ascii: "\""), let record = decode(line[index...]) {
                return (index, record)
            }
            index += 1
        }
        return nil
    }

    private static func reason(_ bytes: [UInt8], cutShort: Bool) -> String {
        let text = String(validating: bytes, as: UTF8.self)
        if text == nil {
            return cutShort
                ? "a record cut short inside a character (not valid UTF-8), with the next record written onto it"
                : "not valid UTF-8 (a record cut inside a character, or a damaged byte)"
        }
        return cutShort ? "a record cut short (a full disk?), with the next record written onto it" : "not a journal record (cut short or damaged)"
    }
}
