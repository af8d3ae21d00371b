import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// A real HTTP server on loopback that speaks one dialect, for the demo, the tests and
/// training. `start` returns once it is listening; `stop` shuts it down.
public final class SandboxServer: Sendable {
    public let configuration: SandboxConfiguration
    /// Where it listens, e.g. `http://127.0.0.1:41234`.
    public let origin: String
    /// The base URL a client is configured with (the dialect's API root).
    public let baseURL: String
    private let tasks: [Task<Void, any Error>]
    private let store: SandboxStore

    private init(configuration: SandboxConfiguration, origin: String, tasks: [Task<Void, any Error>], store: SandboxStore) {
        self.configuration = configuration
        self.origin = origin
        self.baseURL = configuration.dialect == .easify ? origin + "/api/v2" : origin
        self.tasks = tasks
        self.store = store
    }

    public static func start(_ configuration: SandboxConfiguration) async throws -> SandboxServer {
        let store = SandboxStore(configuration: configuration)
        // A second listener, another origin: where the redirect fault sends clients. It
        // answers nothing useful and counts every key it is sent, which must stay 0.
        let (catcher, catcherTask) = try await listen(CatcherResponder(store: store), host: configuration.host, port: 0)
        store.catcherOrigin = catcher
        let (origin, task) = try await listen(
            SandboxResponder(configuration: configuration, store: store), host: configuration.host, port: configuration.port)
        return SandboxServer(configuration: configuration, origin: origin, tasks: [task, catcherTask], store: store)
    }

    /// Runs `responder` on `host:port` (0: a free one); returns its origin once it listens.
    private static func listen<Responder: HTTPResponder>(
        _ responder: Responder, host: String, port requested: Int
    ) async throws -> (String, Task<Void, any Error>) where Responder.Context: RequestContext,
        Responder.Context.Source == ApplicationRequestContextSource {
        var logger = Logger(label: "roster.sandbox")
        logger.logLevel = .critical
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: responder,
            configuration: .init(address: .hostname(host, port: requested), serverName: nil),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger)
        let task = Task {
            defer { portContinuation.finish() }
            try await app.run()
        }
        var port: Int?
        for await bound in portStream { port = bound }
        guard let port, port > 0 else {
            task.cancel()
            if case .failure(let error) = await task.result { throw error }
            throw SandboxError.couldNotListen("\(host):\(requested)")
        }
        let shown = host.contains(":") ? "[\(host)]" : host
        return ("http://\(shown):\(port)", task)
    }

    /// Shuts the server down and waits until it has stopped.
    public func stop() async {
        for task in tasks {
            task.cancel()
            _ = await task.result
        }
    }

    /// Runs until the surrounding task is cancelled or the server fails.
    public func waitUntilStopped() async throws {
        try await tasks[0].value
    }

    /// The live contacts' count, for tests.
    public var contactCount: Int { store.withAccount { $0.order.count } }
}

public enum SandboxError: Error, CustomStringConvertible {
    case couldNotListen(String)
    case droppedOnPurpose

    public var description: String {
        switch self {
        case .couldNotListen(let address): return "the sandbox could not listen on \(address)"
        case .droppedOnPurpose: return "the connection was dropped by fault injection"
        }
    }
}

/// Turns Hummingbird's requests into the dialects' terms: stats, authentication, the rate
/// limiter and its headers, then the dialect's own routes.
/// Hummingbird's basic context plus the connection, so a fault can drop it.
struct SandboxContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
    }
}

struct SandboxResponder: HTTPResponder {
    typealias Context = SandboxContext

    let configuration: SandboxConfiguration
    let store: SandboxStore
    let dialect: any SandboxDialect

    init(configuration: SandboxConfiguration, store: SandboxStore) {
        self.configuration = configuration
        self.store = store
        switch configuration.dialect {
        case .sendme123:
            dialect = SendMe123Dialect(apiKey: configuration.apiKey, maxPageSize: configuration.maxPageSize, uniquePhones: configuration.uniquePhones)
        case .easify:
            dialect = EasifyDialect(
                apiKey: configuration.apiKey, maxPageSize: configuration.maxPageSize,
                restrictedKeys: configuration.restrictedKeys, uniquePhones: configuration.uniquePhones)
        }
    }

