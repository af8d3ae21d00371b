import Foundation
import RosterCore
import Testing
@testable import RosterEngine

@Suite("Erasure requests")
struct ErasureTests {
    let ana = Contact(id: ContactID("c1"), name: "Ana Pérez", phone: "+57 300 111 2233", email: "Ana@Example.com", record: .null)
    let colleague = Contact(id: ContactID("c2"), name: "Bo Li", phone: "+57 300 999 8877", email: "ana@example.com", record: .null)

    @Test func bothGivenMustMatchSoASharedAddressErasesNoOneElse() throws {
        let request = try ErasureRequest(email: " ANA@example.com ", phone: "+57 (300) 111-2233")
        #expect(request.matches(ana))
        #expect(!request.matches(colleague), "the same address, another phone: someone else")
        let either = try ErasureRequest(email: "ana@example.com", phone: "+57 300 111 2233", matchAny: true)
        #expect(either.matches(colleague))
        let plus = Contact(id: ContactID("c3"), name: "Ana", phone: "", email: "ana+news@example.com", record: .null)
        let byEmail = try ErasureRequest(email: "ana@example.com", phone: nil)
        #expect(!byEmail.matches(plus) && byEmail.matches(plus, ignoresEmailPlusTags: true))
    }

    @Test func aRequestThatCannotNameOnePersonIsRefused() {
        #expect(throws: ConfigError.self) { try ErasureRequest(email: nil, phone: nil) }
        #expect(throws: ConfigError.self) { try ErasureRequest(email: "not-an-address", phone: nil) }
        #expect(throws: ConfigError.self) { try ErasureRequest(email: nil, phone: "12-34") }
        #expect(throws: ConfigError.self) { try ErasureRequest(email: "a@b.c", phone: nil, matchAny: true) }
    }

    /// Every record of the person's entries loses their data; a colleague's, sharing only the
    /// address, keeps theirs; the hashes, outcome, operator and time stay.
    @Test func purgingRemovesThePersonsCopiesAndOnlyTheirs() throws {
        let store = try SQLiteJournalStore(path: scratchFolder() + "/journal.db")
        let journal = Journal(store: store, account: testAccount, operator: "ana", host: "jump1")
        let entry = try journal.intent("delete", contact: contact("c1", name: "Ana Pérez", phone: "+57 3001112233", email: "ana@example.com"))
        try journal.outcome(entry, operation: "delete", contactID: ContactID("c1"), result: "deleted", status: 200, message: "Ana Pérez deleted")
        _ = try journal.intent("delete", contact: contact("c2", name: "Bo Li", phone: "+57 3009998877", email: "ana@example.com"))
        let request = try ErasureRequest(email: "ana@example.com", phone: "+57 3001112233")
        let removed = try journal.purge(try #require(request.identities(of: []).first))
        #expect(removed == 2)
        let records = try journal.records()
        #expect(records[0].contact == nil && records[1].message == nil && records[1].result == "deleted" && records[0].operator == "ana")
        #expect(records[0].phoneHash != nil)
        #expect(records[2].contact?["name"]?.stringValue == "Bo Li", "the colleague sharing the address keeps their record")
    }

    @Test func anErasureIntentKeepsNoCopyOfThePerson() throws {
        let journal = Journal(store: try SQLiteJournalStore(path: scratchFolder() + "/journal.db"), account: testAccount)
        _ = try journal.intent(Journal.erase, contact: contact("c1"))
        let kept = try journal.records()
        #expect(kept[0].contact == nil && kept[0].phoneHash != nil && kept[0].emailHash != nil)
    }
}
