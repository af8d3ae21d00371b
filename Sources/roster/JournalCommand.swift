import ArgumentParser
import Foundation
import RosterCore
import RosterEngine
import RosterTeam
import RosterTUI

struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Print, follow, export or prune the journal of deletions, deactivations and restores.",
        discussion: """
            Each entry pairs the intent, written with the contact's full record before the request left, \
            with its outcome. The journal is a SQLite database (journal.db, mode 0600) under \
            $XDG_STATE_HOME/roster/; an old journal.jsonl is imported into it once. A team's journal is \
            in PostgreSQL: a profile's journal_url (--profile NAME) or ROSTER_JOURNAL_URL.
            """,
        subcommands: [JournalShowCommand.self, JournalPruneCommand.self, JournalRetentionCommand.self],
        defaultSubcommand: JournalShowCommand.self)
}

/// The options that pick a journal: the team's (a profile's `journal_url`, or
/// `ROSTER_JOURNAL_URL`), the operator's own, or the demo sandbox's.
struct JournalLocation: ParsableArguments {
    @Flag(help: "The demo sandbox's journal instead of the real one.")
    var demo = false

    @Option(help: "The journal this profile keeps: its journal_url (a team's store), else your own.")
    var profile: String?

    /// The store, opened for reading (an old journal is imported on the way); exit 1 when there
    /// is none yet or it cannot be opened.
    func open() -> any JournalStore {
        let environment = ProcessInfo.processInfo.environment
        var named: Profile?
        if let profile {
            do {
                named = try ProfileConfig.profile(named: profile, environment: environment)
            } catch {
                fail(error.description, code: 2)
            }
        }
        if !demo, let url = TeamJournal.urlText(profileURL: named?.journalURL, environment: environment) {
            do {
                let store = try TeamJournal.open(urlText: url, passwordFile: named?.journalPasswordFile, environment: environment)
                for note in store.notes { Console.note(note) }
                return store
            } catch {
                fail("\(error)", code: 1)
            }
        }
        let path = Journal.path(isDemo: demo)
        let legacy = Journal.legacyPath(isDemo: demo)
        guard FileManager.default.fileExists(atPath: path) || FileManager.default.fileExists(atPath: legacy) else {
            fail("no journal yet at \(path)", code: 1)
        }
        do {
            let store = try SQLiteJournalStore(path: path, legacyPath: legacy, identify: JournalAccess.identify)
            for note in store.notes { Console.note(note) }
            return store
        } catch {
            fail("\(error)", code: 1)
        }
    }
}

