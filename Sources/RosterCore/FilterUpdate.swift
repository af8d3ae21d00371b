import Foundation

/// The filter prompt: typing narrows the rows as a query, Tab completes, Enter keeps it.

func editFilter(_ action: UserAction, in state: inout AppState) -> [Effect] {
    switch action {
    case .typed(let character):
        guard state.filter.typed.count < FilterState.maxLength else {
            state.message = .filterIsFull
            return []
        }
        let (text, cursor) = LineEdit.insert(character, into: state.filter.typed, cursor: state.filter.cursor)
        retype(text, cursor: cursor, in: &state)
    case .backspace:
        guard !state.filter.typed.isEmpty else {
            state.filter.isEditing = false
            return []
        }
        return editFilter(.editLine(.deleteBefore), in: &state)
    case .editLine(let edit):
        let (text, cursor) = edit.apply(to: state.filter.typed, cursor: state.filter.cursor)
        guard text != state.filter.typed else {
            state.filter.cursor = cursor
            return []
        }
        retype(text, cursor: cursor, in: &state)
    case .recallOlder, .recallNewer:
        let recalled = action == .recallOlder ? state.queryHistory.older(than: state.filter.typed) : state.queryHistory.newer()
        guard let recalled else {
            if action == .recallOlder { state.filter.hint = state.queryHistory.entries.isEmpty ? "no earlier query on this profile yet" : "the oldest query kept" }
            return []
        }
        retype(recalled, in: &state)
    case .complete:
        completeFilter(in: &state)
    case .submit:
        if let error = state.filter.error {
            state.message = .filterNotApplied(error)
            return []
        }
        state.filter.isEditing = false
        state.expireMessage(.whileTypingFilter)
        if state.queryHistory.add(state.filter.typed) {
            return prefetchIfNeeded(&state) + [.rememberQuery(state.filter.typed.trimmingCharacters(in: .whitespaces))]
        }
    case .dismiss, .cancel:
        state.queryHistory.reset()
        clearFilter(in: &state)
    default:
        return []
    }
    return prefetchIfNeeded(&state)
}

/// The prompt now holds `text`, the cursor after `cursor` characters (at its end unless
/// said): the rows follow when it reads as a query; otherwise they stay and the error says why.
func retype(_ text: String, cursor: Int? = nil, in state: inout AppState) {
    state.filter.typed = text
    state.filter.cursor = min(cursor ?? text.count, text.count)
    state.filter.hint = nil
    let query: Query
    do {
        query = try state.queryLanguage.parse(text)
    } catch {
        state.filter.error = error
        return
    }
    state.filter.error = nil
    state.filter.notice = unknownStatus(in: query.root, state: state)
    let previous = state.filter.query
    state.filter.query = query
    if !query.isEmpty { state.lastQuery = query }
    if query.root != previous.root { state.rebuildRows(narrowingFrom: previous) }
}

/// A `status:` value no loaded contact has, said while typing.
private func unknownStatus(in node: QueryNode?, state: AppState) -> String? {
    node?.unknownStatus(among: state.store.statusNames).map { "no loaded contact has \($0)" }
}

func clearFilter(in state: inout AppState) {
    state.filter = FilterState()
    state.expireMessage(.whileTypingFilter)
    state.rebuildRows()
}
