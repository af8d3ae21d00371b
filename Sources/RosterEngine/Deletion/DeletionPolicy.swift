import Foundation
import RosterCore

/// How Roster acts on a contact, the one policy the UI and every headless command follow:
/// 1. look the contact up first where the dialect has a look-up (404: already gone, nothing
///    is sent);
/// 2. write the journal's intent, with the contact's full record, durably;
/// 3. send the request (DELETE, deactivate, or a restore's create) — from here and nowhere
///    else outside the providers;
/// 4. classify the answer (`JournalResult`), and write it as the intent's outcome;
/// 5. the stop rules (`ProviderError.stopsEverything`, a journal that cannot be written) end a
///    batch; its caller applies them.
/// Without a journal (`--dry-run`) nothing destructive is ever sent.
public struct DeletionPolicy: Sendable {
    public let provider: any ContactProvider
    public let journal: Journal?

    public init(provider: any ContactProvider, journal: Journal?) {
        self.provider = provider
        self.journal = journal
    }

    /// What a destructive request did: its answer, and where the outcome could not be written
    /// to the journal, why (the deed is done; the caller must say so).
    public struct Sent<Value: Sendable>: Sendable {
        public var result: Result<Value, ProviderError>
        public var journalProblem: JournalError?
        /// The intent could not be written, so nothing was sent: a batch stops here.
        public var journalRefused: Bool

        public var error: ProviderError? {
            if case .failure(let error) = result { return error }
            return nil
        }
    }

    /// Step 1: the look-up before acting (on a dialect with none, nil: there is nothing to ask).
    public func lookUp(_ id: ContactID) async -> Result<Contact, ProviderError>? {
        guard provider.capabilities.canLookUp else { return nil }
        let provider = self.provider
        return await capture { () async throws(ProviderError) in try await provider.lookUp(id: id) }
    }

    /// Steps 2 to 4 for a DELETE.
    /// `erasing`: a person's request to be forgotten, journalled without a copy of them.
    public func delete(_ contact: Contact, batch: String?, plan: PlanStamp? = nil, erasing: Bool = false) async -> Sent<DeleteReceipt> {
        let provider = self.provider
        return await journalled(erasing ? Journal.erase : "delete", contact: contact, batch: batch, plan: plan) { () async throws(ProviderError) in
            try await provider.delete(id: contact.id)
        } describe: { $0.message }
    }

    /// Steps 2 to 4 for a deactivation.
    public func deactivate(_ contact: Contact, batch: String?, plan: PlanStamp? = nil, planned: Bool = false) async -> Sent<Contact> {
        let provider = self.provider
        let inactive = provider.capabilities.inactiveStatus
        return await journalled("deactivate", contact: contact, batch: batch, plan: plan) { () async throws(ProviderError) in
            try await provider.deactivate(contact)
        } describe: { updated in
            if planned { return "deactivated as planned" }
            return updated.status.map { "the contact's status is now \($0)" }
                ?? (inactive == nil ? "the contact was updated as the profile's deactivate_fields say" : "deactivated")
        }
    }

    /// Steps 2 to 4 for a restore's create: `snapshot` is the deleted contact as the journal
    /// kept it, `restores` the deletion's entry.
    public func create(_ plan: RestorePlan, snapshot: Contact, run: String, restores: String) async -> Sent<Contact> {
        let provider = self.provider
        return await journalled("restore", contact: snapshot, batch: run, restores: restores) { () async throws(ProviderError) in
            try await provider.create(plan)
        } describe: { "re-created as \($0.id)" } newID: { $0.id.rawValue }
    }

    private func journalled<T: Sendable>(
        _ operation: String, contact: Contact, batch: String?, restores: String? = nil, plan: PlanStamp? = nil,
        _ call: () async throws(ProviderError) -> T, describe: (T) -> String, newID: (T) -> String? = { _ in nil }
    ) async -> Sent<T> {
        guard let journal else {
            return Sent(result: .failure(ProviderError(kind: .invalidRequest, message: "dry run: nothing sent")), journalProblem: nil, journalRefused: false)
        }
        let entry: String
        do {
            // Another operator's request for this contact is on the way: theirs, not ours.
            if let holder = try journal.claim(contact.id) {
                return Sent(
                    result: .failure(ProviderError(kind: .claimedElsewhere, message: "being \(Self.claimWord(operation)) by \(holder)")),
                    journalProblem: nil, journalRefused: false)
            }
            entry = try journal.intent(operation, contact: contact, batch: batch, restores: restores, plan: plan)
        } catch {
            return Sent(
                result: .failure(ProviderError(kind: .notJournalled, message: "\(error); nothing sent")), journalProblem: nil,
                journalRefused: true)
        }
        let result = await capture(call)
        let said = JournalResult(result.map(describe), success: JournalResult.success(of: operation))
        defer { journal.release(contact.id) }
        do {
            try journal.outcome(
                entry, operation: operation, contactID: contact.id, result: said.result, status: said.status, message: said.message,
                newContactID: (try? result.get()).flatMap(newID))
            return Sent(result: result, journalProblem: nil, journalRefused: false)
        } catch {
            return Sent(result: result, journalProblem: error, journalRefused: false)
        }
    }

    private static func claimWord(_ operation: String) -> String {
        switch operation {
        case "deactivate": "deactivated"
        case "restore": "restored"
        case Journal.erase: "erased"
        default: "deleted"
        }
    }
}

/// How a destructive request ended, in the journal's words.
public struct JournalResult: Sendable, Equatable {
    public var result: String
    public var status: Int?
    public var message: String

    /// `deleted`, `deactivated`, `restored`; `gone` (404); `not sent` (withdrawn before it
    /// left, or refused by Roster itself); `unknown` (no answer, or a server error: it may have been carried out); `refused`
    /// (the server answered no); `failed` (Roster could not send it).
    public init(_ result: Result<String, ProviderError>, success: String) {
        switch result {
        case .success(let message): (self.result, status, self.message) = (success, 200, message)
        case .failure(let error) where error.kind == .notFound: (self.result, status, message) = ("gone", error.status, error.message)
        case .failure(let error) where [.cancelled, .invalidRequest, .notJournalled, .waitTooLong, .claimedElsewhere].contains(error.kind):
            (self.result, status, message) = ("not sent", nil, error.message)
        case .failure(let error) where error.mayHaveBeenCarriedOut:
            (self.result, status, message) = ("unknown", error.status, error.message)
        case .failure(let error): (self.result, status, message) = (error.status == nil ? "failed" : "refused", error.status, error.message)
        }
    }

    static func success(of operation: String) -> String {
        switch operation {
        case "delete": return "deleted"
        case Journal.erase: return "erased"
        case "deactivate": return "deactivated"
        default: return "restored"
        }
    }
}

public func capture<T>(_ operation: () async throws(ProviderError) -> T) async -> Result<T, ProviderError> {
    do {
        return .success(try await operation())
    } catch {
        return .failure(error)
    }
}
