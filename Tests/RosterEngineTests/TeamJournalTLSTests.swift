import Foundation
import RosterCore
import RosterTeam
import RosterTestSupport
import Testing
@testable import RosterEngine

/// TLS to a team's store, against a server whose certificate a throwaway authority signed for
/// `localhost`: each `sslmode` checks what libpq's does, and a certificate it cannot trust is
/// refused before any password or record crosses the connection.
@Suite(
    "A team's journal over TLS", .enabled(if: PostgresCluster.isAvailable, "PostgreSQL is not installed here"),
    .enabled(if: which("openssl") != nil, "openssl is not installed here"))
struct TeamJournalTLSTests {
    static let cluster = Result { try PostgresCluster.withTLS() }

    /// The store at `host`, its URL's TLS settings `query`: one record written and read back.
    func roundTrip(host: String, _ query: String, home: String = scratchFolder("tls-home")) throws -> [JournalRecord] {
        let cluster = try Self.cluster.get()
        let url = try cluster.makeDatabase("tls").replacingOccurrences(of: "@127.0.0.1:", with: "@\(host):") + "?" + query
        let store = try TeamJournal.open(urlText: url, passwordFile: nil, environment: ["PGPASSWORD": cluster.password, "HOME": home])
        let journal = Journal(store: store, account: testAccount, operator: "ana", host: "jump1")
        _ = try journal.intent("delete", contact: contact("c1", phone: "+57 3001112233", email: "ana@example.com"))
        return try store.records(on: nil)
    }

    @Test func verifyFullTrustsTheNamedAuthorityForTheNameOnTheCertificate() throws {
        let authority = try #require(try Self.cluster.get().certificateAuthority)
        #expect(try roundTrip(host: "localhost", "sslmode=verify-full&sslrootcert=\(authority)").count == 1)
    }

    @Test func verifyFullRefusesAnotherAuthorityAndAnotherName() throws {
        let cluster = try Self.cluster.get()
        let other = try #require(cluster.otherCertificateAuthority)
        let authority = try #require(cluster.certificateAuthority)
        #expect {
            try roundTrip(host: "localhost", "sslmode=verify-full&sslrootcert=\(other)")
        } throws: { error in
            "\(error)".hasSuffix("cannot be opened: the database's certificate is not signed by an authority Roster trusts (sslrootcert names the file of the one that signs it)")
                && !"\(error)".contains(cluster.password)
        }
        // The certificate names localhost, not 127.0.0.1: verify-full refuses, verify-ca
        // (the authority alone) accepts.
        #expect {
            try roundTrip(host: "127.0.0.1", "sslmode=verify-full&sslrootcert=\(authority)")
        } throws: { error in "\(error)".contains("the database's certificate does not name the host in the URL") }
        #expect(try roundTrip(host: "127.0.0.1", "sslmode=verify-ca&sslrootcert=\(authority)").count == 1)
        #expect {
            try roundTrip(host: "localhost", "sslmode=verify-full&sslrootcert=/nonexistent/root.crt")
        } throws: { error in "\(error)".hasSuffix("cannot be used: the root certificate file /nonexistent/root.crt (sslrootcert) cannot be read") }
    }

    /// `require` encrypts without checking the certificate unless a root certificate is named,
    /// as libpq's does; with one named, an untrusted certificate is refused.
    @Test func requireChecksTheCertificateOnlyAgainstANamedRoot() throws {
        let cluster = try Self.cluster.get()
        let other = try #require(cluster.otherCertificateAuthority)
        #expect(try roundTrip(host: "127.0.0.1", "sslmode=require").count == 1)
        #expect {
            try roundTrip(host: "localhost", "sslmode=require&sslrootcert=\(other)")
        } throws: { error in "\(error)".contains("not signed by an authority Roster trusts") }
    }

    /// Without `sslrootcert`, the authorities are libpq's `~/.postgresql/root.crt` where it
    /// exists (a team that set libpq up has them there), else the system's, which do not sign
    /// a team's own certificate; `sslrootcert=system` asks for the system's by name.
    @Test func theRootCertificatesAreLibpqsWhereTheURLNamesNone() throws {
        let authority = try #require(try Self.cluster.get().certificateAuthority)
        let home = scratchFolder("tls-libpq-home")
        try FileManager.default.createDirectory(atPath: home + "/.postgresql", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: authority, toPath: home + "/.postgresql/root.crt")
        #expect(try roundTrip(host: "localhost", "sslmode=verify-full", home: home).count == 1)
        #expect {
            try roundTrip(host: "localhost", "sslmode=verify-full&sslrootcert=system", home: home)
        } throws: { error in "\(error)".contains("not signed by an authority Roster trusts") }
        #expect {
            try roundTrip(host: "localhost", "sslmode=verify-full")
        } throws: { error in "\(error)".contains("not signed by an authority Roster trusts") }
    }
}
