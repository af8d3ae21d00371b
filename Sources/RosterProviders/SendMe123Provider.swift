import Foundation
import RosterCore

/// SendMe123: `/api/contacts` with the key in an `api-key` header. The list's query and body
/// shape are assumed (API-CONTRACTS.md), so every documented variant is accepted.
public struct SendMe123Provider: ContactProvider {
    public let capabilities: ProviderCapabilities
    private let transport: HTTPTransport
    private let pageSize: PageSizeMemory

    public static let detailFieldOrder = [
        "id", "name", "lastName", "email", "countryCode", "phone", "status", "birthDate", "origin",
        "organizationId", "tags", "customValues", "createdAt", "updatedAt",
    ]

    /// The cheapest read there is, the list's first page of one contact: what the pacer sends
    /// to find where a rate-limit window ends (`HTTPTransport`'s probe).
    public static let rateProbe = (path: "/api/contacts", query: [("page", "1"), ("limit", "1")])

    public init(transport: HTTPTransport, pageSize: Int = 1000) {
        self.transport = transport
        self.pageSize = PageSizeMemory(pageSize)
        self.capabilities = ProviderCapabilities(
            canLookUp: true, canDeactivate: true, pageSize: pageSize, detailFieldOrder: Self.detailFieldOrder,
            inactiveStatus: "INACTIVE")
    }

    public func list(page: Int) async throws(ProviderError) -> ContactPage {
        try await pageSize.list { limit throws(ProviderError) in try await list(page: page, limit: limit) }
    }

    private func list(page: Int, limit requested: Int) async throws(ProviderError) -> ContactPage {
        let reply = try await transport.send(
            .GET, path: "/api/contacts", query: [("page", String(page)), ("limit", String(requested))])
        return try Self.page(from: reply, page: page, requested: requested)
    }

    /// A list reply read as a page: the contacts, the totals in whichever shape the server
    /// gives them, and whether pages follow. Public for the fuzzing targets.
    public static func page(from reply: HTTPReply, page: Int, requested: Int) throws(ProviderError) -> ContactPage {
        try ResponseReading.requireList(
            reply, hint: "SendMe123's is the site itself, e.g. https://app.sendme123.com (Roster adds /api/contacts)")
        let body = try ResponseReading.json(reply)
        guard let items = body.arrayValue ?? body["data"]?.arrayValue ?? body["items"]?.arrayValue else {
            throw ResponseReading.malformed(reply, "the contact list has no array of contacts")
        }
        let contacts = items.compactMap(contact(from:))
        let meta = body["meta"]
        let total = body["total"]?.intValue ?? meta?["total"]?.intValue ?? meta?["totalItems"]?.intValue
        let totalPages = body["totalPages"]?.intValue ?? meta?["totalPages"]?.intValue ?? meta?["last_page"]?.intValue
        let reported = body["limit"]?.intValue ?? meta?["limit"]?.intValue ?? meta?["per_page"]?.intValue
        let hasMore: Bool
        if let totalPages {
            hasMore = page < totalPages
        } else if let total {
            let size = PageSizeMemory.effective(reported: reported, requested: requested, received: items.count, hasMore: true)
            hasMore = (page - 1) * size + items.count < total
        } else {
            hasMore = items.count >= (reported ?? requested)
        }
        let size = PageSizeMemory.effective(reported: reported, requested: requested, received: items.count, hasMore: hasMore)
        return ContactPage(
            contacts: contacts, page: page, total: total, hasMore: hasMore && !items.isEmpty, pageSize: size,
            leftOut: items.count - contacts.count)
    }

    public func lookUp(id: ContactID) async throws(ProviderError) -> Contact {
        let reply = try await transport.send(.GET, path: try Self.contactPath(id))
        return try Self.contact(in: reply, naming: "the contact")
    }

    /// Deletes once. A DELETE is not repeated blindly: after a server error or a lost answer,
    /// a look-up decides. Gone means the first DELETE worked; still there means it may be
    /// sent again.
    public func delete(id: ContactID) async throws(ProviderError) -> DeleteReceipt {
        var attempt = 0
        while true {
            attempt += 1
            do {
                let reply = try await transport.send(.DELETE, path: try Self.contactPath(id))
                try ResponseReading.requireSuccess(reply)
                let body = JSONValue.decode(reply.body)
                let message = body.flatMap(ResponseReading.serverMessage) ?? "Contact deleted"
                return DeleteReceipt(id: id, message: message)
            } catch let deleteError where deleteError.isTransient && attempt < HTTPTransport.maxAttempts {
                do {
                    _ = try await lookUp(id: id)
                } catch let lookUpError where lookUpError.kind == .notFound {
                    return DeleteReceipt(id: id, message: "Contact deleted (confirmed by a look-up after \(deleteError))")
                } catch let lookUpError {
                    throw ProviderError(
                        kind: deleteError.kind, status: deleteError.status,
                        message: "\(deleteError.message); whether it was deleted is unknown: the look-up failed too (\(lookUpError))")
                }
            }
        }
    }

    public func deactivate(_ target: Contact) async throws(ProviderError) -> Contact {
        let id = target.id
        let reply = try await transport.send(
            .PATCH, path: try Self.contactPath(id), jsonBody: #"{"status":"INACTIVE"}"#,
            idempotent: true)
        return try Self.contact(in: reply, naming: "the updated contact")
    }