    func respond(to request: Request, context: Context) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            query[String(key)] = String(value).removingPercentEncoding ?? String(value)
        }
        let host = headers["host"] ?? "\(configuration.host):\(configuration.port)"
        let exchange = SandboxRequest(
            method: request.method.rawValue,
            path: request.uri.path,
            query: query,
            headers: headers,
            body: String(buffer: body),
            origin: "http://\(host)")
        let (reply, fault) = answer(exchange)
        if let latency = fault.latency { try? await Task.sleep(nanoseconds: UInt64(latency * 1_000_000_000)) }
        if fault.drop {
            store.count(status: 0, method: exchange.method)
            try? await context.channel.close()
            throw SandboxError.droppedOnPurpose
        }
        // The statistics' own requests are not part of them.
        if !exchange.path.hasPrefix("/_sandbox/") { store.count(status: reply.status, method: exchange.method) }
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        for (name, value) in reply.headers {
            if let fieldName = HTTPField.Name(name) { fields[fieldName] = value }
        }
        if fault.trickle {
            let bytes = Array(reply.body.utf8)
            return Response(
                status: HTTPResponse.Status(code: reply.status), headers: fields,
                body: ResponseBody(contentLength: bytes.count) { writer in
                    for byte in bytes {
                        try await writer.write(ByteBuffer(bytes: [byte]))
                        try await Task.sleep(nanoseconds: 1_000_000_000)
                    }
                    try await writer.finish(nil)
                })
        }
        if fault.truncate {
            let bytes = Array(reply.body.utf8)
            let channel = context.channel
            return Response(
                status: HTTPResponse.Status(code: reply.status), headers: fields,
                body: ResponseBody(contentLength: bytes.count) { writer in
                    try await writer.write(ByteBuffer(bytes: bytes.prefix(bytes.count / 2)))
                    try? await channel.close()
                    throw SandboxError.droppedOnPurpose
                })
        }
        return Response(
            status: HTTPResponse.Status(code: reply.status),
            headers: fields,
            body: ResponseBody(byteBuffer: ByteBuffer(string: reply.body)))
    }

    /// What happens to a request besides its answer.
    struct Fault {
        var latency: Double?
        var drop = false
        /// The body goes a byte a second.
        var trickle = false
        /// The body stops halfway and the connection closes.
        var truncate = false
    }

    private func answer(_ request: SandboxRequest) -> (SandboxReply, Fault) {
        if request.path == "/_sandbox/stats" {
            // Statistics are for tests and benchmarks on this machine only.
            guard SandboxResponder.isLoopback(configuration.host) else {
                return (SandboxReply(404, raw: #"{"message":"Not Found"}"#), Fault())
            }
            return (SandboxReply(200, store.statsJSON()), Fault())
        }
        if request.path == "/_sandbox/faults", request.method == "POST" {
            // A network that gets better (or worse) mid-test; loopback only, as the statistics.
            guard SandboxResponder.isLoopback(configuration.host), let faults = SandboxConfiguration.Faults(request.body) else {
                return (SandboxReply(404, raw: #"{"message":"Not Found"}"#), Fault())
            }
            store.faults = faults
            return (SandboxReply(200, raw: #"{"message":"faults changed"}"#), Fault())
        }
        guard let key = dialect.presentedKey(request),
              key == configuration.apiKey || configuration.restrictedKeys[key] != nil else {
            return (dialect.unauthorized(), Fault())
        }
        let decision = store.admit(key: key, now: Date().timeIntervalSince1970, creating: dialect.isCreate(request))
        var fault = Fault()
        let faults = store.faults
        if faults.latency > 0 { fault.latency = store.faultDraw() * faults.latency }
        var reply: SandboxReply
        let draw = faults.isEmpty ? 1 : store.faultDraw()
        // Each fault takes its own slice of the draw, in this order.
        var edge = 0.0
        func within(_ rate: Double) -> Bool {
            defer { edge += rate }
            return draw >= edge && draw < edge + rate
        }
        var absurd = false
        if !decision.allowed {
            reply = dialect.tooManyRequests(retryAfterSeconds: decision.retryAfterSeconds)
        } else if within(faults.serverErrors) {
            reply = SandboxReply(500, raw: #"{"message":"Internal server error","statusCode":500}"#)
        } else if within(faults.malformed) {
            reply = SandboxReply(502, raw: "<html><head><title>502 Bad Gateway</title></head><body>Bad Gateway</body></html>")
            reply.headers.append(("Content-Type", "text/html"))
        } else if within(faults.redirects) {
            reply = SandboxReply(307, raw: #"{"message":"Temporary Redirect"}"#)
            reply.headers.append(("Location", store.catcherOrigin + request.path + Self.queryString(request.query)))
        } else if within(faults.redirectsToContact), let other = store.anotherContactsPath(request) {
            reply = SandboxReply(307, raw: #"{"message":"Temporary Redirect"}"#)
            reply.headers.append(("Location", request.origin + other))
        } else if within(faults.endlessPages), request.method == "GET", request.path.hasSuffix("/contacts") {
            var first = request
            first.query["page"] = "1"
            reply = dialect.handle(first, key: key, store: store)
            for field in ["totalPages", "last_page"] {
                reply.body = reply.body.replacingOccurrences(
                    of: #""\#(field)":\d+"#, with: #""\#(field)":99999999999"#, options: .regularExpression)
            }
        } else {
            reply = dialect.handle(request, key: key, store: store)
            fault.drop = within(faults.drops)
            absurd = within(faults.absurdFigures)
            fault.trickle = within(faults.trickles)
            fault.truncate = within(faults.truncations)
            if within(faults.badIDs), request.method == "GET", request.path.hasSuffix("/contacts") {
                if let first = reply.body.range(of: #""id":("[^"]*"|\d+)"#, options: .regularExpression) {
                    let id = reply.body[first].dropFirst(5)
                    reply.body.replaceSubrange(first, with: #""id":{"$oid":"# + id + "}")
                }
            }
        }
        if absurd {
            reply.headers += [
                ("X-RateLimit-Limit", "99999999999999999999"), ("X-RateLimit-Remaining", "5"), ("X-RateLimit-Reset", "1e300"),
                ("RateLimit-Reset", "inf"), ("Retry-After", "99999999999"),
            ]
            return (reply, fault)
        }
        reply.headers += rateHeaders(decision)
        return (reply, fault)
    }

    static func queryString(_ query: [String: String]) -> String {
        guard !query.isEmpty else { return "" }
        return "?" + query.keys.sorted().map { "\($0)=\(query[$0]!)" }.joined(separator: "&")
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    private func rateHeaders(_ decision: FixedWindowLimiter.Decision) -> [(String, String)] {
        var headers: [(String, String)]
        switch configuration.rateHeaders {
        case .none:
            headers = []
        case .laravel:
            headers = [("X-RateLimit-Limit", String(decision.limit)), ("X-RateLimit-Remaining", String(decision.remaining))]
            if !decision.allowed { headers.append(("X-RateLimit-Reset", String(Int(decision.resetAt.rounded(.up))))) }
        case .epoch:
            headers = [
                ("X-RateLimit-Limit", String(decision.limit)), ("X-RateLimit-Remaining", String(decision.remaining)),
                ("X-RateLimit-Reset", String(Int(decision.resetAt.rounded(.up)))),
            ]
        case .ietf:
            headers = [
                ("RateLimit-Limit", String(decision.limit)),
                ("RateLimit-Remaining", String(decision.remaining)),
                ("RateLimit-Reset", String(decision.retryAfterSeconds)),
                ("RateLimit-Policy", "\"default\";q=\(decision.limit);w=\(decision.windowSeconds.formatted(.number.grouping(.never)))"),
            ]
        }
        // Retry-After belongs to HTTP's 429 itself, so it is sent in every style.
        if !decision.allowed { headers.append(("Retry-After", String(decision.retryAfterSeconds))) }
        return headers
    }
}

/// The other origin the redirect fault points at: whatever it is sent, it counts the keys
/// (a header named api-key, or Authorization) and answers 404.
struct CatcherResponder: HTTPResponder {
    typealias Context = BasicRequestContext
    let store: SandboxStore

    func respond(to request: Request, context: Context) async throws -> Response {
        let keyed = request.headers.contains { ["api-key", "authorization"].contains($0.name.canonicalName.lowercased()) }
        store.caught(key: keyed)
        var fields = HTTPFields()
        fields[.contentType] = "application/json"
        return Response(status: .notFound, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: #"{"message":"Not Found"}"#)))
    }
}
