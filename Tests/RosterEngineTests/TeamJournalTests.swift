import Foundation
import RosterCore
import RosterTeam
import RosterTestSupport
import Testing
@testable import RosterEngine

@Suite("A team's journal URL and its password")
struct JournalURLTests {
    @Test func aURLReadsAsLibpqReadsIt() throws {
        let url = try JournalURL("postgres://ops@db.example.com:6432/roster?sslrootcert=/etc/ssl/team.pem", environment: [:])
        #expect(url.host == "db.example.com" && url.port == 6432 && url.user == "ops" && url.database == "roster")
        #expect(url.sslMode == .verifyFull, "off this machine the certificate and its name are checked unless told otherwise")
        #expect(url.rootCertificates == "/etc/ssl/team.pem")
        #expect(url.description == "postgres://ops@db.example.com:6432/roster")

        let local = try JournalURL("postgresql://127.0.0.1/roster", environment: ["USER": "ana"])
        #expect(local.user == "ana" && local.port == 5432 && local.sslMode == .prefer)
        let socket = try JournalURL("postgres:///roster?host=/run/postgresql", environment: ["PGUSER": "ops", "USER": "ana"])
        #expect(socket.socketFolder == "/run/postgresql" && socket.host == nil && socket.user == "ops" && socket.sslMode == .disable)
        let named = try JournalURL("postgres://ops@[::1]:5433/r%20oster?sslmode=require", environment: [:])
        #expect(named.host == "::1" && named.port == 5433 && named.database == "r oster" && named.sslMode == .require)
        #expect(named.description == "postgres://ops@[::1]:5433/r oster")
    }

    @Test func aPasswordOrANonsenseSettingInTheURLIsRefusedWithItsReason() {
        func refusal(_ text: String) -> String {
            do {
                _ = try JournalURL(text, environment: ["USER": "ana"])
                return "accepted"
            } catch {
                return error.description
            }
        }
        #expect(refusal("postgres://ops:hunter2@db/roster").contains("must not hold a password"))
        #expect(!refusal("postgres://ops:hunter2@db/roster").contains("hunter2"))
        #expect(refusal("postgres://ops@db/roster?password=x").contains("must not hold a password"))
        #expect(refusal("mysql://ops@db/roster").contains("starts with postgres://"))
        #expect(refusal("postgres://ops@db:99999/roster").contains("port"))
        #expect(refusal("postgres://ops@db/roster?sslmode=maybe").contains("verify-full"))
        #expect(refusal("postgres://ops@db/roster?target_session_attrs=any").contains("not one Roster reads"))
        #expect(refusal("postgres://a,b/roster").contains("one host"))
    }

    @Test func pgpassIsMatchedAsLibpqMatchesIt() throws {
        let url = try JournalURL("postgres://ops@db.example.com/roster", environment: [:])
        let file = """
            # the team's servers
            other.example.com:5432:roster:ops:not-this
            db.example.com:5432:roster:ana:nor-this
            db.example.com:*:roster:ops:pa\\:ss\\\\word
            *:*:*:*:fallback
            """
        #expect(DatabasePassword.match(file, url: url) == "pa:ss\\word")
        let elsewhere = try JournalURL("postgres://ops@db2.example.com/roster", environment: [:])
        #expect(DatabasePassword.match(file, url: elsewhere) == "fallback")
        let socket = try JournalURL("postgres://ops@/roster?host=/run/postgresql", environment: [:])
        #expect(DatabasePassword.match("localhost:5432:roster:ops:sock", url: socket) == "sock", "the socket is localhost to .pgpass")
    }

    @Test func passwordsComeFromTheProfilesFileThenPGPASSWORDThenPgpassWhichMustBePrivate() throws {
        let folder = scratchFolder("pgpass")
        let url = try JournalURL("postgres://ops@db.example.com/roster", environment: [:])
        let pgpass = folder + "/.pgpass"
        FileManager.default.createFile(atPath: pgpass, contents: Data("db.example.com:5432:roster:ops:from-pgpass\n".utf8))
        chmod(pgpass, 0o644)
        let open = try DatabasePassword.find(for: url, profileFile: nil, environment: ["HOME": folder])
        #expect(open.password == nil, "libpq ignores a password file others can read; so does Roster")
        #expect(open.notes.first?.contains("chmod 600") == true)
        chmod(pgpass, 0o600)
        #expect(try DatabasePassword.find(for: url, profileFile: nil, environment: ["HOME": folder]).password == "from-pgpass")
        #expect(try DatabasePassword.find(for: url, profileFile: nil, environment: ["HOME": folder, "PGPASSWORD": "env"]).password == "env")
        let named = folder + "/journal-password"
        FileManager.default.createFile(atPath: named, contents: Data("from-file\n".utf8))
        chmod(named, 0o640)
        #expect(throws: ConfigError.self) { try DatabasePassword.find(for: url, profileFile: named, environment: ["HOME": folder]) }
        chmod(named, 0o600)
        let found = try DatabasePassword.find(for: url, profileFile: named, environment: ["HOME": folder, "PGPASSWORD": "env"])
        #expect(found.password == "from-file" && !found.source.contains("from-file"))
    }
}

