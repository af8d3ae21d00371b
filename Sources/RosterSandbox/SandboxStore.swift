import Foundation
import Synchronization

/// The sandbox's account: its contacts, in creation order, and counts of what it answered.
/// Shared by every connection, so all access goes through one lock.
final class SandboxStore: Sendable {
    struct Account {
        var order: [String]
        var contacts: [String: SeedContact]
        var uuidByNumericID: [Int: String]
        var limiter: FixedWindowLimiter
        var createLimiter: FixedWindowLimiter
        var faultRandom: SeededGenerator
        /// The faults in force: the configuration's, until a test changes them.
        var faults: SandboxConfiguration.Faults
        /// New contacts' ids, drawn apart from the seed data's so they never clash.
        var idRandom: SeededGenerator
        var nextNumericID: Int
        var requests = 0
        var statusCounts: [Int: Int] = [:]
        /// 429s by the method they refused: a pacer's probe is a GET, never a DELETE.
        var rateLimitedMethods: [String: Int] = [:]
        /// Requests by HTTP method, so a test can tell look-ups from deletions.
        var methodCounts: [String: Int] = [:]
        var deleted = 0
        /// Requests the redirect fault's other listener received, and how many carried a key.
        var caughtRequests = 0
        var caughtKeys = 0
        var catcherOrigin = ""
    }

    private let account: Mutex<Account>

    init(configuration: SandboxConfiguration) {
        var seeded = SeedData.contacts(count: configuration.contactCount, seed: configuration.seed)
        if configuration.hostileNames { SeedData.makeHostile(&seeded) }
        var contacts: [String: SeedContact] = [:]
        var numeric: [Int: String] = [:]
        contacts.reserveCapacity(seeded.count)
        for contact in seeded {
            contacts[contact.uuid] = contact
            numeric[contact.numericID] = contact.uuid
        }
        account = Mutex(Account(
            order: seeded.map(\.uuid),
            contacts: contacts,
            uuidByNumericID: numeric,
            limiter: FixedWindowLimiter(
                limit: configuration.rateLimit, windowSeconds: configuration.rateWindowSeconds,
                opensOnFirstRequest: configuration.rateHeaders.windowsOpenOnFirstRequest),
            createLimiter: FixedWindowLimiter(
                limit: configuration.createRateLimit, windowSeconds: configuration.rateWindowSeconds,
                opensOnFirstRequest: configuration.rateHeaders.windowsOpenOnFirstRequest),
            faultRandom: SeededGenerator(seed: configuration.seed &+ 0xFA17),
            faults: configuration.faults,
            idRandom: SeededGenerator(seed: configuration.seed &+ 0x1D5),
            nextNumericID: (seeded.map(\.numericID).max() ?? SeedData.firstNumericID) + 1))
    }

    func withAccount<T>(_ body: (inout Account) -> T) -> T {
        account.withLock { body(&$0) }
    }

    func admit(key: String, now: Double, creating: Bool = false) -> FixedWindowLimiter.Decision {
        account.withLock { creating ? $0.createLimiter.admit(key: key, now: now) : $0.limiter.admit(key: key, now: now) }
    }

    /// Adds a contact as the newest: it gets fresh ids, and comes last in creation order
    /// (first where the list is newest first).
    func create(_ draft: SeedContact) -> SeedContact {
        account.withLock { account in
            var contact = draft
            contact.uuid = SeedData.uuid(using: &account.idRandom)
            contact.numericID = account.nextNumericID
            account.nextNumericID += 1
            account.contacts[contact.uuid] = contact
            account.uuidByNumericID[contact.numericID] = contact.uuid
            account.order.append(contact.uuid)
            return contact
        }
    }

    /// Whether a live contact has this phone (its digits, with the country code's).
    func hasPhone(countryCode: String, digits: String) -> Bool {
        let wanted = countryCode.filter(\.isNumber) + digits.filter(\.isNumber)
        return account.withLock { account in
            account.contacts.values.contains { $0.countryCode.filter(\.isNumber) + $0.phone.filter(\.isNumber) == wanted }
        }
    }

    var catcherOrigin: String {
        get { account.withLock { $0.catcherOrigin } }
        set { account.withLock { $0.catcherOrigin = newValue } }
    }

    func caught(key: Bool) {
        account.withLock {
            $0.caughtRequests += 1
            if key { $0.caughtKeys += 1 }
        }
    }

    /// The request's path and query with its contact's id swapped for another live contact's
    /// (the redirect-to-contact fault); nil when the request names no contact.
    func anotherContactsPath(_ request: SandboxRequest) -> String? {
        account.withLock { account in
            if let numeric = request.query["contact_id"].flatMap(Int.init) {
                let contacts = account.contacts
                guard let other = account.order.compactMap({ contacts[$0] }).first(where: { $0.numericID != numeric }) else { return nil }
                var query = request.query
                query["contact_id"] = String(other.numericID)
                return request.path + SandboxResponder.queryString(query)
            }
            let prefix = "/api/contacts/"
            guard request.path.hasPrefix(prefix), request.path.count > prefix.count else { return nil }
            let id = String(request.path.dropFirst(prefix.count))
            guard let other = account.order.first(where: { $0 != id }) else { return nil }
            return prefix + other
        }
    }

