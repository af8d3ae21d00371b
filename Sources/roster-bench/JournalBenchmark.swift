import ArgumentParser
import Foundation
import RosterCore
import RosterEngine
import RosterProviders
import RosterSandbox

/// What the journal costs each deletion: a headless delete of 1,000 contacts through the one
/// deletion policy, over HTTP, against an unlimited sandbox, with the journal on this machine's
/// disk; every append (the intent, then the outcome, each committed with synchronous=FULL) is
/// timed where the policy makes it.
struct JournalBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal", abstract: "The journal's cost per deletion (intent and outcome, synced): median and p99.")

    @Option(help: "Contacts deleted.")
    var contacts = 1_000

    @Option(help: "Contacts worked on at once, as roster delete's --parallel.")
    var parallel = 4

    @Option(help: "The folder the journal goes in (default: a new one under the current folder, on its disk).")
    var folder: String?

    mutating func run() async throws {
        #if DEBUG
        print("note: a debug build; the target is for `swift run -c release roster-bench journal`")
        #endif
        let place = folder ?? FileManager.default.currentDirectoryPath + "/.roster-bench-journal-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: place, withIntermediateDirectories: true)
        defer { if folder == nil { try? FileManager.default.removeItem(atPath: place) } }
        let filesystem = FilesystemKind(of: place)
        if filesystem?.magic == 0x0102_1994 { print("note: \(place) is on tmpfs, not a disk: the figure will be too good") }

        let server = try await SandboxServer.start(SandboxConfiguration(
            dialect: .sendme123, contactCount: contacts, seed: 7, rateLimit: 1_000_000, rateWindowSeconds: 1))
        defer { Task { await server.stop() } }
        let provider = SendMe123Provider(
            transport: HTTPTransport(baseURL: server.baseURL, authScheme: .header("api-key"), apiKey: SandboxConfiguration.demoKey),
            pageSize: 100)
        let store = TimedStore(try SQLiteJournalStore(path: place + "/journal.db"))
        let account = AccountInfo(profile: "bench", dialect: .sendme123, baseURL: server.baseURL, isDemo: false)
        let policy = DeletionPolicy(provider: provider, journal: Journal(store: store, account: account))
        var ids: [ContactID] = []
        _ = await PageWalker(provider: provider).walk { page in
            ids += page.map(\.id)
            return true
        }
        progress("deleting \(ids.count) contacts, \(parallel) at a time…")
        let started = Date()
        await withTaskGroup(of: Void.self) { group in
            var next = ids.makeIterator()
            for _ in 0..<max(1, parallel) {
                guard let id = next.next() else { break }
                group.addTask { _ = await policy.deleteSafely(id, listed: nil, batch: "bench-1", dryRun: false) }
            }
            for await _ in group {
                guard let id = next.next() else { continue }
                group.addTask { _ = await policy.deleteSafely(id, listed: nil, batch: "bench-1", dryRun: false) }
            }
        }
        let elapsed = Date().timeIntervalSince(started)
        let costs = store.costPerDeletion().sorted()
        guard !costs.isEmpty else { throw ValidationError("no deletion was journalled") }
        let median = costs[costs.count / 2] * 1000
        let p99 = costs[min(costs.count - 1, Int(Double(costs.count) * 0.99))] * 1000
        let mode = store.inner.usesWriteAheadLog ? "WAL" : "rollback journal"
        print("")
        print(pad("what", 30) + pad("measured", 40) + pad("target", 20) + "met")
        print(
            pad("journal cost per deletion", 30) + pad(String(format: "median %.2f ms, p99 %.2f ms", median, p99), 40)
                + pad("median < 5 ms", 20) + (median < 5 ? "yes" : "NO"))
        print(pad("", 30) + "\(costs.count) deletions (intent + outcome each), \(mode), synchronous=FULL, in \(place)")
        print(pad("", 30) + String(format: "the whole delete took %.1f s (%.0f contacts a second)", elapsed, Double(costs.count) / elapsed))
    }
}

/// A store that times each append, and pairs an intent's with its outcome's.
final class TimedStore: JournalStore, @unchecked Sendable {
    let inner: SQLiteJournalStore
    private let lock = NSLock()
    private var intents: [String: Double] = [:]
    private var perDeletion: [Double] = []

    init(_ inner: SQLiteJournalStore) { self.inner = inner }

    var location: String { inner.location }
    var notes: [String] { inner.notes }

    func append(_ records: [JournalRecord]) throws(JournalError) {
        let start = DispatchTime.now().uptimeNanoseconds
        try inner.append(records)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        lock.lock()
        defer { lock.unlock() }
        for record in records {
            switch record.kind {
            case .intent: intents[record.entry] = seconds
            case .outcome: if let intent = intents.removeValue(forKey: record.entry) { perDeletion.append(intent + seconds) }
            case .notSent: break
            }
        }
    }

    func costPerDeletion() -> [Double] {
        lock.lock()
        defer { lock.unlock() }
        return perDeletion
    }

    func records(on account: JournalAccount?) throws(JournalError) -> [JournalRecord] { try inner.records(on: account) }
    func records(after sequence: Int64) throws(JournalError) -> [(sequence: Int64, record: JournalRecord)] { try inner.records(after: sequence) }
    func damagedLines() throws(JournalError) -> [DamagedLine] { try inner.damagedLines() }
    func prune(before cutoff: Date) throws(JournalError) -> PruneReport { try inner.prune(before: cutoff) }
    func identityHash(_ text: String) -> String? { inner.identityHash(text) }
    func checkWritable() throws(JournalError) { try inner.checkWritable() }
}
