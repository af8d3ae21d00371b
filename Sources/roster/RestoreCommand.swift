import ArgumentParser
import Foundation
import RosterCore
import RosterTUI

struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Re-create contacts Roster deleted, from the records the journal kept.",
        discussion: """
            Without a choice of contacts, lists what can be restored on the account. A restored \
            contact gets a new id; its message history does not come back. Before creating one, \
            Roster looks for a contact with the same phone or email (someone may have re-added \
            it) and then creates nothing. Exit status 0 only if every contact was restored or was \
            already there.
            """)

    @OptionGroup var account: AccountOptions

    @Argument(help: "Ids of deleted contacts (as they were before deleting).")
    var ids: [String] = []

    @Option(help: "Every contact deleted on or after this date (YYYY-MM-DD).")
    var since: String?

    @Option(help: "Every contact one batch deleted: its name from roster journal --csv, or last.")
    var batch: String?

    @Option(name: .customLong("ids-from"), help: "A file with one id per line (- for standard input).")
    var idsFrom: String?

    @Flag(help: "Restore without asking.")
    var yes = false

    @Flag(help: "One JSON object per contact.")
    var json = false

    @Flag(name: .customLong("dry-run"), help: "Say what would be sent and what cannot come back; create nothing.")
    var dryRun = false

    @Flag(help: "Print the API's rate-limit headroom at the end, on standard error.")
    var verbose = false

    private var choosesContacts: Bool { !ids.isEmpty || since != nil || batch != nil || idsFrom != nil }

    mutating func run() async throws {
        let resolved = resolveOrFail(account)
        let (provider, pacer) = resolved.makeProvider(priority: .batch)
        let journal: Journal
        do {
            journal = try Journal(account: resolved.info)
        } catch {
            fail("the journal cannot be opened: \(error)", code: 1)
        }
        if let summary = await Reconciler.run(journal: journal, provider: provider) { Console.note(summary) }
        let ledger = RestoreLedger(
            records: journal.allRecords(), dialect: resolved.info.dialect.rawValue, baseURL: resolved.info.baseURL)
        guard choosesContacts else { return list(ledger) }
        let chosen = choose(from: ledger)
        guard !chosen.isEmpty else {
            Console.note("nothing to restore: \(ledger.restored.isEmpty ? "no deletion matches" : "those chosen are restored already, or none matches")")
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
        // What is on the account now, to find contacts someone has re-added.
        let (read, failure) = await ContactIndex.read(provider)
        guard var index = read else {
            let reason = failure.map { explain($0, account: resolved) } ?? "unknown"
            await finish(pacer, verbose: verbose, failure: "cannot read the contact list, so nothing was restored: \(reason)")
            return
        }
        let run = Journal.newSessionName() + "-1"
        var good = 0
        for deletion in chosen {
            let outcome = await Restorer.restore(
                deletion, provider: provider, journal: journal, run: run, index: &index, dryRun: dryRun)
            if outcome.kind == .restored || outcome.kind == .present || outcome.kind == .wouldRestore { good += 1 }
            report(outcome)
        }
        Console.note("\(good) of \(chosen.count) \(dryRun ? "would be restored or are already there (dry run)" : "restored or already there")")
        await finish(pacer, verbose: verbose)
        if good != chosen.count { throw ExitCode(1) }
    }

    /// The deletions the arguments name, in the order deleted.
    private func choose(from ledger: RestoreLedger) -> [RestoreLedger.Deletion] {
        let wanted = Set(ids + (idsFrom.map(readIDs) ?? []))
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
        for id in wanted.subtracting(ledger.restorable.map(\.contactID)).sorted() {
            Console.note("\(Sanitizer.clean(id)): nothing to restore (not deleted by Roster on this account, or restored already)")
        }
        return ledger.restorable.filter { deletion in
            (wanted.isEmpty || wanted.contains(deletion.contactID)) && (cutoff.map { deletion.at >= $0 } ?? true)
                && (batchName.map { deletion.batch == $0 } ?? true)
        }
    }

    private func list(_ ledger: RestoreLedger) {
        if json {
            for deletion in ledger.restorable {
                var fields: [String: JSONValue] = [
                    "id": .string(deletion.contactID), "name": .string(deletion.name), "deletedAt": .string(ISO8601DateFormatter().string(from: deletion.at)),
                    "operator": .string(deletion.operator), "profile": .string(deletion.profile),
                ]
                fields["batch"] = deletion.batch.map(JSONValue.string) ?? .null
                Console.out(JSONValue.object(fields).jsonText + "\n")
            }
            return
        }
        let time = DateFormatter()
        time.dateFormat = "yyyy-MM-dd HH:mm"
        var text = ""
        for deletion in ledger.restorable {
            text += Sanitizer.clean(
                "\(time.string(from: deletion.at))  \(deletion.batch ?? "-")  \(deletion.operator)  \(deletion.profile)  \(deletion.contactID)  \(deletion.name)") + "\n"
        }
        Console.out(text)
        let count = ledger.restorable.count
        Console.note("\(count) deleted contact\(count == 1 ? "" : "s") can be restored (roster restore ID..., --batch last, --since DATE)"
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

/// What happened to one contact in a restore.
struct RestoreOutcome {
    enum Kind: String {
        case restored
        case present
        case failed
        case wouldRestore = "would-restore"
    }

    var id: String
    var kind: Kind
    var status: Int?
    var message: String
    var newID: String?
    /// `present`: what it was found by (phone or email).
    var foundBy: String?

    /// The outcome as the UI's history view shows it.
    var result: RestoreResult {
        switch kind {
        case .restored: return .restored(newID: newID ?? "")
        case .present: return .present(id: newID ?? "", by: foundBy ?? "phone or email")
        case .failed: return .failed(status.map { "\($0): \(message)" } ?? message)
        case .wouldRestore: return .wouldRestore(message)
        }
    }
}