@Suite("A team's journal in PostgreSQL", .enabled(if: PostgresCluster.isAvailable, "PostgreSQL is not installed here"))
struct PostgresJournalStoreTests {
    func store(_ url: String, cluster: PostgresCluster, home: String = scratchFolder("team-home")) throws -> SpooledTeamStore {
        try TeamJournal.open(urlText: url, passwordFile: nil, environment: ["PGPASSWORD": cluster.password, "HOME": home])
    }

    @Test func twoOperatorsWriteOneJournalAndEachReadsTheOthersRecords() throws {
        let cluster = try PostgresCluster.shared()
        let url = try cluster.makeDatabase("shared")
        // Two Rosters opening a new store at once migrate it once between them.
        let stores = try [0, 1].map { _ in try store(url, cluster: cluster) }
        let ana = Journal(store: stores[0], account: testAccount, operator: "ana", host: "jump1")
        let bo = Journal(store: stores[1], account: testAccount, operator: "bo", host: "jump2")
        let entry = try ana.intent("delete", contact: contact("c1"), batch: "b-1")
        try ana.outcome(entry, operation: "delete", contactID: ContactID("c1"), result: "deleted", status: 200, message: "Contact deleted")
        try bo.notSent("delete", contacts: [contact("c2", name: "Bo Li")], reason: "undone")
        let seen = try bo.records()
        #expect(seen.map(\.operator) == ["ana", "ana", "bo"])
        #expect(seen[0].host == "jump1" && seen[0].contact?["name"]?.stringValue == "Ana Pérez" && seen[0].batch == "b-1")
        #expect(seen[1].status == 200 && seen[1].result == "deleted")
        #expect(seen[0].phoneHash == stores[1].identityHash(contact("c1").comparablePhone), "one key for the team's hashes")
        let after = try stores[0].records(after: 0)
        #expect(after.map(\.sequence) == after.map(\.sequence).sorted() && after.count == 3)
        #expect(try stores[0].records(after: after[1].sequence).map(\.record.operator) == ["bo"])
        #expect(stores[0].location == url, "the location names no password")
    }

    @Test func aWrongPasswordOrNoServerIsSaidWithoutThePassword() throws {
        let cluster = try PostgresCluster.shared()
        let url = try cluster.makeDatabase("refused")
        do {
            _ = try TeamJournal.open(urlText: url, passwordFile: nil, environment: ["PGPASSWORD": "wrong-secret", "HOME": "/nonexistent"])
            Issue.record("a wrong password was accepted")
        } catch {
            #expect(error.description.contains("password authentication failed"))
            #expect(!error.description.contains("wrong-secret"))
        }
        do {
            _ = try TeamJournal.open(
                urlText: "postgres://ops@127.0.0.1:1/none?connect_timeout=2", passwordFile: nil, environment: ["PGPASSWORD": "x"])
            Issue.record("a store with no server was opened")
        } catch {
            #expect(error.description.contains("127.0.0.1:1") && error.description.lowercased().contains("refused"))
        }
    }

    /// The store goes away with a request on the wire: its outcome is kept in the operator's
    /// spool, the next intent is refused (nothing new is sent), and once the store is back
    /// the outcome is uploaded ahead of the next record, once.
    @Test func anOutcomeWrittenWhileTheStoreIsAwayIsSpooledAndUploadedOnce() throws {
        let cluster = try PostgresCluster.dedicated()
        let url = try cluster.makeDatabase("lost")
        let home = scratchFolder("team-home")
        let team = try store(url, cluster: cluster, home: home)
        let journal = Journal(store: team, account: testAccount, operator: "ana", host: "jump1")
        let entry = try journal.intent("delete", contact: contact("c1"))
        cluster.stop()
        try journal.outcome(entry, operation: "delete", contactID: ContactID("c1"), result: "deleted", status: 200, message: "Contact deleted")
        let spool = home + "/.local/state/roster/team-spool.db"
        #expect(FileManager.default.fileExists(atPath: spool) && team.spooledCount == 1)
        #expect(throws: JournalError.self, "an intent needs the team's store") { try journal.intent("delete", contact: contact("c2")) }
        cluster.start()
        // Another Roster of the same operator, started once the store is back, uploads it.
        let again = try store(url, cluster: cluster, home: home)
        #expect(again.notes.contains { $0.contains("1 record kept in") && $0.contains("was uploaded") })
        #expect(!FileManager.default.fileExists(atPath: spool))
        let seen = try again.records(on: nil)
        #expect(seen.map(\.kind) == [.intent, .outcome] && seen[1].entry == entry && seen[1].status == 200)
        // The first one's next write does not send it twice.
        try journal.notSent("delete", contacts: [contact("c3")], reason: "undone")
        #expect(try again.records(on: nil).count == 3)
    }

