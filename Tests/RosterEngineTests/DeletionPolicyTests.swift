import Foundation
import RosterCore
import RosterTestSupport
import Testing
@testable import RosterEngine
@testable import RosterSandbox

/// The package's root folder, found from this file's place in it.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func freshJournal(_ account: AccountInfo) throws -> Journal {
    Journal(store: try SQLiteJournalStore(path: scratchFolder() + "/journal.db"), account: account)
}

func accountInfo(_ server: SandboxServer) -> AccountInfo {
    AccountInfo(
        profile: "test", dialect: server.configuration.dialect == .easify ? .easify : .sendme123, baseURL: server.baseURL, isDemo: false)
}

/// A seeded person imported twice, the copy the same after folding (phone written another
/// way, email in capitals): the pair a duplicates cleanup deletes one of.
func identicalTwins(count: Int, seed: UInt64) -> (keeper: SeedContact, copy: SeedContact)? {
    let seeded = SeedData.contacts(count: count, seed: seed)
    for (index, copy) in seeded.enumerated() where copy.phoneStyle == .spaced && copy.email.hasPrefix(" ") {
        if let keeper = seeded[..<index].first(where: {
            $0.countryCode + $0.phone == copy.countryCode + copy.phone && $0.email.lowercased() == copy.email.trimmingCharacters(in: .whitespaces).lowercased()
        }), !keeper.hasPendingMessages, !copy.hasPendingMessages {
            return (keeper, copy)
        }
    }
    return nil
}

@Suite("One deletion policy")
struct DeletionPolicyTests {
    /// The check: the DELETE leaves from one place, whoever asks for it.
    @Test func providerDeleteIsCalledFromOnePlaceOutsideTheProviders() throws {
        let sources = packageRoot.appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") && !$0.hasPrefix("RosterProviders/") && !$0.hasPrefix("RosterSandbox/") }
        var callers: [String] = []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            if text.contains("provider.delete(id:") || text.contains(".delete(id: contact.id)") { callers.append(file) }
        }
        #expect(callers == ["RosterEngine/Deletion/DeletionPolicy.swift"])
    }

    @Test(arguments: [SandboxConfiguration.Dialect.sendme123, .easify])
    func theIntentIsKeptBeforeTheDeleteAndTheOutcomeAfter(dialect: SandboxConfiguration.Dialect) async throws {
        try await withProvider(SandboxConfiguration(dialect: dialect, contactCount: 20, seed: 3)) { provider, server in
            let journal = try freshJournal(accountInfo(server))
            let policy = DeletionPolicy(provider: provider, journal: journal)
            let target = try #require(try await provider.list(page: 1).contacts.first { contact in
                !SeedData.contacts(count: 20, seed: 3).contains { ($0.uuid == contact.id.rawValue || String($0.numericID) == contact.id.rawValue) && $0.hasPendingMessages }
            })
            let outcome = await policy.deleteSafely(target.id, listed: target, batch: "b-1", dryRun: false)
            #expect(outcome.kind == .deleted, "\(outcome.message)")
            #expect(server.contactCount == 19)
            let records = try journal.records()
            #expect(records.map(\.kind) == [.intent, .outcome])
            #expect(records[0].contact?["id"] != nil, "the whole record is kept")
            #expect(records[1].result == "deleted")
        }
    }

    /// Issue: an unwritable journal was found late, after every look-up. Nothing is sent
    /// without its intent, and the batch is told to stop.
    @Test func withoutAJournalThatTakesTheIntentNothingIsSent() async throws {
        try await withProvider(SandboxConfiguration(dialect: .sendme123, contactCount: 5, seed: 2)) { provider, server in
            let store = RefusingStore(inner: try SQLiteJournalStore(path: scratchFolder() + "/journal.db"))
            store.refusing = true
            let policy = DeletionPolicy(provider: provider, journal: Journal(store: store, account: accountInfo(server)))
            let target = try #require(try await provider.list(page: 1).contacts.first)
            let sent = await policy.delete(target, batch: nil)
            #expect(sent.journalRefused)
            #expect(sent.error?.message.contains("nothing sent") == true)
            #expect(server.contactCount == 5)
            let outcome = DeleteOutcome.of(sent, id: target.id, name: "", done: .deleted, success: \.message, namesFailures: false)
            #expect(outcome.stopReason == "the journal cannot be written")
        }
    }

    /// Without a journal (a dry run) nothing destructive leaves.
    @Test func aDryRunSendsNothing() async throws {
        try await withProvider(SandboxConfiguration(dialect: .easify, contactCount: 5, seed: 2)) { provider, server in
            let target = try #require(try await provider.list(page: 1).contacts.first)
            let sent = await DeletionPolicy(provider: provider, journal: nil).delete(target, batch: nil)
            #expect(sent.error?.message == "dry run: nothing sent")
            #expect(server.contactCount == 5)
        }
    }
}