    /// `POST /api/contacts` takes name, lastName, phone (10 digits), countryCode, email, status,
    /// birthDate, tagIds and customValues: everything else is given by the service anew.
    public func restorePlan(for record: JSONValue) async throws(ProviderError) -> RestorePlan {
        let name = record["name"]?.stringValue ?? ""
        guard (2...100).contains(name.count) else {
            throw ProviderError(kind: .invalidRequest, message: "the record's name \"\(name)\" is not the 2 to 100 characters the create call needs")
        }
        let phone = (record["phone"]?.displayText ?? "").filter { $0.isASCII && $0.isNumber }
        guard phone.count == 10 else {
            throw ProviderError(kind: .invalidRequest, message: "the record's phone is not the 10 digits the create call needs")
        }
        var body: [String: JSONValue] = ["name": .string(name), "phone": .string(phone)]
        for key in ["lastName", "email", "countryCode", "status", "birthDate"] {
            if let value = record[key], value != .null, value.displayText != "" { body[key] = .string(value.displayText) }
        }
        let tags = record["tags"]?.arrayValue ?? []
        let tagIDs = tags.compactMap { $0["id"]?.stringValue }
        if !tagIDs.isEmpty { body["tagIds"] = .array(tagIDs.map(JSONValue.string)) }
        if let values = record["customValues"], values.objectValue?.isEmpty == false { body["customValues"] = values }
        var lost = [
            "its id: the service gives a new one", "its message history, and whatever the service deleted with it",
            "createdAt and updatedAt: it is created now",
        ]
        for key in ["origin", "organizationId"] where record[key] != nil && record[key] != .null {
            lost.append("\(key): set by the service")
        }
        if !tags.isEmpty { lost.append("tags come back by id only; a tag deleted meanwhile does not") }
        let country = record["countryCode"]?.displayText ?? ""
        return RestorePlan(
            body: .object(body), name: [name, record["lastName"]?.stringValue ?? ""].filter { !$0.isEmpty }.joined(separator: " "),
            phoneDigits: country + phone, email: TextFolding.fold(record["email"]?.stringValue ?? ""), lost: lost)
    }

    /// The contact a successful reply holds, bare or under `data`; `what` names it when it
    /// has no id.
    private static func contact(in reply: HTTPReply, naming what: String) throws(ProviderError) -> Contact {
        try ResponseReading.requireSuccess(reply)
        let body = try ResponseReading.json(reply)
        let record = body["data"]?.objectValue != nil ? body["data"]! : body
        guard let contact = contact(from: record) else {
            throw ResponseReading.malformed(reply, "\(what) has no id")
        }
        return contact
    }

    public func create(_ plan: RestorePlan) async throws(ProviderError) -> Contact {
        let reply = try await transport.send(.POST, path: "/api/contacts", jsonBody: plan.body.jsonText)
        return try Self.contact(in: reply, naming: "the created contact")
    }

    /// `/api/contacts/ID`, the id one encoded path segment. An id that is empty, `.` or `..`
    /// would name another path (`/api/contacts/..` is `/api/`): refused before anything is sent.
    static func contactPath(_ id: ContactID) throws(ProviderError) -> String {
        let raw = id.rawValue.trimmingCharacters(in: .whitespaces)
        guard !raw.isEmpty, raw != ".", raw != ".." else {
            throw ProviderError(kind: .invalidRequest, message: "“\(id.rawValue)” is not a contact id: it would name another path; nothing sent")
        }
        return "/api/contacts/" + HTTPTransport.encode(id.rawValue)
    }

    public func contact(fromRecord record: JSONValue) -> Contact? {
        Self.contact(from: record)
    }

    /// As `contact(fromRecord:)`, without a provider (reading a journal).
    public static func contact(fromRecord record: JSONValue) -> Contact? {
        contact(from: record)
    }

    static func contact(from record: JSONValue) -> Contact? {
        guard record.objectValue != nil else { return nil }
        guard let id = record["id"]?.stringValue ?? record["id"]?.intValue.map(String.init),
              !id.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        let name = [record["name"]?.stringValue, record["lastName"]?.stringValue]
            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        let number = record["phone"]?.displayText ?? ""
        let country = record["countryCode"]?.displayText ?? ""
        // A number already written with its country code (`+57 300…`) is shown as written.
        let phone = number.isEmpty ? "" : (country.isEmpty || number.hasPrefix("+") ? number : "+\(country) \(number)")
        return Contact(
            id: ContactID(id), name: name, phone: phone,
            email: record["email"]?.stringValue ?? "",
            status: record["status"]?.stringValue, shared: nil, record: record, fields: fields(of: record))
    }

    /// What field queries read: tags by name, countryCode, customValues as `custom.KEY`,
    /// origin, and the dates (ISO 8601).
    static func fields(of record: JSONValue) -> [ContactField] {
        var fields: [ContactField] = []
        for tag in record["tags"]?.arrayValue ?? [] {
            if let name = tag["name"]?.stringValue ?? tag.stringValue, !name.isEmpty { fields.append(.text("tag", name)) }
        }
        for (key, name) in [("countryCode", "countryCode"), ("origin", "origin")] {
            if let value = record[key]?.displayText, !value.isEmpty { fields.append(.text(name, value)) }
        }
        for (key, value) in (record["customValues"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            let text = value.displayText
            if !text.isEmpty { fields.append(.text("custom." + key, text)) }
        }
        for (key, name) in [("createdAt", "created"), ("updatedAt", "updated"), ("birthDate", "birthDate")] {
            if let text = record[key]?.stringValue, let seconds = FieldDates.iso8601(text) { fields.append(ContactField(name, .date(seconds))) }
        }
        return fields
    }
}