    /// A contact one operator's request is on the way for is theirs: another's claim names
    /// them; released, it is free; abandoned by a Roster that died, it expires by the
    /// database's clock.
    @Test func aClaimHoldsAContactForOneRunUntilReleasedOrExpired() throws {
        let cluster = try PostgresCluster.shared()
        let url = try cluster.makeDatabase("claims")
        let bo = Journal(store: try store(url, cluster: cluster), account: testAccount, operator: "bo", host: "jump2")
        do {
            let ana = Journal(store: try store(url, cluster: cluster), account: testAccount, operator: "ana", host: "jump1")
            #expect(try ana.claim(ContactID("c1")) == nil)
            #expect(try ana.claim(ContactID("c1")) == nil, "a run's own claim is granted again")
            #expect(try bo.claim(ContactID("c1")) == "ana@jump1")
            #expect(bo.claimsHeldElsewhere() == [ContactID("c1"): "ana@jump1"])
            ana.release(ContactID("c1"))
            #expect(try bo.claim(ContactID("c1")) == nil)
            bo.release(ContactID("c1"))
        }
        // A Roster holding a claim renews it while it runs; once it has died, the claim expires.
        do {
            let running = try PostgresJournalStore(
                url: try JournalURL(url, environment: [:]), password: DatabasePassword(password: cluster.password, source: "test"),
                claimLifetime: 2)
            let cy = Claimant(session: "cy-run", operatorName: "cy", host: "jump3")
            #expect(try running.claim("c2", on: JournalAccount(testAccount), for: cy) == nil)
            #expect(try bo.claim(ContactID("c2")) == "cy@jump3")
            Thread.sleep(forTimeInterval: 3)
            #expect(try bo.claim(ContactID("c2")) == "cy@jump3", "renewed by its heartbeat past its 2 s lifetime")
        }
        Thread.sleep(forTimeInterval: 2.5)
        #expect(try bo.claim(ContactID("c2")) == nil, "expired once nothing renewed it")
    }

    /// Two Rosters' pacers on one store: each alone would send 5 a second; together they
    /// still send no more than 5 in any second, by the database's clock.
    @Test func twoPacersOnOneStoreStayWithinOneLimitTogether() async throws {
        let cluster = try PostgresCluster.shared()
        let team = try store(try cluster.makeDatabase("quota"), cluster: cluster)
        let granted = GrantTimes()
        let pacers = [0, 1].map { _ in Pacer(policy: PacingPolicy(window: 1, limit: 5, keepsReserve: false), maxInFlight: 4) }
        for pacer in pacers {
            await pacer.share(RecordingQuota(inner: TeamQuota(store: team.team, account: JournalAccount(testAccount)), granted: granted))
        }
        await withTaskGroup(of: Void.self) { group in
            for pacer in pacers {
                for _ in 0..<8 {
                    group.addTask {
                        guard let ticket = try? await pacer.admit(.batch) else { return }
                        _ = await pacer.finish(ticket, observation: RateLimitObservation(), status: 200)
                    }
                }
            }
        }
        let times = await granted.times.sorted()
        #expect(times.count == 16)
        // Any five apart by at least the window, less what a busy machine adds between the
        // database's answer and the moment it is noted.
        let gaps = (0..<(times.count - 5)).map { times[$0 + 5].timeIntervalSince(times[$0]) }
        #expect(gaps.allSatisfy { $0 >= 0.85 }, "\(gaps)")
    }

    /// The server counted requests the store never saw (a client outside the team): the
    /// difference is taken too, so the team waits for the server's window to end.
    @Test func whatTheServerCountedBeyondTheStoreIsTakenToo() async throws {
        let cluster = try PostgresCluster.shared()
        let team = try store(try cluster.makeDatabase("observe"), cluster: cluster)
        let quota = TeamQuota(store: team.team, account: JournalAccount(testAccount))
        #expect(await quota.take("requests", limit: 10, span: 5) == nil)
        await quota.observe("requests", limit: 10, used: 10, resetIn: 3, span: 5)
        let wait = try #require(await quota.take("requests", limit: 10, span: 5), "the window is full by the server's count")
        #expect(wait > 2 && wait <= 3.1, "until the server's window ends: \(wait)")
    }

