import Foundation
import Testing
@testable import RosterCore

/// 2026-12-01 00:00 UTC: ages in these tests count from here.
let queryNow = Date(timeIntervalSince1970: TimeInterval(FieldDates.seconds(year: 2026, month: 12, day: 1)))

func sendMeContact(
    _ index: Int, status: String = "ACTIVE", email: String? = nil, tags: [String] = [], country: String = "57",
    company: String = "", created: (Int, Int, Int) = (2025, 6, 1), updated: (Int, Int, Int)? = nil
) -> Contact {
    var fields = tags.map { ContactField.text("tag", $0) }
    fields.append(.text("countryCode", country))
    if !company.isEmpty { fields.append(.text("custom.company", company)) }
    fields.append(ContactField("created", .date(FieldDates.seconds(year: created.0, month: created.1, day: created.2))))
    let changed = updated ?? created
    fields.append(ContactField("updated", .date(FieldDates.seconds(year: changed.0, month: changed.1, day: changed.2))))
    return Contact(
        id: ContactID("id-\(index)"), name: "Person \(index)", phone: "+\(country) 300100\(1000 + index)",
        email: email ?? "p\(index)@example.com", status: status, fields: fields)
}

func store(_ contacts: [Contact], keepsRecords: Bool = false) -> ContactStore {
    var store = ContactStore(keepsRecords: keepsRecords)
    for contact in contacts { store.append(contact) }
    return store
}

func ids(_ store: ContactStore, _ text: String, dialect: Dialect = .sendme123, context: QueryContext = QueryContext(), saved: [String: String] = [:]) throws -> [String] {
    let query = try QueryLanguage(dialect: dialect, now: queryNow, saved: saved).parse(text)
    return store.filter(Array(0..<store.slotCount), query, context: context).map { store.id(at: $0).rawValue }
}

@Suite("Field queries")
struct QueryTests {
    let language = QueryLanguage(dialect: .sendme123, now: queryNow, saved: ["stale": "status:inactive !email:", "loop": "@loop", "a": "status:active @b", "b": "tag:x|@a"])