struct JournalShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print the journal (the default): one line per entry, or JSON Lines, or CSV.")

    @OptionGroup var location: JournalLocation

    @Option(help: "Only entries on or after this date (YYYY-MM-DD).")
    var since: String?

    @Option(name: .customLong("operator"), help: "Only what this operator ($USER where they ran Roster) did.")
    var operatorName: String?

    @Flag(help: "Print the journal's records as JSON Lines.")
    var json = false

    @Flag(help: "Export as CSV, one row per entry with the contact's fields, to re-create a contact by hand.")
    var csv = false

    @Flag(help: "Keep printing entries as they are written (a batch running elsewhere), until Ctrl-C.")
    var follow = false

    @Flag(help: "List the lines of an imported old journal that could not be read, with their line numbers.")
    var damaged = false

    mutating func validate() throws {
        if json && csv { throw ValidationError("--json and --csv are two formats: choose one") }
        if follow && csv { throw ValidationError("--follow prints lines as they come; --csv is a whole export") }
    }

    mutating func run() throws {
        let store = location.open()
        if damaged { return printDamaged(store) }
        var cutoff: Date?
        if let since {
            guard let date = calendarDay(since) else { fail("--since takes a date as YYYY-MM-DD", code: 2) }
            cutoff = date
        }
        let records: [JournalRecord]
        do {
            records = try store.records(on: nil).filter { record in
                (cutoff.map { record.at >= $0 } ?? true) && (operatorName.map { record.operator == $0 } ?? true)
            }
        } catch {
            fail("\(error)", code: 1)
        }
        let damagedCount = (try? store.damagedLines().count) ?? 0
        if damagedCount > 0 {
            Console.note("\(damagedCount) damaged line(s) of an old journal were kept aside: roster journal --damaged lists them")
        }
        if follow { followRecords(store) }
        if json {
            for record in records { Console.out(((try? record.jsonLine()) ?? "") + "\n") }
            return
        }
        let entries = JournalEntry.pair(records)
        csv ? printCSV(entries) : printText(entries)
    }

    private func printDamaged(_ store: any JournalStore) {
        let lines: [DamagedLine]
        do {
            lines = try store.damagedLines()
        } catch {
            fail("\(error)", code: 1)
        }
        guard !lines.isEmpty else { return Console.note("no damaged lines: every line of an imported journal was read") }
        for line in lines {
            let text = String(decoding: line.bytes, as: UTF8.self)
            Console.out(Sanitizer.clean("\(line.source) line \(line.line): \(line.reason): \(text)") + "\n")
        }
    }

    /// Prints what is there, then each record as it is written, until Ctrl-C.
    private func followRecords(_ store: any JournalStore) -> Never {
        var last: Int64 = 0
        var intents: [String: JournalRecord] = [:]
        while true {
            let fresh = (try? store.records(after: last)) ?? []
            for (sequence, record) in fresh {
                last = sequence
                if let operatorName, record.operator != operatorName { continue }
                if json {
                    Console.out(((try? record.jsonLine()) ?? "") + "\n")
                    continue
                }
                switch record.kind {
                case .intent:
                    intents[record.entry] = record
                    Console.out(line(JournalEntry(intent: record, outcome: nil), pending: "sending…") + "\n")
                case .notSent:
                    Console.out(line(JournalEntry(intent: record, outcome: record)) + "\n")
                case .outcome:
                    guard let intent = intents[record.entry] else { continue }
                    Console.out(line(JournalEntry(intent: intent, outcome: record)) + "\n")
                }
            }
            usleep(300_000)
        }
    }

    private func line(_ entry: JournalEntry, pending: String = "NO OUTCOME (interrupted before the answer was recorded)") -> String {
        let dates = ISO8601DateFormatter()
        let intent = entry.intent
        let outcome = entry.outcome.map { "\($0.result ?? "?") \($0.status.map(String.init) ?? "") \($0.message ?? "")" } ?? pending
        let who = [intent.operator, intent.host].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "@")
        let name = intent.operation == Journal.erase
            ? "(erased at the person's request)" : (intent.contact == nil && intent.kind != .outcome ? "(pruned)" : entry.displayName)
        return Sanitizer.clean(
            "\(dates.string(from: intent.at))  \(who)  \(intent.operation)  \(intent.profile)/\(intent.dialect)  \(intent.contactID)  \(name)  → \(outcome)")
    }

    private func printText(_ entries: [JournalEntry]) {
        Console.out(entries.map { line($0) + "\n" }.joined())
    }

    private func printCSV(_ entries: [JournalEntry]) {
        let fields = Array(Set(entries.flatMap { $0.intent.contact?.objectValue?.keys.map { $0 } ?? [] })).sorted()
        let header = [
            "at", "operator", "host", "profile", "dialect", "base_url", "batch", "operation", "contact_id", "result", "status", "message",
            "new_contact_id", "plan", "planner", "approver", "phone_hash", "email_hash",
        ]
            + fields.map { "contact." + $0 }
        Console.out(header.map(csvField).joined(separator: ",") + "\n")
        let dates = ISO8601DateFormatter()
        for entry in entries {
            let intent = entry.intent
            var row = [
                dates.string(from: intent.at), intent.operator, intent.host ?? "", intent.profile, intent.dialect, intent.baseURL,
                intent.batch ?? "", intent.operation, intent.contactID, entry.outcome?.result ?? "no outcome",
                entry.outcome?.status.map(String.init) ?? "", entry.outcome?.message ?? "", entry.outcome?.newContactID ?? "",
                intent.plan ?? "", intent.planner ?? "", intent.approver ?? "", intent.phoneHash ?? "", intent.emailHash ?? "",
            ]
            row += fields.map { intent.contact?[$0]?.displayText ?? "" }
            Console.out(row.map(csvField).joined(separator: ",") + "\n")
        }
    }
}

