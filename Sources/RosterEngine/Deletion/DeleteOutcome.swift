import RosterCore

/// What happened to one contact in a headless batch (`delete`, `apply`).
public struct DeleteOutcome: Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case deleted
        case gone
        /// The server answered no (4xx): nothing was done.
        case refused
        /// The request was sent and no success came back (a server error, no answer): it may
        /// have been carried out. The journal keeps it as unknown; `roster restore` settles it.
        case unknown
        /// Roster could not send it, or the server failed before anything was sent.
        case failed
        case skipped
        /// `--dry-run`: everything but the DELETE happened.
        case wouldDelete = "would-delete"
        /// `apply`: the contact is deactivated as its plan said.
        case deactivated
        case wouldDeactivate = "would-deactivate"
        /// `apply`: the contact changed since the plan, or now refuses deletion: left alone.
        case stale

        /// A failure that did nothing: `refused` only for the server's real refusals (4xx); a
        /// server error (5xx) or no answer is a failure, not a refusal.
        static func failing(_ error: ProviderError) -> Kind {
            guard let status = error.status, status < 500 else { return .failed }
            return .refused
        }

        public var summaryWord: String {
            switch self {
            case .deleted: return "deleted"
            case .gone: return "already gone"
            case .refused: return "refused"
            case .unknown: return "of unknown fate (no success came back; roster restore settles it)"
            case .failed: return "failed"
            case .skipped: return "not attempted"
            case .wouldDelete: return "would be deleted (dry run)"
            case .deactivated: return "deactivated"
            case .wouldDeactivate: return "would be deactivated (dry run)"
            case .stale: return "stale (changed since the plan; left alone)"
            }
        }
    }

    public var id: ContactID
    public var kind: Kind
    public var status: Int?
    public var message: String
    /// Why the batch must stop after this one: the account refuses every request (401, 402,
    /// 403), or the journal cannot be written.
    public var stopReason: String?
    /// The outcome could not be written to the journal (the deed is done): said, and the
    /// command ends non-zero.
    public var journalProblem: JournalError?

    public init(id: ContactID, kind: Kind, status: Int?, message: String) {
        self.id = id
        self.kind = kind
        self.status = status
        self.message = message
    }

    /// The outcome of a destructive request the policy sent; `special` may read a failure
    /// its own way. `name` begins the message of a success (and of a failure too when
    /// `namesFailures`).
    public static func of<T>(
        _ sent: DeletionPolicy.Sent<T>, id: ContactID, name: String, done: Kind, success: (T) -> String, namesFailures: Bool,
        special: (ProviderError) -> DeleteOutcome? = { _ in nil }
    ) -> DeleteOutcome {
        var outcome: DeleteOutcome
        switch sent.result {
        case .success(let value):
            outcome = DeleteOutcome(id: id, kind: done, status: 200, message: name + success(value))
        case .failure(let error):
            let prefix = namesFailures ? name : ""
            if let read = special(error) {
                outcome = read
            } else if error.kind == .claimedElsewhere {
                outcome = DeleteOutcome(id: id, kind: .skipped, status: nil, message: prefix + "skipped: " + error.message)
            } else if error.kind == .cancelled {
                outcome = DeleteOutcome(id: id, kind: .skipped, status: nil, message: prefix + "not sent: the batch was stopped before it left")
            } else if error.kind == .notFound {
                outcome = DeleteOutcome(id: id, kind: .gone, status: error.status, message: prefix + "already gone")
            } else if error.mayHaveBeenCarriedOut {
                outcome = DeleteOutcome(
                    id: id, kind: .unknown, status: error.status,
                    message: prefix + error.message + " (it may have been carried out: roster restore checks and settles it)")
            } else {
                outcome = DeleteOutcome(id: id, kind: .failing(error), status: error.status, message: prefix + error.message)
            }
            if error.stopsEverything {
                switch error.kind {
                case .notJournalled: outcome.stopReason = "the journal cannot be written"
                case .waitTooLong: outcome.stopReason = error.message
                default: outcome.stopReason = "the account refused an earlier request (\(error.status.map(String.init) ?? "") \(error.message))"
                }
            }
        }
        outcome.journalProblem = sent.journalProblem
        return outcome
    }

    /// The look-up before acting failed (other than 404): nothing was sent.
    public static func lookUpFailed(_ error: ProviderError, id: ContactID, message: String) -> DeleteOutcome {
        var outcome = DeleteOutcome(id: id, kind: .failing(error), status: error.status, message: message)
        if error.stopsEverything {
            outcome.stopReason = error.kind == .waitTooLong ? error.message : "the account refused an earlier request (\(error))"
        }
        return outcome
    }

    /// One line of `--json` output.
    public var jsonLine: String {
        var fields: [String: JSONValue] = ["id": .string(id.rawValue), "outcome": .string(kind.rawValue), "message": .string(message)]
        fields["status"] = status.map { .number(Double($0)) } ?? .null
        return JSONValue.object(fields).jsonText
    }
}

extension DeletionPolicy {
    /// The whole policy for one contact of a headless `delete`: the look-up (404: gone,
    /// nothing sent; changed so that it no longer matches the query: skipped), then the
    /// journalled DELETE. `listed` is the list's record, what the journal keeps where there is
    /// no look-up.
    public func deleteSafely(
        _ id: ContactID, listed: Contact?, batch: String?, dryRun: Bool, stillMatches: (@Sendable (Contact) -> Bool)? = nil,
        erasing: Bool = false
    ) async -> DeleteOutcome {
        var name = listed.map { $0.displayName + ": " } ?? ""
        var snapshot = listed ?? Contact(id: id, name: "", phone: "", email: "", record: .object(["id": .string(id.rawValue)]))
        switch await lookUp(id) {
        case nil:
            break
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
            return .lookUpFailed(error, id: id, message: "not deleted: the look-up before deleting failed: \(error.message)")
        }
        if dryRun {
            let checked = provider.capabilities.canLookUp ? "exists" : "not checked: this API has no look-up"
            return DeleteOutcome(id: id, kind: .wouldDelete, status: nil, message: name + "dry run, nothing sent (\(checked))")
        }
        return .of(await delete(snapshot, batch: batch, erasing: erasing), id: id, name: name, done: .deleted, success: \.message, namesFailures: false)
    }
}
