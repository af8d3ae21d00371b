import Foundation
import Testing
@testable import RosterSandbox

@Suite("Sandbox: SendMe123 dialect")
struct SendMe123SandboxTests {
    let key = ["api-key": SandboxConfiguration.demoKey]

    @Test func listsPagesInCreationOrderWithTotals() async throws {
        try await withSandbox(SandboxConfiguration(dialect: .sendme123, contactCount: 25)) { server in
            let first = try await send("GET", server.baseURL + "/api/contacts?page=1&limit=10", headers: key)
            #expect(first.status == 200)
            #expect(first.json["total"] as? Int == 25)
            #expect(first.json["totalPages"] as? Int == 3)
            let data = try #require(first.json["data"] as? [[String: Any]])
            #expect(data.count == 10)
            let last = try await send("GET", server.baseURL + "/api/contacts?page=3&limit=10", headers: key)
            #expect((last.json["data"] as? [Any])?.count == 5)
            let contact = data[0]
            for field in ["id", "name", "lastName", "email", "phone", "countryCode", "status", "tags", "createdAt", "updatedAt"] {
                #expect(contact[field] != nil, "contact has \(field)")
            }
        }
    }

    /// Another client adding a contact: validated, answered 201 with the new contact, last in
    /// creation order.
    @Test func createValidatesAndAppendsTheContact() async throws {
        try await withSandbox(SandboxConfiguration(dialect: .sendme123, contactCount: 3)) { server in
            let json = key.merging(["Content-Type": "application/json"]) { $1 }
            let short = try await send("POST", server.baseURL + "/api/contacts", headers: json, body: #"{"name":"A","phone":"3001112233"}"#)
            #expect(short.status == 422)
            #expect(short.json["message"] as? String == "name must be between 2 and 100 characters")
            let badPhone = try await send("POST", server.baseURL + "/api/contacts", headers: json, body: #"{"name":"Ana","phone":"+573001112233"}"#)
            #expect(badPhone.status == 422)
            let made = try await send(
                "POST", server.baseURL + "/api/contacts", headers: json,
                body: #"{"name":"Ana","lastName":"Pérez","phone":"3001112233","countryCode":"57","email":"ana@example.com","status":"INACTIVE","tagIds":["tag-vip"],"customValues":{"company":"Acme"}}"#)
            #expect(made.status == 201)
            let id = try #require(made.json["id"] as? String)
            let fetched = try await send("GET", server.baseURL + "/api/contacts/\(id)", headers: key)
            #expect(fetched.json["lastName"] as? String == "Pérez")
            #expect(fetched.json["status"] as? String == "INACTIVE")
            #expect((fetched.json["tags"] as? [[String: Any]])?.first?["name"] as? String == "VIP")
            let list = try await send("GET", server.baseURL + "/api/contacts?limit=10", headers: key)
            #expect((list.json["data"] as? [[String: Any]])?.last?["id"] as? String == id, "the newest comes last")
            #expect(list.json["total"] as? Int == 4)
        }
    }

    @Test func pagesAreCappedAtTheLargestPageSize() async throws {
        try await withSandbox(SandboxConfiguration(dialect: .sendme123, contactCount: 150, maxPageSize: 100)) { server in
            let reply = try await send("GET", server.baseURL + "/api/contacts?page=1&limit=1000", headers: key)
            #expect((reply.json["data"] as? [Any])?.count == 100)
            #expect(reply.json["limit"] as? Int == 100)
        }
    }

    @Test func acceptsTheKeyHeaderOrABearerTokenAndRefusesOthers() async throws {
        try await withSandbox(SandboxConfiguration(dialect: .sendme123, contactCount: 3)) { server in
            let url = server.baseURL + "/api/contacts"
            #expect(try await send("GET", url, headers: ["Authorization": "Bearer \(SandboxConfiguration.demoKey)"]).status == 200)
            let missing = try await send("GET", url)
            #expect(missing.status == 401)
            #expect(missing.body == #"{"message":"Missing or invalid API key","statusCode":401}"#)
            #expect(try await send("GET", url, headers: ["api-key": "wrong"]).status == 401)
        }
    }

    @Test func getByIdAnswers200Or400Or404() async throws {
        try await withSandbox(SandboxConfiguration(dialect: .sendme123, contactCount: 3)) { server in
            let list = try await send("GET", server.baseURL + "/api/contacts", headers: key)
            let id = try #require((list.json["data"] as? [[String: Any]])?.first?["id"] as? String)
            let found = try await send("GET", server.baseURL + "/api/contacts/\(id)", headers: key)
            #expect(found.status == 200)
            #expect(found.json["id"] as? String == id)
            let invalid = try await send("GET", server.baseURL + "/api/contacts/not-a-uuid", headers: key)
            #expect(invalid.status == 400)
            #expect(invalid.body == #"{"message":"Invalid contact ID","statusCode":400}"#)
            let missing = try await send("GET", server.baseURL + "/api/contacts/00000000-0000-4000-8000-000000000000", headers: key)
            #expect(missing.status == 404)
            #expect(missing.body == #"{"message":"Contact not found","statusCode":404}"#)
        }
    }

    @Test func deleteAnswersTheDocumentedBodyAndRemovesTheContact() async throws {
        try await withSandbox(SandboxConfiguration(dialect: .sendme123, contactCount: 40)) { server in
            let store = SeedData.contacts(count: 40, seed: 1)
            let deletable = try #require(store.first { !$0.hasPendingMessages })
            let url = server.baseURL + "/api/contacts/\(deletable.uuid)"
            let deleted = try await send("DELETE", url, headers: key)
            #expect(deleted.status == 200)
            #expect(deleted.body == #"{"message":"Contact successfully deleted","deletedContactId":"\#(deletable.uuid)"}"#)
            #expect(try await send("GET", url, headers: key).status == 404)
            #expect(try await send("DELETE", url, headers: key).status == 404)
            #expect(server.contactCount == 39)
        }
    }

    @Test func contactsWithPendingMessagesAnswer409AndCanBeDeactivated() async throws {
        try await withSandbox(SandboxConfiguration(dialect: .sendme123, contactCount: 60)) { server in
            let pending = try #require(SeedData.contacts(count: 60, seed: 1).first { $0.hasPendingMessages })
            let url = server.baseURL + "/api/contacts/\(pending.uuid)"
            let refused = try await send("DELETE", url, headers: key)
            #expect(refused.status == 409)
            #expect(refused.body == #"{"message":"Contact cannot be deleted (has pending messages)","statusCode":409}"#)
            let patched = try await send("PATCH", url, headers: key.merging(["Content-Type": "application/json"]) { $1 }, body: #"{"status":"INACTIVE"}"#)
            #expect(patched.status == 200)
            #expect(patched.json["status"] as? String == "INACTIVE")
            #expect(try await send("GET", url, headers: key).json["status"] as? String == "INACTIVE")
        }
    }

    @Test func rateLimitAnswers429WithRetryAfter() async throws {
        let (first, refused) = try await exhaustTwoRequestQuota(.sendme123, path: "/api/contacts", headers: key) { server in
            let stats = try await send("GET", server.origin + "/_sandbox/stats")
            #expect(stats.json["rateLimited"] as? Int == 1)
            #expect(stats.json["requests"] as? Int == 3)
        }
        #expect(first.header("RateLimit-Limit") == "2")
        #expect(first.header("RateLimit-Remaining") == "1")
        #expect(refused.status == 429)
        #expect(refused.header("RateLimit-Remaining") == "0")
        #expect(Int(refused.header("Retry-After") ?? "") != nil)
    }

    @Test func withoutRateHeadersOnlyA429SaysWhenToRetry() async throws {
        let configuration = SandboxConfiguration(dialect: .sendme123, contactCount: 3, rateLimit: 1, rateWindowSeconds: 60, rateHeaders: SandboxConfiguration.RateHeaderStyle.none)
        try await withSandbox(configuration) { server in
            let url = server.baseURL + "/api/contacts"
            let first = try await send("GET", url, headers: key)
            #expect(first.status == 200)
            #expect(first.headers.keys.allSatisfy { !$0.lowercased().contains("ratelimit") })
            let refused = try await send("GET", url, headers: key)
            #expect(refused.status == 429)
            #expect(Int(refused.header("Retry-After") ?? "") != nil)
            #expect(refused.headers.keys.allSatisfy { !$0.lowercased().contains("ratelimit") })
        }
    }

    @Test func seededDataIsRepeatableAndVaried() {
        let first = SeedData.contacts(count: 300, seed: 7)
        let again = SeedData.contacts(count: 300, seed: 7)
        #expect(first.map(\.uuid) == again.map(\.uuid))
        #expect(first.map(\.uuid) != SeedData.contacts(count: 300, seed: 8).map(\.uuid))
        #expect(Set(first.map(\.uuid)).count == 300)
        #expect(first.contains { $0.hasPendingMessages })
        #expect(first.contains { $0.shared })
        #expect(first.contains { $0.status == "INACTIVE" })
        #expect(first.contains { $0.firstName.unicodeScalars.contains { $0.value > 0x3000 } }, "some names in CJK scripts")
        #expect(first.contains { $0.firstName.contains("é") || $0.lastName.contains("é") }, "some accented names")
    }
}
