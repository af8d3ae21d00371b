/// A request as the dialects see it, freed of the server framework's types.
struct SandboxRequest: Sendable {
    var method: String
    var path: String
    var query: [String: String]
    /// Header values by lower-cased name.
    var headers: [String: String]
    var body: String
    /// Scheme, host and port this request came in on, for Easify's pagination links.
    var origin: String
}

/// A reply before it becomes an HTTP response.
struct SandboxReply: Sendable {
    var status: Int
    var body: String
    var headers: [(String, String)] = []

    init(_ status: Int, _ body: JSONText, headers: [(String, String)] = []) {
        self.status = status
        self.body = body.serialized
        self.headers = headers
    }

    init(_ status: Int, raw body: String) {
        self.status = status
        self.body = body
    }
}

/// One API's paths, authentication and bodies.
protocol SandboxDialect: Sendable {
    /// The key the request authenticates with, if any.
    func presentedKey(_ request: SandboxRequest) -> String?
    func unauthorized() -> SandboxReply
    func tooManyRequests(retryAfterSeconds: Int) -> SandboxReply
    func handle(_ request: SandboxRequest, key: String, store: SandboxStore) -> SandboxReply
    /// Whether the request creates a contact: creating has a quota of its own (Easify: 15 a
    /// minute against 60 for the rest).
    func isCreate(_ request: SandboxRequest) -> Bool
}
