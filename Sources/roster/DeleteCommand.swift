import ArgumentParser
import Glibc
import Foundation
import RosterCore
import RosterEngine
import RosterTUI

struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete contacts one by one and print one result per contact.",
        discussion: """
            Each contact is looked up first where the dialect allows (404: already gone, nothing \
            sent), then deleted. Exit status 0 only if every contact ended deleted or already gone. \
            Without --yes, asks on the terminal; with no terminal it refuses.
            """)

    @OptionGroup var account: AccountOptions

    @Argument(help: "Contact ids to delete.")
    var ids: [String] = []

    @OptionGroup var idsFile: IDsFile

    @OptionGroup var selection: QueryOptions

    @Flag(help: "Delete without asking.")
    var yes = false

    @OptionGroup var output: BatchOutput

    @Flag(name: .customLong("dry-run"), help: "Do everything but the DELETE: look contacts up and report what would happen.")
    var dryRun = false

    /// Contacts the confirmation names before "… and N more".
    static let namedInConfirmation = 10

    mutating func validate() throws {
        if selection.isGiven, !ids.isEmpty || idsFile.idsFrom != nil {
            throw ValidationError("--where and --filter pick the contacts themselves: leave out ids and --ids-from")
        }
    }

    /// The contacts the query matches, read from every page, in the server's order. When none
    /// does because of a status no contact has (a typo), it says so on standard error.
    static func matching(_ query: Query, provider: any ContactProvider) async -> Result<[Contact], ProviderError> {
        let matcher = QueryMatcher(query: query)
        var found: [Contact] = []
        var statuses = StatusesSeen()
        let failure = await PageWalker(provider: provider, onLeftOut: Console.note).walk { contacts in
            found += matcher.matching(contacts)
            statuses.note(contacts)
            return true
        }.unlessWhole
        if let failure { return .failure(failure) }
        if found.isEmpty { statuses.sayUnknown(in: query) }
        return .success(found)
    }

    /// The targets' records from the list pages, reading until all are found or the list ends;
    /// a page the server refuses is the error, not a list of missing ids.
    static func snapshots(of targets: Set<ContactID>, provider: any ContactProvider) async -> Result<[ContactID: Contact], ProviderError> {
        var found: [ContactID: Contact] = [:]
        let failure = await PageWalker(provider: provider, onLeftOut: Console.note).walk { contacts in
            for contact in contacts where targets.contains(contact.id) { found[contact.id] = contact }
            return found.count < targets.count
        }.failure
        if let failure { return .failure(failure) }
        return .success(found)
    }

    mutating func run() async throws {
        let resolved = resolveOrFail(account)
        let query = selection.resolve(dialect: resolved.info.dialect)
        var targets = collectIDs()
        guard !targets.isEmpty || query != nil else { fail("no contact ids given (arguments, --ids-from FILE, --where or --filter)", code: 2) }
        // Before any request: a journal that cannot be written is one refusal, not a failure per contact.
        let journal = dryRun ? nil : JournalAccess.openOrExit(resolved)
        let (provider, pacer) = resolved.makeProvider(priority: .batch)
        await JournalAccess.shareQuota(of: journal, with: pacer)
        // A query is answered from the whole list first; those records are the journal's too.
        var listed: [ContactID: Contact] = [:]
        if let query {
            switch await Self.matching(query, provider: provider) {
            case .success(let found):
                targets = found.map(\.id)
                for contact in found { listed[contact.id] = contact }
            case .failure(let error):
                await output.headroom.finish(pacer, failure: "cannot read the contact list, so nothing was deleted: \(explain(error, account: resolved))")
            }
            Console.note("\(targets.count) contact\(targets.count == 1 ? " matches" : "s match") \(Sanitizer.clean(query.text))")
            guard !targets.isEmpty else {
                await output.headroom.finish(pacer)
                return
            }
        }
        if dryRun {
            Console.note("DRY RUN: nothing will be deleted")
        } else if !yes {
            confirmOnTerminal(targets, listed: listed, account: resolved)
        }

        if let journal, let report = await Reconciler.run(journal: journal, provider: provider, account: AccountReading(provider: provider)) {
            Console.note(report.sentence)
        }
        // Without a look-up (Easify) the journal's record comes from the list: read it until
        // every target is found, so each intent keeps the whole contact.
        var snapshots = listed
        if !provider.capabilities.canLookUp && !dryRun && query == nil {
            Console.note("reading the contact list to keep each record in the journal (this API has no look-up)")
            switch await Self.snapshots(of: Set(targets), provider: provider) {
            case .success(let found): snapshots = found
            case .failure(let error):
                await output.headroom.finish(pacer, failure: "cannot read the contact list, so nothing was deleted: \(explain(error, account: resolved))")
            }
            let missing = Set(targets).subtracting(snapshots.keys).count
            if missing > 0 {
                Console.note("\(missing) id(s) not in the list; their journal entries keep only the id")
            }
        }
        let known = snapshots
        // A contact that changed since it was listed so that it no longer matches is left alone.
        var recheck: (@Sendable (Contact) -> Bool)?
        if let query {
            let matcher = QueryMatcher(query: query)
            recheck = { contact in matcher.matches(contact) }
        }
        let stillMatches = recheck
        // One run of delete is one batch in the journal.
        let batch = Journal.newSessionName() + "-1"
        let isDryRun = dryRun
        let ids = targets
        let policy = DeletionPolicy(provider: provider, journal: journal)
        let (tally, journalFailed) = await output.runBatch(ids, account: resolved, provider: provider, pacer: pacer, journal: journal) { index in
            await policy.deleteSafely(ids[index], listed: known[ids[index]], batch: batch, dryRun: isDryRun, stillMatches: stillMatches)
        }
        if journalFailed || tally.count(.deleted, .gone, .wouldDelete) != targets.count { throw ExitCode(1) }
    }

    private func collectIDs() -> [ContactID] {
        let lines = idsFile.ids(after: ids)
        var seen: Set<String> = []
        var result: [ContactID] = []
        for line in lines {
            let id = line.trimmingCharacters(in: .whitespaces)
            if id.isEmpty || id.hasPrefix("#") || seen.contains(id) { continue }
            seen.insert(id)
            result.append(ContactID(id))
        }
        return result
    }

    /// Asks on the terminal, naming the first ten contacts (name, phone and id where the list
    /// was read for a query; the ids given otherwise) and how many more, as the UI's dialog does.
    private func confirmOnTerminal(_ targets: [ContactID], listed: [ContactID: Contact], account: ResolvedAccount) {
        let count = targets.count
        let named = targets.prefix(Self.namedInConfirmation).map { id in
            guard let contact = listed[id] else { return "  \(Sanitizer.clean(id.rawValue))" }
            return "  " + [contact.displayName, contact.phone, id.rawValue].map { Sanitizer.clean($0) }.filter { !$0.isEmpty }.joined(separator: "  ")
        }
        let more = count > named.count ? ["  … and \(count - named.count) more"] : []
        let prompt = """
            About to delete \(count) contact\(count == 1 ? "" : "s") from \(account.info.dialect.displayName) \
            at \(account.info.baseURL) (profile \(account.info.profile)):
            \((named + more).joined(separator: "\n"))
            Deletion cannot be undone. Type yes to continue: 
            """
        askOnTerminal(prompt, what: "delete", nothingDone: "nothing deleted")
    }

}

/// Asks on the terminal (`/dev/tty`, so it works with input piped in) and goes on only on
/// `yes`; with no terminal it refuses (exit 2), and on any other answer it stops (exit 1).
func askOnTerminal(_ prompt: String, what: String, nothingDone: String) {
    guard let terminal = fopen("/dev/tty", "r+") else {
        fail("refusing to \(what) without --yes: there is no terminal to confirm on", code: 2)
    }
    defer { fclose(terminal) }
    fputs(prompt, terminal)
    fflush(terminal)
    var buffer = [CChar](repeating: 0, count: 64)
    let answer = fgets(&buffer, Int32(buffer.count), terminal).map { _ in
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
    guard answer?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() == "yes" else {
        fail(nothingDone, code: 1)
    }
}
