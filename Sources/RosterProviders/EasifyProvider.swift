import Foundation
import RosterCore

/// Easify API v2: Bearer token, Laravel's paginator, `DELETE /contacts/delete?contact_id=N`.
/// It documents no single-contact GET, so look-ups are not offered.
public struct EasifyProvider: ContactProvider {
    public let capabilities: ProviderCapabilities
    private let transport: HTTPTransport
    private let pageSize: PageSizeMemory
    private let order: String
    /// Fields a profile sets through `PATCH /contacts/update` to stand for "deactivate"; Easify
    /// documents no deactivate of its own.
    private let deactivateFields: [String: String]

    public static let detailFieldOrder = [
        "id", "first_name", "last_name", "phone_number", "email_address", "company", "group_name",
        "shared_contact", "additional_1", "additional_2", "additional_3", "created_at", "updated_at",
    ]

    public init(transport: HTTPTransport, pageSize: Int = 1000, order: String = "desc", deactivateFields: [String: String] = [:]) {
        self.transport = transport
        self.pageSize = PageSizeMemory(pageSize)
        self.order = order
        self.deactivateFields = deactivateFields
        self.capabilities = ProviderCapabilities(
            canLookUp: false, canDeactivate: !deactivateFields.isEmpty, pageSize: pageSize,
            detailFieldOrder: Self.detailFieldOrder, newestFirst: order == "desc")
    }

    public func list(page: Int) async throws(ProviderError) -> ContactPage {
        try await pageSize.list { limit throws(ProviderError) in try await list(page: page, limit: limit) }
    }

    private func list(page: Int, limit: Int) async throws(ProviderError) -> ContactPage {
        let reply = try await transport.send(
            .GET, path: "/contacts",
            query: [("limit", String(limit)), ("page", String(page)), ("order", order)])
        try ResponseReading.requireList(
            reply, hint: "Easify's ends in /api/v2, e.g. https://backend.easify.app/api/v2 (Roster adds /contacts)")
        let body = try ResponseReading.json(reply)
        guard let items = body["data"]?.arrayValue else {
            throw ResponseReading.malformed(reply, "the contact list has no `data` array")
        }
        var contacts: [Contact] = []
        contacts.reserveCapacity(items.count)
        for item in items {
            guard let contact = Self.contact(from: item) else {
                throw ResponseReading.malformed(reply, "a contact in the list has no id")
            }
            contacts.append(contact)
        }
        let meta = body["meta"]
        let lastPage = meta?["last_page"]?.intValue
        let hasMore = lastPage.map { page < $0 } ?? (body["links"]?["next"]?.stringValue != nil)
        let size = PageSizeMemory.effective(
            reported: meta?["per_page"]?.intValue, requested: limit, received: items.count, hasMore: hasMore)
        return ContactPage(
            contacts: contacts, page: page, total: meta?["total"]?.intValue, hasMore: hasMore && !items.isEmpty,
            pageSize: size)
    }

    public func lookUp(id: ContactID) async throws(ProviderError) -> Contact {
        throw ProviderError(kind: .invalidRequest, message: "Easify has no single-contact look-up")
    }

    public func delete(id: ContactID) async throws(ProviderError) -> DeleteReceipt {
        guard Int(id.rawValue) != nil else {
            throw ProviderError(kind: .invalidRequest, message: "Easify contact ids are whole numbers; \(id) is not")
        }
        let reply: HTTPReply
        do {
            reply = try await transport.send(.DELETE, path: "/contacts/delete", query: [("contact_id", id.rawValue)])
            try ResponseReading.requireSuccess(reply)
        } catch where error.isTransient {
            // Easify has no look-up, so a lost answer cannot be checked: say so, never guess.
            throw ProviderError(
                kind: error.kind, status: error.status,
                message: "\(error.message); whether it was deleted is unknown (reload the list to see)")
        }
        let body = try ResponseReading.json(reply)
        let message = ResponseReading.serverMessage(in: body) ?? "Contact deleted"
        guard body["status"]?.boolValue != false else {
            throw ProviderError(kind: .unexpectedStatus, status: reply.status, message: message)
        }
        return DeleteReceipt(id: id, message: message)
    }

    /// Sends the profile's deactivate fields with the contact's id and first name (which the
    /// update call requires).
    public func deactivate(_ target: Contact) async throws(ProviderError) -> Contact {
        guard !deactivateFields.isEmpty else {
            throw ProviderError(kind: .invalidRequest, message: "this Easify account offers no soft alternative to deleting")
        }
        guard let id = Int(target.id.rawValue) else {
            throw ProviderError(kind: .invalidRequest, message: "Easify contact ids are whole numbers; \(target.id) is not")
        }
        var fields: [String: JSONValue] = ["contact_id": .number(Double(id))]
        fields["first_name"] = target.record["first_name"] ?? .string(target.name)
        for (key, value) in deactivateFields { fields[key] = .string(value) }
        let reply = try await transport.send(
            .PATCH, path: "/contacts/update", jsonBody: JSONValue.object(fields).jsonText, idempotent: true)
        try ResponseReading.requireSuccess(reply)
        let body = try ResponseReading.json(reply)
        if let data = body["data"], let updated = Self.contact(from: data) { return updated }
        var updated = target
        if case .object(var record) = target.record {
            for (key, value) in deactivateFields { record[key] = .string(value) }
            updated.record = .object(record)
        }
        return updated
    }

    static func contact(from record: JSONValue) -> Contact? {
        guard let id = record["id"]?.intValue.map(String.init) ?? record["id"]?.stringValue else { return nil }
        let name = [record["first_name"]?.stringValue, record["last_name"]?.stringValue]
            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        return Contact(
            id: ContactID(id), name: name,
            phone: record["phone_number"]?.displayText ?? "",
            email: record["email_address"]?.stringValue ?? "",
            status: nil, shared: record["shared_contact"]?.boolValue, record: record)
    }
}
