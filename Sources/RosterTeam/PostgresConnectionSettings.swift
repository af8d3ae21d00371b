import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO
import RosterCore
import RosterEngine

/// How the store connects (TLS as `sslmode` says) and how its failures read.
extension PostgresJournalStore {
    static func configuration(_ url: JournalURL, password: String?) throws -> PostgresConnection.Configuration {
        var tls = TLSConfiguration.makeClientConfiguration()
        if url.sslMode != .disable, let roots = url.rootCertificates, !FileManager.default.isReadableFile(atPath: roots) {
            throw JournalError("the root certificate file \(roots) (sslrootcert) cannot be read")
        }
        let mode: PostgresConnection.Configuration.TLS
        switch url.sslMode {
        case .disable:
            mode = .disable
        case .allow, .prefer, .require:
            // libpq's require checks the certificate only against a named root certificate.
            if url.sslMode == .require, let roots = url.rootCertificates {
                tls.trustRoots = .file(roots)
                tls.certificateVerification = .noHostnameVerification
            } else {
                tls.certificateVerification = .none
            }
            let context = try NIOSSLContext(configuration: tls)
            mode = url.sslMode == .require ? .require(context) : .prefer(context)
        case .verifyCA, .verifyFull:
            if let roots = url.rootCertificates { tls.trustRoots = .file(roots) }
            tls.certificateVerification = url.sslMode == .verifyFull ? .fullVerification : .noHostnameVerification
            mode = .require(try NIOSSLContext(configuration: tls))
        }
        var configuration: PostgresConnection.Configuration
        if let folder = url.socketFolder {
            configuration = .init(
                unixSocketPath: folder + "/.s.PGSQL.\(url.port)", username: url.user, password: password, database: url.database)
        } else {
            configuration = .init(
                host: url.host ?? "", port: url.port, username: url.user, password: password, database: url.database, tls: mode)
        }
        configuration.options.connectTimeout = .milliseconds(Int64(url.connectTimeout * 1000))
        configuration.options.additionalStartupParameters = [("application_name", "roster")]
        return configuration
    }

    static func isConnectionLost(_ error: any Error) -> Bool {
        if error is NoAnswer { return true }
        guard let failure = error as? PSQLError else { return true }
        return failure.code != .server
    }

    /// What went wrong, in the server's or the operating system's words (PSQLError's own
    /// description hides them).
    static func describe(_ error: any Error) -> String {
        guard let failure = error as? PSQLError else { return readable(error) }
        if let info = failure.serverInfo, let message = info[.message] {
            return message + (info[.sqlState].map { " (SQLSTATE \($0))" } ?? "")
        }
        if let underlying = failure.underlying { return readable(underlying) }
        switch failure.code {
        case .serverClosedConnection, .uncleanShutdown: return "the database closed the connection"
        case .authMechanismRequiresPassword: return "the database asks for a password: set PGPASSWORD, journal_password_file or ~/.pgpass"
        case .sslUnsupported: return "the database does not offer TLS (sslmode asks for it)"
        default: return "\(failure.code)"
        }
    }

    /// A network failure in the operating system's words ("Connection refused").
    static func readable(_ error: any Error) -> String {
        if let connecting = error as? NIOConnectionError {
            if let last = connecting.connectionErrors.last?.error { return readable(last) }
            if connecting.dnsAError != nil || connecting.dnsAAAAError != nil { return "the host name \(connecting.host) does not resolve" }
        }
        if let io = error as? IOError { return String(cString: strerror(io.errnoCode)) }
        if let channel = error as? ChannelError, case .connectTimeout(let after) = channel {
            return "no connection within \(after.nanoseconds / 1_000_000_000) s"
        }
        if let unknown = error as? SocketAddressError, case .unknown(let host, _) = unknown { return "the host name \(host) does not resolve" }
        if let tls = error as? NIOSSLExtraError, tls == .failedToValidateHostname {
            return "the database's certificate does not name the host in the URL (sslmode=verify-full checks it; verify-ca does not)"
        }
        if let tls = error as? NIOSSLError {
            switch tls {
            case .handshakeFailed(let failure) where "\(failure)".contains("CERTIFICATE_VERIFY_FAILED"):
                return "the database's certificate is not signed by an authority Roster trusts (sslrootcert names the file of the one that signs it)"
            case .handshakeFailed, .uncleanShutdown:
                return "the TLS handshake with the database failed"
            case .failedToLoadCertificate, .noSuchFilesystemObject:
                return "the root certificate file (sslrootcert) cannot be read as PEM certificates"
            default:
                return "TLS failed (\(tls))"
            }
        }
        return "\(error)"
    }

    static func quoted(_ name: String) -> String { "\"\(name)\"" }
}
