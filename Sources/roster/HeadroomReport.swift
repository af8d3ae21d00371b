import ArgumentParser
import Foundation
import RosterCore

/// `--verbose`: the API's rate-limit headroom as a headless command ends, on standard error.
struct HeadroomReport: ParsableArguments {
    @Flag(help: "Print the API's rate-limit headroom at the end, on standard error.")
    var verbose = false

    /// Ends a headless command: with --verbose, prints the final headroom to standard error;
    /// with a failure, prints it and exits 1.
    func finish(_ pacer: Pacer, failure: String? = nil) async {
        if verbose {
            let line = HeadroomText.describe(await pacer.headroom, now: Date())
            Console.note("API headroom: \(line)")
        }
        if let failure { fail(failure, code: 1) }
    }
}

enum HeadroomText {
    /// `37/60 left, resets in 22 s (server figures)`.
    static func describe(_ seen: Headroom, now: Date) -> String {
        let headroom = seen.current(at: now)
        var source = headroom.source == .server ? "server figures" : "Roster's estimate"
        if headroom.resetIsEstimate { source += "; the reset time is Roster's estimate" }
        var text: String
        if let remaining = headroom.remaining, let limit = headroom.limit {
            text = "\(remaining)/\(limit) left"
        } else {
            text = "\(headroom.sentInWindow) sent in the window, limit not seen"
        }
        if let reset = headroom.resetAt, reset > now {
            text += ", resets in \(Int(reset.timeIntervalSince(now).rounded(.up))) s"
        }
        if let paused = headroom.pausedUntil, paused > now {
            text += ", paused for \(Int(paused.timeIntervalSince(now).rounded(.up))) s"
        }
        return text + " (\(source))"
    }
}
