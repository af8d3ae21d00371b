import Foundation
import Testing
@testable import RosterCore

/// Two pages: Ana twice (a reformatted phone, across the pages), Bruno three times by email.
private func page(_ number: Int) -> ContactPage {
    func contact(_ id: String, _ name: String, phone: String, email: String, created: Int, extra: Bool = false) -> Contact {
        var fields = [ContactField("created", .date(FieldDates.seconds(year: created, month: 1, day: 1)))]
        if extra { fields.append(.text("custom.company", "Acme")) }
        return Contact(id: ContactID(id), name: name, phone: phone, email: email, status: "ACTIVE", fields: fields)
    }
    let first = [
        contact("ana-1", "Ana", phone: "+57 3001000027", email: "ana@x.com", created: 2024),
        contact("bruno-1", "Bruno", phone: "+1 5550001111", email: "bruno@x.com", created: 2025),
        contact("solo", "Solo", phone: "+44 2079460000", email: "solo@x.com", created: 2020),
    ]
    let second = [
        contact("ana-2", "Ana", phone: "+57 300 100 0027", email: "", created: 2023, extra: true),
        contact("bruno-2", "Bruno", phone: "+1 5550002222", email: " BRUNO@X.COM", created: 2022),
        contact("bruno-3", "Bruno", phone: "+1 5550003333", email: "Bruno@x.com", created: 2021),
    ]
    return ContactPage(contacts: number == 1 ? first : second, page: number, total: 6, hasMore: number == 1)
}

private func session(readOnly: Bool = false) -> AppState {
    var state = makeState(pageSize: 3, listRows: 2)
    state.session.isReadOnly = readOnly
    _ = start(&state)
    _ = update(&state, .pageLoaded(page: 1, generation: 0, .success(page(1))))
    return state
}

private func review(_ state: AppState) -> DuplicatesReview? {
    if case .duplicates(let review) = state.overlay { return review }
    return nil
}

@Suite("The duplicates view")
struct DuplicatesSessionTests {
    @Test func dLoadsTheRestFirstThenProposesAKeeperInEachGroupAndMarksTheOthers() {
        var state = session()
        _ = update(&state, .action(.showDuplicates))
        #expect(review(state) == nil, "not before every page is in")
        #expect(state.message?.text.contains("look for duplicates: 3 more contacts, 1 page request") == true, "\(state.message?.text ?? "")")
        if state.pages.inFlight == nil { _ = update(&state, .action(.moveToBottom)) }
        _ = update(&state, .pageLoaded(page: 2, generation: 0, .success(page(2))))
        let groups = try? #require(review(state)?.groups)
        #expect(groups?.map(\.members) == [["ana-1", "ana-2"], ["bruno-1", "bruno-2", "bruno-3"]].map { $0.map(ContactID.init) })
        #expect(groups?[0].reasons.map(\.sentence) == ["same phone 573001000027"])
        #expect(groups?[1].reasons.map(\.sentence) == ["same email bruno@x.com"])
        #expect(groups?[0].keeper == ContactID("ana-2"), "the more complete record")
        #expect(groups?[1].keeper == ContactID("bruno-3"), "as complete as the others, and the oldest")
        #expect(state.marks == Set(["ana-1", "bruno-1", "bruno-2"].map(ContactID.init)))
        #expect(state.message?.text.hasPrefix("2 groups of duplicates (5 contacts) among 6: 3 marked") == true)
    }

    @Test func kChangesTheKeeperUUnmarksAGroupAndDAsksAsEverBatchDoes() {
        var state = session()
        _ = update(&state, .action(.moveToBottom))
        _ = update(&state, .pageLoaded(page: 2, generation: 0, .success(page(2))))
        _ = update(&state, .action(.showDuplicates))
        _ = update(&state, .action(.moveDown))  // ana-2
        _ = update(&state, .action(.moveDown))  // bruno-1
        _ = update(&state, .action(.makeKeeper))
        #expect(review(state)?.groups[1].keeper == ContactID("bruno-1"))
        #expect(state.marks == Set(["ana-1", "bruno-2", "bruno-3"].map(ContactID.init)))
        _ = update(&state, .action(.moveUp))
        _ = update(&state, .action(.unmarkGroup))
        #expect(state.marks == Set(["bruno-2", "bruno-3"].map(ContactID.init)), "Ana's group: none of it will be deleted")
        _ = update(&state, .action(.delete))
        guard case .confirmBatch(let plan) = state.overlay else {
            Issue.record("d asks first: \(state.overlay)")
            return
        }
        #expect(plan.contacts.map(\.id.rawValue) == ["bruno-2", "bruno-3"])
        #expect(plan.requiresTypedCount)
    }

