import Synchronization
import Testing
import RosterCore
import RosterProviders
import RosterSandbox
import RosterTestSupport

@Suite("SendMe123 provider against the sandbox")
struct SendMe123ProviderTests {
    /// A deleted contact's record makes a create call that brings its fields back.
    @Test func aRecordIsRecreatedWithItsFields() async throws {
        try await withProvider(SandboxConfiguration(dialect: .sendme123, contactCount: 5)) { provider, _ in
            let original = try await provider.lookUp(id: provider.list(page: 1).contacts[0].id)
            let plan = try await provider.restorePlan(for: original.record)
            #expect(plan.body["tagIds"] != nil)
            _ = try await provider.delete(id: original.id)
            let created = try await provider.create(plan)
            #expect(created.id != original.id)
            for key in ["name", "lastName", "phone", "countryCode", "email", "status", "tags", "customValues"] {
                #expect(created.record[key] == original.record[key], "\(key)")
            }
            let bad = await failure { () async throws(ProviderError) in try await provider.restorePlan(for: .object(["name": .string("A")])) }
            #expect(bad?.kind == .invalidRequest)
        }
    }

    /// Issue: the ids `.` and `..` were sent as path segments (`DELETE /api/contacts/..`).
    @Test func idsThatNameAnotherPathAreRefusedBeforeSending() async throws {
        try await withProvider(SandboxConfiguration(dialect: .sendme123, contactCount: 5)) { provider, server in
            for id in [".", "..", "", " "] {
                let deleted = await failure { () async throws(ProviderError) in try await provider.delete(id: ContactID(id)) }
                #expect(deleted?.kind == .invalidRequest, "\(id)")
                let looked = await failure { () async throws(ProviderError) in try await provider.lookUp(id: ContactID(id)) }
                #expect(looked?.kind == .invalidRequest, "\(id)")
            }
            #expect(server.contactCount == 5)
        }
    }

    @Test func listsEveryContactPageByPage() async throws {
        try await withProvider(SandboxConfiguration(dialect: .sendme123, contactCount: 250), pageSize: 100) { provider, _ in
            let first = try await provider.list(page: 1)
            #expect(first.contacts.count == 100 && first.total == 250 && first.hasMore)
            let third = try await provider.list(page: 3)
            #expect(third.contacts.count == 50 && !third.hasMore)
            let contact = first.contacts[0]
            #expect(contact.id.rawValue.count == 36)
            #expect(contact.phone.hasPrefix("+"))
            #expect(["ACTIVE", "INACTIVE", "BLOCKED"].contains(contact.status ?? ""))
            #expect(contact.record["organizationId"] != nil, "the full record is kept")
        }
    }

    @Test(arguments: [SandboxConfiguration.Dialect.sendme123, .easify])
    func largePagesAreAskedForAndTheServersCapIsFollowed(dialect: SandboxConfiguration.Dialect) async throws {
        try await withProvider(SandboxConfiguration(dialect: dialect, contactCount: 130, maxPageSize: 50), pageSize: 1000) { provider, _ in
            let first = try await provider.list(page: 1)
            #expect(first.contacts.count == 50 && first.pageSize == 50 && first.hasMore)
            var state = AppState(
                account: AccountInfo(profile: "t", dialect: dialect == .easify ? .easify : .sendme123, baseURL: "x", isDemo: false),
                capabilities: provider.capabilities)
            _ = start(&state)
            _ = update(&state, .pageLoaded(page: 1, generation: 0, .success(first)))
            #expect(state.nextPageNumber == 2, "page numbers follow the server's 50, not the 1000 asked for")
            let third = try await provider.list(page: 3)
            #expect(third.contacts.count == 30 && !third.hasMore)
        }
    }

    @Test func looksUpAndDeletes() async throws {
        try await withProvider(SandboxConfiguration(dialect: .sendme123, contactCount: 30)) { provider, server in
            let contacts = try await provider.list(page: 1).contacts
            var deletable: Contact?
            for contact in contacts where deletable == nil {
                if await failure({ () async throws(ProviderError) in try await provider.delete(id: contact.id) }) == nil {
                    deletable = contact
                }
            }
            let deleted = try #require(deletable)
            #expect(server.contactCount == 29)
            let gone = await failure { () async throws(ProviderError) in try await provider.lookUp(id: deleted.id) }
            #expect(gone == ProviderError(kind: .notFound, status: 404, message: "Contact not found"))
            let again = await failure { () async throws(ProviderError) in try await provider.delete(id: deleted.id) }
            #expect(again?.kind == .notFound)
            let fresh = try await provider.lookUp(id: contacts.last!.id)
            #expect(fresh == contacts.last!)
        }
    }

