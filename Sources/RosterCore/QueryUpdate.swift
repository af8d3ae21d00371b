import Foundation

// Field queries in the session: `+` marks everything the query matches across the whole
// account (loading what is not loaded yet first, and saying what that costs), and Tab
// completes the field, value or saved filter being typed.

/// `+`: marks every contact the filter matches. Where pages remain, they load first (paced
/// like any browsing, Esc stops), so "every" never silently means "every loaded".
func markAllMatching(in state: inout AppState) -> [Effect] {
    let query = state.filter.query
    guard state.pages.allLoaded else {
        return loadTheRest(for: .mark(query), in: &state)
    }
    mark(query, in: &state)
    return []
}

/// Starts loading every page for work that needs the whole account, saying what it costs.
func loadTheRest(for task: WholeAccountTask, in state: inout AppState) -> [Effect] {
    state.awaitWholeAccount(task)
    state.message = .loadingTheRest(to: purpose(of: task), cost: restOfAccountCost(state))
    return prefetchIfNeeded(&state)
}

private func purpose(of task: WholeAccountTask) -> String {
    switch task {
    case .mark(let query): return "mark every contact\(scope(of: query))"
    case .findDuplicates: return "look for duplicates"
    case .select(let selection): return "match the lines of \(selection.source)"
    case .deleteMarked: return "find the marked contacts"
    }
}

/// After each page while work waits for the whole account: progress, then the work.
func runWholeAccountTask(in state: inout AppState) {
    guard let task = state.whenAccountLoaded.first(where: \.isOnRequest) else { return }
    guard state.pages.allLoaded else {
        state.message = .loadingProgress(to: purpose(of: task), loaded: state.order.count, total: state.pages.total)
        return
    }
    _ = state.takeWholeAccountTask(\.isOnRequest)
    switch task {
    case .select, .deleteMarked:
        break
    case .mark(let query):
        mark(query, in: &state)
    case .findDuplicates:
        // Not over something the user opened meanwhile.
        guard state.overlay == .none, !state.filter.isEditing else {
            state.message = .duplicatesAreReady
            return
        }
        openDuplicates(in: &state)
    }
}

/// A page failed while work waited for it: nothing is done, and the message says so.
func abandonWholeAccountTask(in state: inout AppState) {
    guard let task = state.takeWholeAccountTask(\.isOnRequest) else { return }
    let undone = task == .findDuplicates ? "No duplicates were looked for; D tries again." : "Nothing was marked; + tries again."
    if let message = state.message {
        state.message = StatusMessage(message.text + " " + undone, level: message.level)
    }
}

private func mark(_ query: Query, in state: inout AppState) {
    let matching = query == state.filter.query ? state.rows : state.store.filter(state.order, query, context: state.queryContext)
    let before = state.marks.count
    for slot in matching { state.marks.insert(state.store.id(at: slot)) }
    let added = state.marks.count - before
    state.message = .markedAcrossTheAccount(added: added, scope: scope(of: query), marked: state.marks.count, doubt: state.pages.check.doubt)
}

private func scope(of query: Query) -> String {
    query.isEmpty ? "" : " matching “\(query.text)”"
}

/// What loading the rest of the account costs: contacts, page requests, and the time at the
/// current headroom.
func restOfAccountCost(_ state: AppState) -> String {
    guard let total = state.pages.total else { return "the server has not said how many contacts remain" }
    let size = max(1, state.pages.serverPageSize ?? state.capabilities.pageSize)
    let left = max(0, total - state.order.count)
    let pages = max(1, (left + size - 1) / size)
    var text = "\(left) more contact\(left == 1 ? "" : "s"), \(pages) page request\(pages == 1 ? "" : "s")"
    if let seconds = state.headroom?.secondsToSend(pages, now: state.clock) {
        text += ", about \(durationText(seconds)) at the current headroom"
    }
    return text
}

/// What Tab's candidates agree on, regardless of case: how far a word can be completed.
func sharedPrefix(of candidates: [String]) -> String {
    candidates.dropFirst().reduce(candidates.first ?? "") { shared, next in
        String(zip(shared, next).prefix { $0.lowercased() == $1.lowercased() }.map(\.0))
    }
}

