import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import RosterCore

/// How a dialect presents its key.
public enum AuthScheme: Sendable {
    /// A named header holding the key as is (SendMe123's `api-key`).
    case header(String)
    /// `Authorization: Bearer <key>`.
    case bearer
}

/// A response as the dialects read it.
public struct HTTPReply: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data

    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// The one road every request takes: it waits for the pacer, sends, records the rate-limit
/// headers into the headroom, and re-sends a request the server refused with 429 (a refused
/// request was not processed, so even a DELETE is safe to send again).
public final class HTTPTransport: Sendable {
    public let baseURL: String
    private let authScheme: AuthScheme
    private let apiKey: String
    public let pacer: Pacer
    private let defaultPriority: RequestPriority
    private let onHeadroom: @Sendable (Headroom) -> Void
    private let timeout: TimeAmount
    private let maxRateLimitRetries: Int

    public init(
        baseURL: String,
        authScheme: AuthScheme,
        apiKey: String,
        pacer: Pacer = Pacer(),
        priority: RequestPriority = .interactive,
        timeoutSeconds: Int64 = 30,
        maxRateLimitRetries: Int = 5,
        onHeadroom: @escaping @Sendable (Headroom) -> Void = { _ in }
    ) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.baseURL = trimmed
        self.authScheme = authScheme
        self.apiKey = apiKey
        self.pacer = pacer
        self.defaultPriority = priority
        self.onHeadroom = onHeadroom
        self.timeout = .seconds(timeoutSeconds)
        self.maxRateLimitRetries = maxRateLimitRetries
    }

    /// Tries of one request that is safe to repeat, before its failure is reported.
    public static let maxAttempts = 3

    /// Sends a request. GETs (and requests marked idempotent) that meet a server error or a
    /// network failure are tried again with growing pauses; anything else is sent once and
    /// its outcome reported, so the caller decides (a DELETE checks with a look-up).
    public func send(
        _ method: HTTPMethod, path: String, query: [(String, String)] = [], jsonBody: String? = nil,
        priority: RequestPriority? = nil, idempotent: Bool? = nil
    ) async throws(ProviderError) -> HTTPReply {
        let repeatable = idempotent ?? (method == .GET)
        var attempt = 1
        while true {
            do {
                let reply = try await sendOnce(method, path: path, query: query, jsonBody: jsonBody, priority: priority)
                if repeatable, reply.status >= 500, attempt < Self.maxAttempts {
                    try? await Task.sleep(nanoseconds: Self.backoff(attempt))
                    attempt += 1
                    continue
                }
                return reply
            } catch where repeatable && error.isTransient && attempt < Self.maxAttempts {
                try? await Task.sleep(nanoseconds: Self.backoff(attempt))
                attempt += 1
            }
        }
    }

    /// 0.25 s, 0.5 s, 1 s, …
    static func backoff(_ attempt: Int) -> UInt64 {
        UInt64(250_000_000) << UInt64(min(attempt - 1, 4))
    }

    private func sendOnce(
        _ method: HTTPMethod, path: String, query: [(String, String)], jsonBody: String?, priority: RequestPriority?
    ) async throws(ProviderError) -> HTTPReply {
        let url = baseURL + path + Self.queryString(query)
        var refusedByRateLimit = 0
        while true {
            let ticket: Pacer.Ticket
            do {
                ticket = try await pacer.admit(priority ?? RequestContext.priority ?? defaultPriority)
            } catch {
                throw ProviderError(kind: .network, message: "cancelled before it was sent")
            }
            let reply: HTTPReply
            do {
                reply = try await perform(method, url: url, jsonBody: jsonBody)
            } catch {
                onHeadroom(await pacer.finish(ticket, observation: RateLimitObservation(), status: nil))
                throw ProviderError(kind: .network, message: Self.describe(error, url: url))
            }
            let observation = RateLimitObservation.parse(
                headers: reply.headers, body: reply.status == 429 ? reply.bodyText : nil, now: Date())
            onHeadroom(await pacer.finish(ticket, observation: observation, status: reply.status))
            if reply.status == 429 && refusedByRateLimit < maxRateLimitRetries {
                refusedByRateLimit += 1
                continue
            }
            return reply
        }
    }

    private func perform(_ method: HTTPMethod, url: String, jsonBody: String?) async throws -> HTTPReply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Roster")
        switch authScheme {
        case .header(let name): request.headers.add(name: name, value: apiKey)
        case .bearer: request.headers.add(name: "Authorization", value: "Bearer \(apiKey)")
        }
        if let jsonBody {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: jsonBody))
        }
        let response = try await Self.client.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 32 << 20)
        return HTTPReply(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            body: Data(body.readableBytesView))
    }

    /// One client for the whole process, so connections are reused. A refused connection is
    /// reported at once instead of being retried until the request's deadline.
    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.timeout.connect = .seconds(10)
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    static func queryString(_ query: [(String, String)]) -> String {
        guard !query.isEmpty else { return "" }
        return "?" + query.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    /// Percent-encodes one path segment or query component.
    public static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }

    static func describe(_ error: any Error, url: String) -> String {
        let host = URL(string: url)?.host ?? url
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .deadlineExceeded, .readTimeout, .connectTimeout:
                return "no answer from \(host) in time (timed out)"
            case .remoteConnectionClosed:
                return "\(host) closed the connection before answering"
            default:
                return "request to \(host) failed: \(clientError)"
            }
        }
        return "could not reach \(host): \(error)"
    }
}