    /// A Roster that has had no answer yet does not know the limit: it takes its places by the
    /// limit and window another Roster on the account learned, so its first request waits its
    /// turn rather than drawing a 429 for a colleague's batch.
    @Test func aRosterYetToLearnTheLimitUsesTheOneTheTeamLearned() async throws {
        let cluster = try PostgresCluster.shared()
        let team = try store(try cluster.makeDatabase("learned"), cluster: cluster)
        let quota = TeamQuota(store: team.team, account: JournalAccount(testAccount))
        for _ in 0..<3 { #expect(await quota.take("requests", limit: nil, span: 60) == nil, "nothing learned yet: every place is given") }
        await quota.observe("requests", limit: 4, used: 3, resetIn: 50, span: 60)
        #expect(await quota.take("requests", limit: nil, span: 1) == nil, "the fourth of 4")
        let wait = try #require(await quota.take("requests", limit: nil, span: 1), "the learned 4 per 60 s is full")
        #expect(wait > 50, "until the learned window ends, not the guessed 1 s: \(wait)")
    }

    /// An erasure on a team's journal removes the person from every operator's records.
    @Test func anErasureRemovesThePersonFromTheTeamsRecords() throws {
        let cluster = try PostgresCluster.shared()
        let team = try store(try cluster.makeDatabase("erase"), cluster: cluster)
        let ana = Journal(store: team, account: testAccount, operator: "ana", host: "jump1")
        let bo = Journal(store: team, account: testAccount, operator: "bo", host: "jump2")
        let entry = try ana.intent("delete", contact: contact("c1", phone: "+57 3001112233", email: "ana@example.com"))
        try ana.outcome(entry, operation: "delete", contactID: ContactID("c1"), result: "deleted", status: 200, message: "Ana Pérez deleted")
        _ = try bo.intent("delete", contact: contact("c2", name: "Bo Li", phone: "+57 3009998877", email: "ana@example.com"))
        let person = try #require(try ErasureRequest(email: "ana@example.com", phone: "+57 3001112233").identities(of: []).first)
        #expect(try bo.purge(person) == 2)
        let kept = try ana.records()
        #expect(kept[0].contact == nil && kept[1].message == nil && kept[1].result == "deleted")
        #expect(kept[2].contact?["name"]?.stringValue == "Bo Li")
    }

    @Test func aTeamStoreKeepsOneRetentionPeriodAndOnesOwnRefusesToSetOne() throws {
        let cluster = try PostgresCluster.shared()
        let url = try cluster.makeDatabase("retention")
        let one = try store(url, cluster: cluster)
        #expect(try one.retentionDays() == nil)
        try one.setRetentionDays(30)
        #expect(try store(url, cluster: cluster).retentionDays() == 30)
        let own = try SQLiteJournalStore(path: scratchFolder() + "/journal.db")
        #expect(try own.retentionDays() == nil)
        #expect(throws: JournalError.self) { try own.setRetentionDays(30) }
    }

    @Test func pruningKeepsOnlyHashesPastTheRetentionPeriod() throws {
        let cluster = try PostgresCluster.shared()
        let team = try store(try cluster.makeDatabase("prune"), cluster: cluster)
        let journal = Journal(store: team, account: testAccount, operator: "ana", host: "jump1")
        _ = try journal.intent("delete", contact: contact("c1"))
        let report = try team.prune(before: Date().addingTimeInterval(60))
        #expect(report.records == 1)
        let kept = try journal.records()
        #expect(kept[0].contact == nil && kept[0].phoneHash?.count == 64 && kept[0].operator == "ana")
    }
}

/// When each request's place was granted, in the order granted.
actor GrantTimes {
    var times: [Date] = []
    func add(_ time: Date) { times.append(time) }
}

/// A shared quota that notes the moment each place is granted.
struct RecordingQuota: SharedQuota {
    let inner: TeamQuota
    let granted: GrantTimes

    func take(_ kind: String, limit: Int?, span: TimeInterval) async -> TimeInterval? {
        let wait = await inner.take(kind, limit: limit, span: span)
        if wait == nil { await granted.add(Date()) }
        return wait
    }

    func observe(_ kind: String, limit: Int, used: Int, resetIn: TimeInterval?, span: TimeInterval) async {
        await inner.observe(kind, limit: limit, used: used, resetIn: resetIn, span: span)
    }
}