    @Test func dInTheViewDeletesOnlyItsOwnMarksAndSaysWhatItLeavesOut() {
        var state = session()
        _ = update(&state, .action(.moveToBottom))
        _ = update(&state, .pageLoaded(page: 2, generation: 0, .success(page(2))))
        state.marks.insert(ContactID("solo"))  // marked in the list: no duplicate
        _ = update(&state, .action(.showDuplicates))
        _ = update(&state, .action(.delete))
        guard case .confirmBatch(let plan) = state.overlay else {
            Issue.record("d asks first: \(state.overlay)")
            return
        }
        #expect(plan.contacts.map(\.id.rawValue) == ["ana-1", "bruno-1", "bruno-2"], "Solo is no duplicate")
        #expect(plan.leftOut == 1)
        #expect(state.marks.contains(ContactID("solo")), "and stays marked")
    }

    @Test func theHelpOpenedFromTheViewClosesBackToItAsTheOperatorLeftIt() {
        var state = session()
        _ = update(&state, .action(.moveToBottom))
        _ = update(&state, .pageLoaded(page: 2, generation: 0, .success(page(2))))
        _ = update(&state, .action(.showDuplicates))
        for _ in 0..<2 { _ = update(&state, .action(.moveDown)) }  // bruno-1
        _ = update(&state, .action(.makeKeeper))
        _ = update(&state, .action(.moveUp))  // ana-2
        _ = update(&state, .action(.unmarkGroup))
        let before = review(state)
        _ = update(&state, .action(.toggleHelp))
        #expect(state.overlay == .help(scroll: 0))
        _ = update(&state, .action(.dismiss))
        #expect(review(state) == before, "the same keepers, and the cursor where it was")
        #expect(state.marks == Set(["bruno-2", "bruno-3"].map(ContactID.init)), "Ana's group stays unmarked")
        _ = update(&state, .action(.dismiss))
        _ = update(&state, .action(.toggleHelp))
        _ = update(&state, .action(.toggleHelp))
        #expect(state.overlay == .none, "help opened from the list closes to the list")
    }

    @Test func theViewDoesNotOpenOverWhatTheUserOpenedWhileTheRestLoaded() {
        var state = session()
        _ = update(&state, .action(.showDuplicates))
        _ = update(&state, .action(.startFilter))
        if state.pages.inFlight == nil { _ = update(&state, .action(.typed("z"))) }
        _ = update(&state, .pageLoaded(page: 2, generation: 0, .success(page(2))))
        #expect(review(state) == nil)
        #expect(state.filter.isEditing)
        #expect(state.message?.text == "Every contact is loaded: D shows the duplicates.")
        #expect(state.marks.isEmpty)
    }

    @Test func readOnlyLooksButMarksNothing() {
        var state = session(readOnly: true)
        state.marks = [ContactID("solo")]  // a plan under review marks its contacts
        _ = update(&state, .action(.moveToBottom))
        _ = update(&state, .pageLoaded(page: 2, generation: 0, .success(page(2))))
        _ = update(&state, .action(.showDuplicates))
        #expect(review(state) != nil)
        #expect(state.marks == [ContactID("solo")])
        _ = update(&state, .action(.toggleMark))
        #expect(state.marks == [ContactID("solo")])
        _ = update(&state, .action(.delete))
        #expect(review(state) != nil && state.batch == nil, "a refused key leaves the view as it was")
        #expect(state.message?.text.contains("read-only") == true, "d says why it does nothing")
        _ = update(&state, .action(.dismiss))
        #expect(state.overlay == .none)
        #expect(state.message?.text == "1 marked; read-only: nothing is deleted from here.")
    }

    @Test func noDuplicatesIsSaidPlainly() {
        var state = makeState(pageSize: 10)
        _ = start(&state)
        _ = update(&state, .pageLoaded(page: 1, generation: 0, .success(ContactPage(contacts: sampleContacts(0..<3), page: 1, total: 3, hasMore: false))))
        _ = update(&state, .action(.showDuplicates))
        #expect(state.overlay == .none)
        #expect(state.message?.text == "No duplicates among the 3 contacts: none share a phone number or an email.")
    }
}
