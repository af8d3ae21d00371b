import Foundation

/// Easify API v2 as API-CONTRACTS.md documents it: Bearer authentication, Laravel's paginator
/// for the list, and the delete endpoint's exact error bodies.
struct EasifyDialect: SandboxDialect {
    let apiKey: String
    let maxPageSize: Int
    let restrictedKeys: [String: SandboxConfiguration.AccountRestriction]
    /// A service that refuses a second contact with a phone it already has.
    var uniquePhones = false

    func presentedKey(_ request: SandboxRequest) -> String? {
        guard let authorization = request.headers["authorization"], authorization.hasPrefix("Bearer ") else { return nil }
        return String(authorization.dropFirst("Bearer ".count))
    }

    func unauthorized() -> SandboxReply {
        SandboxReply(401, raw: #"{"status":false,"message":"Unauthenticated","errors":[]}"#)
    }

    func tooManyRequests(retryAfterSeconds: Int) -> SandboxReply {
        failure(429, "Too many requests. Try again in \(retryAfterSeconds) seconds")
    }

    func handle(_ request: SandboxRequest, key: String, store: SandboxStore) -> SandboxReply {
        switch restrictedKeys[key] {
        case .subscriptionEnded:
            return failure(402, "You need to recharge your account to proceed")
        case .notEnterprise:
            return failure(403, "Access denied. Your current plan does not allow access to this feature. Please upgrade to the Enterprise plan.")
        case nil:
            break
        }
        switch (request.method, request.path) {
        case ("GET", "/api/v2/contacts"):
            return list(request, store: store)
        case ("DELETE", "/api/v2/contacts/delete"):
            return delete(request, store: store)
        case ("PATCH", "/api/v2/contacts/update"), ("POST", "/api/v2/contacts/update"):
            return update(request, store: store)
        case ("POST", "/api/v2/contacts/create"):
            return create(request, store: store)
        case ("GET", "/api/v2/contact-groups"):
            return groups(store: store)
        default:
            return SandboxReply(404, raw: #"{"status":false,"message":"Not Found","errors":[]}"#)
        }
    }

    func isCreate(_ request: SandboxRequest) -> Bool {
        request.method == "POST" && request.path == "/api/v2/contacts/create"
    }

    /// `POST /contacts/create` with Laravel's validation: `group_id` and `first_name`
    /// required, names at most 20 characters, an email or a phone (with its country code).
    private func create(_ request: SandboxRequest, store: SandboxStore) -> SandboxReply {
        var fields: [String: String] = [:]
        for (key, value) in jsonObject(request.body) ?? [:] {
            fields[key] = (value as? String) ?? (value as? Int).map(String.init)
        }
        for (key, value) in request.query { fields[key] = value }
        func present(_ key: String) -> String? { fields[key].flatMap { $0.isEmpty ? nil : $0 } }
        guard let groupText = present("group_id") else {
            return validationFailure(field: "group_id", message: "The group id field is required.")
        }
        guard let groupID = Int(groupText), SeedData.groups.indices.contains(groupID - 1) else {
            return validationFailure(field: "group_id", message: "The selected group id is invalid.")
        }
        guard let first = present("first_name") else {
            return validationFailure(field: "first_name", message: "The first name field is required.")
        }
        for (field, label) in [("first_name", "first name"), ("last_name", "last name")] where (fields[field]?.count ?? 0) > 20 {
            return validationFailure(field: field, message: "The \(label) field must not be greater than 20 characters.")
        }
        let email = present("email_address")
        let phone = present("phone_number")
        if email == nil && phone == nil {
            return validationFailure(field: "email_address", message: "The email address field is required when phone number is not present.")
        }
        if let email, !email.contains("@") {
            return validationFailure(field: "email_address", message: "The email address field must be a valid email address.")
        }
        var countryCode = ""
        var digits = ""
        if let phone {
            guard let code = present("country_code") else {
                return validationFailure(field: "country_code", message: "The country code field is required when phone number is present.")
            }
            countryCode = code.filter(\.isNumber)
            digits = phone.filter(\.isNumber)
            if digits.hasPrefix(countryCode), digits.count > 10 { digits.removeFirst(countryCode.count) }
            guard !countryCode.isEmpty, (6...14).contains(digits.count) else {
                return validationFailure(field: "phone_number", message: "The phone number field format is invalid.")
            }
        }
        if uniquePhones, !digits.isEmpty, store.hasPhone(countryCode: countryCode, digits: digits) {
            return validationFailure(field: "phone_number", message: "The phone number has already been taken.")
        }
        let created = store.create(SeedContact(
            uuid: "", numericID: 0, firstName: first, lastName: fields["last_name"] ?? "", email: email ?? "",
            countryCode: countryCode, phone: digits, status: "ACTIVE", hasPendingMessages: false,
            shared: groupID == SeedData.sharedGroupID, groupName: SeedData.groups[groupID - 1], company: fields["company"] ?? "",
            createdAt: .now(), additional: [fields["additional_1"] ?? "", fields["additional_2"] ?? "", fields["additional_3"] ?? ""]))
        return SandboxReply(200, .object([
            ("status", .bool(true)), ("message", .string("Contact created successfully")), ("data", json(created)),
        ]))
    }

    /// `GET /contact-groups` (path assumed): the account's groups with their counts.
    private func groups(store: SandboxStore) -> SandboxReply {
        let counts = store.withAccount { account in
            account.order.reduce(into: [String: Int]()) { counts, uuid in
                if let group = account.contacts[uuid]?.groupName { counts[group, default: 0] += 1 }
            }
        }
        let groups = SeedData.groups.enumerated().map { index, name in
            JSONText.object([
                ("id", .int(index + 1)), ("name", .string(name)), ("contacts_count", .int(counts[name] ?? 0)),
                ("shared_group", .bool(index + 1 == SeedData.sharedGroupID)), ("default_group", .bool(index == 0)),
            ])
        }
        return SandboxReply(200, .object([("status", .bool(true)), ("message", .string("Contact groups")), ("data", .array(groups))]))
    }

    private func list(_ request: SandboxRequest, store: SandboxStore) -> SandboxReply {
        guard let page = positiveInt(request.query["page"], default: 1) else {
            return validationFailure(field: "page", message: "The page field must be at least 1.")
        }
        guard let requested = positiveInt(request.query["limit"], default: 10) else {
            return validationFailure(field: "limit", message: "The limit field must be at least 1.")
        }
        let order = request.query["order"] ?? "desc"
        guard order == "asc" || order == "desc" else {
            return validationFailure(field: "order", message: "The selected order is invalid.")
        }
        let limit = min(requested, maxPageSize)
        let result = store.page(page, limit: limit, newestFirst: order == "desc", group: request.query["group_id"])
        let lastPage = max(1, (result.total + limit - 1) / limit)
        let path = request.origin + "/api/v2/contacts"
        func link(_ number: Int?) -> JSONText {
            guard let number, number >= 1, number <= lastPage else { return .null }
            return .string("\(path)?page=\(number)")
        }
        let from = result.contacts.isEmpty ? JSONText.null : .int((page - 1) * limit + 1)
        let to = result.contacts.isEmpty ? JSONText.null : .int((page - 1) * limit + result.contacts.count)
        func pageLink(_ number: Int) -> JSONText {
            .object([("url", link(number)), ("label", .string(String(number))), ("active", .bool(number == page))])
        }
        let nearby = (1...lastPage).filter { abs($0 - page) <= 2 || $0 == 1 || $0 == lastPage }
        // Page 9223372036854775807 has no next: said as none, not an overflow.
        let next = page < Int.max ? page + 1 : nil
        var pageLinks: [JSONText] = [
            .object([("url", link(page - 1)), ("label", .string("&laquo; Previous")), ("active", .bool(false))]),
        ]
        pageLinks += nearby.map(pageLink)
        pageLinks.append(.object([("url", link(next)), ("label", .string("Next &raquo;")), ("active", .bool(false))]))
        return SandboxReply(200, .object([
            ("status", .bool(true)),
            ("message", .string("Contacts")),
            ("data", .array(result.contacts.map(json))),
            ("links", .object([
                ("first", link(1)), ("last", link(lastPage)), ("prev", link(page - 1)), ("next", link(next)),
            ])),
            ("meta", .object([
                ("current_page", .int(page)),
                ("from", from),
                ("last_page", .int(lastPage)),
                ("links", .array(pageLinks)),
                ("path", .string(path)),
                ("per_page", .int(limit)),
                ("to", to),
                ("total", .int(result.total)),
            ])),
        ]))
    }

    private func delete(_ request: SandboxRequest, store: SandboxStore) -> SandboxReply {
        guard let raw = request.query["contact_id"] ?? contactIDInBody(request.body), !raw.isEmpty else {
            return SandboxReply(422, raw: #"{"message":"The contact id field is required.","errors":{"contact_id":["The contact id field is required."]}}"#)
        }
        guard let id = Int(raw), let contact = store.contact(numericID: id) else {
            return failure(400, "Invalid contact id")
        }
        store.remove(uuid: contact.uuid)
        return SandboxReply(200, raw: #"{"status":true,"message":"Contact deleted successfully","data":[]}"#)
    }

    /// `PATCH /contacts/update` (shape assumed: Laravel validation, `{status,message,data}`).
    private func update(_ request: SandboxRequest, store: SandboxStore) -> SandboxReply {
        var fields: [String: String] = [:]
        for (key, value) in jsonObject(request.body) ?? [:] {
            fields[key] = (value as? String) ?? (value as? Int).map(String.init)
        }
        for (key, value) in request.query { fields[key] = value }
        guard let raw = fields.removeValue(forKey: "contact_id"), !raw.isEmpty else {
            return validationFailure(field: "contact_id", message: "The contact id field is required.")
        }
        guard let name = fields["first_name"], !name.isEmpty else {
            return validationFailure(field: "first_name", message: "The first name field is required.")
        }
        guard let id = Int(raw), let updated = store.update(numericID: id, fields: fields) else {
            return failure(400, "Invalid contact id")
        }
        return SandboxReply(200, .object([
            ("status", .bool(true)), ("message", .string("Contact updated successfully")), ("data", json(updated)),
        ]))
    }

    /// `contact_id` may also come in a JSON or form body, as the documentation's params show.
    private func contactIDInBody(_ body: String) -> String? {
        if let object = jsonObject(body) {
            if let number = object["contact_id"] as? Int { return String(number) }
            return object["contact_id"] as? String
        }
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            if parts.count == 2, parts[0] == "contact_id" { return String(parts[1]) }
        }
        return nil
    }

    private func json(_ contact: SeedContact) -> JSONText {
        .object([
            ("id", .int(contact.numericID)),
            ("group_name", .string(contact.groupName)),
            ("first_name", .string(contact.firstName)),
            ("last_name", .string(contact.lastName)),
            ("phone_number", .string(contact.phoneStyle == .plain
                ? "+\(contact.countryCode)\(contact.phone)" : "+\(contact.countryCode) \(contact.phoneStyle.written(contact.phone))")),
            ("email_address", .string(contact.email)),
            ("company", .string(contact.company)),
            ("additional_1", .string(contact.additional[0])),
            ("additional_2", .string(contact.additional[1])),
            ("additional_3", .string(contact.additional[2])),
            ("shared_contact", .bool(contact.shared)),
            ("created_at", .string(contact.createdAt.easify)),
            ("updated_at", .string(contact.createdAt.easify)),
        ])
    }

    private func failure(_ status: Int, _ message: String) -> SandboxReply {
        SandboxReply(status, .object([("status", .bool(false)), ("message", .string(message)), ("errors", .array([]))]))
    }

    private func validationFailure(field: String, message: String) -> SandboxReply {
        SandboxReply(422, .object([("message", .string(message)), ("errors", .object([(field, .array([.string(message)]))]))]))
    }
}