/// Tab in the prompt: the word being typed is completed to a field name, a field's value
/// (status, yes/no) or a saved filter; where several fit, as far as they agree, and the
/// hint lists them.
func completeFilter(in state: inout AppState) {
    // The word before the cursor is completed; what follows the cursor stays after it.
    let whole = Array(state.filter.typed)
    let typed = String(whole.prefix(state.filter.cursor))
    let after = String(whole.dropFirst(state.filter.cursor))
    let separators: Set<Character> = [" ", "|", "(", "!"]
    let start = typed.lastIndex(where: { separators.contains($0) }).map { typed.index(after: $0) } ?? typed.startIndex
    let head = String(typed[..<start])
    let word = String(typed[start...])
    let dialect = state.account.dialect
    let saved = state.savedFilters.keys.sorted().map { "@" + $0 + " " }
    var candidates: [String]
    if let colon = word.firstIndex(of: ":") {
        let name = String(word[..<colon])
        let value = word[word.index(after: colon)...].lowercased()
        let known = dialect.queryField(named: name)
        let values: [String]
        if let (field, stored) = known, field.knownValues.isEmpty, field.source == .stored, field.kind != .date {
            // The values the loaded contacts have: tags, groups, companies…, quoted where they hold a space.
            let folded = TextFolding.fold(value.replacingOccurrences(of: "\"", with: ""))
            values = state.store.repeatedTexts(stored, among: state.order)
                .filter { TextFolding.fold($0).hasPrefix(folded) }
                .map { $0.contains(where: { " |()!\"".contains($0) }) ? "\"" + $0.replacingOccurrences(of: "\"", with: "\\\"") + "\"" : $0 }
        } else {
            values = (known?.field.knownValues ?? []).filter { $0.hasPrefix(value) }
        }
        candidates = values.map { name + ":" + $0 + " " }
    } else if word.hasPrefix("@") {
        candidates = saved.filter { $0.lowercased().hasPrefix(word.lowercased()) }
    } else {
        var names = dialect.queryFields.filter { !$0.isPrefix }.map { $0.name + ":" }
        for family in dialect.queryFields where family.isPrefix {
            names += state.store.storedFieldNames.filter { $0.hasPrefix(family.name.lowercased()) }.map { $0 + ":" }
        }
        candidates = names.filter { $0.lowercased().hasPrefix(word.lowercased()) }
        if word.isEmpty { candidates = saved + candidates }
    }
    guard !candidates.isEmpty else {
        state.filter.hint = word.isEmpty ? "nothing to complete here" : "nothing to complete for “\(word)”"
        return
    }
    let common = sharedPrefix(of: candidates)
    if common.count > word.count || candidates.count == 1 { retype(head + common + after, cursor: (head + common).count, in: &state) }
    if candidates.count > 1 { state.filter.hint = candidates.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: "  ") }
}

/// Opens the session with this filter (`--where`, `--filter`), as if typed and kept.
public func applyFilter(_ text: String, in state: inout AppState) -> QueryError? {
    retype(text, in: &state)
    return state.filter.error
}

/// Matches `--select-from` lines once every contact is loaded, so a line that names two
/// contacts is caught rather than guessed.
func resolvePendingSelection(in state: inout AppState) {
    guard case .select(var selection) = state.takeWholeAccountTask({ if case .select = $0 { return true } else { return false } }) else {
        return
    }
    let result = selection.resolve(in: Array(state.contacts))
    for id in result.marked { state.marks.insert(id) }
    selection.markedCount = result.marked.count
    let problems = result.unmatched.map { "not found:  \($0)" } + result.ambiguous.map { "ambiguous (several contacts, none marked):  \($0)" }
    state.message = .markedFromLines(result.marked.count, source: selection.source, unmatched: problems.count)
    if !problems.isEmpty {
        state.overlay = .info(InfoPanel(title: "Lines in \(selection.source) that marked nothing", lines: problems))
    }
}
