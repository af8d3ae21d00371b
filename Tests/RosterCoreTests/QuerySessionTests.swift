import Foundation
import Testing
@testable import RosterCore

/// Page `page` of three pages of ten: every third contact is inactive, every fourth has no email.
private func queryPage(_ page: Int) -> ContactPage {
    let contacts = (0..<10).map { offset -> Contact in
        let index = (page - 1) * 10 + offset
        return sendMeContact(index, status: index % 3 == 0 ? "INACTIVE" : "ACTIVE", email: index % 4 == 0 ? "" : nil)
    }
    return ContactPage(contacts: contacts, page: page, total: 30, hasMore: page < 3)
}

private func firstPageLoaded() -> AppState {
    var state = makeState(pageSize: 10, listRows: 5)
    state.session.savedFilters = ["stale": "status:inactive !email:", "sales": "tag:sales"]
    _ = update(&state, .tick(queryNow))
    _ = start(&state)
    _ = update(&state, .pageLoaded(page: 1, generation: 0, .success(queryPage(1))))
    return state
}

private func type(_ text: String, into state: inout AppState) {
    for character in text { _ = update(&state, .action(.typed(character))) }
}

private func shown(_ state: AppState) -> [String] { state.rows.map { state.store.id(at: $0).rawValue } }

@Suite("Field queries in the session")
struct QuerySessionTests {
    @Test func aQueryFiltersAsItIsTypedAndAMistakeKeepsTheRowsAndSaysWhy() {
        var state = firstPageLoaded()
        _ = update(&state, .action(.startFilter))
        type("status:inactive", into: &state)
        #expect(shown(state) == ["id-0", "id-3", "id-6", "id-9"])
        type(" !emai", into: &state)
        #expect(state.filter.error == nil, "!emai is text: not yet a mistake")
        type("l:", into: &state)
        #expect(shown(state) == ["id-0"])
        type(" |", into: &state)
        #expect(state.filter.error?.message == "| needs a term on each side")
        #expect(shown(state) == ["id-0"], "the rows stay as the last query that could be read")
        #expect(state.filter.query.text == "status:inactive !email: ")
        _ = update(&state, .action(.submit))
        #expect(state.filter.isEditing, "Enter does not keep a query with a mistake")
        #expect(state.message?.text.contains("not applied") == true)
        _ = update(&state, .action(.backspace))
        _ = update(&state, .action(.submit))
        #expect(!state.filter.isEditing)
        #expect(state.filter.isActive)
    }

    @Test func aPasteLongerThanAQueryLineStopsAtItsLimitAndSaysSo() {
        var state = firstPageLoaded()
        _ = update(&state, .action(.startFilter))
        type(String(repeating: "status:inactive     ", count: 1000), into: &state)
        #expect(state.filter.typed.count == FilterState.maxLength)
        #expect(state.message?.text == "The filter holds 500 characters at most: the rest was not typed.")
        #expect(shown(state) == ["id-0", "id-3", "id-6", "id-9"], "what fitted is still a query")
        _ = update(&state, .action(.backspace))
        type("x", into: &state)
        #expect(state.filter.typed.hasSuffix("x"), "room again after a backspace")
    }

    @Test func tabCompletesTheTagsAndGroupsTheLoadedContactsHave() {
        var state = makeState(pageSize: 10, listRows: 5)
        _ = start(&state)
        let tagged = [("a", "Newsletter"), ("b", "VIP"), ("c", "Nightly Import"), ("d", "Newsletter")].map { id, tag in
            Contact(id: ContactID(id), name: id, phone: "", email: "", fields: [.text("tag", tag)])
        }
        _ = update(&state, .pageLoaded(page: 1, generation: 0, .success(ContactPage(contacts: tagged, page: 1, total: 4, hasMore: false))))
        _ = update(&state, .action(.startFilter))
        type("tag:", into: &state)
        _ = update(&state, .action(.complete))
        #expect(state.filter.hint == "tag:Newsletter  tag:\"Nightly Import\"  tag:VIP")
        type("vi", into: &state)
        _ = update(&state, .action(.complete))
        #expect(state.filter.typed == "tag:VIP ")
        #expect(shown(state) == ["b"])
        type("!tag:nig", into: &state)
        _ = update(&state, .action(.complete))
        #expect(state.filter.typed == "tag:VIP !tag:\"Nightly Import\" ", "a value with a space is quoted")
        #expect(state.filter.error == nil)
    }

