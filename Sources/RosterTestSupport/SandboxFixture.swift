import RosterCore
import RosterProviders
import RosterSandbox

/// Runs `body` with a provider talking to a fresh sandbox over real HTTP on loopback.
public func withProvider<T>(
    _ configuration: SandboxConfiguration, key: String = SandboxConfiguration.demoKey, pageSize: Int = 100,
    onHeadroom: @escaping @Sendable (Headroom) -> Void = { _ in },
    _ body: (any ContactProvider, SandboxServer) async throws -> T
) async throws -> T {
    let server = try await SandboxServer.start(configuration)
    let provider = makeProvider(for: server, key: key, pageSize: pageSize, onHeadroom: onHeadroom)
    do {
        let result = try await body(provider, server)
        await server.stop()
        return result
    } catch {
        await server.stop()
        throw error
    }
}

/// A provider of the sandbox's dialect talking to it.
public func makeProvider(
    for server: SandboxServer, key: String = SandboxConfiguration.demoKey, pageSize: Int = 100,
    onHeadroom: @escaping @Sendable (Headroom) -> Void = { _ in }
) -> any ContactProvider {
    switch server.configuration.dialect {
    case .sendme123:
        return SendMe123Provider(
            transport: HTTPTransport(baseURL: server.baseURL, authScheme: .header("api-key"), apiKey: key, onHeadroom: onHeadroom),
            pageSize: pageSize)
    case .easify:
        return EasifyProvider(
            transport: HTTPTransport(baseURL: server.baseURL, authScheme: .bearer, apiKey: key, onHeadroom: onHeadroom),
            pageSize: pageSize)
    }
}

/// The error a call threw, or nil when it succeeded.
public func failure<T>(_ operation: () async throws(ProviderError) -> T) async -> ProviderError? {
    do {
        _ = try await operation()
        return nil
    } catch {
        return error
    }
}
