import ArgumentParser
import Foundation
import RosterCore
import RosterEngine

/// `--where QUERY` and `--filter NAME`: the UI's field queries, for the headless commands too.
struct QueryOptions: ParsableArguments {
    @Option(name: .customLong("where"), help: "Only contacts this query matches, as the UI's filter reads it, e.g. \"status:inactive !email:\".")
    var query: String?

    @Option(name: .customLong("filter"), help: "Only contacts a saved filter matches: a name from [filters] in config.toml.", completion: Completions.savedFilters)
    var savedFilter: String?

    var isGiven: Bool { query != nil || savedFilter != nil }

    /// The query as typed: `--where`, and `@NAME` for `--filter` (both: both must match).
    var text: String? {
        switch (savedFilter, query) {
        case (nil, nil): return nil
        case (let name?, nil): return "@" + name
        case (nil, let query?): return query
        case (let name?, let query?): return "@\(name) (\(query))"
        }
    }

    /// Parses the query for this dialect, now; a mistake ends the command (exit 2). `session`
    /// says whether locked:, failed: and marked: mean anything (only in the UI).
    func resolve(dialect: Dialect, session: Bool = false, environment: [String: String] = ProcessInfo.processInfo.environment) -> Query? {
        guard let text else { return nil }
        let saved: [String: String]
        do {
            saved = try ProfileConfig.savedFilters(environment: environment)
        } catch {
            fail(error.description, code: 2)
        }
        let query: Query
        do {
            query = try QueryLanguage(dialect: dialect, now: Date(), saved: saved).parse(text)
        } catch {
            fail("the query \(text): \(error.message)", code: 2)
        }
        if !session, query.isEmpty {
            // An unset variable in a script (--where "$QUERY") must not select the whole account.
            fail("the query \(text.isEmpty ? "given" : "“\(text)”") is empty: it would match every contact; say what to match", code: 2)
        }
        if !session, !query.sessionSources.isEmpty {
            fail("locked:, failed: and marked: describe the rows of a UI session; a headless command has none", code: 2)
        }
        return query
    }
}

/// Picks the contacts a query matches, page by page, through the same store the UI filters.
struct QueryMatcher {
    let query: Query

    /// The contacts, in the order given, that the query matches.
    func matching(_ contacts: [Contact]) -> [Contact] {
        var store = ContactStore(keepsRecords: false)
        var slots: [Int] = []
        var bySlot: [Int: Contact] = [:]
        for contact in contacts {
            guard let slot = store.append(contact) else { continue }
            slots.append(slot)
            bySlot[slot] = contact
        }
        return store.filter(slots, query).compactMap { bySlot[$0] }
    }

    func matches(_ contact: Contact) -> Bool { !matching([contact]).isEmpty }
}
