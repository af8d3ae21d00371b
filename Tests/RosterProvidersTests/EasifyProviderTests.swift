import Testing
import RosterCore
import RosterProviders
import RosterSandbox
import RosterTestSupport

@Suite("Easify provider against the sandbox")
struct EasifyProviderTests {
    @Test func listsNewestFirstWithSharedFlags() async throws {
        try await withProvider(SandboxConfiguration(dialect: .easify, contactCount: 120), pageSize: 50) { provider, _ in
            let first = try await provider.list(page: 1)
            #expect(first.contacts.count == 50 && first.total == 120 && first.hasMore)
            #expect(first.contacts[0].id == ContactID("2812120"))
            #expect(first.contacts.allSatisfy { $0.shared != nil })
            #expect(first.contacts.contains { $0.shared == true })
            let last = try await provider.list(page: 3)
            #expect(last.contacts.count == 20 && !last.hasMore)
        }
    }

    /// A deleted contact's record makes a create call that brings its fields back: the group
    /// found by name, the phone split into country code and number, names cut at 20.
    @Test func aRecordIsRecreatedInItsGroupWithItsFields() async throws {
        try await withProvider(SandboxConfiguration(dialect: .easify, contactCount: 5)) { provider, server in
            let original = try await provider.list(page: 1).contacts[0]
            var record = original.record
            let plan = try await provider.restorePlan(for: record)
            #expect(plan.body["phone_number"]?.stringValue?.isEmpty == false)
            #expect(plan.body["country_code"]?.stringValue?.hasPrefix("+") == true)
            #expect(plan.lost.contains { $0.hasPrefix("its id") })
            _ = try await provider.delete(id: original.id)
            let created = try await provider.create(plan)
            #expect(created.id != original.id)
            for key in ["first_name", "last_name", "phone_number", "email_address", "company", "group_name"] {
                #expect(created.record[key] == original.record[key], "\(key)")
            }
            #expect(server.contactCount == 5)
            // A name too long for the create call is cut, and the plan says what was lost.
            if case .object(var fields) = record {
                fields["first_name"] = .string("Maximiliana Alejandra Josefina")
                record = .object(fields)
            }
            let cut = try await provider.restorePlan(for: record)
            #expect(cut.body["first_name"]?.stringValue == "Maximiliana Alejandr")
            #expect(cut.lost.contains { $0.contains("first_name past 20 characters") })
        }
    }

    @Test func deletesByIntegerIdAndSaysWhenTheIdIsInvalid() async throws {
        try await withProvider(SandboxConfiguration(dialect: .easify, contactCount: 5)) { provider, server in
            let receipt = try await provider.delete(id: ContactID("2812003"))
            #expect(receipt.message == "Contact deleted successfully")
            #expect(server.contactCount == 4)
            let again = await failure { () async throws(ProviderError) in try await provider.delete(id: ContactID("2812003")) }
            #expect(again == ProviderError(kind: .badRequest, status: 400, message: "Invalid contact id", mayMeanGone: true))
            let notNumeric = await failure { () async throws(ProviderError) in try await provider.delete(id: ContactID("abc")) }
            #expect(notNumeric?.kind == .invalidRequest, "refused before anything is sent")
        }
    }

    @Test func accountStatesCarryTheServersMessages() async throws {
        let configuration = SandboxConfiguration(dialect: .easify, contactCount: 5)
        try await withProvider(configuration, key: "expired-subscription-key") { provider, _ in
            let error = await failure { () async throws(ProviderError) in try await provider.delete(id: ContactID("2812001")) }
            #expect(error == ProviderError(kind: .paymentRequired, status: 402, message: "You need to recharge your account to proceed"))
        }
        try await withProvider(configuration, key: "basic-plan-key") { provider, _ in
            let error = await failure { () async throws(ProviderError) in try await provider.list(page: 1) }
            #expect(error?.kind == .forbidden)
            #expect(error?.message.hasPrefix("Access denied. Your current plan") == true)
        }
        try await withProvider(configuration, key: "nope") { provider, _ in
            let error = await failure { () async throws(ProviderError) in try await provider.list(page: 1) }
            #expect(error == ProviderError(kind: .unauthorized, status: 401, message: "Unauthenticated"))
        }
    }

    @Test func aProfileCanMapDeactivateToTheUpdateCall() async throws {
        let server = try await SandboxServer.start(SandboxConfiguration(dialect: .easify, contactCount: 5))
        let transport = HTTPTransport(baseURL: server.baseURL, authScheme: .bearer, apiKey: SandboxConfiguration.demoKey)
        let provider = EasifyProvider(transport: transport, deactivateFields: ["additional_3": "inactive"])
        #expect(provider.capabilities.canDeactivate)
        let contact = try await provider.list(page: 1).contacts[0]
        let updated = try await provider.deactivate(contact)
        #expect(updated.id == contact.id)
        #expect(updated.record["additional_3"]?.stringValue == "inactive")
        #expect(updated.name == contact.name, "the required first name is sent unchanged")
        let listed = try await provider.list(page: 1).contacts[0]
        #expect(listed.record["additional_3"]?.stringValue == "inactive")
        await server.stop()
    }

    @Test func withoutAMappingThereIsNoSoftAlternative() async throws {
        try await withProvider(SandboxConfiguration(dialect: .easify, contactCount: 5)) { provider, _ in
            let contact = try await provider.list(page: 1).contacts[0]
            let error = await failure { () async throws(ProviderError) in try await provider.deactivate(contact) }
            #expect(error?.kind == .invalidRequest)
            #expect(error?.message == "this Easify account offers no soft alternative to deleting")
        }
    }

    @Test func lookUpIsNotOffered() async throws {
        try await withProvider(SandboxConfiguration(dialect: .easify, contactCount: 5)) { provider, _ in
            #expect(!provider.capabilities.canLookUp)
            #expect(!provider.capabilities.canDeactivate)
        }
    }
}