struct JournalPruneCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune",
        abstract: "Remove the personal data of records older than the retention period now (Roster also does it on start).",
        discussion: """
            Past journal_retention days (config.toml, default 90), a record keeps the contact's id, the \
            outcome, when, who and where, and keyed hashes of the phone's digits and the folded email; \
            the contact's record, name, phone, email and the messages go, and so do damaged lines of an \
            imported old journal and the filter prompt's queries (they hold phone numbers and emails).
            """)

    @OptionGroup var location: JournalLocation

    @Option(help: "Days to keep personal data (default: journal_retention in config.toml, else 90).")
    var days: Int?

    mutating func validate() throws {
        try Retention.validate(days, named: "--days")
    }

    mutating func run() throws {
        let store = location.open()
        let retention = days ?? ((try? store.retentionDays()) ?? nil) ?? JournalRetention.days()
        QueryHistoryFile.pruneAll(retentionDays: retention)
        do {
            let report = try store.prune(before: Retention.cutoff(days: retention))
            Console.note(JournalRetention.describe(report, days: retention) ?? "nothing older than \(retention) days holds personal data")
        } catch {
            fail("\(error)", code: 1)
        }
    }
}

struct JournalRetentionCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retention",
        abstract: "Print the journal's retention period, or set a team's (one period for every operator on its store).",
        discussion: """
            Your own journal keeps personal data for journal_retention days (config.toml, default 90). A \
            team's journal in PostgreSQL keeps one period for everyone, set here; until it is set, each \
            operator's journal_retention applies.
            """)

    @OptionGroup var location: JournalLocation

    @Argument(help: "Days to keep personal data (1 to 36500); leave out to print the period in effect.")
    var days: Int?

    mutating func validate() throws {
        try Retention.validate(days, named: "days")
    }

    mutating func run() throws {
        let store = location.open()
        if let days {
            do {
                try store.setRetentionDays(days)
            } catch {
                fail("\(error)", code: 2)
            }
            Console.out("\(store.location) keeps personal data \(days) days, for every operator; pruned on each Roster's next start\n")
            return
        }
        do {
            if let set = try store.retentionDays() {
                Console.out("\(store.location) keeps personal data \(set) days (set in the store, for every operator)\n")
                return
            }
        } catch {
            fail("\(error)", code: 1)
        }
        Console.out("\(store.location) keeps personal data \(JournalRetention.days()) days (journal_retention in config.toml, default 90)\n")
    }
}

/// The journal's retention period, and the pruning every command does on start.
enum JournalRetention {
    /// `journal_retention` from config.toml, else the default; a bad value ends the command.
    static func days() -> Int {
        do {
            return try ProfileConfig.journalRetention(environment: ProcessInfo.processInfo.environment) ?? Retention.defaultDays
        } catch {
            fail(error.description, code: 2)
        }
    }

    /// Prunes by the period in effect: the store's own (a team's), else `journal_retention`;
    /// what it removed, in words (nil: nothing). Throws a `ConfigError` for a bad
    /// `journal_retention`, a `JournalError` for a store that refuses.
    static func prune(_ store: any JournalStore) throws -> String? {
        let configured = try ProfileConfig.journalRetention(environment: ProcessInfo.processInfo.environment) ?? Retention.defaultDays
        let days = (try? store.retentionDays()) ?? configured
        // The filter prompt's history holds phone numbers and emails too: pruned alike.
        QueryHistoryFile.pruneAll(retentionDays: days)
        return describe(try store.prune(before: Retention.cutoff(days: days)), days: days)
    }

    /// Prunes quietly on a headless command's start; says only what it removed. A bad setting
    /// ends the command (exit 2), as any config mistake does.
    static func pruneOnStart(_ journal: Journal) {
        do {
            if let said = try prune(journal.store) { Console.note(said) }
        } catch let error as ConfigError {
            fail(error.description, code: 2)
        } catch {
            // A store that will not prune now is pruned on a later start.
        }
    }

    static func describe(_ report: PruneReport, days: Int) -> String? {
        guard !report.isEmpty else { return nil }
        var parts: [String] = []
        if report.records > 0 { parts.append("\(report.records) record\(report.records == 1 ? "" : "s") older than \(days) days kept only id, outcome and hashes") }
        if report.damagedLines > 0 { parts.append("\(report.damagedLines) damaged line\(report.damagedLines == 1 ? "" : "s") removed") }
        for file in report.oldFiles { parts.append("the old journal \(file) removed") }
        return "journal retention: " + parts.joined(separator: "; ")
    }
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

extension Retention {
    /// Refuses a period of days outside what a journal allows, naming the option or argument.
    static func validate(_ days: Int?, named name: String) throws {
        if let days, !allowedDays.contains(days) {
            throw ValidationError("\(name) must be from \(allowedDays.lowerBound) to \(allowedDays.upperBound)")
        }
    }
}
