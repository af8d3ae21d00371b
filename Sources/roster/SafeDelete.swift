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

        var summaryWord: String {
            switch self {
            case .deleted: return "deleted"
            case .gone: return "already gone"
            case .refused: return "refused"
            case .failed: return "failed"
            case .skipped: return "not attempted"
            }
        }
    }

    var id: ContactID
    var kind: Kind
    var status: Int?
    var message: String

    var jsonLine: String {
        var fields: [String: JSONValue] = ["id": .string(id.rawValue), "outcome": .string(kind.rawValue), "message": .string(message)]
        fields["status"] = status.map { .number(Double($0)) } ?? .null
        return JSONValue.object(fields).jsonText
    }
}

/// The documentation's "safe delete": look the contact up first where the dialect allows
/// (404 means it is already gone and nothing is sent), then delete it.
enum SafeDelete {
    static func run(_ id: ContactID, provider: any ContactProvider) async -> DeleteOutcome {
        var name = ""
        if provider.capabilities.canLookUp {
            switch await capture({ () async throws(ProviderError) in try await provider.lookUp(id: id) }) {
            case .success(let contact):
                name = contact.displayName + ": "
            case .failure(let error) where error.kind == .notFound:
                return DeleteOutcome(id: id, kind: .gone, status: error.status, message: "already gone; nothing sent")
            case .failure(let error):
                return DeleteOutcome(
                    id: id, kind: error.status == nil ? .failed : .refused, status: error.status,
                    message: "not deleted: the look-up before deleting failed: \(error.message)")
            }
        }
        switch await capture({ () async throws(ProviderError) in try await provider.delete(id: id) }) {
        case .success(let receipt):
            return DeleteOutcome(id: id, kind: .deleted, status: 200, message: name + receipt.message)
        case .failure(let error) where error.kind == .notFound:
            return DeleteOutcome(id: id, kind: .gone, status: error.status, message: "already gone")
        case .failure(let error):
            return DeleteOutcome(id: id, kind: error.status == nil ? .failed : .refused, status: error.status, message: error.message)
        }
    }
}
