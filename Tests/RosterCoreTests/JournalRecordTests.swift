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
