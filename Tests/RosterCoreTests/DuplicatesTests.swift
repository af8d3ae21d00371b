import Foundation
import Testing
@testable import RosterCore

private func person(
    _ id: String, _ name: String, phone: String, email: String, created: (Int, Int, Int) = (2024, 1, 1), extra: Int = 0
) -> Contact {
    var fields = [ContactField("created", .date(FieldDates.seconds(year: created.0, month: created.1, day: created.2)))]
    for index in 0..<extra { fields.append(.text("tag", "t\(index)")) }
    return Contact(id: ContactID(id), name: name, phone: phone, email: email, status: "ACTIVE", fields: fields)
}

private func groups(_ contacts: [Contact], options: DuplicateOptions = DuplicateOptions()) -> [DuplicateGroup] {
    let loaded = store(contacts)
    return loaded.duplicateGroups(among: Array(0..<loaded.slotCount), options: options)
}

@Suite("Duplicate review")
struct DuplicatesTests {
    @Test func aReformattedPhoneAndAnEmailInOtherCaseAreTheSamePerson() {
        let found = groups([
            person("a", "Ana Pérez", phone: "+57 300 100 0027", email: "ana@example.com"),
            person("b", "Bruno", phone: "+1 555 000 1111", email: "bruno@example.com"),
            person("c", "Ana Perez", phone: "+573001000027", email: "other@example.com"),
            person("d", "Bruno B.", phone: "+44 20 7946 0000", email: "  Bruno@Example.COM "),
            person("e", "Nobody", phone: "", email: ""),
        ])
        #expect(found.count == 2)
        #expect(found[0].members == ["a", "c"].map(ContactID.init))
        #expect(found[0].reasons == [DuplicateGroup.Reason(kind: .phone, value: "573001000027")])
        #expect(found[1].members == ["b", "d"].map(ContactID.init))
        #expect(found[1].reasons == [DuplicateGroup.Reason(kind: .email, value: "bruno@example.com")])
    }

    @Test func aChainOfSharedPhonesAndEmailsIsOneGroupWithEveryReason() {
        let found = groups([
            person("a", "A", phone: "+57 3001000027", email: "a@x.com"),
            person("b", "B", phone: "+57 (300) 100-0027", email: "b@x.com"),
            person("c", "C", phone: "+1 5550001111", email: "B@X.com"),
        ])
        #expect(found.count == 1)
        #expect(found[0].members.count == 3)
        #expect(Set(found[0].reasons.map(\.kind)) == [.phone, .email])
    }

    @Test func theKeeperIsTheMostCompleteThenTheOldest() {
        let found = groups([
            person("new", "A", phone: "+57 3001000027", email: "", created: (2025, 1, 1), extra: 2),
            person("old", "A", phone: "+57 300 100 0027", email: "", created: (2023, 1, 1), extra: 2),
            person("bare", "A", phone: "+573001000027", email: "", created: (2020, 1, 1)),
        ])
        #expect(found.first?.keeper == ContactID("old"), "as complete as the newest, and older; the oldest is less complete")
    }

    @Test func plusTagsCountOnlyWhenTheProfileSaysSo() {
        let contacts = [
            person("a", "A", phone: "", email: "ana+news@x.com"),
            person("b", "B", phone: "", email: "ana@x.com"),
        ]
        #expect(groups(contacts).isEmpty)
        #expect(groups(contacts, options: DuplicateOptions(ignoresEmailPlusTags: true)).first?.reasons.first?.value == "ana@x.com")
    }

    @Test func shortNumbersAndRemovedContactsAreLeftOut() {
        var loaded = store([
            person("a", "A", phone: "123", email: ""),
            person("b", "B", phone: "1-2-3", email: ""),
            person("c", "C", phone: "+57 3001000027", email: ""),
            person("d", "D", phone: "+57 3001000027", email: ""),
        ])
        loaded.remove(at: 3)
        #expect(loaded.duplicateGroups(among: [0, 1, 2, 3]).isEmpty)
    }
}
