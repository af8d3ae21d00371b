import RosterCore
import RosterProviders

/// Builds the provider for a dialect over one transport and its pacer.
enum ProviderFactory {
    static func make(
        dialect: Dialect, baseURL: String, key: String, pageSize: Int, quota: RateQuota?,
        deactivateFields: [String: String], listOrder: String, restoreGroupID: Int?, timeoutSeconds: Double, priority: RequestPriority,
        maxWait: Double, onRateWait: Pacer.WaitNotice?,
        onWaiting: @escaping @Sendable (SlowRequest) -> Void, onHeadroom: @escaping @Sendable (Headroom) -> Void
    ) -> (provider: any ContactProvider, pacer: Pacer) {
        // A headless command (its requests a batch by default) has no person waiting to look
        // something up: its batch keeps no reserve of the quota.
        // Easify documents 15 creations a minute, counted apart from the 60 for the rest:
        // creations go through a transport and pacer of their own.
        let createPacer = dialect == .easify
            ? Pacer(policy: PacingPolicy(window: 60, limit: 15, assumed: true), maxWait: maxWait, onWait: onRateWait) : nil
        let pacer = Pacer(
            policy: PacingPolicy(
                window: quota?.window, limit: quota?.limit, assumed: quota?.isDocumentedDefault ?? false,
                keepsReserve: priority == .interactive),
            maxWait: maxWait, onWait: onRateWait, companion: createPacer)
        let auth: AuthScheme = dialect == .sendme123 ? .header("api-key") : .bearer
        let probe = dialect == .sendme123 ? SendMe123Provider.rateProbe : EasifyProvider.rateProbe
        let transport = HTTPTransport(
            baseURL: baseURL, authScheme: auth, apiKey: key, pacer: pacer, priority: priority,
            timeoutSeconds: timeoutSeconds, probe: probe, onWaiting: onWaiting, onHeadroom: onHeadroom)
        switch dialect {
        case .sendme123: return (SendMe123Provider(transport: transport, pageSize: pageSize), pacer)
        case .easify:
            let createTransport = HTTPTransport(
                baseURL: baseURL, authScheme: auth, apiKey: key, pacer: createPacer ?? Pacer(), priority: priority,
                timeoutSeconds: timeoutSeconds, onWaiting: onWaiting)
            return (
                EasifyProvider(
                    transport: transport, createTransport: createTransport, pageSize: pageSize, order: listOrder,
                    deactivateFields: deactivateFields, restoreGroupID: restoreGroupID),
                pacer
            )
        }
    }
}
