import Foundation
import RosterCore

/// The message line and the status bar: key hints on the left, API headroom on the right.
enum StatusBarView {
    /// A prompt's line with its cursor drawn where it is.
    private static func withCursor(_ prompt: PromptLine) -> String {
        let characters = Array(prompt.typed)
        let cursor = min(prompt.cursor, characters.count)
        return String(characters[..<cursor]) + "▏" + String(characters[cursor...])
    }

    static func render(_ state: AppState, keyMap: KeyMap, layout: Layout, into canvas: inout Canvas) {
        if let prompt = state.exportPrompt {
            let line = " Export to: " + withCursor(prompt) + " · Enter writes it · Esc cancels"
            canvas.put(Canvas.truncate(line, to: layout.width), x: 0, y: layout.messageRow, role: .messageInfo)
        } else if let prompt = state.commandPrompt {
            let line = " :" + withCursor(prompt) + " · Enter runs it · Tab completes · Esc closes"
            canvas.put(Canvas.truncateWords(line, to: layout.width), x: 0, y: layout.messageRow, role: .messageInfo)
        } else if state.filter.isEditing {
            let filter = state.filter
            let count = "\(state.rows.count) match\(state.rows.count == 1 ? "" : "es")"
            let matches = filter.error != nil ? "  (showing the last valid filter)" : (filter.query.isEmpty ? "" : "  " + count)
            let characters = Array(filter.typed)
            let cursor = min(filter.cursor, characters.count)
            let before = String(characters[..<cursor])
            let after = String(characters[cursor...])
            var prompt = " /\(before)▏\(after)\(matches) · Enter keeps it · Esc clears"
            if TextWidth.of(" /\(filter.typed)▏\(matches)") > layout.width {
                // Longer than the line: the cursor, where the typing is, stays in sight, with
                // as much after it as fits beside what leads up to it.
                let room = max(2, layout.width - 4 - TextWidth.of(matches))
                let afterRoom = min(TextWidth.of(after), room / 3)
                let shownBefore = TextWidth.of(before) > room - afterRoom ? "…" + TextWidth.suffix(before, fitting: room - afterRoom - 1) : before
                let shownAfter = Canvas.truncate(after, to: max(0, room - TextWidth.of(shownBefore)))
                prompt = " /" + shownBefore + "▏" + shownAfter + matches
            }
            canvas.put(Canvas.truncateWords(prompt, to: layout.width), x: 0, y: layout.messageRow, role: .messageInfo)
        } else if let message = state.message {
            let role: StyleRole
            let prefix: String
            switch message.level {
            case .info: role = .messageInfo; prefix = ""
            case .success: role = .messageSuccess; prefix = "✓ "
            case .warning: role = .messageWarning; prefix = "! "
            case .error: role = .messageError; prefix = "✗ "
            }
            canvas.put(Canvas.truncateWords(" " + prefix + message.text, to: layout.width), x: 0, y: layout.messageRow, role: role)
        }

        canvas.fill(y: layout.statusRow, role: .statusBar)
        let gauge = gaugeText(state.headroom, now: state.clock)
        let gaugeWidth = TextWidth.of(gauge.text)
        var x = 1
        let limit = layout.width - gaugeWidth - 2
        if state.filter.isEditing {
            // Under the prompt: what is wrong with it, or what Tab offers, or how to write one.
            let (text, role): (String, StyleRole)
            if let error = state.filter.error {
                text = "✗ " + error.message
                role = .messageError
            } else if let hint = state.filter.hint {
                // Candidates that do not all fit: as many whole ones as do, and how many more.
                let candidates = hint.components(separatedBy: "  ")
                text = "Tab: " + (candidates.count > 1 ? Canvas.fitItems(candidates, separator: "  ", to: max(0, limit - x - 5)) : hint)
                role = .statusBar
            } else if let notice = state.filter.notice {
                text = "! " + notice
                role = .messageWarning
            } else {
                // The longest way of saying how to write one that fits the room.
                text = Self.queryHelp.first { TextWidth.of($0) <= limit - x } ?? Self.queryHelp.last!
                role = .statusBar
            }
            // A mistake longer than the room beside the gauge takes the whole line: what is
            // wrong matters more while typing than the headroom.
            let room = TextWidth.of(text) > limit - x && state.filter.error != nil ? layout.width - 1 - x : limit - x
            canvas.put(Canvas.truncateWords(text, to: max(0, room)), x: x, y: layout.statusRow, role: role)
            if room > limit - x { return }
        }
        if let prompt = state.commandPrompt {
            // Under the command line: what Tab offers or what is wrong, else the commands.
            let text = prompt.hint.map { $0.contains("  ") ? "Tab: " + Canvas.fitItems($0.components(separatedBy: "  "), separator: "  ", to: max(0, limit - x - 5)) : $0 }
                ?? Self.commandHelp.first { TextWidth.of($0) <= limit - x } ?? Self.commandHelp.last!
            canvas.put(Canvas.truncateWords(text, to: max(0, limit - x)), x: x, y: layout.statusRow, role: .statusBar)
        }
        // The screen on top offers its own keys (the prompts have their line above).
        let all = state.filter.isEditing || state.commandPrompt != nil ? [] : keyMap.keys(for: state.inputMode).offeredHints
        func width(_ hint: (key: String, word: String, rank: Int)) -> Int { TextWidth.of(hint.key) + 1 + TextWidth.of(hint.word) + 2 }
        // Where not all fit, the least needed go first (on the list: details, filter, mark,
        // delete), so help and quit or close stay.
        // The order they go in: the highest rank first, the last of a rank before the first.
        let dropOrder = all.indices.filter { all[$0].rank > 0 }.sorted { (all[$0].rank, $0) > (all[$1].rank, $1) }
        var total = all.reduce(0) { $0 + width($1) }
        var dropped: Set<Int> = []
        for index in dropOrder where x + total > limit {
            dropped.insert(index)
            total -= width(all[index])
        }
        let kept = all.indices.filter { !dropped.contains($0) }.map { all[$0] }
        for hint in kept {
            let keyWidth = TextWidth.of(hint.key)
            let needed = width(hint)
            if x + needed > limit { break }
            canvas.put(hint.key, x: x, y: layout.statusRow, role: .keyHint)
            canvas.put(hint.word, x: x + keyWidth + 1, y: layout.statusRow, role: .statusBar)
            x += needed
        }
        if gaugeWidth > 0 {
            canvas.put(gauge.text, x: layout.width - gaugeWidth - 1, y: layout.statusRow, role: gauge.role)
        }
    }