    var faults: SandboxConfiguration.Faults {
        get { account.withLock { $0.faults } }
        set { account.withLock { $0.faults = newValue } }
    }

    /// A uniform draw in 0..<1 from the seeded fault generator.
    func faultDraw() -> Double {
        account.withLock { Double.random(in: 0..<1, using: &$0.faultRandom) }
    }

    func count(status: Int, method: String) {
        account.withLock {
            $0.requests += 1
            $0.statusCounts[status, default: 0] += 1
            $0.methodCounts[method, default: 0] += 1
            if status == 429 { $0.rateLimitedMethods[method, default: 0] += 1 }
        }
    }

    /// A page of live contacts (1-based page), oldest first or newest first. Without a group
    /// it touches only the page's own contacts, so a large account serves as fast as a small one.
    func page(_ page: Int, limit: Int, newestFirst: Bool, group: String?) -> (contacts: [SeedContact], total: Int) {
        // Page 9223372036854775807 is past the end, not an overflow.
        let (start, overflow) = (page - 1).multipliedReportingOverflow(by: limit)
        return account.withLock { account in
            if let group {
                var ids = newestFirst ? Array(account.order.reversed()) : account.order
                ids = ids.filter { account.contacts[$0]?.groupName == group }
                guard !overflow, start < ids.count else { return ([], ids.count) }
                return (ids[start..<min(ids.count, start + min(limit, ids.count))].compactMap { account.contacts[$0] }, ids.count)
            }
            let count = account.order.count
            guard !overflow, start < count else { return ([], count) }
            let positions = start..<min(count, start + min(limit, count))
            let ids = positions.map { newestFirst ? account.order[count - 1 - $0] : account.order[$0] }
            return (ids.compactMap { account.contacts[$0] }, count)
        }
    }

    func contact(uuid: String) -> SeedContact? {
        account.withLock { $0.contacts[uuid] }
    }

    func contact(numericID: Int) -> SeedContact? {
        account.withLock { account in account.uuidByNumericID[numericID].flatMap { account.contacts[$0] } }
    }

    func remove(uuid: String) {
        account.withLock { account in
            guard let contact = account.contacts.removeValue(forKey: uuid) else { return }
            account.uuidByNumericID[contact.numericID] = nil
            account.order.removeAll { $0 == uuid }
            account.deleted += 1
        }
    }

    func setStatus(uuid: String, status: String) -> SeedContact? {
        account.withLock { account in
            account.contacts[uuid]?.status = status
            return account.contacts[uuid]
        }
    }

    /// Easify's update: sets the fields it knows, returns the contact as it now is.
    func update(numericID: Int, fields: [String: String]) -> SeedContact? {
        account.withLock { account in
            guard let uuid = account.uuidByNumericID[numericID], var contact = account.contacts[uuid] else { return nil }
            for (key, value) in fields {
                switch key {
                case "first_name": contact.firstName = value
                case "last_name": contact.lastName = value
                case "email_address": contact.email = value
                case "company": contact.company = value
                case "additional_1": contact.additional[0] = value
                case "additional_2": contact.additional[1] = value
                case "additional_3": contact.additional[2] = value
                default: break
                }
            }
            account.contacts[uuid] = contact
            return contact
        }
    }

    /// What the stats endpoint reports.
    func statsJSON() -> JSONText {
        account.withLock { account in
            let statuses = account.statusCounts.keys.sorted().map { (String($0), JSONText.int(account.statusCounts[$0]!)) }
            return .object([
                ("requests", .int(account.requests)),
                ("statuses", .object(statuses)),
                ("methods", .object(account.methodCounts.keys.sorted().map { ($0, JSONText.int(account.methodCounts[$0]!)) })),
                ("rateLimited", .int(account.statusCounts[429] ?? 0)),
                ("rateLimitedMethods", .object(account.rateLimitedMethods.keys.sorted().map { ($0, JSONText.int(account.rateLimitedMethods[$0]!)) })),
                ("contacts", .int(account.order.count)),
                ("deleted", .int(account.deleted)),
                // The redirect fault's other origin: requests it received, and keys among them.
                ("caughtRequests", .int(account.caughtRequests)),
                ("caughtKeys", .int(account.caughtKeys)),
                // Requests accepted per rate window, oldest first (every key together).
                ("acceptedPerWindow", .array(account.limiter.acceptedPerWindow.map(JSONText.int))),
                // Milliseconds from the first accepted request to the latest.
                ("acceptedSpanMilliseconds", .int(account.limiter.acceptedSpan.map { Int((($0.last - $0.first) * 1000).rounded()) } ?? 0)),
            ])
        }
    }
}
