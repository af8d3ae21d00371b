import Foundation
import Testing
@testable import RosterSandbox

@Suite("Sandbox: Easify dialect")
struct EasifySandboxTests {
    let bearer = ["Authorization": "Bearer \(SandboxConfiguration.demoKey)"]

    @Test func listIsLaravelsPaginatorNewestFirstByDefault() async throws {
        try await withSandbox(SandboxConfiguration(dialect: .easify, contactCount: 25)) { server in
            let reply = try await send("GET", server.baseURL + "/contacts?page=2", headers: bearer)
            #expect(reply.status == 200)
            #expect(reply.json["status"] as? Bool == true)
            #expect(reply.json["message"] as? String == "Contacts")
            let data = try #require(reply.json["data"] as? [[String: Any]])
            #expect(data.count == 10, "default limit is 10")
            #expect(data.first?["id"] as? Int == 2_812_015, "desc order: page 2 starts at the 15th newest")
            let meta = try #require(reply.json["meta"] as? [String: Any])
            #expect(meta["current_page"] as? Int == 2)
            #expect(meta["last_page"] as? Int == 3)
            #expect(meta["per_page"] as? Int == 10)
            #expect(meta["total"] as? Int == 25)
            #expect(meta["from"] as? Int == 11)
            #expect(meta["to"] as? Int == 20)
            let links = try #require(reply.json["links"] as? [String: Any])
            #expect((links["next"] as? String)?.hasSuffix("/api/v2/contacts?page=3") == true)
            #expect((links["prev"] as? String)?.hasSuffix("/api/v2/contacts?page=1") == true)
            for field in ["id", "group_name", "first_name", "last_name", "phone_number", "email_address", "company",
                          "additional_1", "additional_2", "additional_3", "shared_contact", "created_at", "updated_at"] {
                #expect(data[0][field] != nil, "contact has \(field)")
            }
            let created = try #require(data[0]["created_at"] as? String)
            #expect(created.range(of: #"^\d\d-\d\d-\d{4} \d\d:\d\d:\d\d (AM|PM)$"#, options: .regularExpression) != nil)
            let ascending = try await send("GET", server.baseURL + "/contacts?order=asc&limit=5", headers: bearer)
            #expect((ascending.json["data"] as? [[String: Any]])?.first?["id"] as? Int == 2_812_001)
        }
    }

