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

/// A `status:` value no loaded contact has, said while typing: a typo (`status:inactve`)
/// matches nothing, and nothing says why otherwise.
private func unknownStatus(in node: QueryNode?, state: AppState) -> String? {
    guard let node, !state.store.statusNames.isEmpty else { return nil }
    switch node {
    case .field(let term) where term.field.source == .status:
        guard case .equals(let wanted) = term.match else { return nil }
        let known = state.store.statusNames.map { TextFolding.fold($0) }
        let value = String(decoding: wanted, as: UTF8.self)
        if known.contains(value) { return nil }
        return "no loaded contact has status “\(value)” (they have \(known.joined(separator: ", ")))"
    case .not(let inner): return unknownStatus(in: inner, state: state)
    case .all(let nodes), .any(let nodes): return nodes.lazy.compactMap { unknownStatus(in: $0, state: state) }.first
    case .text, .field: return nil
    }
}

func clearFilter(in state: inout AppState) {
    state.filter = FilterState()
    state.expireMessage(.whileTypingFilter)
    state.rebuildRows()
}
