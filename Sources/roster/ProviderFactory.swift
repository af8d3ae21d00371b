import RosterCore
import RosterProviders

/// Builds the provider for a dialect over the shared transport and pacer.
enum ProviderFactory {
    static func make(
        dialect: Dialect, baseURL: String, key: String, pageSize: Int,
        onHeadroom: @escaping @Sendable (Headroom) -> Void
    ) -> any ContactProvider {
        switch dialect {
        case .sendme123:
            let transport = HTTPTransport(baseURL: baseURL, authScheme: .header("api-key"), apiKey: key, onHeadroom: onHeadroom)
            return SendMe123Provider(transport: transport, pageSize: pageSize)
        case .easify:
            let transport = HTTPTransport(baseURL: baseURL, authScheme: .bearer, apiKey: key, onHeadroom: onHeadroom)
            return EasifyProvider(transport: transport, pageSize: pageSize)
        }
    }
}