@Suite("Restore asks whether the contact is on the account now")
struct RestoreTests {
    /// Issue: contacts deleted as duplicates never came back ("present … already there as the
    /// keeper (same phone)"). The keeper was there all along: the deleted one is re-created.
    @Test(arguments: [SandboxConfiguration.Dialect.sendme123, .easify])
    func aContactDeletedAsADuplicateComesBack(dialect: SandboxConfiguration.Dialect) async throws {
        let (keeper, copy) = try #require(identicalTwins(count: 400, seed: 1))
        try await withProvider(SandboxConfiguration(dialect: dialect, contactCount: 400, seed: 1, rateLimit: 10_000)) { provider, server in
            let journal = try freshJournal(accountInfo(server))
            let policy = DeletionPolicy(provider: provider, journal: journal)
            let id = ContactID(dialect == .easify ? String(copy.numericID) : copy.uuid)
            let keeperID = dialect == .easify ? String(keeper.numericID) : keeper.uuid
            let listed = try await AccountReading(provider: provider).contents().get()
            #expect(listed.ids.contains(id))
            var snapshot: Contact?
            _ = await PageWalker(provider: provider).walk { page in
                snapshot = snapshot ?? page.first { $0.id == id }
                return snapshot == nil
            }
            let deleted = await policy.deleteSafely(id, listed: snapshot, batch: "b-1", dryRun: false)
            #expect(deleted.kind == .deleted, "\(deleted.message)")
            let ledger = RestoreLedger(records: try journal.records(), dialect: dialect.rawValue, baseURL: server.baseURL)
            let deletion = try #require(ledger.restorable.first)
            let restorer = Restorer(policy: policy, account: AccountReading(provider: provider), run: "r-1")
            let outcome = await restorer.restore(deletion, dryRun: false)
            #expect(outcome.kind == .restored, "\(outcome.message)")
            #expect(outcome.message.contains("its duplicate \(keeperID), with the same phone, is still there"))
            #expect(server.contactCount == 400)
        }
    }

    /// Someone re-added the deleted person since: the same name, phone and email, created
    /// after the deletion. Nothing is created twice.
    @Test func aContactReAddedSinceIsFoundBack() async throws {
        try await withProvider(SandboxConfiguration(dialect: .sendme123, contactCount: 30, seed: 8, rateLimit: 10_000)) { provider, server in
            let journal = try freshJournal(accountInfo(server))
            let policy = DeletionPolicy(provider: provider, journal: journal)
            let seeded = SeedData.contacts(count: 30, seed: 8).first { !$0.hasPendingMessages }!
            let deleted = await policy.deleteSafely(ContactID(seeded.uuid), listed: nil, batch: "b-1", dryRun: false)
            #expect(deleted.kind == .deleted)
            let ledger = RestoreLedger(records: try journal.records(), dialect: "sendme123", baseURL: server.baseURL)
            let deletion = try #require(ledger.restorable.first)
            let readded = try await provider.create(try await provider.restorePlan(for: deletion.record))
            let outcome = await Restorer(policy: policy, account: AccountReading(provider: provider), run: "r-1").restore(deletion, dryRun: false)
            #expect(outcome.kind == .present)
            #expect(outcome.newID == readded.id.rawValue)
            #expect(server.contactCount == 30)
        }
    }

    /// Issue: Easify deletions of unknown fate (the answer was lost) were never restorable.
    /// A contact absent from a whole read of the account was deleted.
    @Test func aDeletionOfUnknownFateIsSettledByAWholeRead() async throws {
        try await withProvider(SandboxConfiguration(dialect: .easify, contactCount: 40, seed: 4, rateLimit: 10_000)) { provider, server in
            let journal = try freshJournal(accountInfo(server))
            let page = try await provider.list(page: 1).contacts
            let (lost, kept) = (page[0], page[1])
            for target in [lost, kept] {
                let entry = try journal.intent("delete", contact: target, batch: "b-1")
                try journal.outcome(
                    entry, operation: "delete", contactID: target.id, result: "unknown", status: nil,
                    message: "the connection was closed before an answer came")
            }
            // The DELETE of `lost` was carried out; its answer never came.
            _ = try await provider.delete(id: lost.id)
            let before = RestoreLedger(records: try journal.records(), dialect: "easify", baseURL: server.baseURL)
            #expect(before.restorable.isEmpty)
            #expect(before.unknownFate.count == 2)
            let report = try #require(await Reconciler.run(journal: journal, provider: provider, account: AccountReading(provider: provider)))
            #expect(report.done == 1 && report.notDone == 1)
            let after = RestoreLedger(records: try journal.records(), dialect: "easify", baseURL: server.baseURL)
            #expect(after.restorable.map(\.contactID) == [lost.id.rawValue])
            #expect(after.notDeleted == [kept.id.rawValue])
            #expect(after.unknownFate.isEmpty)
            #expect(await Reconciler.run(journal: journal, provider: provider, account: AccountReading(provider: provider)) == nil, "settled once")
        }
    }
}
