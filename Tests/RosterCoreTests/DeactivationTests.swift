import Testing
@testable import RosterCore

@Suite("Deactivating: the soft alternative")
struct DeactivationTests {
    @Test func aLockedRowOffersDeactivateAndItWorks() {
        var state = loadedState()
        let target = state.contacts[0]
        state.locked[target.id] = "Contact cannot be deleted (has pending messages)"
        _ = update(&state, .action(.delete))
        #expect(state.message?.text.hasPrefix("s deactivates instead: Person 0 is locked: Contact cannot") == true)
        _ = update(&state, .action(.deactivate))
        #expect(state.overlay == .confirmDeactivate(target))
        #expect(update(&state, .action(.confirm)) == [.deactivate(target)])
        #expect(state.activity[target.id] == .deactivating)
        var updated = target
        updated.status = "INACTIVE"
        _ = update(&state, .deactivateFinished(target.id, .success(updated)))
        #expect(state.contacts[0].status == "INACTIVE")
        #expect(state.activity.isEmpty)
        #expect(state.locked[target.id] != nil, "still not deletable")
        #expect(state.message?.text == "Deactivated Person 0: it stays on the account, with status INACTIVE, and receives no messages.")
    }

    @Test func anyOtherKeyKeepsTheContactAsItWas() {
        var state = loadedState()
        _ = update(&state, .action(.deactivate))
        #expect(update(&state, .action(.cancel)) == [])
        #expect(state.overlay == .none)
        #expect(state.message?.text.contains("unchanged") == true)
    }

    @Test func easifySaysThereIsNoSoftAlternative() {
        var state = loadedState(dialect: .easify)
        #expect(update(&state, .action(.deactivate)) == [])
        #expect(state.overlay == .none)
        #expect(state.message?.text == "This Easify account offers no soft alternative: contacts can only be deleted.")
        state.locked[state.contacts[0].id] = "Invalid contact id"
        _ = update(&state, .action(.delete))
        #expect(state.message?.text == "No soft alternative on this account: Person 0 is locked: Invalid contact id")
    }

    @Test func a401NamesWhereTheKeyCameFrom() {
        var state = makeState()
        state.session.account.keySource = "environment variable ACME_TOKEN"
        _ = start(&state)
        let error = ProviderError(kind: .unauthorized, status: 401, message: "Missing or invalid API key")
        _ = update(&state, .pageLoaded(page: 1, generation: 0, .failure(error)))
        #expect(state.message?.text.contains("(the API key from the environment variable ACME_TOKEN is missing or invalid)") == true)
    }
}
