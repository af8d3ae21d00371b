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

/// A request still unanswered after a while, for the line that says Roster is waiting.
public struct SlowRequest: Sendable {
    /// `host:port` of the server.
    public var place: String
    public var waited: TimeInterval
    public var timeout: TimeInterval

    /// `waiting for an answer from 10.0.0.5:443: 8 s so far (gives up after 30 s)`.
    public var sentence: String {
        "waiting for an answer from \(place): \(Int(waited)) s so far (gives up after \(Int(timeout)) s)"
    }
}

/// A response as the dialects read it.
public struct HTTPReply: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data
    /// The URL the request went to, for messages that must name it.
    public var url: String

    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    public init(status: Int, headers: [(name: String, value: String)], body: Data, url: String) {
        self.status = status
        self.headers = headers
        self.body = body
        self.url = url
    }
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
    private let onWaiting: @Sendable (SlowRequest) -> Void
    private let timeoutSeconds: Double
    private let maxRateLimitRetries: Int
    /// A cheap read (the list, one contact) the pacer may send to find where a rate-limit
    /// window ends, instead of drawing a 429 on a deletion; nil: the request itself goes.
    private let probe: (path: String, query: [(String, String)])?

    public init(
        baseURL: String,
        authScheme: AuthScheme,
        apiKey: String,
        pacer: Pacer = Pacer(),
        priority: RequestPriority = .interactive,
        timeoutSeconds: Double = 30,
        maxRateLimitRetries: Int = 5,
        probe: (path: String, query: [(String, String)])? = nil,
        onWaiting: @escaping @Sendable (SlowRequest) -> Void = { _ in },
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
        self.onWaiting = onWaiting
        self.timeoutSeconds = timeoutSeconds
        self.maxRateLimitRetries = maxRateLimitRetries
        self.probe = probe
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
            } catch where repeatable && error.isTransient && error.kind != .timedOut && attempt < Self.maxAttempts {
                // A timeout is not tried again: the limit the user set is the wait they accept.
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
            } catch let tooLong as Pacer.WaitTooLong {
                throw ProviderError(
                    kind: .waitTooLong,
                    message: "the rate limit asks to wait \(durationWords(tooLong.seconds)) (\(tooLong.serverAsked ? "the server said so" : "its window is full")), longer than --max-wait \(durationWords(tooLong.limit)) allows; not sent")
            } catch {
                throw ProviderError(kind: .cancelled, message: "not sent: withdrawn while it waited its turn")
            }
            if ticket.isProbe, let probe {
                // The pacer's probe goes in this place: its answer teaches the pacer (a 429
                // here is what it asked for, not this request's), and this request then
                // waits its turn again.
                _ = try await exchange(.GET, url: baseURL + probe.path + Self.queryString(probe.query), jsonBody: nil, on: ticket)
                continue
            }
            let reply = try await exchange(method, url: url, jsonBody: jsonBody, on: ticket)
            if reply.status == 429 && refusedByRateLimit < maxRateLimitRetries {
                refusedByRateLimit += 1
                continue
            }
            if (300..<400).contains(reply.status) { throw Self.redirected(reply, method: method) }
            return reply
        }
    }

    /// Sends one request in the place the pacer gave, and reports how it ended to the pacer.
    /// One that reaches no server fails, a probe as the request it stood before would.
    private func exchange(
        _ method: HTTPMethod, url: String, jsonBody: String?, on ticket: Pacer.Ticket
    ) async throws(ProviderError) -> HTTPReply {
        let reply: HTTPReply
        do {
            reply = try await perform(method, url: url, jsonBody: jsonBody)
        } catch {
            onHeadroom(await pacer.finish(ticket, observation: RateLimitObservation(), status: nil))
            throw ProviderError(kind: Self.isTimeout(error) ? .timedOut : .network, message: describe(error, url: url))
        }
        let observation = RateLimitObservation.parse(
            headers: reply.headers, body: reply.status == 429 ? reply.bodyText : nil, now: Date())
        onHeadroom(await pacer.finish(ticket, observation: observation, status: reply.status))
        return reply
    }

    /// Seconds of silence before the waiting line first shows, then between its updates.
    static let firstWaitingNotice: TimeInterval = 3
    static let waitingNoticeInterval: TimeInterval = 5

    /// Sends one request; while it goes unanswered, says so now and then.
    private func perform(_ method: HTTPMethod, url: String, jsonBody: String?) async throws -> HTTPReply {
        let onWaiting = self.onWaiting
        let timeout = timeoutSeconds
        let place = Self.place(url)
        let watcher = Task {
            let started = Date()
            var delay = Self.firstWaitingNotice
            while (try? await Task.sleep(nanoseconds: UInt64(delay * 1_000_000_000))) != nil {
                onWaiting(SlowRequest(place: place, waited: Date().timeIntervalSince(started), timeout: timeout))
                delay = Self.waitingNoticeInterval
            }
        }
        defer { watcher.cancel() }
        return try await performNow(method, url: url, jsonBody: jsonBody)
    }

    private func performNow(_ method: HTTPMethod, url: String, jsonBody: String?) async throws -> HTTPReply {
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
        // The limit covers the whole answer: its body too, which a server may trickle.
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        let response = try await Self.client.execute(request, timeout: .milliseconds(Int64(timeoutSeconds * 1000)))
        let body: ByteBuffer
        do {
            body = try await Self.collect(response.body, within: deadline.timeIntervalSinceNow)
        } catch {
            // The server was reached and answered: what failed is the rest of its answer.
            throw BodyBrokeOff(status: Int(response.status.code), underlying: error)
        }
        return HTTPReply(
            status: Int(response.status.code),
            headers: response.headers.map { ($0.name, $0.value) },
            body: Data(body.readableBytesView), url: url)
    }

    static let connectTimeout: Double = 10

    /// `42 s`, `12 m 5 s`, `3 h 20 m`.
    func durationWords(_ seconds: TimeInterval) -> String {
        let whole = Int(min(seconds, 864_000).rounded(.up))
        if whole < 60 { return "\(whole) s" }
        if whole < 3600 { return "\(whole / 60) m" + (whole % 60 == 0 ? "" : " \(whole % 60) s") }
        return "\(whole / 3600) h" + (whole % 3600 / 60 == 0 ? "" : " \(whole % 3600 / 60) m")
    }

    /// The largest answer read: no contact list page comes near it.
    static let largestBody = 32 << 20

    /// The body, or `deadlineExceeded` when it has not all come by the deadline: reading it is
    /// cancelled, which closes the connection.
    static func collect(_ body: HTTPClientResponse.Body, within seconds: TimeInterval) async throws -> ByteBuffer {
        try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
            group.addTask { try await body.collect(upTo: largestBody) }
            group.addTask {
                try await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let buffer = first else { throw HTTPClientError.deadlineExceeded }
            return buffer
        }
    }

    /// No redirect is followed: a DELETE sent on to where a proxy points could delete another
    /// contact, and the key would go with it to another origin. The redirect is the answer:
    /// the request was not carried out, and the user is told where the server pointed.
    static func redirected(_ reply: HTTPReply, method: HTTPMethod) -> ProviderError {
        let location = reply.headers.first { $0.name.lowercased() == "location" }?.value ?? "nowhere it named"
        return ProviderError(
            kind: .unexpectedStatus, status: reply.status,
            message: "the server redirected this \(method.rawValue) to \(scrubbed(location)); Roster follows no redirect, so nothing was sent there (is --base-url the API's own address?)")
    }

    /// A URL without the user and password it may carry.
    public static func scrubbed(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.user != nil || parts.password != nil else { return url }
        parts.user = nil
        parts.password = nil
        return parts.string ?? url
    }

    /// One client for the whole process, so connections are reused. A refused connection is
    /// reported at once instead of being retried until the request's deadline.
    private static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.redirectConfiguration = .disallow
        configuration.timeout.connect = .seconds(Int64(connectTimeout))
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

    /// The status line and headers came, and then the body did not (whole, or in time).
    struct BodyBrokeOff: Error {
        var status: Int
        var underlying: any Error
    }

    static func isTimeout(_ error: any Error) -> Bool {
        if let brokeOff = error as? BodyBrokeOff { return isTimeout(brokeOff.underlying) }
        guard let clientError = error as? HTTPClientError else { return false }
        return [.deadlineExceeded, .readTimeout, .connectTimeout].contains(clientError)
    }

    /// `host:port` as the user would type it to check the server.
    static func place(_ url: String) -> String {
        guard let parts = URLComponents(string: url), let host = parts.host else { return url }
        let port = parts.port ?? (parts.scheme == "https" ? 443 : 80)
        return host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// A network failure in words the user can act on: who refused, what timed out after how
    /// long, which name did not resolve.
    func describe(_ error: any Error, url: String) -> String {
        let place = Self.place(url)
        if let brokeOff = error as? BodyBrokeOff {
            let answered = "\(place) answered \(brokeOff.status)"
            if Self.isTimeout(brokeOff.underlying) {
                return "\(answered) but its body was still coming after \(Int(timeoutSeconds)) s, the limit for one request (--timeout or a profile's timeout sets it)"
            }
            if brokeOff.underlying is NIOTooManyBytesError {
                return "\(answered) with a body larger than \(Self.largestBody >> 20) MB, more than any contact list needs; Roster read no further"
            }
            return "\(answered) but the connection closed before its body was whole (a proxy or the server cut it off); the answer was not used"
        }
        if let clientError = error as? HTTPClientError {
            switch clientError {
            case .deadlineExceeded, .readTimeout:
                return "no answer from \(place) within \(Int(timeoutSeconds)) s (--timeout or a profile's timeout sets the limit)"
            case .connectTimeout:
                return "could not connect to \(place) within \(Int(min(timeoutSeconds, Self.connectTimeout))) s (is the address right and reachable?)"
            case .remoteConnectionClosed:
                return "\(place) closed the connection before answering"
            default:
                return "request to \(place) failed: \(clientError)"
            }
        }
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED: return "connection refused by \(place) (is the server running there, and is --base-url right?)"
            case ENETUNREACH, EHOSTUNREACH: return "\(place) is unreachable from this machine (\(String(cString: strerror(io.errnoCode))))"
            case ECONNRESET: return "\(place) reset the connection"
            default: return "could not reach \(place): \(String(cString: strerror(io.errnoCode)))"
            }
        }
        let text = String(describing: error)
        if text.contains("UnknownHost") || text.contains("dnsAError") || text.contains("dnsAAAAError") {
            return "the name \(URLComponents(string: url)?.host ?? place) does not resolve (check --base-url)"
        }
        return "could not reach \(place): \(text)"
    }
}
