import Foundation
import Glibc
import RosterCore
import Testing
@testable import RosterEngine

/// The filter prompt's history on disk: per profile, 0600, at most 500 queries, and pruned by
/// the journal's retention period, since queries hold phone numbers and emails.
@Suite("The filter prompt's history file")
struct QueryHistoryFileTests {
    @Test func queriesAreKeptPerProfileReadableOnlyByTheirOwner() throws {
        let environment = ["XDG_STATE_HOME": scratchFolder("history")]
        let acme = QueryHistoryFile(profile: "acme", isDemo: false, environment: environment)
        let other = QueryHistoryFile(profile: "acme/../x y", isDemo: false, environment: environment)
        try acme.remember("phone:3001112233", retentionDays: 90)
        try acme.remember("status:inactive", retentionDays: 90)
        try acme.remember("phone:3001112233", retentionDays: 90)
        try other.remember("email:ana@example.com", retentionDays: 90)
        #expect(acme.load(retentionDays: 90) == ["status:inactive", "phone:3001112233"], "a query used again is the newest, once")
        #expect(other.load(retentionDays: 90) == ["email:ana@example.com"])
        #expect(other.path.hasPrefix(environment["XDG_STATE_HOME"]! + "/roster/history/"), "an odd profile name stays in the folder: \(other.path)")
        var info = stat()
        #expect(stat(acme.path, &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)
    }

    @Test func atMostTheLimitAndNothingPastTheRetentionPeriod() throws {
        let environment = ["XDG_STATE_HOME": scratchFolder("history")]
        let history = QueryHistoryFile(profile: "acme", isDemo: false, environment: environment)
        let now = Date()
        try history.remember("old +573001112233", retentionDays: 90, now: now.addingTimeInterval(-100 * 86_400))
        for number in 0..<PromptHistory.limit { try history.remember("query \(number)", retentionDays: 90, now: now) }
        let loaded = history.load(retentionDays: 90, now: now)
        #expect(loaded.count == PromptHistory.limit)
        #expect(!loaded.contains("old +573001112233"))

        let recent = QueryHistoryFile(profile: "recent", isDemo: false, environment: environment)
        try recent.remember("ana@example.com", retentionDays: 90, now: now.addingTimeInterval(-30 * 86_400))
        try recent.remember("status:inactive", retentionDays: 90, now: now)
        QueryHistoryFile.pruneAll(retentionDays: 7, environment: environment, now: now)
        let text = try String(contentsOfFile: recent.path, encoding: .utf8)
        #expect(!text.contains("ana@example.com"), "pruned from the file itself, not only hidden")
        #expect(text.contains("status:inactive"))
    }

    @Test func aDamagedFileCostsOnlyItsDamagedLines() throws {
        let environment = ["XDG_STATE_HOME": scratchFolder("history")]
        let history = QueryHistoryFile(profile: "acme", isDemo: false, environment: environment)
        try history.remember("status:inactive", retentionDays: 90)
        let handle = try #require(FileHandle(forWritingAtPath: history.path))
        handle.seekToEndOfFile()
        handle.write(Data([0xFF, 0xFE, 0x0A]) + Data("no tab here\n".utf8))
        try handle.close()
        #expect(history.load(retentionDays: 90) == ["status:inactive"])
        try history.remember("phone:300", retentionDays: 90)
        #expect(history.load(retentionDays: 90).last == "phone:300")
    }
}
