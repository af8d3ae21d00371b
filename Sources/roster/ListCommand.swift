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

    @Flag(help: "Print the API's rate-limit headroom at the end, on standard error.")
    var verbose = false

    mutating func validate() throws {
        if let max, max < 0 { throw ValidationError("--max cannot be negative") }
    }

    mutating func run() async throws {
        let resolved = resolveOrFail(account)
        let matcher = selection.resolve(dialect: resolved.info.dialect).map(QueryMatcher.init)
        let (provider, pacer) = resolved.makeProvider()
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
            await finish(pacer, verbose: verbose, failure: explain(failure, account: resolved))
            return
        }
        output.end()
        if printed == 0, let query = matcher?.query { statuses.sayUnknown(in: query) }
        await finish(pacer, verbose: verbose)
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

/// Ends a headless command: with `verbose`, prints the final headroom to standard error; with
/// a failure, prints it and exits 1.
func finish(_ pacer: Pacer, verbose: Bool, failure: String? = nil) async {
    if verbose {
        let line = HeadroomText.describe(await pacer.headroom, now: Date())
        Console.note("API headroom: \(line)")
    }
    if let failure { fail(failure, code: 1) }
}

enum HeadroomText {
    /// `37/60 left, resets in 22 s (server figures)`.
    static func describe(_ seen: Headroom, now: Date) -> String {
        let headroom = seen.current(at: now)
        var source = headroom.source == .server ? "server figures" : "Roster's estimate"
        if headroom.resetIsEstimate { source += "; the reset time is Roster's estimate" }
        var text: String
        if let remaining = headroom.remaining, let limit = headroom.limit {
            text = "\(remaining)/\(limit) left"
        } else {
            text = "\(headroom.sentInWindow) sent in the window, limit not seen"
        }
        if let reset = headroom.resetAt, reset > now {
            text += ", resets in \(Int(reset.timeIntervalSince(now).rounded(.up))) s"
        }
        if let paused = headroom.pausedUntil, paused > now {
            text += ", paused for \(Int(paused.timeIntervalSince(now).rounded(.up))) s"
        }
        return text + " (\(source))"
    }
}
