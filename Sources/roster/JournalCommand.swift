import ArgumentParser
import Foundation
import RosterCore
import RosterTUI

struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Print or export the journal of deletions and deactivations.",
        discussion: "Each entry pairs the intent, written with the contact's full record before the request left, with its outcome.")

    @Option(help: "Only entries on or after this date (YYYY-MM-DD).")
    var since: String?

    @Flag(help: "Print the journal's records as JSON Lines.")
    var json = false

    @Flag(help: "Export as CSV, one row per entry with the contact's fields, to re-create a contact by hand.")
    var csv = false

    @Flag(help: "The demo sandbox's journal instead of the real one.")
    var demo = false

    mutating func validate() throws {
        if json && csv { throw ValidationError("--json and --csv are two formats: choose one") }
    }

    mutating func run() throws {
        let path = Journal.path(isDemo: demo)
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            fail("no journal yet at \(path)", code: 1)
        }
        var cutoff: Date?
        if let since {
            guard let date = calendarDay(since) else { fail("--since takes a date as YYYY-MM-DD", code: 2) }
            cutoff = date
        }
        var records: [JournalRecord] = []
        var unreadable = 0
        for line in text.split(separator: "\n") where !line.isEmpty {
            guard let record = JournalRecord.decode(line: String(line)) else { unreadable += 1; continue }
            if let cutoff, record.at < cutoff { continue }
            records.append(record)
        }
        if unreadable > 0 {
            Console.note("\(unreadable) unreadable line(s) in \(path) skipped")
        }
        if json {
            for record in records { Console.out(((try? record.jsonLine()) ?? "") + "\n") }
            return
        }
        let entries = JournalEntry.pair(records)
        csv ? printCSV(entries) : printText(entries)
    }

    private func printText(_ entries: [JournalEntry]) {
        let dates = ISO8601DateFormatter()
        for entry in entries {
            let intent = entry.intent
            let outcome = entry.outcome.map { "\($0.result ?? "?") \($0.status.map(String.init) ?? "") \($0.message ?? "")" }
                ?? "NO OUTCOME (interrupted before the answer was recorded)"
            let name = entry.displayName
            Console.out(Sanitizer.clean("\(dates.string(from: intent.at))  \(intent.operation)  \(intent.profile)/\(intent.dialect)  \(intent.contactID)  \(name)  → \(outcome)") + "\n")
        }
    }

    private func printCSV(_ entries: [JournalEntry]) {
        let fields = Array(Set(entries.flatMap { $0.intent.contact?.objectValue?.keys.map { $0 } ?? [] })).sorted()
        let header = [
            "at", "operator", "profile", "dialect", "base_url", "batch", "operation", "contact_id", "result", "status", "message",
            "new_contact_id", "plan", "planner", "approver",
        ]
            + fields.map { "contact." + $0 }
        Console.out(header.map(csvField).joined(separator: ",") + "\n")
        let dates = ISO8601DateFormatter()
        for entry in entries {
            let intent = entry.intent
            var row = [
                dates.string(from: intent.at), intent.operator, intent.profile, intent.dialect, intent.baseURL,
                intent.batch ?? "", intent.operation, intent.contactID, entry.outcome?.result ?? "no outcome",
                entry.outcome?.status.map(String.init) ?? "", entry.outcome?.message ?? "", entry.outcome?.newContactID ?? "",
                intent.plan ?? "", intent.planner ?? "", intent.approver ?? "",
            ]
            row += fields.map { intent.contact?[$0]?.displayText ?? "" }
            Console.out(row.map(csvField).joined(separator: ",") + "\n")
        }
    }
}

/// A CSV field, quoted where it must be.
func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}

/// An intent and, when it came back, its outcome.
struct JournalEntry {
    var intent: JournalRecord
    var outcome: JournalRecord?

    var displayName: String { intent.contact?.contactName ?? "" }

    static func pair(_ records: [JournalRecord]) -> [JournalEntry] {
        var outcomes: [String: JournalRecord] = [:]
        for record in records where record.kind == .outcome { outcomes[record.entry] = record }
        return records.compactMap { record in
            switch record.kind {
            case .intent: return JournalEntry(intent: record, outcome: outcomes[record.entry])
            case .notSent: return JournalEntry(intent: record, outcome: record)
            case .outcome: return nil
            }
        }
    }
}

/// A `--since` date, `YYYY-MM-DD`, as midnight UTC.
func calendarDay(_ text: String) -> Date? {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "yyyy-MM-dd"
    return formatter.date(from: text)
}