    /// How to write a query, longest first: the status bar shows the longest that fits.
    static let queryHelp = [
        "text, field:value (status:inactive, !email:, created:<2024-01-01), a|b, !x, @saved · Tab completes",
        "text, field:value (status:inactive, !email:), a|b, !x, @saved · Tab completes",
        "text or field:value (status:inactive), a|b, !x · Tab completes",
        "text or field:value · Tab completes",
        "Tab completes",
    ]

    /// The commands of `:`, longest first: the status bar shows the longest that fits.
    static let commandHelp = [
        "profile NAME · sort FIELD [desc] · theme NAME · filter @saved · export FILE · help",
        "profile · sort FIELD [desc] · theme · filter @saved · export FILE · help",
        "profile · sort · theme · filter · export · help",
        "Tab completes · help",
    ]

    /// `API 57/60 ██████░░ 42s`: remaining of the limit, a bar, and the countdown to the
    /// reset. Low headroom adds `!` or `!!` (never colour alone); `~` marks Roster's estimate.
    static func gaugeText(_ seen: Headroom?, now: Date) -> (text: String, role: StyleRole) {
        guard let seen else { return ("", .statusBar) }
        if let paused = seen.pausedUntil, paused > now {
            return (" !! API paused: retry in \(countdown(until: paused, from: now)) ", .gaugeCritical)
        }
        let headroom = seen.current(at: now)
        let estimate = headroom.source == .estimate ? "~" : ""
        let reset = headroom.resetAt.map {
            $0 > now ? " \(headroom.resetIsEstimate ? "~" : "")\(countdown(until: $0, from: now))" : ""
        } ?? ""
        guard let remaining = headroom.remaining, let limit = headroom.limit, limit > 0 else {
            return (" API \(headroom.sentInWindow) sent, limit not seen yet ", .gaugeOk)
        }
        let fraction = Double(min(remaining, limit)) / Double(limit)
        let role: StyleRole = fraction <= 0.1 ? .gaugeCritical : (fraction <= 0.25 ? .gaugeWarn : .gaugeOk)
        let marker = role == .gaugeCritical ? "!! " : (role == .gaugeWarn ? "! " : "")
        let filled = Int((fraction * 8).rounded())
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 8 - filled)
        return (" \(marker)API \(estimate)\(remaining)/\(limit) \(bar)\(reset) ", role)
    }

    /// A countdown as short as it can be read: `42s` under two minutes, `14m` under two hours,
    /// then `23h59m` (a daily quota's reset is not 86398s).
    static func countdown(until date: Date, from now: Date) -> String {
        let seconds = max(0, Int(date.timeIntervalSince(now).rounded(.up)))
        if seconds < 120 { return "\(seconds)s" }
        let minutes = (seconds + 59) / 60
        if minutes < 120 { return "\(minutes)m" }
        return "\(minutes / 60)h\(String(format: "%02d", minutes % 60))m"
    }
}