    @Test func aStatusNoLoadedContactHasIsSaidWhileTyping() {
        var state = firstPageLoaded()
        _ = update(&state, .action(.startFilter))
        type("!email: status:inactve", into: &state)
        #expect(state.filter.error == nil)
        #expect(state.filter.notice == "no loaded contact has status “inactve” (they have inactive, active)")
        _ = update(&state, .action(.backspace))
        _ = update(&state, .action(.backspace))
        type("ive", into: &state)
        #expect(state.filter.typed == "!email: status:inactive")
        #expect(state.filter.notice == nil)
    }

    @Test func tabCompletesFieldsValuesAndSavedFilters() {
        var state = firstPageLoaded()
        _ = update(&state, .action(.startFilter))
        type("!sta", into: &state)
        _ = update(&state, .action(.complete))
        #expect(state.filter.typed == "!status:")
        type("in", into: &state)
        _ = update(&state, .action(.complete))
        #expect(state.filter.typed == "!status:inactive ")
        type("@", into: &state)
        _ = update(&state, .action(.complete))
        #expect(state.filter.hint == "@sales  @stale")
        #expect(state.filter.typed == "!status:inactive @s", "as far as they agree")
        type("t", into: &state)
        _ = update(&state, .action(.complete))
        #expect(state.filter.typed == "!status:inactive @stale ")
        #expect(shown(state) == [], "inactive and not inactive")
        type("x", into: &state)
        _ = update(&state, .action(.complete))
        #expect(state.filter.hint == "nothing to complete for “x”")
        #expect(state.filter.error == nil)
    }

    @Test func plusLoadsEveryPageFirstSayingWhatItCostsThenMarksEveryMatch() {
        var state = firstPageLoaded()
        _ = update(&state, .action(.startFilter))
        type("@stale", into: &state)
        _ = update(&state, .action(.submit))
        #expect(shown(state) == ["id-0"])
        _ = update(&state, .action(.markAllShown))
        #expect(state.pages.inFlight == 2)
        #expect(state.marks.isEmpty, "nothing is marked until every page is in")
        #expect(state.message?.text.contains("20 more contacts, 2 page requests") == true, "\(state.message?.text ?? "")")
        let next = update(&state, .pageLoaded(page: 2, generation: 0, .success(queryPage(2))))
        #expect(next == [.fetchPage(page: 3, generation: 0)])
        #expect(state.message?.text.contains("20 of 30 loaded") == true)
        _ = update(&state, .pageLoaded(page: 3, generation: 0, .success(queryPage(3))))
        #expect(state.marks == Set(["id-0", "id-12", "id-24"].map(ContactID.init)))
        #expect(state.message?.text.contains("Marked 3 more contacts matching “@stale” across the account") == true)
    }

    @Test func escStopsTheLoadingAndMarksNothing() {
        var state = firstPageLoaded()
        _ = update(&state, .action(.markAllShown))
        _ = update(&state, .action(.dismiss))
        #expect(state.whenAccountLoaded.isEmpty)
        #expect(state.message?.text.contains("nothing was marked") == true)
        _ = update(&state, .pageLoaded(page: 2, generation: 0, .success(queryPage(2))))
        #expect(state.marks.isEmpty)
    }

    @Test func aPageThatFailsMarksNothingAndSaysSo() {
        var state = firstPageLoaded()
        _ = update(&state, .action(.markAllShown))
        _ = update(&state, .pageLoaded(page: 2, generation: 0, .failure(ProviderError(kind: .server, status: 500, message: "boom"))))
        #expect(state.whenAccountLoaded.isEmpty)
        #expect(state.marks.isEmpty)
        #expect(state.message?.text.hasSuffix("Nothing was marked; + tries again.") == true)
    }

    @Test func withEveryPageLoadedPlusMarksAtOnce() {
        var state = firstPageLoaded()
        _ = update(&state, .pageLoaded(page: 2, generation: 0, .success(queryPage(2))))
        _ = update(&state, .action(.moveToBottom))
        _ = update(&state, .pageLoaded(page: 3, generation: 0, .success(queryPage(3))))
        #expect(state.pages.allLoaded)
        _ = update(&state, .action(.startFilter))
        type("!email:", into: &state)
        _ = update(&state, .action(.submit))
        #expect(update(&state, .action(.markAllShown)) == [])
        #expect(state.marks.count == 8)
    }
}
