import RosterCore
import Synchronization

/// Where finished work leaves its events for the UI thread: a locked list, and one byte on
/// the wake-up pipe so the thread's poll() returns.
final class EventInbox: Sendable {
    private let events = Mutex<[Event]>([])
    private let wake: WakePipe

    init(wake: WakePipe) {
        self.wake = wake
    }

    func post(_ event: Event) {
        events.withLock { $0.append(event) }
        wake.signal()
    }

    func takeAll() -> [Event] {
        events.withLock { events in
            defer { events.removeAll() }
            return events
        }
    }
}

/// Performs effects in Swift concurrency and posts their results as events.
final class Runtime: Sendable {
    private let provider: any ContactProvider
    private let inbox: EventInbox

    init(provider: any ContactProvider, inbox: EventInbox) {
        self.provider = provider
        self.inbox = inbox
    }

    private func post(_ event: Event) {
        inbox.post(event)
    }

    func perform(_ effect: Effect) {
        let provider = self.provider
        switch effect {
        case .fetchPage(let page, let generation):
            Task {
                let result = await capture { () async throws(ProviderError) in try await provider.list(page: page) }
                self.post(.pageLoaded(page: page, generation: generation, result))
            }
        case .lookUp(let id, let purpose):
            Task {
                let result = await capture { () async throws(ProviderError) in try await provider.lookUp(id: id) }
                self.post(.lookupFinished(id, purpose, result))
            }
        case .deactivate(let contact):
            Task {
                let result = await capture { () async throws(ProviderError) in try await provider.deactivate(contact) }
                self.post(.deactivateFinished(contact.id, result))
            }
        case .delete(let contact):
            Task {
                let result = await capture { () async throws(ProviderError) in try await provider.delete(id: contact.id) }
                self.post(.deleteFinished(contact.id, result))
            }
        }
    }
}

func capture<T>(_ operation: () async throws(ProviderError) -> T) async -> Result<T, ProviderError> {
    do {
        return .success(try await operation())
    } catch {
        return .failure(error)
    }
}
