import ArgumentParser
import Foundation
import Glibc
import RosterCore
import RosterEngine
import RosterTUI

/// The headless commands' batches (`delete`, `apply`): contacts worked on a few at a time
/// within the pacer's limits, reported in the order given. A 401, 402 or 403 stops it, as
/// Ctrl-C, SIGTERM and SIGHUP do: nothing more is sent, the requests in flight finish (their
/// outcomes reach the journal) and the rest are reported not attempted. A second Ctrl-C ends
/// Roster at once.
struct HeadlessBatch {
    let parallel: Int
    /// The pacer the batch's requests wait in: stopping withdraws those not yet sent, so a stop
    /// is never kept waiting by a window minutes away.
    let pacer: Pacer
    /// Where a progress line goes while the batch runs (standard error, when it is a terminal).
    var progress: ProgressLine?
    /// Where the key came from: a 401 says it, so the user knows which key to fix.
    var keySource: String

    /// What the batch did: each kind's count, and the signal that stopped it (0: none).
    struct Tally {
        var kinds: [DeleteOutcome.Kind: Int] = [:]
        var signal: Int32 = 0

        func count(_ kinds: DeleteOutcome.Kind...) -> Int { kinds.reduce(0) { $0 + (self.kinds[$1] ?? 0) } }

        var summary: String {
            DeleteOutcome.Kind.allCases.compactMap { kind in kinds[kind].map { "\($0) \(kind.summaryWord)" } }.joined(separator: ", ")
        }
    }

    func run(
        _ ids: [ContactID], work: @escaping @Sendable (Int) async -> DeleteOutcome, report: (DeleteOutcome) -> Void
    ) async -> Tally {
        installStopHandlers()
        defer { restoreDefaultHandlers() }
        let pacer = self.pacer
        // A signal is only a flag (set in its handler): this notices it and withdraws what waits.
        let watcher = Task {
            while stopSignal() == 0, !Task.isCancelled { try? await Task.sleep(nanoseconds: 100_000_000) }
            if stopSignal() != 0 { await pacer.withdrawBatch() }
        }
        defer { watcher.cancel() }
        var tally = Tally()
        var outcomes: [Int: DeleteOutcome] = [:]
        var nextToReport = 0
        var stopReason: String?
        func reason() -> String? {
            if let stopReason { return stopReason }
            let number = stopSignal()
            return number == 0 ? nil : "not attempted: Roster was told to stop (\(number == SIGINT ? "Ctrl-C" : "signal \(number)")) before sending it"
        }
        await withTaskGroup(of: (Int, DeleteOutcome).self) { group in
            var pending = ids.indices.makeIterator()
            for _ in 0..<max(1, parallel) {
                guard let index = pending.next() else { break }
                group.addTask { (index, await work(index)) }
            }
            for await (index, answered) in group {
                var outcome = answered
                if outcome.status == 401 {
                    let hint = " " + unauthorizedHint(keySource)
                    outcome.message += hint
                    outcome.stopReason = outcome.stopReason.map { $0 + hint }
                }
                outcomes[index] = outcome
                if stopReason == nil, let reason = outcome.stopReason {
                    stopReason = "not attempted: \(reason)"
                    await pacer.withdrawBatch()
                }
                if let problem = outcome.journalProblem {
                    progress?.clear()
                    Console.note("\(Sanitizer.clean(outcome.id.rawValue)): the journal could not record its outcome (\(problem))")
                }
                while let ready = outcomes[nextToReport] {
                    tally.kinds[ready.kind, default: 0] += 1
                    progress?.clear()
                    report(ready)
                    nextToReport += 1
                }
                await progress?.show(done: nextToReport, of: ids.count, tally: tally)
                if reason() == nil, let next = pending.next() {
                    group.addTask { (next, await work(next)) }
                }
            }
        }
        progress?.clear()
        for id in ids[nextToReport...] {
            let skipped = DeleteOutcome(id: id, kind: .skipped, status: nil, message: reason() ?? "not attempted")
            tally.kinds[.skipped, default: 0] += 1
            report(skipped)
        }
        tally.signal = stopSignal()
        return tally
    }
}

