import ArgumentParser
import Foundation
import RosterCore
import RosterEngine
import RosterTUI

struct GetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "get",
        abstract: "Print one contact, fetched fresh by id.",
        discussion: "Easify has no single-contact look-up, so there the contact is found by reading the list.")

    @OptionGroup var account: AccountOptions

    @Argument(help: "The contact's id.")
    var id: String

    @Flag(help: "Print the server's record as JSON.")
    var json = false

    @OptionGroup var headroom: HeadroomReport

    mutating func run() async throws {
        let resolved = resolveOrFail(account)
        let (provider, pacer) = resolved.makeProvider()
        await JournalAccess.shareQuotaWithTeam(resolved, pacer: pacer)
        let contactID = ContactID(id)
        let contact: Contact
        if provider.capabilities.canLookUp {
            switch await capture({ () async throws(ProviderError) in try await provider.lookUp(id: contactID) }) {
            case .success(let found): contact = found
            case .failure(let error) where error.kind == .notFound:
                await headroom.finish(pacer, failure: "contact \(Sanitizer.clean(id)) not found (\(error))")
                return
            case .failure(let error):
                await headroom.finish(pacer, failure: explain(error, account: resolved))
                return
            }
        } else {
            Console.note("\(resolved.info.dialect.displayName) has no single-contact look-up; searching the list")
            contact = await findInList(contactID, provider: provider, account: resolved)
        }
        if json {
            Console.out(contact.record.jsonText + "\n")
            await headroom.finish(pacer)
            return
        }
        let fields = contact.detailFields(preferredOrder: provider.capabilities.detailFieldOrder)
        let labelWidth = (fields.map { $0.key.count }.max() ?? 0) + 2
        for field in fields {
            let label = field.key + String(repeating: " ", count: labelWidth - field.key.count)
            Console.out(label + Sanitizer.clean(field.value) + "\n")
        }
        await headroom.finish(pacer)
    }

    private func findInList(_ id: ContactID, provider: any ContactProvider, account: ResolvedAccount) async -> Contact {
        var found: Contact?
        let failure = await PageWalker(provider: provider, onLeftOut: Console.note).walk { contacts in
            found = contacts.first { $0.id == id }
            return found == nil
        }.failure
        if let found { return found }
        if let failure { fail(explain(failure, account: account), code: 1) }
        fail("contact \(Sanitizer.clean(id.rawValue)) not found in the list", code: 1)
    }
}
