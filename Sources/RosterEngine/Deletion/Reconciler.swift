import Foundation
import RosterCore

/// Settles what the journal leaves open against the account, on start and before a restore:
/// - an intent with no outcome (Roster was killed, or the session dropped, while it was in
///   flight);
/// - a DELETE of unknown fate (no answer, or a server error): it may have been carried out.
/// Where the dialect has a look-up, each contact is looked up (404: gone). Where it has none,
/// the account is read whole and a contact absent from a complete read is gone; a read that
/// is not complete proves nothing, and the intent stays of unknown fate. What is found is
/// written as the intent's outcome: a DELETE found gone is `deleted`, so it can be restored.
public enum Reconciler {
    public struct Report: Sendable, Equatable {
        public var done = 0
        public var notDone = 0
        public var unverified = 0
        /// Why some could not be checked (the list could not be read whole, say).
        public var reasons: [String] = []

        public var total: Int { done + notDone + unverified }

        /// A sentence for the user.
        public var sentence: String {
            var parts: [String] = []
            if done > 0 { parts.append("\(done) done") }
            if notDone > 0 { parts.append("\(notDone) not done") }
            if unverified > 0 { parts.append("\(unverified) could not be checked" + (reasons.isEmpty ? "" : " (\(reasons[0]))")) }
            return "\(total) request\(total == 1 ? " was" : "s were") left unsettled last time (interrupted, or unanswered): "
                + parts.joined(separator: ", ") + " (see roster journal)."
        }
    }

    /// Nil when nothing was open.
    public static func run(journal: Journal, provider: any ContactProvider, account: AccountReading) async -> Report? {
        guard let records = try? journal.records() else { return nil }
        var outcomes: [String: JournalRecord] = [:]
        for record in records where record.kind == .outcome { outcomes[record.entry] = record }
        let open = records.filter { record in
            guard record.kind == .intent else { return false }
            let outcome = outcomes[record.entry]
            switch record.operation {
            case "delete", Journal.erase: return RestoreLedger.isOfUnknownFate(outcome)
            case "restore": return outcome == nil || ["unknown", "unverified"].contains(outcome?.result ?? "")
            default: return outcome == nil
            }
        }
        guard !open.isEmpty else { return nil }
        var report = Report()
        for intent in open {
            let settled: Settled
            switch intent.operation {
            case "restore": settled = await settleRestore(intent, provider: provider, account: account)
            default: settled = await settle(intent, provider: provider, account: account)
            }
            switch settled.verdict {
            case .done: report.done += 1
            case .notDone: report.notDone += 1
            case .unverified(let reason):
                report.unverified += 1
                if !report.reasons.contains(reason) { report.reasons.append(reason) }
                // Said once: an intent already of unknown fate stays so without another record.
                if outcomes[intent.entry] != nil { continue }
            }
            try? journal.outcome(
                intent.entry, operation: intent.operation, contactID: ContactID(intent.contactID), result: settled.result,
                status: settled.status, message: "reconciled: " + settled.message, newContactID: settled.newContactID)
        }
        return report.total == 0 ? nil : report
    }

    private enum Verdict {
        case done, notDone
        case unverified(String)
    }

    private struct Settled {
        var verdict: Verdict
        var result: String
        var status: Int?
        var message: String
        var newContactID: String?
    }

    /// A DELETE or deactivate: is the contact still there, and as what?
    private static func settle(_ intent: JournalRecord, provider: any ContactProvider, account: AccountReading) async -> Settled {
        let id = ContactID(intent.contactID)
        let deleting = intent.operation == "delete" || intent.operation == Journal.erase
        let present: Contact?
        if let looked = await DeletionPolicy(provider: provider, journal: nil).lookUp(id) {
            switch looked {
            case .failure(let error) where error.kind == .notFound: present = nil
            case .success(let contact): present = contact
            case .failure(let error):
                return Settled(verdict: .unverified("the look-up failed: \(error)"), result: "unverified", status: error.status, message: "the look-up failed (\(error))")
            }
        } else {
            switch await account.contents() {
            case .failure(let error):
                return Settled(
                    verdict: .unverified("the list could not be read: \(error)"), result: "unverified", status: error.status,
                    message: "the contact list could not be read (\(error))")
            case .success(let contents) where !contents.ids.contains(id) && !contents.isComplete:
                let reason = "the list could not be read whole: \(contents.doubt ?? "")"
                return Settled(verdict: .unverified(reason), result: "unverified", status: nil, message: reason)
            case .success(let contents):
                // Easify has no look-up, so a present contact is not read back: its status is not known.
                present = contents.ids.contains(id) ? Contact(id: id, name: "", phone: "", email: "") : nil
            }
        }
        guard let present else {
            let how = provider.capabilities.canLookUp ? "the look-up says it is gone" : "it is absent from a complete read of the list"
            return Settled(verdict: deleting ? .done : .notDone, result: deleting ? "deleted" : "gone", status: 404, message: how)
        }
        if !deleting, let inactive = provider.capabilities.inactiveStatus, present.status == inactive {
            return Settled(verdict: .done, result: "deactivated", status: 200, message: "the contact's status is \(inactive)")
        }
        if !deleting, provider.capabilities.inactiveStatus == nil {
            return Settled(verdict: .unverified("a deactivation cannot be read back here"), result: "unverified", status: nil, message: "the contact is there; whether it was updated cannot be read back")
        }
        return Settled(
            verdict: .notDone, result: "not done", status: 200,
            message: "the contact is still there" + (present.status.map { " (\($0))" } ?? ""))
    }

    /// A restore may have created the contact: it is looked for on the account, as the same
    /// person created since it was deleted. Found: restored, with the id it got; not found
    /// in a complete read: not done, so it may be restored again.
    private static func settleRestore(_ intent: JournalRecord, provider: any ContactProvider, account: AccountReading) async -> Settled {
        guard let record = intent.contact, let deleted = provider.contact(fromRecord: record) else {
            return Settled(verdict: .unverified("its record cannot be read"), result: "unverified", status: nil, message: "its record cannot be read")
        }
        switch await account.contents() {
        case .failure(let error):
            return Settled(
                verdict: .unverified("the list could not be read: \(error)"), result: "unverified", status: error.status,
                message: "could not tell whether it was re-created: the list could not be read (\(error))")
        case .success(let contents):
            if let found = contents.sameOne(as: provider.identity(of: deleted), deletedAt: intent.at) {
                return Settled(verdict: .done, result: "restored", status: nil, message: "found on the account as \(found)", newContactID: found.rawValue)
            }
            guard contents.isComplete else {
                let reason = "the list could not be read whole: \(contents.doubt ?? "")"
                return Settled(verdict: .unverified(reason), result: "unverified", status: nil, message: reason)
            }
            return Settled(verdict: .notDone, result: "not done", status: nil, message: "not on the account; it may be restored again")
        }
    }
}