/// `roster: 12/50 done · 10 deleted · 1 stale · ETA 20s`, rewritten in place on standard
/// error while a batch runs, and cleared before each result line, so the results read whole.
struct ProgressLine {
    let pacer: Pacer
    /// Requests each contact costs (a look-up and the DELETE, or the DELETE alone).
    let requestsPerContact: Int

    /// A progress line where standard error is a terminal; nil elsewhere (a log, a pipe).
    static func onTerminal(pacer: Pacer, requestsPerContact: Int) -> ProgressLine? {
        let term = ProcessInfo.processInfo.environment["TERM"] ?? ""
        guard isatty(STDERR_FILENO) == 1, term != "dumb" else { return nil }
        return ProgressLine(pacer: pacer, requestsPerContact: requestsPerContact)
    }

    func show(done: Int, of total: Int, tally: HeadlessBatch.Tally) async {
        guard done < total else { return }
        let eta = await pacer.headroom.secondsToSend((total - done) * requestsPerContact, now: Date()).map { " · ETA \(durationText($0))" } ?? ""
        let made = tally.summary.isEmpty ? "" : " · " + tally.summary
        Console.err("\r\u{1B}[Kroster: \(done)/\(total) done\(made)\(eta)")
    }

    func clear() {
        Console.err("\r\u{1B}[K")
    }
}

/// The signal that asked a headless batch to stop; 0 while none has.
nonisolated(unsafe) private var headlessStopSignal: Int32 = 0

private func stopSignal() -> Int32 { headlessStopSignal }

/// The first Ctrl-C (or SIGTERM, SIGHUP) only asks the batch to stop; a second one of the
/// same ends Roster as the signal would. Setting a word and `signal`/`raise` are
/// async-signal-safe.
private func installStopHandlers() {
    for number in [SIGINT, SIGTERM, SIGHUP] {
        signal(number) { number in
            if headlessStopSignal != 0 {
                signal(number, SIG_DFL)
                raise(number)
            }
            headlessStopSignal = number
        }
    }
}

private func restoreDefaultHandlers() {
    for number in [SIGINT, SIGTERM, SIGHUP] { signal(number, SIG_DFL) }
}

/// How a headless batch reports and paces itself: `--json`, `--parallel`, `--verbose`.
struct BatchOutput: ParsableArguments {
    @Flag(help: "Print one JSON object per contact.")
    var json = false

    @Option(help: "Contacts worked on at once (the pacer still keeps every window within the limit).")
    var parallel = 4

    @OptionGroup var headroom: HeadroomReport

    func validate() throws {
        guard parallel >= 1 else { throw ValidationError("--parallel must be at least 1") }
    }

    /// Runs a headless batch on the account, one line per contact, then says its tally (or
    /// `nothing to do`), any journal write that failed, and the headroom with --verbose. A
    /// signal that stopped it ends Roster with 128 + the signal. Returns the tally and whether a
    /// journal write failed, for the command's exit status.
    func runBatch(
        _ ids: [ContactID], account: ResolvedAccount, provider: ContactProvider, pacer: Pacer, journal: Journal?,
        work: @escaping @Sendable (Int) async -> DeleteOutcome
    ) async -> (tally: HeadlessBatch.Tally, journalFailed: Bool) {
        let tally = await HeadlessBatch(
            parallel: parallel, pacer: pacer,
            progress: .onTerminal(pacer: pacer, requestsPerContact: provider.capabilities.requestsPerDeletion),
            keySource: account.keySource).run(ids, work: work) { report($0) }
        Console.note(tally.summary.isEmpty ? "nothing to do" : tally.summary)
        let journalFailed = JournalAccess.reportFailures(journal)
        await headroom.finish(pacer)
        if tally.signal != 0 { Glibc.exit(128 + tally.signal) }
        return (tally, journalFailed)
    }

    /// One result line: `deleted  ID  200 Name: message`, or its JSON object.
    func report(_ outcome: DeleteOutcome) {
        let line: String
        if json {
            line = outcome.jsonLine
        } else {
            let word = outcome.kind.rawValue.padding(toLength: max(9, outcome.kind.rawValue.count + 2), withPad: " ", startingAt: 0)
            let status = outcome.status.map { "\($0) " } ?? ""
            line = "\(word)\(Sanitizer.clean(outcome.id.rawValue))  \(status)\(Sanitizer.clean(outcome.message))"
        }
        Console.out(line + "\n")
    }
}
