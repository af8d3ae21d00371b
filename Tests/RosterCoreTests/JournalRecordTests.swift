import Foundation
import Testing
@testable import RosterCore

@Suite("Journal records")
struct JournalRecordTests {
    @Test func aRecordIsOneLineOfJSONThatReadsBack() throws {
        let record = JournalRecord(
            kind: .intent, entry: "E1", operation: "delete", at: Date(timeIntervalSince1970: 1_800_000_000),
            operator: "ana", profile: "acme", dialect: "sendme123", baseURL: "https://app.sendme123.com",
            contactID: "c-1", contact: .object(["id": .string("c-1"), "name": .string("Ana\nPérez")]))
        let line = try record.jsonLine()
        #expect(!line.contains("\n"))
        #expect(JournalRecord.decode(line: line) == record)
        #expect(!line.lowercased().contains("key"), "no API key field exists")
    }

    @Test func aDamagedLineIsSkippedNotFatal() {
        #expect(JournalRecord.decode(line: #"{"kind":"intent","entry":"#) == nil)
    }
}

@Suite("What can be restored")
struct RestoreLedgerTests {
    func record(_ kind: JournalRecord.Kind, _ entry: String, _ operation: String, _ id: String, result: String? = nil,
                batch: String? = nil, restores: String? = nil, newID: String? = nil, base: String = "http://a") -> JournalRecord {
        JournalRecord(
            kind: kind, entry: entry, operation: operation, at: Date(timeIntervalSince1970: 0), operator: "ana", profile: "p",
            dialect: "sendme123", baseURL: base, contactID: id, contact: kind == .intent ? .object(["name": .string("N \(id)")]) : nil,
            result: result, batch: batch, restores: restores, newContactID: newID)
    }

    @Test func deletedNotYetRestoredAndNeverTwice() {
        let records = [
            record(.intent, "d1", "delete", "a", batch: "b1"), record(.outcome, "d1", "delete", "a", result: "deleted"),
            record(.intent, "d2", "delete", "b", batch: "b1"), record(.outcome, "d2", "delete", "b", result: "refused"),
            record(.intent, "d3", "delete", "c", batch: "b2"), record(.outcome, "d3", "delete", "c", result: "deleted"),
            record(.intent, "d4", "delete", "d", batch: "b2"), record(.outcome, "d4", "delete", "d", result: "deleted"),
            record(.intent, "d5", "delete", "e", batch: "b3", base: "http://other"),
            record(.outcome, "d5", "delete", "e", result: "deleted", base: "http://other"),
            // c restored; d's restore was interrupted: in doubt, not offered again.
            record(.intent, "r1", "restore", "c", restores: "d3"), record(.outcome, "r1", "restore", "c", result: "restored", newID: "c2"),
            record(.intent, "r2", "restore", "d", restores: "d4"),
        ]
        let ledger = RestoreLedger(records: records, dialect: "sendme123", baseURL: "http://a")
        #expect(ledger.restorable.map(\.contactID) == ["a"], "refused, restored, in doubt and other accounts are not offered")
        #expect(ledger.restored == ["d3": "c2"])
        #expect(ledger.inDoubt.map(\.entry) == ["r2"])
        #expect(ledger.lastBatch == "b2", "the last batch that deleted, even though it is restored")
        #expect(ledger.restorable.first?.name == "N a")
    }

    @Test func callingCodesSplitNumbers() {
        #expect(CallingCodes.split("+573001112233")! == ("57", "3001112233"))
        #expect(CallingCodes.split("+1 289 434 1234")! == ("1", "2894341234"))
        #expect(CallingCodes.split("+353871234567")! == ("353", "871234567"))
        #expect(CallingCodes.split("12")! == ("1", "2"))
        #expect(CallingCodes.split("") == nil)
    }
}

@Suite("The history view: restoring from the UI")
struct HistoryViewTests {
    func deletion(_ id: String, minute: Double) -> RestoreLedger.Deletion {
        RestoreLedger.Deletion(
            entry: "e-\(id)", at: Date(timeIntervalSince1970: minute * 60), operator: "ana", profile: "p", batch: "b",
            contactID: id, record: .object(["name": .string("Name \(id)")]))
    }

    @Test func marksThenRAsksThenRestoresAndShowsEachOutcome() {
        var state = loadedState()
        #expect(update(&state, .action(.showHistory)) == [.loadHistory])
        let older = deletion("a", minute: 1)
        let newer = deletion("b", minute: 2)
        _ = update(&state, .historyLoaded(.success([older, newer])))
        guard case .history(let view) = state.overlay else { Issue.record("the history is open"); return }
        #expect(view.deletions?.map(\.contactID) == ["b", "a"], "newest first")
        #expect(state.inputMode == .history)
        _ = update(&state, .action(.toggleMark))
        _ = update(&state, .action(.toggleMark))
        #expect(update(&state, .action(.restore)).isEmpty, "asks first")
        #expect(state.inputMode == .confirmKey)
        let effects = update(&state, .action(.confirm))
        #expect(effects == [.restore([newer, older], dryRun: false)])
        _ = update(&state, .restoreFinished(entry: "e-b", .restored(newID: "b2")))
        _ = update(&state, .restoreFinished(entry: "e-a", .present(id: "a9", by: "email")))
        guard case .history(let after) = state.overlay else { Issue.record("still open"); return }
        #expect(after.results["e-b"] == .restored(newID: "b2"))
        #expect(after.results["e-a"]?.summary == "already back as a9 (same email)")
        #expect(after.chosen.isEmpty, "nothing restored twice")
        _ = update(&state, .action(.dismiss))
        #expect(state.overlay == .none)
    }

    @Test func readOnlyLooksButDoesNotRestore() {
        var state = loadedState()
        state.session.isReadOnly = true
        _ = update(&state, .action(.showHistory))
        _ = update(&state, .historyLoaded(.success([deletion("a", minute: 1)])))
        #expect(update(&state, .action(.restore)).isEmpty)
        #expect(state.inputMode == .history, "no confirmation")
        #expect(state.message?.text.contains("Read-only") == true)
    }
}
