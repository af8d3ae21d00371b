import Foundation

/// A cleanup decided before it runs: which contacts, what to do to each, and the record each
/// was decided on (with its fingerprint), for whom and by whom. `roster apply` re-checks every
/// contact against it and acts only on those still as they were; the plan itself is checked
/// for the account, its age, edits (a checksum) and, above a profile's limit, a second
/// person's approval.
public struct Plan: Sendable, Equatable {
    public static let format = 1

    public struct Item: Sendable, Equatable {
        public enum Action: String, Sendable, Equatable, CaseIterable {
            case delete, deactivate, skip
        }

        public var action: Action
        /// Nil for a line of `--select-from` that named no contact, or several.
        public var id: String?
        /// The line of `--select-from` it came from.
        public var line: String?
        /// Why it is skipped: locked, not found, ambiguous.
        public var reason: String?
        public var name = ""
        public var phone = ""
        public var email = ""
        /// The record the action was decided on, and its fingerprint.
        public var record: JSONValue?
        public var fingerprint: String?

        public init(action: Action, id: String?, line: String? = nil, reason: String? = nil) {
            self.action = action
            self.id = id
            self.line = line
            self.reason = reason
        }

        /// An action on a contact, decided on this record.
        public init(_ action: Action, contact: Contact, fingerprint: String) {
            self.init(action: action, id: contact.id.rawValue)
            name = contact.displayName
            phone = contact.phone
            email = contact.email
            record = contact.record
            self.fingerprint = fingerprint
        }

        /// What changed between the record planned on and this fresh one, field by field
        /// (`status: ACTIVE → INACTIVE`).
        public func changes(to fresh: JSONValue) -> [String] {
            let before = record?.objectValue ?? [:]
            let after = fresh.objectValue ?? [:]
            return Set(before.keys).union(after.keys).sorted().compactMap { key in
                let old = before[key] ?? .null
                let new = after[key] ?? .null
                guard old != new else { return nil }
                func shown(_ value: JSONValue) -> String {
                    let text = value.displayText
                    return text.isEmpty ? "(none)" : (text.count > 40 ? String(text.prefix(39)) + "…" : text)
                }
                return "\(key): \(shown(old)) → \(shown(new))"
            }
        }
    }

    public struct Approval: Sendable, Equatable {
        public var approver: String
        public var at: Date
        /// Over the plan's checksum, the approver and the time.
        public var checksum: String

        public init(approver: String, at: Date, checksum: String) {
            self.approver = approver
            self.at = at
            self.checksum = checksum
        }
    }

    /// An OpenSSH signature (`ssh-keygen -Y sign -n roster-plan`) over what `PlanSigning`
    /// says the signer vouches for, and the public key that made it.
    public struct Signature: Sendable, Equatable {
        public var key: String
        public var signature: String

        public init(key: String, signature: String) { (self.key, self.signature) = (key, signature) }
    }

    public var profile: String
    public var dialect: String
    public var baseURL: String
    public var planner: String
    public var createdAt: Date
    /// What chose the contacts: `--where …`, `--ids-from FILE`, `marks in the UI`.
    public var source: String
    /// Seconds the pacer expected applying it to take, at the headroom when it was made.
    public var estimateSeconds: Int?
    public var items: [Item]
    /// Over everything above (`PlanFile` computes it).
    public var checksum = ""
    public var approval: Approval?
    /// The planner's signature over the checksum, account and time; the approver's over those
    /// and the approval (`roster plan --sign`, `roster approve --sign`).
    public var plannerSignature: Signature?
    public var approverSignature: Signature?

    public init(account: AccountInfo, planner: String, createdAt: Date, source: String, estimateSeconds: Int?, items: [Item]) {
        profile = account.profile
        dialect = account.dialect.rawValue
        baseURL = account.baseURL
        self.planner = planner
        self.createdAt = createdAt
        self.source = source
        self.estimateSeconds = estimateSeconds
        self.items = items
    }

    /// The items that act on a contact.
    public var actions: [Item] { items.filter { $0.action != .skip } }

    public func count(_ action: Item.Action) -> Int { items.count { $0.action == action } }

    /// `45 to delete, 2 to deactivate, 3 skipped (2 locked, 1 not found)`.
    public var totals: String {
        var parts = ["\(count(.delete)) to delete"]
        if count(.deactivate) > 0 { parts.append("\(count(.deactivate)) to deactivate") }
        var reasons: [String: Int] = [:]
        for item in items where item.action == .skip {
            reasons[String((item.reason ?? "skipped").prefix { $0 != ":" }), default: 0] += 1
        }
        let why = reasons.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
        parts.append("\(count(.skip)) skipped" + (why.isEmpty ? "" : " (\(why))"))
        return parts.joined(separator: ", ")
    }

    /// Why this plan may not be applied to `account` now, or nil. `maxAge` and `approveOver`
    /// are the profile's limits.
    public func refusal(for account: AccountInfo, now: Date, maxAge: TimeInterval, approveOver: Int?) -> String? {
        if dialect != account.dialect.rawValue || baseURL != account.baseURL || profile != account.profile {
            return "this plan was made for \(Self.describe(profile: profile, dialect: dialect, baseURL: baseURL)), not for \(Self.describe(profile: account.profile, dialect: account.dialect.rawValue, baseURL: account.baseURL))"
        }
        let age = now.timeIntervalSince(createdAt)
        if age > maxAge {
            return "this plan is \(durationText(age)) old, older than the \(durationText(maxAge)) this profile allows (plan_max_age): make it again"
        }
        if age < -300 { return "this plan is dated \(durationText(-age)) in the future: its time cannot be trusted" }
        if let approveOver, actions.count > approveOver, approval == nil {
            return "this plan acts on \(actions.count) contacts, and this profile requires a second person's approval above \(approveOver) (approve_over): someone other than \(planner) runs roster approve on it first"
        }
        return nil
    }

    private static func describe(profile: String, dialect: String, baseURL: String) -> String {
        let name = Dialect(rawValue: dialect)?.displayName ?? dialect
        return "\(name) at \(baseURL) (profile \(profile))"
    }
}
