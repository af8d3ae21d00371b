import ArgumentParser
import Foundation
import RosterCore
import RosterEngine
import RosterTUI

struct DuplicatesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "duplicates",
        abstract: "Print the groups of contacts that share a phone number or an email, with the keeper Roster proposes.",
        discussion: """
            Phones are compared by their digits with the country code, emails without case, accents or \
            surrounding spaces (and without +tags with --ignore-email-plus-tags or the profile's \
            ignore_email_plus_tags). In each group the most complete record is kept, ties to the oldest. \
            Nothing is deleted or merged: --ids prints the others for roster delete --ids-from -.
            """)

    @OptionGroup var account: AccountOptions

    @OptionGroup var selection: QueryOptions

    @Flag(help: "Print one JSON object per group.")
    var json = false

    @Flag(help: "Print only the ids proposed for deletion (every member but the keeper), one per line.")
    var ids = false

    @Flag(name: .customLong("ignore-email-plus-tags"), help: "Take ana+news@x.com to be ana@x.com.")
    var ignoreEmailPlusTags = false

    @OptionGroup var headroom: HeadroomReport

    mutating func validate() throws {
        if json && ids { throw ValidationError("--json and --ids are two different outputs: choose one") }
    }

    mutating func run() async throws {
        let resolved = resolveOrFail(account)
        let matcher = selection.resolve(dialect: resolved.info.dialect).map(QueryMatcher.init)
        let (provider, pacer) = resolved.makeProvider()
        await JournalAccess.shareQuotaWithTeam(resolved, pacer: pacer)
        var store = ContactStore(keepsRecords: false)
        var slots: [Int] = []
        let failure = await PageWalker(provider: provider, onLeftOut: Console.note).walk { contacts in
            for contact in matcher?.matching(contacts) ?? contacts {
                if let slot = store.append(contact) { slots.append(slot) }
            }
            return true
        }.unlessWhole
        // Groups and keepers from part of the account would be wrong: nothing is proposed then.
        if let failure { await headroom.finish(pacer, failure: explain(failure, account: resolved)) }
        let options = DuplicateOptions(ignoresEmailPlusTags: ignoreEmailPlusTags || resolved.duplicates.ignoresEmailPlusTags)
        let groups = store.duplicateGroups(among: slots, options: options)
        var output = ""
        for (index, group) in groups.enumerated() {
            if ids {
                for member in group.members where member != group.keeper { output += Sanitizer.clean(member.rawValue) + "\n" }
            } else if json {
                output += Self.json(group, number: index + 1, store: store) + "\n"
            } else {
                output += Self.text(group, number: index + 1, store: store)
            }
            if output.utf8.count > 64 * 1024 {
                Console.out(output)
                output = ""
            }
        }
        Console.out(output)
        let members = groups.reduce(0) { $0 + $1.members.count }
        Console.note(
            "\(groups.count) group\(groups.count == 1 ? "" : "s") of duplicates among \(slots.count) contacts: \(members - groups.count) proposed for deletion, nothing deleted"
                + (groups.isEmpty || ids ? "" : {
                    let account = AccountOptions.naming(resolved.info)
                    return " (roster duplicates \(account) --ids | roster delete \(account) --ids-from - deletes them)"
                }()))
        await headroom.finish(pacer)
    }

    private static func text(_ group: DuplicateGroup, number: Int, store: ContactStore) -> String {
        let reasons = group.reasons.map(\.sentence).joined(separator: " · ")
        var text = "group \(number) · \(reasons) · \(group.members.count) contacts\n"
        // The keeper first: what stays, then what would go.
        for member in [group.keeper] + group.members.filter({ $0 != group.keeper }) {
            guard let slot = store.slot(of: member) else { continue }
            let contact = store.contact(at: slot, withRecord: false)
            let created = store.date("created", at: slot).map { "created " + FieldDates.day($0) } ?? ""
            let cells = [
                member == group.keeper ? "keep" : "delete", contact.id.rawValue, contact.displayName, contact.phone, contact.email,
                created, "\(store.completeness(at: slot)) fields",
            ]
            let widths = [8, 38, 26, 20, 32, 20, 0]
            text += "  " + zip(cells, widths).map { cell, width in
                let clean = Sanitizer.clean(cell)
                return width == 0 ? clean : clean + String(repeating: " ", count: max(1, width - TextWidth.of(clean)))
            }.joined() + "\n"
        }
        return text
    }

    private static func json(_ group: DuplicateGroup, number: Int, store: ContactStore) -> String {
        let contacts = group.members.compactMap { member -> JSONValue? in
            guard let slot = store.slot(of: member) else { return nil }
            let contact = store.contact(at: slot, withRecord: false)
            var fields: [String: JSONValue] = [
                "id": .string(contact.id.rawValue), "name": .string(contact.name), "phone": .string(contact.phone),
                "email": .string(contact.email), "keep": .bool(member == group.keeper),
                "fields": .number(Double(store.completeness(at: slot))),
            ]
            fields["created"] = store.date("created", at: slot).map { .string(FieldDates.day($0)) } ?? .null
            return .object(fields)
        }
        return JSONValue.object([
            "group": .number(Double(number)), "keeper": .string(group.keeper.rawValue),
            "reasons": .array(group.reasons.map { .object(["by": .string($0.kind.rawValue), "value": .string($0.value)]) }),
            "contacts": .array(contacts),
        ]).jsonText
    }
}
