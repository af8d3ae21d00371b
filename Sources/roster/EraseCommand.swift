import ArgumentParser
import Foundation
import RosterCore
import RosterEngine
import RosterTeam
import RosterTUI

/// A person's request to be forgotten: finds them on every account named, shows what will go,
/// deletes it after confirmation, and removes every copy Roster kept of them.
struct EraseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Erase a person who asked to be forgotten: on every account named, with no restorable copy kept.",
        discussion: """
            Finds the contacts with this email and phone (the phone by its digits, the email folded, as \
            duplicates are; with both given a contact must match both, --any takes either) on each \
            account, lists them, and deletes them after you type yes. Then Roster removes every copy of \
            the person it keeps: the records of earlier deletions and restores in the journal, queries \
            in the filter prompt's history, lines of an imported old journal. The journal keeps only \
            keyed hashes, the outcome, the operator and the time, and restore refuses the person. A \
            contact the server will not delete (409, messages pending) is in the receipt as not erased \
            (--deactivate-locked deactivates it instead). The receipt is printed for the ticket (--json).
            """)

    @Option(help: "The person's email.")
    var email: String?

    @Option(help: "The person's phone (its digits are compared, with the country code as accounts keep it).")
    var phone: String?

    @Flag(help: "Match contacts with either the email or the phone (default: both must match).")
    var any = false

    @Option(help: "A profile to search (repeat for several).", completion: Completions.profiles)
    var profile: [String] = []

    @Flag(name: .customLong("all-profiles"), help: "Search every profile in config.toml.")
    var allProfiles = false

    @Option(help: "Without profiles: the API dialect of the one account to search.")
    var dialect: Dialect?

    @Option(name: .customLong("base-url"), help: "Without profiles: the account's base URL.")
    var baseURL: String?

    @Flag(help: "Erase without asking.")
    var yes = false

    @Flag(name: .customLong("dry-run"), help: "Find and list the person's contacts; delete and remove nothing.")
    var dryRun = false

    @Flag(name: .customLong("deactivate-locked"), help: "Deactivate a contact the server refuses to delete (409), where the account can.")
    var deactivateLocked = false

    @Flag(help: "Print the receipt as JSON.")
    var json = false

    /// One account searched: what was found, and what became of each.
    struct Searched {
        var resolved: ResolvedAccount
        var journal: Journal?
        var provider: (any ContactProvider)?
        var found: [Contact] = []
        var outcomes: [(contact: Contact, outcome: String, status: Int?, reason: String)] = []
        /// Why the account could not be searched or erased on; nil when it was.
        var problem: String?
    }

    mutating func validate() throws {
        if allProfiles, !profile.isEmpty { throw ValidationError("--all-profiles searches every profile: name none with it") }
        if (allProfiles || !profile.isEmpty), dialect != nil || baseURL != nil {
            throw ValidationError("--dialect and --base-url name one account without a profile: not with --profile or --all-profiles")
        }
        if !allProfiles, profile.isEmpty, dialect == nil { throw ValidationError("name the accounts: --profile NAME (repeatable), --all-profiles, or --dialect with --base-url") }
    }

    mutating func run() async throws {
        let request: ErasureRequest
        do {
            request = try ErasureRequest(email: email, phone: phone, matchAny: any)
        } catch {
            fail(error.description, code: 2)
        }
        var accounts = accountOptions().map { Searched(resolved: resolveOrFail($0)) }
        guard !accounts.isEmpty else { fail("config.toml names no profile to search", code: 2) }
        for index in accounts.indices { await search(&accounts[index], for: request) }
        let found = accounts.reduce(0) { $0 + $1.found.count }
        printFound(accounts)
        if found > 0, !dryRun {
            if !yes {
                askOnTerminal(
                    "About to erase \(found) contact\(found == 1 ? "" : "s") on \(accounts.count { !$0.found.isEmpty }) account(s); nothing of them can be restored. Type yes to continue: ",
                    what: "erase", nothingDone: "nothing erased")
            }
            for index in accounts.indices { await erase(&accounts[index], request: request) }
        }
        let purge = dryRun ? ErasurePurge() : purgeCopies(accounts, request: request)
        printReceipt(accounts, request: request, purge: purge)
        let incomplete = accounts.contains { $0.problem != nil } || accounts.contains { $0.outcomes.contains { $0.outcome != "erased" } }
        if incomplete { throw ExitCode(1) }
    }

    /// The accounts to search, as the account options each would be given.
    private func accountOptions() -> [AccountOptions] {
        let names = allProfiles ? ProfileConfig.profileNames(environment: ProcessInfo.processInfo.environment) : profile
        do {
            if names.isEmpty, let dialect {
                return [try AccountOptions.parse(["--dialect", dialect.rawValue] + (baseURL.map { ["--base-url", $0] } ?? []))]
            }
            return try names.map { try AccountOptions.parse(["--profile", $0]) }
        } catch {
            fail("\(error)", code: 2)
        }
    }

    /// Opens the account's journal and reads the whole account for the person.
    private func search(_ account: inout Searched, for request: ErasureRequest) async {
        do {
            account.journal = try JournalAccess.open(account.resolved, forWriting: !dryRun)
        } catch {
            account.problem = "\(error); nothing was sent"
            return
        }
        let (provider, pacer) = account.resolved.makeProvider(priority: .batch)
        account.provider = provider
        await JournalAccess.shareQuota(of: account.journal, with: pacer)
        let options = account.resolved.duplicates
        var found: [Contact] = []
        let failure = await PageWalker(provider: provider, onLeftOut: Console.note).walk { contacts in
            found += contacts.filter { request.matches($0, ignoresEmailPlusTags: options.ignoresEmailPlusTags) }
            return true
        }.unlessWhole
        if let failure {
            account.problem = "the contact list could not be read whole (\(explain(failure, account: account.resolved))), so the person may be there unseen; nothing was erased"
            return
        }
        account.found = found
    }

    private func erase(_ account: inout Searched, request: ErasureRequest) async {
        guard let provider = account.provider, let journal = account.journal, account.problem == nil else { return }
        let policy = DeletionPolicy(provider: provider, journal: journal)
        let batch = Journal.newSessionName() + "-erase"
        let options = account.resolved.duplicates
        for contact in account.found {
            let outcome = await policy.deleteSafely(
                contact.id, listed: contact, batch: batch, dryRun: false,
                stillMatches: { request.matches($0, ignoresEmailPlusTags: options.ignoresEmailPlusTags) }, erasing: true)
            switch outcome.kind {
            case .deleted, .gone:
                account.outcomes.append((contact, "erased", outcome.status, outcome.kind == .gone ? "already gone from the account" : ""))
            case .refused where outcome.status == 409:
                if deactivateLocked, provider.capabilities.canDeactivate || !account.resolved.deactivateFields.isEmpty {
                    let sent = await policy.deactivate(contact, batch: batch)
                    let done = sent.error == nil
                    account.outcomes.append((
                        contact, done ? "deactivated" : "not erased", sent.error?.status ?? 200,
                        done ? "the server will not delete it (\(outcome.message)); deactivated instead" : "not deactivated either: \(sent.error!)"))
                } else {
                    account.outcomes.append((
                        contact, "not erased", outcome.status,
                        "the server will not delete it (\(outcome.message)); run again with --deactivate-locked to deactivate it instead, or delete it once its messages are sent"))
                }
            default:
                account.outcomes.append((contact, "not erased", outcome.status, outcome.message))
            }
        }
    }

    /// Removes every copy of the person Roster keeps: journal records (the account's journal,
    /// and the operator's own file where the account's is a team's), the filter prompt's
    /// history, and imported old journal files.
    private func purgeCopies(_ accounts: [Searched], request: ErasureRequest) -> ErasurePurge {
        var purge = ErasurePurge()
        let people = request.identities(of: accounts.flatMap(\.found))
        var stores: [any JournalStore] = []
        var places: Set<String> = []
        for account in accounts {
            guard let store = account.journal?.store, places.insert(store.location).inserted else { continue }
            stores.append(store)
        }
        let local = Journal.path(isDemo: false)
        if !places.contains(local), FileManager.default.fileExists(atPath: local), let own = try? SQLiteJournalStore(path: local) {
            stores.append(own)
        }
        for store in stores {
            if let team = store as? SpooledTeamStore {
                do {
                    purge.sharedPlans += try SharedPlans.withdraw(naming: people, in: team.team)
                } catch {
                    Console.note("\(error): plans shared there that name the person are not withdrawn; run roster erase again")
                }
            }
            for person in people {
                do {
                    purge.journalRecords += try store.purge(person)
                } catch {
                    Console.note("\(error): the person's copies there are not removed; run roster erase again")
                }
            }
        }
        for person in people {
            do {
                purge.historyEntries += try QueryHistoryFile.purgeAll(person)
            } catch {
                Console.note("the filter prompt's history could not be rewritten without the person (\(error)); run roster erase again")
            }
        }
        for file in [Journal.legacyPath(isDemo: false) + ".imported", Journal.legacyPath(isDemo: false)] {
            do {
                purge.oldJournalLines += try OldJournalFile.purge(file, people: people, identify: JournalAccess.identify)
            } catch {
                Console.note("\(error); run roster erase again")
            }
        }
        return purge
    }

    private func printFound(_ accounts: [Searched]) {
        guard !json else { return }
        for account in accounts {
            let info = account.resolved.info
            let title = "\(info.profile) (\(info.dialect.displayName), \(info.baseURL))"
            if let problem = account.problem {
                Console.note("\(title): \(problem)")
                continue
            }
            let plural = account.found.count == 1 ? "" : "s"
            let what = account.found.isEmpty ? "no contact is this person" : "\(account.found.count) contact\(plural)" + (dryRun ? " would be erased:" : " to erase:")
            Console.note("\(title): \(what)")
            for contact in account.found {
                Console.note("  \(Sanitizer.clean(contact.id.rawValue))  \(Sanitizer.clean(contact.displayName))  \(Sanitizer.clean(contact.phone))  \(Sanitizer.clean(contact.email))")
            }
        }
    }

    /// The receipt for the ticket: who, when, what was asked (masked), what became of each
    /// contact, what was removed. It names contacts by id only.
    private func printReceipt(_ accounts: [Searched], request: ErasureRequest, purge: ErasurePurge) {
        let at = ISO8601DateFormatter().string(from: Date())
        let who = Journal.operatorName() + "@" + Journal.hostName()
        let asked = [request.emailKey.map { "email " + Self.maskEmail($0) }, request.phoneKey.map { "phone ending " + String($0.suffix(4)) }]
            .compactMap { $0 }
        let rule = request.matchAny ? "either" : (asked.count == 2 ? "both" : "one")
        if json {
            let receipt: JSONValue = .object([
                "erasure": .string(dryRun ? "dry run" : "done"), "at": .string(at), "operator": .string(who),
                "asked": .array(asked.map(JSONValue.string)), "match": .string(rule),
                "accounts": .array(accounts.map { account in
                    .object([
                        "profile": .string(account.resolved.info.profile), "dialect": .string(account.resolved.info.dialect.rawValue),
                        "baseURL": .string(account.resolved.info.baseURL), "problem": account.problem.map(JSONValue.string) ?? .null,
                        "found": .number(Double(account.found.count)),
                        "contacts": .array(account.outcomes.map { item in
                            .object([
                                "id": .string(item.contact.id.rawValue), "outcome": .string(item.outcome),
                                "status": item.status.map { .number(Double($0)) } ?? .null, "reason": .string(item.reason),
                            ])
                        }),
                    ])
                }),
                "purged": .object([
                    "journalRecords": .number(Double(purge.journalRecords)), "historyEntries": .number(Double(purge.historyEntries)),
                    "oldJournalLines": .number(Double(purge.oldJournalLines)), "sharedPlans": .number(Double(purge.sharedPlans)),
                ]),
            ])
            Console.out(receipt.jsonText + "\n")
            return
        }
        var lines = ["Erasure receipt\(dryRun ? " (dry run: nothing erased)" : "") — \(at) by \(who)", "asked: \(asked.joined(separator: ", ")) (\(rule) must match)"]
        for account in accounts {
            let info = account.resolved.info
            var line = "\(info.profile) (\(info.dialect.displayName), \(info.baseURL)): "
            if let problem = account.problem {
                line += "NOT SEARCHED: \(problem)"
            } else if account.found.isEmpty {
                line += "no contact found"
            } else if dryRun {
                line += "\(account.found.count) found: " + account.found.map(\.id.rawValue).joined(separator: ", ")
            } else {
                line += account.outcomes.map { "\($0.contact.id.rawValue) \($0.outcome)\($0.reason.isEmpty ? "" : " (\($0.reason))")" }.joined(separator: "; ")
            }
            lines.append(Sanitizer.clean(line))
        }
        if !dryRun {
            lines.append(
                "removed: the person's data from \(purge.journalRecords) journal record\(purge.journalRecords == 1 ? "" : "s") (each keeps keyed hashes, the outcome, the operator and the time), "
                    + "\(purge.historyEntries) filter quer\(purge.historyEntries == 1 ? "y" : "ies"), \(purge.oldJournalLines) old journal line\(purge.oldJournalLines == 1 ? "" : "s"), "
                    + "\(purge.sharedPlans) shared plan\(purge.sharedPlans == 1 ? "" : "s") withdrawn")
        }
        Console.out(lines.joined(separator: "\n") + "\n")
    }

    /// `a…@example.com`: enough for the ticket to tell which request this was.
    static func maskEmail(_ email: String) -> String {
        guard let at = email.firstIndex(of: "@") else { return "…" }
        return String(email.prefix(1)) + "…" + email[at...]
    }
}
