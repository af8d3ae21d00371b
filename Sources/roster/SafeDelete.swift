import Foundation
import RosterCore

/// What happened to one contact in a headless delete.
struct DeleteOutcome {
    enum Kind: String, CaseIterable {
        case deleted
        case gone
        case refused
        case failed
        case skipped
        /// `--dry-run`: everything but the DELETE happened.
        case wouldDelete = "would-delete"
        /// `apply`: the contact is deactivated as its plan said.
        case deactivated
        case wouldDeactivate = "would-deactivate"
        /// `apply`: the contact changed since the plan, or now refuses deletion: left alone.
        case stale

        var summaryWord: String {
            switch self {
            case .deleted: return "deleted"
            case .gone: return "already gone"
            case .refused: return "refused"
            case .failed: return "failed"
            case .skipped: return "not attempted"
            case .wouldDelete: return "would be deleted (dry run)"
            case .deactivated: return "deactivated"
            case .wouldDeactivate: return "would be deactivated (dry run)"
            case .stale: return "stale (changed since the plan; left alone)"
            }
        }
    }

    var id: ContactID
    var kind: Kind
    var status: Int?
    var message: String

    /// How a destructive call ended, in the journal's words, with the server's own message
    /// (the success value carries it).
    static func classify(_ result: Result<String, ProviderError>, success: String) -> (result: String, status: Int?, message: String) {
        switch result {
        case .success(let message): return (success, 200, message)
        case .failure(let error) where error.kind == .notFound: return ("gone", error.status, error.message)
        case .failure(let error) where error.kind == .cancelled: return ("not sent", nil, error.message)
        case .failure(let error): return (error.status == nil ? "failed" : "refused", error.status, error.message)
        }
    }

    var jsonLine: String {
        var fields: [String: JSONValue] = ["id": .string(id.rawValue), "outcome": .string(kind.rawValue), "message": .string(message)]
        fields["status"] = status.map { .number(Double($0)) } ?? .null
        return JSONValue.object(fields).jsonText
    }
}

/// The documentation's "safe delete": look the contact up first where the dialect allows
/// (404 means it is already gone and nothing is sent), then delete it.
enum SafeDelete {
    static func run(
        _ id: ContactID, provider: any ContactProvider, journal: Result<Journal, JournalError>, dryRun: Bool = false,
        snapshot known: Contact? = nil, batch: String? = nil, stillMatches: (@Sendable (Contact) -> Bool)? = nil
    ) async -> DeleteOutcome {
        var name = known.map { $0.displayName + ": " } ?? ""
        // Without a look-up (Easify) the journal keeps the list's record, or else only the id.
        var snapshot = known ?? Contact(id: id, name: "", phone: "", email: "", record: .object(["id": .string(id.rawValue)]))
        if provider.capabilities.canLookUp {
            switch await capture({ () async throws(ProviderError) in try await provider.lookUp(id: id) }) {
            case .success(let contact):
                snapshot = contact
                name = contact.displayName + ": "
                if let stillMatches, !stillMatches(contact) {
                    return DeleteOutcome(
                        id: id, kind: .skipped, status: nil, message: name + "no longer matches the query (it changed since it was listed); nothing sent")
                }
            case .failure(let error) where error.kind == .notFound:
                return DeleteOutcome(id: id, kind: .gone, status: error.status, message: "already gone; nothing sent")
            case .failure(let error):
                return DeleteOutcome(
                    id: id, kind: error.status == nil ? .failed : .refused, status: error.status,
                    message: "not deleted: the look-up before deleting failed: \(error.message)")
            }
        }
        if dryRun {
            let checked = provider.capabilities.canLookUp ? "exists" : "not checked: this API has no look-up"
            return DeleteOutcome(id: id, kind: .wouldDelete, status: nil, message: name + "dry run, nothing sent (\(checked))")
        }
        return await send(snapshot, name: name, provider: provider, journal: journal, batch: batch)
    }

    /// The DELETE itself, journalled before it leaves, and how it ended; `special` may read a
    /// failure its own way. `name` begins the message of a deletion (and of a failure too when
    /// `namesFailures`).
    static func send(
        _ contact: Contact, name: String, provider: any ContactProvider, journal: Result<Journal, JournalError>, batch: String?,
        plan: PlanStamp? = nil, namesFailures: Bool = false, special: (ProviderError) -> DeleteOutcome? = { _ in nil }
    ) async -> DeleteOutcome {
        let id = contact.id
        let deleted = await journalled("delete", contact: contact, journal: journal, batch: batch, plan: plan) { () async throws(ProviderError) in
            try await provider.delete(id: id)
        } outcome: { DeleteOutcome.classify($0.map(\.message), success: "deleted") }
        switch deleted {
        case .success(let receipt):
            return DeleteOutcome(id: id, kind: .deleted, status: 200, message: name + receipt.message)
        case .failure(let error):
            if let outcome = special(error) { return outcome }
            let prefix = namesFailures ? name : ""
            if error.kind == .notFound { return DeleteOutcome(id: id, kind: .gone, status: error.status, message: prefix + "already gone") }
            return DeleteOutcome(id: id, kind: error.status == nil ? .failed : .refused, status: error.status, message: prefix + error.message)
        }
    }
}
