import Foundation

/// SendMe123 as API-CONTRACTS.md documents it: `/api/contacts`, `api-key` or Bearer
/// authentication, NestJS-style error bodies (assumed: `{"message","statusCode"}`).
struct SendMe123Dialect: SandboxDialect {
    let apiKey: String
    let maxPageSize: Int
    /// A service that refuses a second contact with a phone it already has.
    var uniquePhones = false

    func presentedKey(_ request: SandboxRequest) -> String? {
        if let key = request.headers["api-key"], !key.isEmpty { return key }
        if let authorization = request.headers["authorization"], authorization.hasPrefix("Bearer ") {
            return String(authorization.dropFirst("Bearer ".count))
        }
        return nil
    }

    func unauthorized() -> SandboxReply {
        error(401, "Missing or invalid API key")
    }

    func tooManyRequests(retryAfterSeconds: Int) -> SandboxReply {
        error(429, "Too many requests, please try again later.")
    }

    func handle(_ request: SandboxRequest, key: String, store: SandboxStore) -> SandboxReply {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.count >= 2, parts[0] == "api", parts[1] == "contacts", parts.count <= 3 else {
            return notFoundRoute(request)
        }
        if parts.count == 2 {
            switch request.method {
            case "GET": return list(request, store: store)
            case "POST": return create(request, store: store)
            default: return notFoundRoute(request)
            }
        }
        let id = parts[2]
        guard isUUID(id) else { return error(400, "Invalid contact ID") }
        switch request.method {
        case "GET":
            guard let contact = store.contact(uuid: id) else { return error(404, "Contact not found") }
            return SandboxReply(200, json(contact))
        case "DELETE":
            guard let contact = store.contact(uuid: id) else { return error(404, "Contact not found") }
            if contact.hasPendingMessages {
                return error(409, "Contact cannot be deleted (has pending messages)")
            }
            store.remove(uuid: id)
            return SandboxReply(200, .object([
                ("message", .string("Contact successfully deleted")),
                ("deletedContactId", .string(id)),
            ]))
        case "PATCH":
            guard store.contact(uuid: id) != nil else { return error(404, "Contact not found") }
            guard let status = statusField(in: request.body) else {
                return error(400, "status must be one of the following values: ACTIVE, INACTIVE, BLOCKED")
            }
            guard let updated = store.setStatus(uuid: id, status: status) else { return error(404, "Contact not found") }
            return SandboxReply(200, json(updated))
        default:
            return notFoundRoute(request)
        }
    }

    /// SendMe123 documents no quota of its own for creating: creations count with the rest.
    func isCreate(_ request: SandboxRequest) -> Bool { false }

    /// `POST /api/contacts`: `name` (2–100 characters) and `phone` (10 digits, no prefix)
    /// required; answers 201 with the new contact. Validation failures are 422s (assumed).
    private func create(_ request: SandboxRequest, store: SandboxStore) -> SandboxReply {
        guard let body = jsonObject(request.body) else { return error(400, "The body must be a JSON object") }
        let name = body["name"] as? String ?? ""
        guard (2...100).contains(name.count) else { return error(422, "name must be between 2 and 100 characters") }
        let phone = body["phone"] as? String ?? ""
        guard phone.count == 10, phone.allSatisfy(\.isASCII), phone.allSatisfy(\.isNumber) else {
            return error(422, "phone must be 10 digits, without the country code")
        }
        let email = body["email"] as? String ?? ""
        guard email.isEmpty || email.contains("@") else { return error(422, "email must be an email") }
        let status = body["status"] as? String ?? "ACTIVE"
        guard ["ACTIVE", "INACTIVE", "BLOCKED"].contains(status) else {
            return error(422, "status must be one of the following values: ACTIVE, INACTIVE, BLOCKED")
        }
        let countryCode = body["countryCode"] as? String ?? ""
        if uniquePhones, store.hasPhone(countryCode: countryCode, digits: phone) {
            return error(409, "A contact with this phone number already exists")
        }
        let tagIDs = body["tagIds"] as? [String] ?? []
        let group = SeedData.groups.first { tagIDs.contains("tag-\($0.lowercased())") } ?? ""
        let created = store.create(SeedContact(
            uuid: "", numericID: 0, firstName: name, lastName: body["lastName"] as? String ?? "", email: email,
            countryCode: countryCode, phone: phone, status: status, hasPendingMessages: false,
            shared: false, groupName: group, company: (body["customValues"] as? [String: Any])?["company"] as? String ?? "",
            createdAt: .now()))
        return SandboxReply(201, json(created))
    }

    private func list(_ request: SandboxRequest, store: SandboxStore) -> SandboxReply {
        guard let page = positiveInt(request.query["page"], default: 1),
              let requested = positiveInt(request.query["limit"], default: 10) else {
            return error(400, "page and limit must be positive integers")
        }
        let limit = min(requested, maxPageSize)
        let result = store.page(page, limit: limit, newestFirst: false, group: nil)
        let totalPages = (result.total + limit - 1) / limit
        return SandboxReply(200, .object([
            ("data", .array(result.contacts.map(json))),
            ("total", .int(result.total)),
            ("page", .int(page)),
            ("limit", .int(limit)),
            ("totalPages", .int(totalPages)),
        ]))
    }

    private func json(_ contact: SeedContact) -> JSONText {
        .object([
            ("id", .string(contact.uuid)),
            ("name", .string(contact.firstName)),
            ("lastName", .string(contact.lastName)),
            ("email", .string(contact.email)),
            ("phone", .string(contact.phoneStyle.written(contact.phone))),
            ("countryCode", .string(contact.countryCode)),
            ("status", .string(contact.status)),
            ("birthDate", .null),
            ("origin", .string("API")),
            ("organizationId", .string("org-roster-sandbox")),
            ("customValues", .object([("company", .string(contact.company))])),
            ("tags", .array(contact.groupName.isEmpty ? [] : [.object([
                ("id", .string("tag-\(contact.groupName.lowercased())")),
                ("name", .string(contact.groupName)),
                ("description", .null),
                ("color", .string("#3b82f6")),
            ])])),
            ("createdAt", .string(contact.createdAt.iso8601)),
            ("updatedAt", .string(contact.createdAt.iso8601)),
        ])
    }

    private func error(_ status: Int, _ message: String) -> SandboxReply {
        SandboxReply(status, .object([("message", .string(message)), ("statusCode", .int(status))]))
    }

    private func notFoundRoute(_ request: SandboxRequest) -> SandboxReply {
        SandboxReply(404, .object([
            ("message", .string("Cannot \(request.method) \(request.path)")),
            ("error", .string("Not Found")),
            ("statusCode", .int(404)),
        ]))
    }

    private func statusField(in body: String) -> String? {
        guard let object = jsonObject(body), let status = object["status"] as? String,
              ["ACTIVE", "INACTIVE", "BLOCKED"].contains(status) else { return nil }
        return status
    }

    private func isUUID(_ text: String) -> Bool {
        let groups = text.split(separator: "-", omittingEmptySubsequences: false)
        guard groups.map(\.count) == [8, 4, 4, 4, 12] else { return false }
        return groups.allSatisfy { $0.allSatisfy(\.isHexDigit) }
    }
}

/// A request body as a JSON object, or nil when it is not one.
func jsonObject(_ body: String) -> [String: Any]? {
    try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
}

func positiveInt(_ text: String?, default fallback: Int) -> Int? {
    guard let text else { return fallback }
    guard let value = Int(text), value >= 1 else { return nil }
    return value
}
