import ArgumentParser
import Foundation
import RosterCore
import RosterEngine
import RosterTeam

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Write a plan of a cleanup without changing anything: what would be done to which contacts, as they are now.",
        discussion: """
            The contacts come from ids (arguments or --ids-from), --select-from (ids, emails or phone \
            numbers), or --where / --filter. Each is looked up (Easify: read from the list) and the plan \
            keeps, per contact, the action and a fingerprint of the record it was decided on. Contacts \
            the server refused to delete before (409, in the journal) are skipped as locked. Review it \
            with roster show-plan, have it approved with roster approve, run it with roster apply.
            """)

    @OptionGroup var account: AccountOptions

    @OptionGroup var selection: QueryOptions

    @Argument(help: "Contact ids.")
    var ids: [String] = []

    @OptionGroup var idsFile: IDsFile

    @Option(name: .customLong("select-from"), help: "A file of ids, phone numbers or emails, one per line, as a ticket gives them.")
    var selectFrom: String?

    @Option(name: [.short, .customLong("output")], help: "The plan file to write (it must not exist yet).")
    var output: String?

    @Flag(help: "Keep the plan in the team's journal (journal_url) under a short id that show-plan, approve and apply take.")
    var share = false

    @Option(help: "Sign the plan as its planner with this OpenSSH key (a private key file, or KEY.pub with the key in your agent).")
    var sign: String?

    @Flag(help: "Plan deactivations instead of deletions (where the account offers them).")
    var deactivate = false

    @Flag(name: .customLong("deactivate-locked"), help: "Plan contacts known to be locked (409) as deactivations instead of skipping them.")
    var deactivateLocked = false

    @OptionGroup var headroom: HeadroomReport

    mutating func validate() throws {
        if (output == nil) == !share { throw ValidationError("say where the plan goes: -o FILE, or --share to keep it in the team's journal") }
        let sources = [selection.isGiven, !ids.isEmpty || idsFile.idsFrom != nil, selectFrom != nil].filter { $0 }.count
        guard sources == 1 else {
            throw ValidationError("say which contacts with one of: ids (or --ids-from), --select-from, --where or --filter")
        }
    }

    mutating func run() async throws {
        let resolved = resolveOrFail(account)
        let query = selection.resolve(dialect: resolved.info.dialect)
        let (provider, pacer) = resolved.makeProvider(priority: .batch)
        if deactivate || deactivateLocked, !provider.capabilities.canDeactivate {
            fail("this \(resolved.info.dialect.displayName) account offers no deactivate (Easify: set deactivate_fields in the profile)", code: 2)
        }
        let journal = try? JournalAccess.open(resolved, forWriting: false)
        await JournalAccess.shareQuota(of: journal, with: pacer)
        let locked = PlanMaker.lockedContacts(in: journal)
        var maker = PlanMaker(
            provider: provider, locked: locked, action: deactivate ? .deactivate : .delete, lockedAction: deactivateLocked ? .deactivate : .skip)
        let source: String
        let outcome: ProviderError?
        if let query {
            source = "--where \(query.text)"
            outcome = await maker.add(matching: query)
        } else if let selectFrom {
            source = "--select-from \((selectFrom as NSString).lastPathComponent)"
            guard let text = try? String(contentsOfFile: selectFrom, encoding: .utf8) else { fail("cannot read --select-from file \(selectFrom)", code: 2) }
            outcome = await maker.add(selecting: PendingSelection(source: selectFrom, lines: text.components(separatedBy: .newlines)))
        } else {
            source = idsFile.idsFrom.map { "--ids-from \(($0 as NSString).lastPathComponent)" } ?? "ids on the command line"
            let lines = idsFile.ids(after: ids)
            var seen = Set<String>()
            outcome = await maker.add(ids: lines.filter { !$0.isEmpty && seen.insert($0).inserted }.map(ContactID.init))
        }
        if let outcome {
            await headroom.finish(pacer, failure: "nothing was planned: \(explain(outcome, account: resolved))")
        }
        let requests = maker.items.count { $0.action != .skip } * provider.capabilities.requestsPerDeletion
        let estimate = await pacer.headroom.secondsToSend(requests, now: Date()).map { Int($0.rounded(.up)) }
        var plan = Plan(
            account: resolved.info, planner: Journal.operatorName(), createdAt: Date(), source: source, estimateSeconds: estimate, items: maker.items)
        plan.checksum = PlanFile.checksum(of: plan)
        let place: String
        do {
            if let sign { plan.plannerSignature = try PlanSigning.sign(PlanSigning.message(for: plan, role: .planner), key: sign) }
            if let output {
                try PlanFile.write(plan, to: output)
                place = output
            } else {
                place = try Self.shareOrExit(plan, account: resolved)
            }
        } catch {
            fail("\(error)", code: 1)
        }
        let time = estimate.map { "; applying it takes about \(durationText(Double($0))) at the current headroom" } ?? ""
        Console.note("plan \(output == nil ? "shared in the team's journal as \(place)" : "written to \(place)"): \(plan.totals)\(time)")
        Console.note("review it with roster show-plan \(shellWord(place))\(output == nil ? ", approve it with roster approve \(place)" : ""); apply it with \(plan.applyCommand(place))")
        await headroom.finish(pacer)
    }
}

