import Foundation
import Synchronization

/// A throwaway PostgreSQL cluster on loopback for the tests of a team's journal: made with
/// `initdb` and started with `pg_ctl` from `/usr/lib/postgresql/*/bin` (not on the PATH), as
/// the `postgres` user when the tests run as root (PostgreSQL refuses to run as root). One per
/// test process, stopped when the process exits; each test takes a database of its own.
/// Password authentication (scram-sha-256) over TCP, as a team's server asks for it.
public final class PostgresCluster: Sendable {
    public let port: Int
    public let folder: String
    /// The role the tests connect as, and its password.
    public let user = "roster_ops"
    public let password: String
    private let superPassword: String
    private let runAs: String?
    private let bin: String
    /// With TLS: the certificate authority that signed the server's certificate (for
    /// `localhost` only, not 127.0.0.1), and another that did not; PEM files.
    public let certificateAuthority: String?
    public let otherCertificateAuthority: String?

    /// The folder of PostgreSQL's programs, where it is installed.
    public static var binFolder: String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).sorted { (Int($0) ?? 0) > (Int($1) ?? 0) }
        return versions.map { "\(root)/\($0)/bin" }.first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }

    /// Whether a cluster can be made here: PostgreSQL is installed, and, as root, there is a
    /// `postgres` user to run it and `runuser` to become it.
    public static var isAvailable: Bool {
        guard binFolder != nil, which("psql") != nil else { return false }
        return getuid() != 0 || (getpwnam("postgres") != nil && which("runuser") != nil)
    }

    private static let started = Mutex<Result<PostgresCluster, HarnessError>?>(nil)

    /// The process's cluster, started on first use.
    public static func shared() throws -> PostgresCluster {
        try started.withLock { current in
            if current == nil { current = Result { () throws(HarnessError) in try PostgresCluster() } }
            return try current!.get()
        }
    }

    /// A cluster of the caller's own, to stop and start (the shared one serves other tests at
    /// the same time); stopped when the process exits.
    public static func dedicated() throws -> PostgresCluster {
        try PostgresCluster()
    }

    /// A cluster of the caller's own that offers TLS with a certificate for `localhost` signed
    /// by a throwaway authority (`certificateAuthority`), made with the openssl program.
    public static func withTLS() throws -> PostgresCluster {
        try PostgresCluster(tls: true)
    }

    private init(tls: Bool = false) throws(HarnessError) {
        guard let bin = Self.binFolder else { throw HarnessError("PostgreSQL is not installed (no initdb under /usr/lib/postgresql/*/bin)") }
        self.bin = bin
        runAs = getuid() == 0 ? "postgres" : nil
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("roster-pg-\(UUID().uuidString.prefix(8))").path
        password = UUID().uuidString
        superPassword = UUID().uuidString
        mkdir(folder, 0o700)
        if runAs != nil, let owner = getpwnam("postgres") { chown(folder, owner.pointee.pw_uid, owner.pointee.pw_gid) }
        let passwordFile = folder + "/superuser-password"
        FileManager.default.createFile(atPath: passwordFile, contents: Data(superPassword.utf8), attributes: [.posixPermissions: 0o600])
        if runAs != nil, let owner = getpwnam("postgres") { chown(passwordFile, owner.pointee.pw_uid, owner.pointee.pw_gid) }
        let data = folder + "/data"
        let log = folder + "/initdb.log"
        guard Self.run(runAs, [bin + "/initdb", "-D", data, "-U", "postgres", "--auth=scram-sha-256", "--pwfile=\(passwordFile)",
            "-E", "UTF8", "--no-sync"], output: log) == 0
        else {
            throw HarnessError("initdb failed: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
        }
        port = Self.freePort()
        if tls {
            (certificateAuthority, otherCertificateAuthority) = try Self.makeCertificates(in: folder, data: data, owner: runAs)
        } else {
            (certificateAuthority, otherCertificateAuthority) = (nil, nil)
        }
        guard Self.run(runAs, startCommand) == 0 else {
            throw HarnessError("the PostgreSQL server did not start: \((try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? "")")
        }
        Self.stopAtExit.withLock { $0.append((runAs, bin, data, folder)) }
        if Self.stopAtExit.withLock({ $0.count }) == 1 { atexit { PostgresCluster.stopAll() } }
        try psql("CREATE ROLE \(user) LOGIN PASSWORD '\(password)'")
    }

    /// A new, empty database owned by the tests' role; its URL (without the password).
    public func makeDatabase(_ name: String = "t") throws -> String {
        let database = "\(name.lowercased().filter { $0.isLetter || $0.isNumber })_\(UUID().uuidString.prefix(8).lowercased())"
        try psql("CREATE DATABASE \(database) OWNER \(user)")
        return "postgres://\(user)@127.0.0.1:\(port)/\(database)"
    }

    /// Has the server write every statement sent to the database of `url` into its log, and
    /// returns a count of those written so far, to be read again after: how many statements
    /// (round trips) the database received in between.
    public func countStatements(in url: String) throws -> () -> Int {
        guard let database = url.split(separator: "/").last.map(String.init) else { throw HarnessError("no database in \(url)") }
        try psql("ALTER DATABASE \(database) SET log_statement = 'all'")
        let log = folder + "/server.log"
        return {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").filter { $0.contains("LOG:  execute ") || $0.contains("LOG:  statement: ") }.count
        }
    }

    /// Runs `sql` as the superuser; throws with psql's words when it fails.
    public func psql(_ sql: String, database: String = "postgres") throws(HarnessError) {
        let output = folder + "/psql-\(UUID().uuidString.prefix(8)).log"
        defer { unlink(output) }
        let status = Self.run(nil, [
            "/usr/bin/env", "PGPASSWORD=\(superPassword)", which("psql") ?? "psql", "-h", "127.0.0.1", "-p", String(port), "-U", "postgres",
            "-d", database, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql,
        ], output: output)
        guard status == 0 else {
            throw HarnessError("psql failed (\(sql)): \((try? String(contentsOfFile: output, encoding: .utf8)) ?? "")")
        }
    }

    /// Stops the server for a while (the store lost), and starts it again.
    public func stop() {
        Self.run(runAs, [bin + "/pg_ctl", "-D", folder + "/data", "-m", "immediate", "-w", "stop"])
    }

    public func start() {
        Self.run(runAs, startCommand)
    }

    /// `pg_ctl start` for this cluster: loopback only, its socket in its own folder, no fsync
    /// (a test's data need not outlive a crash).
    private var startCommand: [String] {
        var options = "-c listen_addresses=127.0.0.1 -p \(port) -k \(folder) -c fsync=off -c max_connections=200"
        if certificateAuthority != nil { options += " -c ssl=on -c ssl_cert_file=server.crt -c ssl_key_file=server.key" }
        return [bin + "/pg_ctl", "-D", folder + "/data", "-l", folder + "/server.log", "-o", options, "-w", "-t", "60", "start"]
    }

    /// A certificate authority, a server certificate it signs for `localhost` (in the data
    /// folder, its key the server's own), and an authority that signs nothing; their files.
    private static func makeCertificates(in folder: String, data: String, owner: String?) throws(HarnessError) -> (String, String) {
        guard let openssl = which("openssl") else { throw HarnessError("the openssl program is not installed") }
        let key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        let names = folder + "/server-names.cnf"
        FileManager.default.createFile(atPath: names, contents: Data("subjectAltName=DNS:localhost\n".utf8))
        let steps: [[String]] = [
            ["req", "-x509"] + key + ["-keyout", folder + "/ca.key", "-out", folder + "/ca.crt", "-days", "2", "-subj", "/CN=Roster test CA"],
            ["req", "-x509"] + key + ["-keyout", folder + "/other.key", "-out", folder + "/other-ca.crt", "-days", "2", "-subj", "/CN=Another CA"],
            ["req"] + key + ["-keyout", data + "/server.key", "-out", folder + "/server.csr", "-subj", "/CN=localhost"],
            ["x509", "-req", "-in", folder + "/server.csr", "-CA", folder + "/ca.crt", "-CAkey", folder + "/ca.key", "-CAcreateserial",
             "-out", data + "/server.crt", "-days", "2", "-extfile", names],
        ]
        for step in steps {
            let log = folder + "/openssl.log"
            guard run(nil, [openssl] + step, output: log) == 0 else {
                throw HarnessError("openssl \(step[0]) failed: \((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")")
            }
        }
        chmod(data + "/server.key", 0o600)
        if owner != nil, let user = getpwnam("postgres") {
            for file in [data + "/server.key", data + "/server.crt"] { chown(file, user.pointee.pw_uid, user.pointee.pw_gid) }
        }
        return (folder + "/ca.crt", folder + "/other-ca.crt")
    }

    private static let stopAtExit = Mutex<[(String?, String, String, String)]>([])

    private static func stopAll() {
        for (user, bin, data, folder) in stopAtExit.withLock({ $0 }) {
            run(user, [bin + "/pg_ctl", "-D", data, "-m", "immediate", "-w", "stop"])
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    @discardableResult
    private static func run(_ user: String?, _ arguments: [String], output: String = "/dev/null") -> Int32 {
        // From /: the postgres user may not be able to enter the folder the tests run in, and
        // PostgreSQL's programs stop where they cannot read their current folder.
        let command = user.map { ["/usr/sbin/runuser", "-u", $0, "--", "/bin/sh", "-c", "cd / && exec \"$@\"", "sh"] + arguments } ?? arguments
        return spawnAndWait(command, outputPath: output)
    }

    private static func freePort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
