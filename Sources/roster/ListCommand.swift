import ArgumentParser
import Foundation
import RosterCore
import RosterEngine

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Print the account's contacts (or those a query matches), page by page, in the server's order.")

    @OptionGroup var account: AccountOptions

    @OptionGroup var selection: QueryOptions

    @Flag(help: "Print the server's records as a JSON array.")
    var json = false

    @Option(help: "Stop after this many contacts.")
    var max: Int?

    @OptionGroup var headroom: HeadroomReport

    mutating func validate() throws {
        if let max, max < 0 { throw ValidationError("--max cannot be negative") }
    }

    mutating func run() async throws {
        let resolved = resolveOrFail(account)
        let matcher = selection.resolve(dialect: resolved.info.dialect).map(QueryMatcher.init)
        let (provider, pacer) = resolved.makeProvider()
        await JournalAccess.shareQuotaWithTeam(resolved, pacer: pacer)
        let output = ContactPrinter(json: json, dialect: resolved.info.dialect)
        output.begin()
        var printed = 0
        var statuses = StatusesSeen()
        let ending = await PageWalker(provider: provider, onLeftOut: Console.note).walk { contacts in
            statuses.note(contacts)
            for contact in matcher?.matching(contacts) ?? contacts {
                if let max, printed >= max { return false }
                output.print(contact)
                printed += 1
            }
            output.flush()
            return max.map { printed < $0 } ?? true
        }
        // A read that may have missed contacts (the account shifted in a way the walk could not
        // mend, or the server repeats pages) is printed as read, and said so.
        if let doubt = ending.doubt { Console.note("the list may be incomplete: \(doubt)") }
        if let failure = ending.failure {
            // What was printed stays a whole table or JSON array; nothing at all before the
            // first page.
            if printed > 0 { output.end() }
            await headroom.finish(pacer, failure: explain(failure, account: resolved))
            return
        }
        output.end()
        if printed == 0, let query = matcher?.query { statuses.sayUnknown(in: query) }
        await headroom.finish(pacer)
    }
}

/// The statuses the contacts read have, so that a query matching nothing because it names a
/// status none has (`status:inactve`) says so on standard error instead of printing nothing.
struct StatusesSeen {
    private(set) var names: Set<String> = []

    mutating func note(_ contacts: [Contact]) {
        for contact in contacts { if let status = contact.status { names.insert(status) } }
    }

    func sayUnknown(in query: Query) {
        if let unknown = query.root?.unknownStatus(among: names.sorted()) { Console.note("no contact on the account has \(unknown)") }
    }
}

func resolveOrFail(_ options: AccountOptions) -> ResolvedAccount {
    do {
        let resolved = try options.resolve()
        for note in resolved.notes { Console.note(note) }
        return resolved
    } catch {
        fail(error.description, code: 2)
    }
}

/// A provider error as a headless command reports it; a 401 also says where the key came from.
func explain(_ error: ProviderError, account: ResolvedAccount) -> String {
    if error.kind == .unauthorized { return "\(error) \(unauthorizedHint(account.keySource))" }
    return error.description
}

/// `(the API key from the environment variable ROSTER_API_KEY is missing or invalid)`.
func unauthorizedHint(_ keySource: String) -> String {
    "(the API key from the \(keySource) is missing or invalid)"
}
