import Foundation
import RosterCore

/// The message line and the status bar: key hints on the left, API headroom on the right.
enum StatusBarView {
    static func render(_ state: AppState, keyMap: KeyMap, layout: Layout, into canvas: inout Canvas) {
        if let path = state.exportPrompt {
            canvas.put(Canvas.truncate(" Export to: \(path)▏ · Enter writes it · Esc cancels", to: layout.width), x: 0, y: layout.messageRow, role: .messageInfo)
        } else if state.filter.isEditing {
            let filter = state.filter
            let count = "\(state.rows.count) match\(state.rows.count == 1 ? "" : "es")"
            let matches = filter.error != nil ? "  (showing the last valid filter)" : (filter.query.isEmpty ? "" : "  " + count)
            var prompt = " /\(filter.typed)▏\(matches) · Enter keeps it · Esc clears"
            if TextWidth.of(" /\(filter.typed)▏\(matches)") > layout.width {
                // Longer than the line: its end, where the typing is, stays in sight.
                let room = max(1, layout.width - 4 - TextWidth.of(matches))
                prompt = " /…" + TextWidth.suffix(filter.typed, fitting: room) + "▏" + matches
            }
            canvas.put(Canvas.truncate(prompt, to: layout.width), x: 0, y: layout.messageRow, role: .messageInfo)
        } else if let message = state.message {
            let role: StyleRole
            let prefix: String
            switch message.level {
            case .info: role = .messageInfo; prefix = ""
            case .success: role = .messageSuccess; prefix = "✓ "
            case .warning: role = .messageWarning; prefix = "! "
            case .error: role = .messageError; prefix = "✗ "
            }
            canvas.put(Canvas.truncate(" " + prefix + message.text, to: layout.width), x: 0, y: layout.messageRow, role: role)
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
                text = "Tab: " + hint
                role = .statusBar
            } else if let notice = state.filter.notice {
                text = "! " + notice
                role = .messageWarning
            } else {
                text = "text, field:value (status:inactive, !email:, created:<2024-01-01), a|b, !x, @saved · Tab completes"
                role = .statusBar
            }
            // A mistake longer than the room beside the gauge takes the whole line: what is
            // wrong matters more while typing than the headroom.
            let room = TextWidth.of(text) > limit - x && state.filter.error != nil ? layout.width - 1 - x : limit - x
            canvas.put(Canvas.truncate(text, to: max(0, room)), x: x, y: layout.statusRow, role: role)
            if room > limit - x { return }
        }
        // The screen on top offers its own keys (the filter prompt has its line above).
        let all = state.filter.isEditing ? [] : keyMap.keys(for: state.inputMode).offeredHints
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

    /// `API 57/60 ██████░░ 42s`: remaining of the limit, a bar, and the countdown to the
    /// reset. Low headroom adds `!` or `!!` (never colour alone); `~` marks Roster's estimate.
    static func gaugeText(_ seen: Headroom?, now: Date) -> (text: String, role: StyleRole) {
        guard let seen else { return ("", .statusBar) }
        if let paused = seen.pausedUntil, paused > now {
            return (" !! API paused: retry in \(seconds(until: paused, from: now))s ", .gaugeCritical)
        }
        let headroom = seen.current(at: now)
        let estimate = headroom.source == .estimate ? "~" : ""
        let countdown = headroom.resetAt.map {
            $0 > now ? " \(headroom.resetIsEstimate ? "~" : "")\(seconds(until: $0, from: now))s" : ""
        } ?? ""
        guard let remaining = headroom.remaining, let limit = headroom.limit, limit > 0 else {
            return (" API \(headroom.sentInWindow) sent, limit not seen yet ", .gaugeOk)
        }
        let fraction = Double(min(remaining, limit)) / Double(limit)
        let role: StyleRole = fraction <= 0.1 ? .gaugeCritical : (fraction <= 0.25 ? .gaugeWarn : .gaugeOk)
        let marker = role == .gaugeCritical ? "!! " : (role == .gaugeWarn ? "! " : "")
        let filled = Int((fraction * 8).rounded())
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: 8 - filled)
        return (" \(marker)API \(estimate)\(remaining)/\(limit) \(bar)\(countdown) ", role)
    }

    private static func seconds(until date: Date, from now: Date) -> Int {
        max(0, Int(date.timeIntervalSince(now).rounded(.up)))
    }
}
