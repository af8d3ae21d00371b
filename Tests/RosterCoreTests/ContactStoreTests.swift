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

    @Test func contactsAcrossManyChunksAndOneBiggerThanAChunkComeBackWhole() {
        var store = ContactStore(keepsRecords: true)
        // A note of two megabytes: bigger than a chunk of the arena, kept whole all the same.
        let note = String(repeating: "ü", count: ByteChunks.chunkSize)
        let big = JSONValue.object(["id": .string("id-500"), "note": .string(note)])
        for index in 0..<20000 { store.append(contact(index, record: index == 500 ? big : .null)) }
        #expect(store.arena.count > 3 * ByteChunks.chunkSize, "the contacts fill several chunks")
        #expect(store.contact(at: 500) == contact(500, record: big))
        for index in stride(from: 0, to: 20000, by: 997) {
            #expect(store.contact(at: index) == contact(index))
            #expect(store.slot(of: ContactID("id-\(index)")) == index)
        }
        #expect(store.filter(Array(0..<20000), FilterQuery("19999 pérez")) == [19999])
    }

    @Test func aCopyOfTheStoreKeepsItsContactsWhileTheOtherGrows() {
        var store = ContactStore(keepsRecords: false)
        for index in 0..<10 { store.append(contact(index)) }
        var copy = store
        for index in 10..<20 { store.append(contact(index)) }
        var other = contact(100)
        other.name = "Only in the copy"
        copy.append(other)
        #expect(copy.liveCount == 11)
        #expect(copy.contact(at: 10).name == "Only in the copy")
        #expect(store.contact(at: 10) == contact(10))
        #expect(store != copy)
        var same = ContactStore(keepsRecords: false)
        for index in 0..<20 { same.append(contact(index)) }
        #expect(store == same, "equal contacts, equal stores, whatever their chunks' history")
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

@Suite("Record encoding")
struct RecordCodecTests {
    @Test func recordsComeBackExactly() {
        var codec = RecordCodec()
        let records: [JSONValue] = (0..<2000).map { index in
            .object([
                "id": .number(Double(2_812_000 + index)), "first_name": .string("Ñandú \(index)"), "company": .string(["Acme", "Globex"][index % 2]),
                "shared_contact": .bool(index % 3 == 0), "additional_1": .null, "score": .number(-1.5e-3),
                "tags": .array([.string("vip"), .object(["nested": .array([.null, .bool(false), .string("\u{1B}[2J")])])]),
                "created_at": .string("2024-0\(index % 9 + 1)-01T00:00:00.000000Z"),
            ])
        }
        var bytes: [UInt8] = []
        var ranges: [Range<Int>] = []
        for record in records {
            let start = bytes.count
            codec.encode(record, into: &bytes)
            ranges.append(start..<bytes.count)
        }
        for (record, range) in zip(records, ranges) { #expect(codec.decode(bytes[range]) == record) }
        #expect(codec.decode(bytes[ranges[0]]) != records[1])
        let json = records.map { $0.jsonText.utf8.count }.reduce(0, +)
        #expect(bytes.count * 2 < json, "binary \(bytes.count) B against JSON \(json) B")
        var zero: [UInt8] = []
        for number in [0.0, -0.0, 1, -1, 2_812_000, 1e15, 0.1, -7.25] {
            zero.removeAll()
            codec.encode(.number(number), into: &zero)
            guard case .number(let back) = codec.decode(zero[...]) else { Issue.record("not a number"); continue }
            #expect(back.bitPattern == number.bitPattern, "\(number)")
        }
    }
}
