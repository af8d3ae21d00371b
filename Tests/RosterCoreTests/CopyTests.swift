import Foundation
import Testing
@testable import RosterCore

/// Copying what a ticket needs: `y` with marks copies every marked id, one a line, or writes
/// them to a file where they are more than a terminal's clipboard takes; `Y` offers every field.
@Suite("Copy")
struct CopyTests {
    @Test func yWithMarksCopiesEveryMarkedIDOneALine() {
        var state = loadedState(contacts: 10, total: 10)
        _ = update(&state, .action(.moveDown))
        _ = update(&state, .action(.toggleMark))
        _ = update(&state, .action(.toggleMark))
        let effects = update(&state, .action(.copyID))
        let ids = state.rows.prefix(3).dropFirst().map { state.store.contact(at: $0).id.rawValue }
        #expect(effects == [.copyToClipboard(ids.joined(separator: "\n") + "\n")])
        #expect(state.message?.text.hasPrefix("Copied the 2 marked ids, one a line") == true)
    }

    @Test func moreThanTheClipboardTakesIsWrittenToAFile() {
        let contacts = (0..<2000).map { Contact(id: ContactID("5a1c9f0e-77d2-4c1b-9e3a-\(String(format: "%012d", $0))"), name: "P\($0)", phone: "", email: "") }
        var state = makeState(pageSize: 2000)
        _ = start(&state)
        _ = update(&state, .pageLoaded(page: 1, generation: 0, .success(ContactPage(contacts: contacts, page: 1, total: 2000, hasMore: false))))
        _ = update(&state, .action(.markAllShown))
        let effects = update(&state, .action(.copyID))
        guard case .writeText(let text, let path, let what)? = effects.first else {
            Issue.record("expected a file, got \(effects)")
            return
        }
        #expect(text.split(separator: "\n").count == 2000)
        #expect(path.hasPrefix("roster-ids-") && path.hasSuffix(".txt"))
        #expect(what == "2000 marked ids")
    }

    @Test func capitalYOffersEveryFieldTheListGave() {
        let contact = Contact(
            id: ContactID("c1"), name: "Ana", phone: "+573001112233", email: "ana@example.com", status: "ACTIVE",
            fields: [
                .text("tag", "VIP"), .text("tag", "Newsletter"), .text("custom.company", "Acme S.A.S."), .text("countryCode", "57"),
                ContactField("created", .date(1_700_000_000)),
            ])
        var state = makeState(pageSize: 10)
        _ = start(&state)
        _ = update(&state, .pageLoaded(page: 1, generation: 0, .success(ContactPage(contacts: [contact], page: 1, total: 1, hasMore: false))))
        _ = update(&state, .action(.copyField))
        guard case .copyChoice(let choice) = state.overlay else {
            Issue.record("no choice of field")
            return
        }
        let fields = Dictionary(choice.fields.map { ($0.name, $0.value) }) { first, _ in first }
        #expect(fields["tag"] == "VIP, Newsletter")
        #expect(fields["custom.company"] == "Acme S.A.S.")
        #expect(fields["created"] == "2023-11-14")
        #expect(fields["phone"] == "+573001112233")
        #expect(fields["countryCode"] == "57", "named as the provider spells it: \(choice.fields.map(\.name))")
        #expect(fields["countrycode"] == nil)
    }
}
