import Foundation
import FuzzDriver
import RosterCore

/// A query as typed in the filter prompt, `--where` or a saved filter: parsed or refused with
/// a message, and a parsed one run over a few contacts, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzQuery(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = bytes else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    let dialect: Dialect = count % 2 == 0 ? .sendme123 : .easify
    let language = QueryLanguage(
        dialect: dialect, now: Date(timeIntervalSince1970: 1_790_000_000), saved: ["stale": "created:>90d", "loop": "@loop"],
        transliterating: count % 3 == 0)
    guard let query = try? language.parse(text) else { return 0 }
    var store = ContactStore(keepsRecords: true)
    var slots: [Int] = []
    for contact in Samples.contacts { if let slot = store.append(contact) { slots.append(slot) } }
    _ = store.filter(slots, query)
    return 0
}

enum Samples {
    static let contacts: [Contact] = [
        Contact(
            id: ContactID("c1"), name: "Ana Pérez", phone: "+57 300 123 4567", email: "ana+news@example.com", status: "ACTIVE",
            record: .object(["id": .string("c1")]),
            fields: [.text("tag", "vip"), .text("custom.company", "Acme S.A.S."), ContactField("created", .date(1_700_000_000))]),
        Contact(id: ContactID("2"), name: "Дмитрий Иванов", phone: "", email: "", status: nil, shared: true, record: .null),
    ]
}

@_cdecl("fuzz_query_main")
public func fuzz_query_main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzQuery)
}