    @Test func pendingMessagesAnswerConflictWithTheServersMessage() async throws {
        try await withProvider(SandboxConfiguration(dialect: .sendme123, contactCount: 100, rateLimit: 1000)) { provider, server in
            var conflicts: [ProviderError] = []
            for contact in try await provider.list(page: 1).contacts {
                if let error = await failure({ () async throws(ProviderError) in try await provider.delete(id: contact.id) }) {
                    conflicts.append(error)
                }
            }
            #expect(!conflicts.isEmpty)
            #expect(conflicts.allSatisfy {
                $0 == ProviderError(kind: .conflict, status: 409, message: "Contact cannot be deleted (has pending messages)")
            })
            #expect(server.contactCount == conflicts.count)
        }
    }

    @Test func deactivateSetsTheStatusInactive() async throws {
        try await withProvider(SandboxConfiguration(dialect: .sendme123, contactCount: 5)) { provider, _ in
            let contact = try await provider.list(page: 1).contacts.first { $0.status == "ACTIVE" }!
            let updated = try await provider.deactivate(contact)
            #expect(updated.id == contact.id && updated.status == "INACTIVE")
            #expect(try await provider.lookUp(id: contact.id).status == "INACTIVE")
        }
    }

    @Test func serverErrorsAndDroppedAnswersAreRetriedSafely() async throws {
        var faults = SandboxConfiguration.Faults()
        faults.serverErrors = 0.1
        faults.drops = 0.1
        let configuration = SandboxConfiguration(dialect: .sendme123, contactCount: 60, rateLimit: 100_000, faults: faults)
        var listed: [Contact] = []
        try await withProvider(configuration) { provider, server in
            listed = try await provider.list(page: 1).contacts
            #expect(listed.count == 60, "the page got through despite the faults")
            var deleted = 0
            for contact in listed {
                if (try? await provider.delete(id: contact.id)) != nil { deleted += 1 }
            }
            #expect(server.contactCount <= 60 - deleted, "every delete reported done really happened")
        }
    }

    @Test func aBadKeyIsUnauthorized() async throws {
        try await withProvider(SandboxConfiguration(dialect: .sendme123, contactCount: 3), key: "wrong") { provider, _ in
            let error = await failure { () async throws(ProviderError) in try await provider.list(page: 1) }
            #expect(error == ProviderError(kind: .unauthorized, status: 401, message: "Missing or invalid API key"))
        }
    }

    @Test func anInvalidIdIsABadRequest() async throws {
        try await withProvider(SandboxConfiguration(dialect: .sendme123, contactCount: 3)) { provider, _ in
            let error = await failure { () async throws(ProviderError) in try await provider.lookUp(id: ContactID("../../etc")) }
            #expect(error == ProviderError(kind: .badRequest, status: 400, message: "Invalid contact ID"))
        }
    }

    @Test func headroomFollowsEveryResponseAndA429IsWaitedOut() async throws {
        let seen = Mutex<[Headroom]>([])
        let configuration = SandboxConfiguration(dialect: .sendme123, contactCount: 3, rateLimit: 2, rateWindowSeconds: 1)
        try await withProvider(configuration, onHeadroom: { headroom in seen.withLock { $0.append(headroom) } }) { provider, server in
            for _ in 0..<3 { _ = try await provider.list(page: 1) }
            let figures = seen.withLock { $0 }
            #expect(figures.first?.limit == 2)
            #expect(figures.first?.remaining == 1)
            #expect(figures.allSatisfy { $0.source == .server })
            #expect(server.contactCount == 3)
        }
    }

    @Test func nothingListeningIsANetworkError() async throws {
        let transport = HTTPTransport(baseURL: "http://127.0.0.1:9", authScheme: .header("api-key"), apiKey: "k")
        let provider = SendMe123Provider(transport: transport)
        let error = await failure { () async throws(ProviderError) in try await provider.list(page: 1) }
        #expect(error?.kind == .network)
        #expect(error?.status == nil)
    }
}
