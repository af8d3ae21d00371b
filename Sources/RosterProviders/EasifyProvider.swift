import Foundation
import RosterCore
import Synchronization

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
    /// Creating has its own quota (15 a minute against 60), so its own pacer.
    private let createTransport: HTTPTransport
    /// The group a restored contact goes to when its own group cannot be found by name.
    private let restoreGroupID: Int?
    private let groups = GroupDirectory()

    public static let detailFieldOrder = [
        "id", "first_name", "last_name", "phone_number", "email_address", "company", "group_name",
        "shared_contact", "additional_1", "additional_2", "additional_3", "created_at", "updated_at",
    ]

    /// The cheapest read there is, the list's first page of one contact: what the pacer sends
    /// to find where a rate-limit window ends (`HTTPTransport`'s probe).
    public static let rateProbe = (path: "/contacts", query: [("limit", "1"), ("page", "1")])

    public init(
        transport: HTTPTransport, createTransport: HTTPTransport? = nil, pageSize: Int = 1000, order: String = "desc",
        deactivateFields: [String: String] = [:], restoreGroupID: Int? = nil
    ) {
        self.transport = transport
        self.createTransport = createTransport ?? transport
        self.restoreGroupID = restoreGroupID
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
        return try Self.page(from: reply, page: page, requested: limit)
    }

    /// A list reply read as a page. Public for the fuzzing targets.
    public static func page(from reply: HTTPReply, page: Int, requested limit: Int) throws(ProviderError) -> ContactPage {
        try ResponseReading.requireList(
            reply, hint: "Easify's ends in /api/v2, e.g. https://backend.easify.app/api/v2 (Roster adds /contacts)")
        let body = try ResponseReading.json(reply)
        guard let items = body["data"]?.arrayValue else {
            throw ResponseReading.malformed(reply, "the contact list has no `data` array")
        }
        let contacts = items.compactMap(contact(from:))
        let meta = body["meta"]
        let lastPage = meta?["last_page"]?.intValue
        let hasMore = lastPage.map { page < $0 } ?? (body["links"]?["next"]?.stringValue != nil)
        let size = PageSizeMemory.effective(
            reported: meta?["per_page"]?.intValue, requested: limit, received: items.count, hasMore: hasMore)
        return ContactPage(
            contacts: contacts, page: page, total: meta?["total"]?.intValue, hasMore: hasMore && !items.isEmpty,
            pageSize: size, leftOut: items.count - contacts.count)
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
        } catch where error.kind == .badRequest && error.message.localizedCaseInsensitiveContains("invalid contact id") {
            // Easify's answer for an id it does not know: the contact may have been deleted
            // elsewhere since it was listed. The caller checks the list; it never sends again.
            var gone = error
            gone.mayMeanGone = true
            throw gone
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
            // Read as a fresh record, so what queries see follows too.
            updated = Self.contact(from: .object(record)) ?? target
        }
        return updated
    }

    /// `POST /contacts/create` takes group_id, first_name and last_name (20 characters each at
    /// most), email_address, country_code with phone_number, company and additional_1..3. The
    /// group is found by the record's group name (`GET /contact-groups`), or else the
    /// profile's `restore_group_id`.
    public func restorePlan(for record: JSONValue) async throws(ProviderError) -> RestorePlan {
        var lost = [
            "its id: the service gives a new one", "its message history, and whatever the service deleted with it",
            "created_at and updated_at: it is created now", "whether it is shared: that follows its group",
        ]
        let groupName = record["group_name"]?.stringValue ?? ""
        let groupID: Int
        if let found = try await group(named: groupName) {
            groupID = found
        } else if let restoreGroupID {
            groupID = restoreGroupID
            lost.append("its group \"\(groupName)\": not found, so it goes to group \(restoreGroupID) (restore_group_id)")
        } else {
            throw ProviderError(
                kind: .invalidRequest,
                message: "its group \"\(groupName)\" is not among the account's groups; set restore_group_id in the profile to restore it elsewhere")
        }
        var body: [String: JSONValue] = ["group_id": .number(Double(groupID))]
        for key in ["first_name", "last_name"] {
            let value = record[key]?.stringValue ?? ""
            guard !value.isEmpty else { continue }
            if value.count > 20 { lost.append("\(key) past 20 characters: \"\(value.dropFirst(20))\"") }
            body[key] = .string(String(value.prefix(20)))
        }
        guard body["first_name"] != nil else {
            throw ProviderError(kind: .invalidRequest, message: "the record has no first_name, which the create call requires")
        }
        let email = record["email_address"]?.stringValue ?? ""
        if !email.isEmpty { body["email_address"] = .string(email) }
        let phone = record["phone_number"]?.displayText ?? ""
        var phoneDigits = ""
        if !phone.isEmpty {
            guard let split = CallingCodes.split(phone), !phone.contains("*") else {
                throw ProviderError(kind: .invalidRequest, message: "the record's phone number \(phone) cannot be split into a country code and a number")
            }
            body["country_code"] = .string("+" + split.code)
            body["phone_number"] = .string(split.national)
            phoneDigits = split.code + split.national
        }
        guard !email.isEmpty || !phoneDigits.isEmpty else {
            throw ProviderError(kind: .invalidRequest, message: "the record has neither an email nor a phone; the create call needs one")
        }
        for key in ["company", "additional_1", "additional_2", "additional_3"] {
            if let value = record[key]?.stringValue, !value.isEmpty { body[key] = .string(value) }
        }
        let name = [record["first_name"]?.stringValue, record["last_name"]?.stringValue].compactMap { $0 }.filter { !$0.isEmpty }
        return RestorePlan(
            body: .object(body), name: name.joined(separator: " "), phoneDigits: phoneDigits, email: TextFolding.fold(email),
            lost: lost)
    }

    public func create(_ plan: RestorePlan) async throws(ProviderError) -> Contact {
        let reply = try await createTransport.send(.POST, path: "/contacts/create", jsonBody: plan.body.jsonText)
        try ResponseReading.requireSuccess(reply)
        let body = try ResponseReading.json(reply)
        guard let data = body["data"], let contact = Self.contact(from: data) else {
            throw ResponseReading.malformed(reply, "the created contact has no id")
        }
        return contact
    }

    /// The id of the account's group with this name, from `GET /contact-groups` (read once);
    /// nil when there is none, or the account offers no such list (404).
    private func group(named name: String) async throws(ProviderError) -> Int? {
        if let known = groups.directory { return known[name] }
        let reply = try await transport.send(.GET, path: "/contact-groups")
        var directory: [String: Int] = [:]
        if reply.status != 404 {
            try ResponseReading.requireSuccess(reply)
            let body = try ResponseReading.json(reply)
            for group in body["data"]?.arrayValue ?? body.arrayValue ?? [] {
                if let groupName = group["name"]?.stringValue, let id = group["id"]?.intValue { directory[groupName] = id }
            }
        }
        groups.directory = directory
        return directory[name]
    }

    public func contact(fromRecord record: JSONValue) -> Contact? {
        Self.contact(from: record)
    }

    /// As `contact(fromRecord:)`, without a provider (reading a journal).
    public static func contact(fromRecord record: JSONValue) -> Contact? {
        contact(from: record)
    }

    /// As the create call keeps a name: first and last name cut at 20 characters each.
    public func identity(of contact: Contact) -> ContactIdentity {
        let parts = ["first_name", "last_name"].compactMap { contact.record[$0]?.stringValue }.map { String($0.prefix(20)) }
        let name = parts.isEmpty ? contact.name : parts.filter { !$0.isEmpty }.joined(separator: " ")
        return ContactIdentity(
            name: TextFolding.fold(name.trimmingCharacters(in: .whitespaces)), phone: contact.comparablePhone, email: contact.comparableEmail)
    }

    static func contact(from record: JSONValue) -> Contact? {
        guard let id = record["id"]?.intValue.map(String.init) ?? record["id"]?.stringValue,
              !id.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        let name = [record["first_name"]?.stringValue, record["last_name"]?.stringValue]
            .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        return Contact(
            id: ContactID(id), name: name,
            phone: record["phone_number"]?.displayText ?? "",
            email: record["email_address"]?.stringValue ?? "",
            status: nil, shared: record["shared_contact"]?.boolValue, record: record, fields: fields(of: record))
    }

    /// What field queries read: group, company, additional_1..3, and the dates (Easify's
    /// `MM-DD-YYYY hh:mm:ss AM/PM`, taken as UTC).
    static func fields(of record: JSONValue) -> [ContactField] {
        var fields: [ContactField] = []
        for (key, name) in [("group_name", "group"), ("company", "company"), ("additional_1", "additional_1"),
                            ("additional_2", "additional_2"), ("additional_3", "additional_3")] {
            if let value = record[key]?.displayText, !value.isEmpty { fields.append(.text(name, value)) }
        }
        for (key, name) in [("created_at", "created"), ("updated_at", "updated")] {
            guard let text = record[key]?.stringValue, let seconds = FieldDates.easify(text) ?? FieldDates.iso8601(text) else { continue }
            fields.append(ContactField(name, .date(seconds)))
        }
        return fields
    }
}

/// The account's groups by name, read once per run.
final class GroupDirectory: Sendable {
    private let groups = Mutex<[String: Int]?>(nil)

    var directory: [String: Int]? {
        get { groups.withLock { $0 } }
        set { groups.withLock { $0 = newValue } }
    }
}
