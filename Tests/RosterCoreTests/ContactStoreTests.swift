import Foundation
import Testing
@testable import RosterCore

@Suite("Compact contact storage")
struct ContactStoreTests {
    func contact(_ index: Int, record: JSONValue = .null) -> Contact {
        Contact(
            id: ContactID("id-\(index)"), name: "Ñandú \(index) Pérez", phone: "+57 300 \(index)", email: "P\(index)@Example.com",
            status: index % 2 == 0 ? "ACTIVE" : nil, shared: index % 3 == 0 ? true : nil, record: record)
    }

    @Test func contactsComeBackAsTheyWentIn() {
        var store = ContactStore(keepsRecords: true)
        let record = JSONValue.object(["id": .number(7), "first_name": .string("Ñandú"), "tags": .array([.string("a")])])
        for index in 0..<5000 { #expect(store.append(contact(index, record: index == 7 ? record : .null)) == index) }
        #expect(store.append(contact(3)) == nil, "an id already loaded is not added twice")
        #expect(store.liveCount == 5000)
        #expect(store.contact(at: 7) == contact(7, record: record))
        #expect(store.contact(at: 4999) == contact(4999))
        #expect(store.slot(of: ContactID("id-4321")) == 4321)
        #expect(store.slot(of: ContactID("id-9999")) == nil)
    }

    @Test func removingKeepsOtherSlotsAndAReplacementIsFound() {
        var store = ContactStore(keepsRecords: false)
        for index in 0..<100 { store.append(contact(index)) }
        store.remove(at: 10)
        #expect(store.slot(of: ContactID("id-10")) == nil)
        #expect(store.slot(of: ContactID("id-11")) == 11)
        #expect(store.liveCount == 99)
        var fresher = contact(11)
        fresher.status = "INACTIVE"
        store.replace(at: 11, with: fresher)
        #expect(store.contact(at: 11).status == "INACTIVE")
        #expect(store.append(contact(10)) == 100, "a removed id may come back")
    }

    @Test func recordsAreKeptOnlyWhereTheDialectHasNoLookUp() {
        let record = JSONValue.object(["id": .string("id-1")])
        var withLookUp = ContactStore(keepsRecords: false)
        withLookUp.append(contact(1, record: record))
        #expect(withLookUp.contact(at: 0).record == .null)
        var without = ContactStore(keepsRecords: true)
        without.append(contact(1, record: record))
        #expect(without.contact(at: 0).record == record)
    }

    @Test func theFilterSearchesTheStoredKeys() {
        var store = ContactStore(keepsRecords: false)
        store.append(contact(42))
        for (text, expected) in [("ñandú", true), ("PÉREZ", true), ("p42@example", true), ("300 42", true), ("30042", true), ("id-42", true), ("nobody", false), ("+57", true)] {
            #expect(store.matches(0, FilterQuery(text)) == expected, "\(text)")
            #expect(FilterQuery(text).matches(contact(42)) == expected, "\(text): the store agrees with the query")
        }
    }
}
