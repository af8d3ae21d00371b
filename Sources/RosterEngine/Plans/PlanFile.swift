import Crypto
import Foundation
import Glibc
import RosterCore

/// A plan as a file: pretty JSON a reviewer can read, created with mode 0600 (it holds
/// contacts' records, as the journal does). Its checksum is SHA-256 over the plan's canonical
/// JSON (everything but the checksum and the approval), so an edit by hand is caught; the
/// approval carries its own over the plan's checksum, the approver and the time.
public enum PlanFile {
    public static func fingerprint(_ record: JSONValue) -> String { sha256(record.jsonText) }

    public static func checksum(of plan: Plan) -> String { sha256(body(of: plan).jsonText) }

    public static func approvalChecksum(planChecksum: String, approver: String, at: Date) -> String {
        sha256([planChecksum, approver, stamp(at)].joined(separator: "\n"))
    }

    private static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }

    public static func stamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    private static func date(_ text: String?) -> Date? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// Everything the plan's checksum covers.
    private static func body(of plan: Plan) -> JSONValue {
        var fields: [String: JSONValue] = [
            "roster_plan": .number(Double(Plan.format)), "profile": .string(plan.profile), "dialect": .string(plan.dialect),
            "base_url": .string(plan.baseURL), "planner": .string(plan.planner), "created_at": .string(stamp(plan.createdAt)),
            "source": .string(plan.source), "items": .array(plan.items.map(json)),
            "totals": .object(Dictionary(uniqueKeysWithValues: Plan.Item.Action.allCases.map { ($0.rawValue, JSONValue.number(Double(plan.count($0)))) })),
        ]
        if let estimate = plan.estimateSeconds { fields["estimate_seconds"] = .number(Double(estimate)) }
        return .object(fields)
    }

    private static func json(_ item: Plan.Item) -> JSONValue {
        var fields: [String: JSONValue] = ["action": .string(item.action.rawValue)]
        if let id = item.id { fields["id"] = .string(id) }
        if let line = item.line { fields["line"] = .string(line) }
        if let reason = item.reason { fields["reason"] = .string(reason) }
        if item.id != nil {
            fields["name"] = .string(item.name)
            fields["phone"] = .string(item.phone)
            fields["email"] = .string(item.email)
        }
        if let record = item.record { fields["record"] = record }
        if let fingerprint = item.fingerprint { fields["fingerprint"] = .string(fingerprint) }
        return .object(fields)
    }

    /// The file's text: the body, its checksum and the approval.
    public static func text(of plan: Plan) -> String {
        guard case .object(var fields) = body(of: plan) else { return "" }
        fields["checksum"] = .string(plan.checksum)
        if let approval = plan.approval {
            fields["approval"] = .object([
                "approver": .string(approval.approver), "at": .string(stamp(approval.at)), "checksum": .string(approval.checksum),
            ])
        }
        var signatures: [String: JSONValue] = [:]
        for (role, signature) in [("planner", plan.plannerSignature), ("approver", plan.approverSignature)] {
            if let signature { signatures[role] = .object(["key": .string(signature.key), "signature": .string(signature.signature)]) }
        }
        if !signatures.isEmpty { fields["signatures"] = .object(signatures) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(JSONValue.object(fields))) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Writes the plan, through a new file renamed into place, so a reader never sees half of
    /// one. `replacing`: an existing file may be replaced (an approval); otherwise it is refused.
    public static func write(_ plan: Plan, to path: String, replacing: Bool = false) throws(PlanError) {
        if !replacing, FileManager.default.fileExists(atPath: path) {
            throw PlanError("\(path) already exists: choose another name, or remove it first")
        }
        let temporary = path + ".\(getpid()).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw PlanError("cannot write \(path): \(String(cString: strerror(errno)))") }
        let bytes = Array(text(of: plan).utf8)
        let written = bytes.withUnsafeBufferPointer { Glibc.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == bytes.count, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw PlanError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
    }

    static let knownFields: Set<String> = [
        "roster_plan", "profile", "dialect", "base_url", "planner", "created_at", "source", "items", "totals", "estimate_seconds",
        "checksum", "approval", "signatures",
    ]
    static let knownItemFields: Set<String> = ["action", "id", "line", "reason", "name", "phone", "email", "record", "fingerprint"]

    /// A plan as read, and whether its checksums hold.
    public struct Reading: Sendable {
        public var plan: Plan
        /// Nil when the plan is as it was made; otherwise what does not hold.
        public var tampering: String?
    }

    public static func read(_ path: String) throws(PlanError) -> Reading {
        guard let data = FileManager.default.contents(atPath: path) else { throw PlanError("cannot read the plan \(path)") }
        return try read(data, path: path)
    }

    /// A plan's bytes as read from `path` (named in messages).
    public static func read(_ data: Data, path: String) throws(PlanError) -> Reading {
        guard let json = JSONValue.decode(data), case .object(let fields) = json else {
            throw PlanError("\(path) is not a Roster plan: it is not a JSON object")
        }
        guard fields["roster_plan"]?.intValue == Plan.format else {
            throw PlanError("\(path) is not a Roster plan (format \(Plan.format)): roster_plan is \(fields["roster_plan"]?.displayText ?? "missing")")
        }
        // A field Roster does not write is an edit the checksum cannot see: refused, by name.
        if let unknown = fields.keys.sorted().first(where: { !knownFields.contains($0) }) {
            throw PlanError("\(path) is not a plan as Roster writes it: unknown field “\(unknown)” (it was edited)")
        }
        func text(_ key: String) throws(PlanError) -> String {
            guard let value = fields[key]?.stringValue else { throw PlanError("\(path) is not a whole Roster plan: \(key) is missing") }
            return value
        }
        guard let created = date(fields["created_at"]?.stringValue) else {
            throw PlanError("\(path) is not a whole Roster plan: created_at is not a time")
        }
        var items: [Plan.Item] = []
        for (index, value) in (fields["items"]?.arrayValue ?? []).enumerated() {
            guard let action = value["action"]?.stringValue.flatMap(Plan.Item.Action.init(rawValue:)) else {
                throw PlanError("\(path): item \(index + 1) has no action (delete, deactivate or skip)")
            }
            if let unknown = value.objectValue?.keys.sorted().first(where: { !knownItemFields.contains($0) }) {
                throw PlanError("\(path): item \(index + 1) has an unknown field “\(unknown)” (it was edited)")
            }
            var item = Plan.Item(action: action, id: value["id"]?.stringValue, line: value["line"]?.stringValue, reason: value["reason"]?.stringValue)
            item.name = value["name"]?.stringValue ?? ""
            item.phone = value["phone"]?.stringValue ?? ""
            item.email = value["email"]?.stringValue ?? ""
            item.record = value["record"]
            item.fingerprint = value["fingerprint"]?.stringValue
            if action != .skip, item.id == nil || item.fingerprint == nil {
                throw PlanError("\(path): item \(index + 1) would \(action.rawValue) without a contact id and fingerprint")
            }
            items.append(item)
        }
        let account = AccountInfo(
            profile: try text("profile"), dialect: Dialect(rawValue: try text("dialect")) ?? .sendme123, baseURL: try text("base_url"),
            isDemo: false)
        var plan = Plan(
            account: account, planner: try text("planner"), createdAt: created, source: fields["source"]?.stringValue ?? "",
            estimateSeconds: fields["estimate_seconds"]?.intValue, items: items)
        plan.dialect = try text("dialect")
        plan.checksum = fields["checksum"]?.stringValue ?? ""
        var tampering: String?
        if plan.checksum != checksum(of: plan) {
            tampering = "it was changed after it was made (its checksum does not match)"
        } else if let totals = fields["totals"], totals != body(of: plan)["totals"] {
            // The checksum is taken over totals counted from the items, so edited totals would
            // pass it: they are compared with the items here.
            tampering = "its totals do not agree with its items (they were edited)"
        }
        if let approval = fields["approval"] {
            guard let approver = approval["approver"]?.stringValue, let at = date(approval["at"]?.stringValue),
                  let sum = approval["checksum"]?.stringValue else {
                throw PlanError("\(path): the approval is not whole (approver, at, checksum)")
            }
            plan.approval = Plan.Approval(approver: approver, at: at, checksum: sum)
            if tampering == nil, sum != approvalChecksum(planChecksum: plan.checksum, approver: approver, at: at) {
                tampering = "its approval was changed after it was given (its checksum does not match)"
            }
        }
        // Signatures are checked where they are required (apply), against allowed_signers.
        for role in ["planner", "approver"] {
            guard let value = fields["signatures"]?[role] else { continue }
            guard let key = value["key"]?.stringValue, let text = value["signature"]?.stringValue else {
                throw PlanError("\(path): the \(role)'s signature is not whole (key, signature)")
            }
            let signature = Plan.Signature(key: key, signature: text)
            if role == "planner" { plan.plannerSignature = signature } else { plan.approverSignature = signature }
        }
        return Reading(plan: plan, tampering: tampering)
    }
}

public struct PlanError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