extension PlanCommand {
    /// Keeps the plan in the account's team journal under a new id; the id.
    static func shareOrExit(_ plan: Plan, account: ResolvedAccount) throws(JournalError) -> String {
        guard let url = TeamJournal.urlText(profileURL: account.journalURL) else {
            fail("--share keeps the plan in a team's journal: set the profile's journal_url or ROSTER_JOURNAL_URL (or write a file with -o)", code: 2)
        }
        let store = try TeamJournal.open(urlText: url, passwordFile: account.journalPasswordFile).team
        for _ in 0..<5 {
            let id = SharedPlans.newID()
            if try store.sharePlan(id: id, planner: plan.planner, text: PlanFile.text(of: plan)) { return id }
        }
        throw JournalError("no free plan id was found in \(store.location)")
    }
}

/// Who is at the keyboard, as the journal and plans name them.
/// Builds a plan's items: every contact looked up (or read from the list), locked ones and
/// those not found skipped with the reason.
struct PlanMaker {
    let provider: any ContactProvider
    /// Contacts the server refused to delete before (409), with why.
    let locked: [ContactID: String]
    let action: Plan.Item.Action
    let lockedAction: Plan.Item.Action
    private(set) var items: [Plan.Item] = []

    init(provider: any ContactProvider, locked: [ContactID: String], action: Plan.Item.Action, lockedAction: Plan.Item.Action) {
        self.provider = provider
        self.locked = locked
        self.action = action
        self.lockedAction = lockedAction
    }

    /// Contacts the journal says the server refused to delete (409) the last time Roster tried.
    static func lockedContacts(in journal: Journal?) -> [ContactID: String] {
        guard let records = try? journal?.records() else { return [:] }
        var intents: [String: JournalRecord] = [:]
        var locked: [ContactID: String] = [:]
        let dates = DateFormatter()
        dates.dateFormat = "yyyy-MM-dd"
        for record in records {
            switch record.kind {
            case .intent where record.operation == "delete": intents[record.entry] = record
            case .outcome:
                guard let intent = intents[record.entry] else { continue }
                let id = ContactID(intent.contactID)
                locked[id] = record.status == 409
                    ? "locked: the server refused to delete it on \(dates.string(from: record.at)) (409 \(record.message ?? ""))" : nil
            default: break
            }
        }
        return locked
    }

    mutating func add(matching query: Query) async -> ProviderError? {
        switch await DeleteCommand.matching(query, provider: provider) {
        case .success(let contacts): return await add(listed: contacts)
        case .failure(let error): return error
        }
    }

    mutating func add(selecting selection: PendingSelection) async -> ProviderError? {
        var all: [Contact] = []
        if let failure = await PageWalker(provider: provider, onLeftOut: Console.note).walk({ all += $0; return true }).unlessWhole { return failure }
        let result = selection.resolve(in: all)
        let marked = Set(result.marked)
        let failure = await add(listed: all.filter { marked.contains($0.id) })
        for line in result.ambiguous { items.append(Plan.Item(action: .skip, id: nil, line: line, reason: "ambiguous: the line names several contacts")) }
        for line in result.unmatched { items.append(Plan.Item(action: .skip, id: nil, line: line, reason: "not found: no contact has it")) }
        return failure
    }

    mutating func add(ids: [ContactID]) async -> ProviderError? {
        if provider.capabilities.canLookUp {
            await lookUp(ids)
            return nil
        }
        switch await DeleteCommand.snapshots(of: Set(ids), provider: provider) {
        case .failure(let error): return error
        case .success(let found):
            for id in ids {
                if let contact = found[id] { decide(contact) } else { items.append(notFound(id)) }
            }
            return nil
        }
    }

    /// Contacts read from the list: looked up again where the dialect can, so the plan holds
    /// the record a DELETE would be decided on.
    mutating func add(listed contacts: [Contact]) async -> ProviderError? {
        if provider.capabilities.canLookUp {
            await lookUp(contacts.map(\.id))
        } else {
            for contact in contacts { decide(contact) }
        }
        return nil
    }

    private mutating func lookUp(_ ids: [ContactID]) async {
        let provider = self.provider
        let found = await inOrder(ids.count, parallel: 4) { index in
            await capture { () async throws(ProviderError) in try await provider.lookUp(id: ids[index]) }
        }
        for (id, result) in zip(ids, found) {
            switch result {
            case .success(let contact): decide(contact)
            case .failure(let error) where error.kind == .notFound: items.append(notFound(id))
            case .failure(let error):
                items.append(Plan.Item(action: .skip, id: id.rawValue, reason: "not looked up: \(error.description)"))
            }
        }
    }

    private mutating func decide(_ contact: Contact) {
        let record = Journal.snapshot(of: contact)
        var planned = contact
        planned.record = record
        if let reason = locked[contact.id] {
            var item = Plan.Item(lockedAction, contact: planned, fingerprint: PlanFile.fingerprint(record))
            if lockedAction == .skip { item.reason = reason }
            items.append(item)
        } else {
            items.append(Plan.Item(action, contact: planned, fingerprint: PlanFile.fingerprint(record)))
        }
    }

    private func notFound(_ id: ContactID) -> Plan.Item {
        Plan.Item(action: .skip, id: id.rawValue, reason: "not found: the server has no such contact")
    }
}

/// Runs `work` for 0..<count, a few at a time, and returns the results in order.
func inOrder<T: Sendable>(_ count: Int, parallel: Int, _ work: @escaping @Sendable (Int) async -> T) async -> [T] {
    await withTaskGroup(of: (Int, T).self) { group in
        var results: [Int: T] = [:]
        var next = 0
        while next < min(count, parallel) {
            let index = next
            group.addTask { (index, await work(index)) }
            next += 1
        }
        for await (index, value) in group {
            results[index] = value
            if next < count {
                let index = next
                group.addTask { (index, await work(index)) }
                next += 1
            }
        }
        return (0..<count).compactMap { results[$0] }
    }
}