    /// Another client adding contacts: Laravel's validation, the new contact newest first,
    /// and creating's own quota of a quarter of the rest (15 against 60).
    @Test func createValidatesAddsNewestFirstAndHasItsOwnQuota() async throws {
        // A day's window: the fixed windows are aligned to the clock, and a minute's could end
        // between two of the test's requests on a slow machine.
        try await withSandbox(SandboxConfiguration(dialect: .easify, contactCount: 5, rateLimit: 16, rateWindowSeconds: 86_400)) { server in
            let json = bearer.merging(["Content-Type": "application/json"]) { $1 }
            let missing = try await send("POST", server.baseURL + "/contacts/create", headers: json, body: #"{"first_name":"Ana"}"#)
            #expect(missing.status == 422)
            #expect(missing.json["message"] as? String == "The group id field is required.")
            let long = try await send(
                "POST", server.baseURL + "/contacts/create", headers: json,
                body: #"{"group_id":1,"first_name":"Maximiliana Alejandra","email_address":"a@example.com"}"#)
            #expect(long.status == 422)
            #expect((long.json["errors"] as? [String: Any])?["first_name"] != nil)
            let noCode = try await send(
                "POST", server.baseURL + "/contacts/create", headers: json, body: #"{"group_id":1,"first_name":"Ana","phone_number":"3001112233"}"#)
            #expect(noCode.json["message"] as? String == "The country code field is required when phone number is present.")
            let made = try await send(
                "POST", server.baseURL + "/contacts/create", headers: json,
                body: #"{"group_id":2,"first_name":"Ana","last_name":"Pérez","country_code":"+57","phone_number":"3001112233","company":"Acme"}"#)
            #expect(made.status == 200)
            #expect(made.json["message"] as? String == "Contact created successfully")
            let data = try #require(made.json["data"] as? [String: Any])
            #expect(data["id"] as? Int == 2_812_006)
            #expect(data["phone_number"] as? String == "+573001112233")
            #expect(data["group_name"] as? String == "Leads")
            let first = try await send("GET", server.baseURL + "/contacts?limit=1", headers: bearer)
            #expect((first.json["data"] as? [[String: Any]])?.first?["id"] as? Int == 2_812_006, "newest first")
            // Four creations were answered above (the 422s count too): the quota of 16 / 4 is spent.
            #expect(made.header("X-RateLimit-Limit") == "4")
            let refused = try await send(
                "POST", server.baseURL + "/contacts/create", headers: json, body: #"{"group_id":1,"first_name":"Bo","email_address":"b@example.com"}"#)
            #expect(refused.status == 429)
            #expect(try await send("GET", server.baseURL + "/contacts", headers: bearer).status == 200, "the rest has its own quota")
            let groups = try await send("GET", server.baseURL + "/contact-groups", headers: bearer)
            #expect((groups.json["data"] as? [[String: Any]])?.map { $0["name"] as? String } == SeedData.groups.map { $0 })
        }
    }

    @Test func deleteAnswersTheDocumentedBodies() async throws {
        try await withSandbox(SandboxConfiguration(dialect: .easify, contactCount: 5)) { server in
            let url = server.baseURL + "/contacts/delete"
            let deleted = try await send("DELETE", url + "?contact_id=2812001", headers: bearer)
            #expect(deleted.status == 200)
            #expect(deleted.body == #"{"status":true,"message":"Contact deleted successfully","data":[]}"#)
            #expect(server.contactCount == 4)
            let byBody = try await send("DELETE", url, headers: bearer.merging(["Content-Type": "application/json"]) { $1 }, body: #"{"contact_id":2812002}"#)
            #expect(byBody.status == 200)
            let missing = try await send("DELETE", url, headers: bearer)
            #expect(missing.status == 422)
            #expect(missing.body == #"{"message":"The contact id field is required.","errors":{"contact_id":["The contact id field is required."]}}"#)
            let invalid = try await send("DELETE", url + "?contact_id=abc", headers: bearer)
            #expect(invalid.status == 400)
            #expect(invalid.body == #"{"status":false,"message":"Invalid contact id","errors":[]}"#)
            #expect(try await send("DELETE", url + "?contact_id=2812001", headers: bearer).status == 400, "already deleted")
        }
    }

    @Test func authenticationAndAccountStatesAnswerTheDocumentedBodies() async throws {
        try await withSandbox(SandboxConfiguration(dialect: .easify, contactCount: 5)) { server in
            let url = server.baseURL + "/contacts/delete?contact_id=2812001"
            let unauthenticated = try await send("DELETE", url)
            #expect(unauthenticated.status == 401)
            #expect(unauthenticated.body == #"{"status":false,"message":"Unauthenticated","errors":[]}"#)
            #expect(try await send("DELETE", url, headers: ["api-key": SandboxConfiguration.demoKey]).status == 401)
            let expired = try await send("DELETE", url, headers: ["Authorization": "Bearer expired-subscription-key"])
            #expect(expired.status == 402)
            #expect(expired.body == #"{"status":false,"message":"You need to recharge your account to proceed","errors":[]}"#)
            let basic = try await send("DELETE", url, headers: ["Authorization": "Bearer basic-plan-key"])
            #expect(basic.status == 403)
            #expect(basic.body == #"{"status":false,"message":"Access denied. Your current plan does not allow access to this feature. Please upgrade to the Enterprise plan.","errors":[]}"#)
            #expect(server.contactCount == 5)
        }
    }

    @Test func rateLimitSendsLaravelHeadersAndTheDocumentedBody() async throws {
        let (first, refused) = try await exhaustTwoRequestQuota(.easify, path: "/contacts", headers: bearer)
        #expect(first.header("X-RateLimit-Limit") == "2")
        #expect(first.header("X-RateLimit-Remaining") == "1")
        #expect(refused.status == 429)
        let retryAfter = try #require(Int(refused.header("Retry-After") ?? ""))
        #expect((1...86_400).contains(retryAfter))
        #expect(refused.body == #"{"status":false,"message":"Too many requests. Try again in \#(retryAfter) seconds","errors":[]}"#)
        let reset = try #require(Double(refused.header("X-RateLimit-Reset") ?? ""))
        #expect(abs(reset - Date().timeIntervalSince1970 - Double(retryAfter)) <= 2)
    }

    @Test func aShortWindowLetsRequestsThroughAgain() async throws {
        try await withSandbox(SandboxConfiguration(dialect: .easify, contactCount: 3, rateLimit: 1, rateWindowSeconds: 1)) { server in
            let url = server.baseURL + "/contacts"
            _ = try await send("GET", url, headers: bearer)
            var status = try await send("GET", url, headers: bearer).status
            if status == 429 {
                try await Task.sleep(nanoseconds: 1_100_000_000)
                status = try await send("GET", url, headers: bearer).status
            }
            #expect(status == 200)
        }
    }
}
