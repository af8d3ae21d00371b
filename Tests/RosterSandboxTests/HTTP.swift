import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
@testable import RosterSandbox

/// A plain HTTP client for checking the sandbox against the contracts, independent of
/// Roster's own providers.
struct Exchange {
    var status: Int
    var headers: [String: String]
    var body: String

    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }

    func header(_ name: String) -> String? {
        headers.first { $0.key.lowercased() == name.lowercased() }?.value
    }
}

func send(_ method: String, _ url: String, headers: [String: String] = [:], body: String? = nil) async throws -> Exchange {
    var request = URLRequest(url: URL(string: url)!)
    request.httpMethod = method
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    if let body { request.httpBody = Data(body.utf8) }
    let (data, response) = try await URLSession.shared.data(for: request)
    let http = response as! HTTPURLResponse
    var fields: [String: String] = [:]
    for (name, value) in http.allHeaderFields { fields["\(name)"] = "\(value)" }
    return Exchange(status: http.statusCode, headers: fields, body: String(decoding: data, as: UTF8.self))
}

/// Runs `body` against a fresh sandbox and stops it afterwards.
func withSandbox<T>(_ configuration: SandboxConfiguration, _ body: (SandboxServer) async throws -> T) async throws -> T {
    let server = try await SandboxServer.start(configuration)
    do {
        let result = try await body(server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// Two requests a day's window allows, then the one it refuses: the list path's first answer
/// and the refusal, from a fresh sandbox of the dialect. A day, so the three never straddle two
/// windows. `then` looks at the running sandbox after the refusal.
func exhaustTwoRequestQuota(
    _ dialect: SandboxConfiguration.Dialect, path: String, headers: [String: String], then: (SandboxServer) async throws -> Void = { _ in }
) async throws -> (first: Exchange, refused: Exchange) {
    try await withSandbox(SandboxConfiguration(dialect: dialect, contactCount: 3, rateLimit: 2, rateWindowSeconds: 86_400)) { server in
        let url = server.baseURL + path
        let first = try await send("GET", url, headers: headers)
        _ = try await send("GET", url, headers: headers)
        let refused = try await send("GET", url, headers: headers)
        try await then(server)
        return (first, refused)
    }
}
