import ArgumentParser
import Foundation
import RosterCore
import RosterEngine
import RosterTUI

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Re-create contacts Roster deleted, from the records the journal kept.",
        discussion: """
            Without a choice of contacts, lists what can be restored on the account. A restored \
            contact gets a new id; its message history does not come back. Before creating one, \
            Roster reads the whole account: the same person (name, phone and email) created since \
            the deletion is taken to be it, back, and nothing is created; a duplicate that was \
            there all along does not stop it. A deletion whose answer never came is checked first: \
            a contact absent from a whole read of the account was deleted and can be restored. \
            Exit status 0 only if every contact asked for was re-created or is back.
            """)

    @OptionGroup var account: AccountOptions

    @Argument(help: "Ids of deleted contacts (as they were before deleting).")
    var ids: [String] = []

    @Option(help: "Every contact deleted on or after this date (YYYY-MM-DD).")
    var since: String?

    @Option(help: "Every contact one batch deleted: its name from roster journal --csv, or last.")
    var batch: String?

    @OptionGroup var idsFile: IDsFile

    @Flag(help: "Restore without asking.")
    var yes = false

    @Flag(help: "One JSON object per contact.")
    var json = false

    @Flag(name: .customLong("dry-run"), help: "Say what would be sent and what cannot come back; create nothing.")
    var dryRun = false

    @OptionGroup var headroom: HeadroomReport

    private var choosesContacts: Bool { !ids.isEmpty || since != nil || batch != nil || idsFile.idsFrom != nil }

    mutating func run() async throws {
        let resolved = resolveOrFail(account)
        // Before any request: a journal that cannot be written is one refusal.
        let journal = JournalAccess.openOrExit(resolved, forWriting: !dryRun || choosesContacts)
        let (provider, pacer) = resolved.makeProvider(priority: .batch)
        await JournalAccess.shareQuota(of: journal, with: pacer)
        // One read of the account serves the reconciling and the restores.
        let account = AccountReading(provider: provider)
        if let report = await Reconciler.run(journal: journal, provider: provider, account: account) { Console.note(report.sentence) }
        let ledger: RestoreLedger
        do {
            ledger = RestoreLedger(
                records: try journal.records(), dialect: resolved.info.dialect.rawValue, baseURL: resolved.info.baseURL,
                describe: { provider.contact(fromRecord: $0) })
        } catch {
            fail("\(error)", code: 1)
        }
        guard choosesContacts else { return list(ledger, account: resolved.info) }
        await account.setRestored(ledger.restored.values)
        let (chosen, unsettled) = choose(from: ledger)
        guard !chosen.isEmpty else {
            if unsettled == 0 {
                Console.note("nothing to restore: \(ledger.restored.isEmpty ? "no deletion matches" : "those chosen are restored already, or none matches")")
            }
            if unsettled > 0 { throw ExitCode(1) }
            return
        }
        if !dryRun && !yes {
            askOnTerminal(
                """
                About to re-create \(chosen.count) contact\(chosen.count == 1 ? "" : "s") on \(resolved.info.dialect.displayName) \
                at \(resolved.info.baseURL) (profile \(resolved.info.profile)).
                They get new ids; their message history does not come back. Type yes to continue: 
                """,
                what: "restore", nothingDone: "nothing restored")
        }
        let restorer = Restorer(policy: DeletionPolicy(provider: provider, journal: journal), account: account, run: Journal.newSessionName() + "-1")
        var counts: [RestoreOutcome.Kind: Int] = [:]
        for deletion in chosen {
            let outcome = await restorer.restore(deletion, dryRun: dryRun)
            counts[outcome.kind, default: 0] += 1
            report(outcome)
            if let problem = outcome.journalProblem {
                Console.note("\(Sanitizer.clean(outcome.id)): the journal could not record its outcome (\(problem))")
            }
        }
        let good = (counts[.restored] ?? 0) + (counts[.present] ?? 0) + (counts[.wouldRestore] ?? 0)
        var parts: [String] = []
        if let restored = counts[.restored] { parts.append("\(restored) restored") }
        if let present = counts[.present] { parts.append("\(present) already back (nothing created)") }
        if let would = counts[.wouldRestore] { parts.append("\(would) would be restored (dry run)") }
        if let failed = counts[.failed] { parts.append("\(failed) not restored") }
        Console.note("\(parts.joined(separator: ", ")) — \(good) of \(chosen.count) asked for")
        let journalFailed = JournalAccess.reportFailures(journal)
        await headroom.finish(pacer)
        if good != chosen.count || journalFailed || unsettled > 0 { throw ExitCode(1) }
    }

    /// The deletions the arguments name, in the order deleted, and how many more they name
    /// whose deletion is still of unknown fate. An id asked for that cannot be restored is
    /// said, with why.
    private func choose(from ledger: RestoreLedger) -> (chosen: [RestoreLedger.Deletion], unsettled: Int) {
        let wanted = Set(idsFile.ids(after: ids))
        var cutoff: Date?
        if let since {
            guard let date = calendarDay(since) else { fail("--since takes a date as YYYY-MM-DD", code: 2) }
            cutoff = date
        }
        var batchName = batch
        if batch == "last" {
            guard let last = ledger.lastBatch else { fail("the journal names no batch on this account yet", code: 1) }
            batchName = last
        }
        func chosen(_ deletion: RestoreLedger.Deletion) -> Bool {
            (wanted.isEmpty || wanted.contains(deletion.contactID)) && (cutoff.map { deletion.at >= $0 } ?? true)
                && (batchName.map { deletion.batch == $0 } ?? true)
        }
        if wanted.isEmpty, cutoff != nil || batchName != nil {
            // A range of deletions: those an erasure removed are said, not silently left out.
            for (id, erased) in ledger.erased.sorted(by: { $0.key < $1.key }) where cutoff.map({ erased.at >= $0 }) ?? true {
                Console.note("\(Sanitizer.clean(id)): not restored (\(Self.erasedReason(erased)))")
            }
        }
        let restorable = Set(ledger.restorable.map(\.contactID))
        let unsettled = ledger.unknownFate.filter { chosen($0) && !restorable.contains($0.contactID) }
        for deletion in unsettled {
            Console.note(
                "\(Sanitizer.clean(deletion.contactID)): whether it was deleted is unknown: the account could not be checked (roster journal says how its DELETE ended); nothing created")
        }
        let unknown = Set(ledger.unknownFate.map(\.contactID))
        for id in wanted.subtracting(restorable).subtracting(unknown).sorted() {
            let why: String
            if let erased = ledger.erased[id] {
                why = Self.erasedReason(erased)
            } else if let newID = ledger.restoredContacts[id] {
                why = "restored already, as \(newID)"
            } else if ledger.notDeleted.contains(id) {
                why = "it is still on the account: its deletion did not happen"
            } else {
                why = "Roster's journal has no deletion of it on this account"
            }
            Console.note("\(Sanitizer.clean(id)): nothing to restore (\(why))")
        }
        return (ledger.restorable.filter(chosen), unsettled.count)
    }

    static func erasedReason(_ erased: (at: Date, by: String)) -> String {
        let day = ISO8601DateFormatter().string(from: erased.at).prefix(10)
        return "erased at the person's request on \(day) by \(erased.by): Roster keeps nothing to restore it from"
    }

    private func list(_ ledger: RestoreLedger, account: AccountInfo) {
        if json {
            for deletion in ledger.restorable {
                var fields: [String: JSONValue] = [
                    "id": .string(deletion.contactID), "name": .string(deletion.name), "deletedAt": .string(ISO8601DateFormatter().string(from: deletion.at)),
                    "operator": .string(deletion.operator), "profile": .string(deletion.profile),
                    "phone": .string(deletion.phone), "email": .string(deletion.email),
                ]
                fields["batch"] = deletion.batch.map(JSONValue.string) ?? .null
                Console.out(JSONValue.object(fields).jsonText + "\n")
            }
            return
        }
        let time = DateFormatter()
        time.dateFormat = "yyyy-MM-dd HH:mm"
        var rows = [["DELETED", "BATCH", "OPERATOR", "PROFILE", "ID", "NAME", "PHONE", "EMAIL"]]
        for deletion in ledger.restorable {
            rows.append([
                time.string(from: deletion.at), deletion.batch ?? "-", deletion.operator, deletion.profile, deletion.contactID,
                deletion.name, deletion.phone, deletion.email,
            ].map { Sanitizer.clean($0) })
        }
        if rows.count > 1 { Console.out(alignedColumns(rows)) }
        let count = ledger.restorable.count
        let unknown = ledger.unknownFate.count
        Console.note("\(count) deleted contact\(count == 1 ? "" : "s") can be restored (roster restore \(AccountOptions.naming(account)) ID..., or --batch last, or --since DATE)"
            + (unknown == 0 ? "" : "; \(unknown) deletion\(unknown == 1 ? "" : "s") of unknown fate could not be checked against the account (they are checked again on the next run)")
            + (ledger.inDoubt.isEmpty ? "" : "; \(ledger.inDoubt.count) restore(s) in doubt are checked on the next run"))
    }

    private func report(_ outcome: RestoreOutcome) {
        if json {
            var fields: [String: JSONValue] = [
                "id": .string(outcome.id), "outcome": .string(outcome.kind.rawValue), "message": .string(outcome.message),
            ]
            fields["status"] = outcome.status.map { .number(Double($0)) } ?? .null
            fields["newID"] = outcome.newID.map(JSONValue.string) ?? .null
            Console.out(JSONValue.object(fields).jsonText + "\n")
            return
        }
        let word = outcome.kind.rawValue.padding(toLength: max(10, outcome.kind.rawValue.count + 2), withPad: " ", startingAt: 0)
        let status = outcome.status.map { "\($0) " } ?? ""
        Console.out("\(word)\(Sanitizer.clean(outcome.id))  \(status)\(Sanitizer.clean(outcome.message))\n")
    }
}


/// Rows as columns two spaces apart, each as wide as its widest cell (the last left ragged).
func alignedColumns(_ rows: [[String]]) -> String {
    let widths = (0..<(rows.first?.count ?? 0)).map { column in rows.map { TextWidth.of($0[column]) }.max() ?? 0 }
    return rows.map { row in
        row.enumerated().map { column, cell in
            column == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[column] - TextWidth.of(cell))
        }.joined(separator: "  ")
    }.joined(separator: "\n") + "\n"
}