    /// Issue: a 30,000-deep query (`!!!…a`, or nested parentheses) crashed with a segmentation
    /// fault. Nesting is held to 64, with a clear message.
    @Test func aQueryNestedBeyondReasonIsRefusedNotACrash() throws {
        for deep in [String(repeating: "!", count: 30_000) + "a", String(repeating: "(", count: 30_000) + "a" + String(repeating: ")", count: 30_000)] {
            #expect {
                _ = try language.parse(deep)
            } throws: { ($0 as? QueryError)?.message.contains("more than 64 deep") == true }
        }
        _ = try language.parse(String(repeating: "(", count: 30) + "!!name:ana" + String(repeating: ")", count: 30))
    }

    @Test func orBindsTighterThanAndAndNotAppliesToOneTerm() throws {
        let query = try language.parse("status:blocked|status:inactive !email:")
        guard case .all(let parts) = query.root, parts.count == 2, case .any(let either) = parts[0], either.count == 2,
              case .not(.field(let email)) = parts[1] else {
            Issue.record("read as \(String(describing: query.root))")
            return
        }
        #expect(email.match == .present)
        #expect(try language.parse("(a b)|c").root != nil)
        #expect(try language.parse("  ").isEmpty)
    }

    @Test func mistakesAreSaidNotIgnored() {
        let cases: [(String, String)] = [
            ("stat:inactive", "unknown field “stat”"),
            ("group:Sales", "unknown field “group”"),
            ("(status:inactive", "a ( is not closed"),
            ("status:inactive)", "a ) without its ("),
            ("status:inactive|", "| needs a term on each side"),
            ("|x", "| needs a term on each side"),
            ("! x", "! needs a term"),
            ("locked:maybe", "locked: takes yes or no"),
            ("created:2024-13-01", "created: takes a date"),
            ("created:30d", "is an age: say created:<30d"),
            ("phone:abc", "phone: takes digits"),
            ("name:\"open", "a \" is not closed"),
            ("@nothing", "no saved filter @nothing"),
            ("@loop", "saved filter @loop refers to itself"),
            ("@a", "saved filters refer to each other: @a → @b → @a"),
            ("created:2024..2023", "created:2024..2023 ends before it starts"),
            ("\"\"", "\"\" holds nothing to look for"),
        ]
        for (text, expected) in cases {
            do {
                let query = try language.parse(text)
                Issue.record("\(text) was read as \(String(describing: query.root))")
            } catch {
                #expect(error.message.contains(expected), "\(text): \(error.message)")
            }
        }
        // Easify has its own fields, and says which.
        let easify = QueryLanguage(dialect: .easify, now: queryNow)
        #expect(throws: QueryError.self) { try easify.parse("status:inactive") }
        #expect(throws: Never.self) { try easify.parse("group:\"Sales Team\" shared:yes additional_1:x company:=acme") }
    }

    @Test func plainTextAndPhonesReadAsTheyAlwaysDid() throws {
        #expect(try language.parse("+57 300 100").plainText?.text == "+57 300 100", "a phone number with spaces is one search")
        #expect(try language.parse("pérez").plainText?.text == "pérez")
        #expect(try language.parse("10:30").plainText?.text == "10:30", "a colon after digits is text")
        #expect(try language.parse("ana pérez").plainText == nil, "two words are two terms")
    }

    @Test func fieldsMatchTheirOwnWay() throws {
        let contacts = [
            sendMeContact(0, status: "INACTIVE", email: ""),
            sendMeContact(1, status: "INACTIVE", tags: ["Newsletter", "VIP"], company: "Acme S.A.S."),
            sendMeContact(2, status: "BLOCKED", email: "", country: "1", created: (2023, 12, 31)),
            sendMeContact(3, status: "ACTIVE", tags: ["newsletters"], created: (2024, 1, 1), updated: (2026, 11, 20)),
        ]
        let loaded = store(contacts)
        #expect(try ids(loaded, "status:inactive") == ["id-0", "id-1"], "a status is the whole value, so active is not inactive")
        #expect(try ids(loaded, "status:active") == ["id-3"])
        #expect(try ids(loaded, "status:inactive !email:") == ["id-0"])
        #expect(try ids(loaded, "status:blocked|status:inactive !email:") == ["id-0", "id-2"])
        #expect(try ids(loaded, "!email:") == ["id-0", "id-2"])
        #expect(try ids(loaded, "tag:newsletter") == ["id-1"], "a tag is matched whole, without case")
        #expect(try ids(loaded, "tags:") == ["id-1", "id-3"])
        #expect(try ids(loaded, "created:<2024-01-01") == ["id-2"])
        #expect(try ids(loaded, "created:2024") == ["id-3"])
        #expect(try ids(loaded, "created:2023-12..2024-01") == ["id-2", "id-3"])
        #expect(try ids(loaded, "updated:>30d") == ["id-0", "id-1", "id-2"], "not changed for 30 days")
        #expect(try ids(loaded, "updated:<30d") == ["id-3"])
        #expect(try ids(loaded, "phone:+57") == ["id-0", "id-1", "id-3"])
        #expect(try ids(loaded, "phone:+1") == ["id-2"])
        #expect(try ids(loaded, "phone:1003") == ["id-3"])
        #expect(try ids(loaded, "countrycode:1") == ["id-2"])
        #expect(try ids(loaded, "custom.company:acme") == ["id-1"], "free text is found anywhere in the value, without accents or case")
        #expect(try ids(loaded, "custom.company:=acme") == [])
        #expect(try ids(loaded, "custom.other:") == [], "a field no contact has")
        #expect(try ids(loaded, "!custom.other:") == ["id-0", "id-1", "id-2", "id-3"])
        #expect(try ids(loaded, "@stale", saved: ["stale": "status:inactive !email:"]) == ["id-0"])
        #expect(try ids(loaded, "(person|nobody) !status:active") == ["id-0", "id-1", "id-2"])
        #expect(try ids(loaded, "name:\"person 1\"") == ["id-1"])
    }

    /// Issue: `custom.company:="Acme S.A.S."` found nothing while `custom.company:"Acme S.A.S."`
    /// found it, and `status:="Blocked"` nothing while `status:=blocked` worked: after `:=` the
    /// quotes were read as part of the value.
    @Test func anExactValueInQuotesIsTheWholeValue() throws {
        let loaded = store([
            sendMeContact(0, status: "BLOCKED", company: "Acme S.A.S. Holdings"),
            sendMeContact(1, status: "INACTIVE", company: "Acme S.A.S."),
            sendMeContact(2, company: "Hooli"),
        ])
        #expect(try ids(loaded, "custom.company:=\"Acme S.A.S.\"") == ["id-1"], "the whole value, not a part of it")
        #expect(try ids(loaded, "custom.company:\"Acme S.A.S.\"") == ["id-0", "id-1"], "without = a part is enough")
        #expect(try ids(loaded, "custom.company:=\"hooli\"") == ["id-2"], "without case")
        #expect(try ids(loaded, "custom.company:=hooli") == ["id-2"])
        #expect(try ids(loaded, "status:=\"Blocked\"") == ["id-0"])
        #expect(try ids(loaded, "status:=\"Blocked\"|custom.company:=\"Hooli\" !phone:+1") == ["id-0", "id-2"], "then the query goes on")
        #expect(throws: QueryError.self) { try ids(loaded, "custom.company:=\"Acme") }
    }

    @Test func sessionStatesComeFromTheContext() throws {
        let loaded = store((0..<4).map { sendMeContact($0) })
        let context = QueryContext(locked: [ContactID("id-1")], failed: [ContactID("id-2")], marked: [ContactID("id-0"), ContactID("id-2")])
        #expect(try ids(loaded, "locked:yes", context: context) == ["id-1"])
        #expect(try ids(loaded, "failed:", context: context) == ["id-2"])
        #expect(try ids(loaded, "marked:no", context: context) == ["id-1", "id-3"])
    }

    @Test func easifyFieldsAndSharedContacts() throws {
        func contact(_ index: Int, group: String, shared: Bool, company: String = "") -> Contact {
            var fields = [ContactField.text("group", group)]
            if !company.isEmpty { fields.append(.text("company", company)) }
            return Contact(id: ContactID("\(index)"), name: "E \(index)", phone: "+573001000\(index)", email: "", shared: shared, fields: fields)
        }
        let loaded = store([contact(1, group: "Sales", shared: true), contact(2, group: "Sales Team", shared: false, company: "Globex")])
        #expect(try ids(loaded, "group:\"Sales\"", dialect: .easify) == ["1"])
        #expect(try ids(loaded, "group:sales*", dialect: .easify) == [], "a group is its whole name")
        #expect(try ids(loaded, "shared:yes", dialect: .easify) == ["1"])
        #expect(try ids(loaded, "shared:no company:glob", dialect: .easify) == ["2"])
    }

    @Test func theStoreAgreesWithAReadingOfTheContactsThemselves() throws {
        // Many contacts, values repeating past what is interned and long ones inline.
        var contacts: [Contact] = []
        for index in 0..<3000 {
            let company = index % 7 == 0 ? "" : "Company \(index % 900) " + String(repeating: "x", count: index % 60)
            contacts.append(sendMeContact(
                index, status: ["ACTIVE", "INACTIVE", "BLOCKED"][index % 3], email: index % 5 == 0 ? "" : nil,
                tags: index % 4 == 0 ? ["t\(index % 11)"] : [], company: company, created: (2023 + index % 3, 1 + index % 12, 1 + index % 28)))
        }
        let loaded = store(contacts)
        func expected(_ test: (Contact) -> Bool) -> [String] {
            let found = contacts.filter(test).map(\.id.rawValue)
            #expect(found.count > 0 && found.count < contacts.count, "the reading finds some contacts, not all")
            return found
        }
        func text(_ contact: Contact, _ name: String) -> [String] {
            contact.fields.compactMap { field in
                guard field.name == name, case .text(let value) = field.value else { return nil }
                return value.lowercased()
            }
        }
        func created(_ contact: Contact) -> Int64 {
            contact.fields.compactMap { field -> Int64? in
                if field.name == "created", case .date(let seconds) = field.value { return seconds }
                return nil
            }[0]
        }
        #expect(
            try ids(loaded, "custom.company:company 12")
                == expected { text($0, "custom.company").contains { $0.contains("company") } && FilterQuery("12").matches($0) },
            "a space ends a term: 12 is text of its own")
        #expect(try ids(loaded, "custom.company:\"company 12\"") == expected { text($0, "custom.company").contains { $0.contains("company 12") } })
        #expect(try ids(loaded, "custom.company:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx") == expected { text($0, "custom.company").contains { $0.contains(String(repeating: "x", count: 49)) } })
        #expect(try ids(loaded, "tag:t3|tag:t5") == expected { ["t3", "t5"].contains(text($0, "tag").first ?? "") })
        #expect(try ids(loaded, "!email: status:blocked") == expected { $0.email.isEmpty && $0.status == "BLOCKED" })
        let cutoff = FieldDates.seconds(year: 2024, month: 7, day: 1)
        #expect(try ids(loaded, "created:<2024-07-01 !tag:") == expected { created($0) < cutoff && text($0, "tag").isEmpty })
    }

    @Test func datesAreReadAsTheDialectsWriteThem() {
        #expect(FieldDates.iso8601("2024-03-02T10:04:05.000Z") == FieldDates.seconds(year: 2024, month: 3, day: 2, hour: 10, minute: 4, second: 5))
        #expect(FieldDates.iso8601("2024-03-02T10:04:05+02:00") == FieldDates.seconds(year: 2024, month: 3, day: 2, hour: 8, minute: 4, second: 5))
        #expect(FieldDates.iso8601("2024-03-02") == FieldDates.seconds(year: 2024, month: 3, day: 2))
        #expect(FieldDates.iso8601("yesterday") == nil)
        #expect(FieldDates.easify("12-02-2024 03:34:30 AM") == FieldDates.seconds(year: 2024, month: 12, day: 2, hour: 3, minute: 34, second: 30))
        #expect(FieldDates.easify("12-02-2024 12:04:30 PM") == FieldDates.seconds(year: 2024, month: 12, day: 2, hour: 12, minute: 4, second: 30))
        #expect(FieldDates.easify("12-02-2024 12:04:30 AM") == FieldDates.seconds(year: 2024, month: 12, day: 2, hour: 0, minute: 4, second: 30))
        #expect(FieldDates.easify("13-02-2024 03:34:30 AM") == nil)
        #expect(FieldDates.day(FieldDates.seconds(year: 1969, month: 7, day: 20)) == "1969-07-20")
        #expect(FieldDates.day(FieldDates.seconds(year: 2024, month: 2, day: 29, hour: 23)) == "2024-02-29")
        #expect(FieldDates.seconds(year: 1970, month: 1, day: 1) == 0)
    }
}
