import Foundation

/// The filter prompt: typing narrows the rows as a query, Tab completes, Enter keeps it.

func editFilter(_ action: UserAction, in state: inout AppState) -> [Effect] {
    switch action {
    case .typed(let character):
        guard state.filter.typed.count < FilterState.maxLength else {
            state.message = .filterIsFull
            return []
        }
        retype(state.filter.typed + String(character), in: &state)
    case .backspace:
        guard !state.filter.typed.isEmpty else {
            state.filter.isEditing = false
            return []
        }
        retype(String(state.filter.typed.dropLast()), in: &state)
    case .complete:
        completeFilter(in: &state)
    case .submit:
        if let error = state.filter.error {
            state.message = .filterNotApplied(error)
            return []
        }
        state.filter.isEditing = false
        state.expireMessage(.whileTypingFilter)
    case .dismiss, .cancel:
        clearFilter(in: &state)
    default:
        return []
    }
    return prefetchIfNeeded(&state)
}

/// The prompt now holds `text`: the rows follow when it reads as a query; otherwise they stay
/// and the error says why.
func retype(_ text: String, in state: inout AppState) {
    state.filter.typed = text
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
