import Foundation

// Moving the way other terminal tools move: `n` and `N` to the next and previous contact the
// last filter matches, wherever the list is, and `v` to mark a range.

/// `n` / `N`: from the cursor to the next (or previous) row the filter matches, the active
/// one or else the last one, going round the end once and saying so.
func jumpToMatch(forward: Bool, in state: inout AppState) -> [Effect] {
    guard let query = state.filter.isActive ? state.filter.query : state.lastQuery else {
        state.message = .noFilterForNext
        return []
    }
    let rows = state.rows
    guard !rows.isEmpty else { return prefetchIfNeeded(&state) }
    let cursor = min(state.cursor, rows.count - 1)
    // Rows in the order they are searched: past the cursor to the end, then round.
    let ahead = forward ? Array(cursor + 1..<rows.count) : Array((0..<cursor).reversed())
    let behind = forward ? Array(0...cursor) : Array((cursor..<rows.count).reversed())
    let context = state.queryContext
    func first(in indices: [Int]) -> Int? {
        var start = 0
        while start < indices.count {
            // A chunk at a time, so a match near the cursor is found without reading on.
            let chunk = Array(indices[start..<min(indices.count, start + 2048)])
            let found = Set(state.store.filter(chunk.map { rows[$0] }, query, context: context))
            if let hit = chunk.first(where: { found.contains(rows[$0]) }) { return hit }
            start += chunk.count
        }
        return nil
    }
    let label = "“\(query.text)”"
    if let hit = first(in: ahead) {
        state.cursor = hit
        state.message = nil
    } else if let hit = first(in: behind), hit != cursor {
        state.cursor = hit
        state.message = .wentRound(label, forward: forward)
    } else {
        state.message = .noOtherMatch(label, thisOneMatches: first(in: [cursor]) != nil)
    }
    keepCursorVisible(&state)
    return prefetchIfNeeded(&state)
}

/// `v`: the first press sets where the range starts; the second marks every row from there
/// to the cursor, both ends included.
func markRange(in state: inout AppState) -> [Effect] {
    guard let contact = state.selectedContact else { return [] }
    guard let anchor = state.rangeAnchor else {
        state.rangeAnchor = contact.id
        state.message = .rangeFrom(contact)
        return []
    }
    state.rangeAnchor = nil
    guard let start = state.rowIndex(of: anchor) else {
        state.rangeAnchor = contact.id
        state.message = .rangeStartsAgain(at: contact)
        return []
    }
    let rows = state.rows[min(start, state.cursor)...max(start, state.cursor)]
    let before = state.marks.count
    for slot in rows { state.marks.insert(state.store.id(at: slot)) }
    let added = state.marks.count - before
    state.message = .markedRange(added: added, of: rows.count, marked: state.marks.count)
    return []
}

// Copying: `y` puts the contact's id on the clipboard, `Y` a field of the user's choosing, by
// the terminal's own clipboard sequence (OSC 52), which also works over SSH where the terminal
// allows it.

/// `y`: the contact's id, or on the list with marks, every marked id (`marked: false` in the
/// details, where `y` copies the contact shown).
func copyID(in state: inout AppState, marked: Bool = true) -> [Effect] {
    if marked, !state.marks.isEmpty { return copyMarkedIDs(in: &state) }
    guard let contact = state.selectedContact else { return [] }
    return copy(CopyChoice.Field(name: "id", value: contact.id.rawValue), of: contact, in: &state)
}

/// A time as a file name carries it: `20261204-134501`.
private func fileStamp(_ time: Date) -> String {
    let format = DateFormatter()
    format.locale = Locale(identifier: "en_US_POSIX")
    format.dateFormat = "yyyyMMdd-HHmmss"
    return format.string(from: time)
}

/// What a terminal takes through OSC 52 at most, before base64: xterm and tmux pass tens of
/// kilobytes; more is written to a file instead, and the message says where.
let clipboardLimit = 48 * 1024

/// `y` with marks: every marked id, one a line, in the order shown (those not shown after).
private func copyMarkedIDs(in state: inout AppState) -> [Effect] {
    let shown = state.rows.map { state.store.contact(at: $0, withRecord: false).id }.filter { state.marks.contains($0) }
    let rest = state.marks.subtracting(shown).sorted { $0.rawValue < $1.rawValue }
    let ids = (shown + rest).map(\.rawValue)
    let text = ids.joined(separator: "\n") + "\n"
    guard text.utf8.count <= clipboardLimit else {
        return [.writeText(text, path: "roster-ids-\(fileStamp(state.clock)).txt", what: "\(ids.count) marked ids")]
    }
    state.message = .copiedIDs(ids.count)
    return [.copyToClipboard(text)]
}

func chooseFieldToCopy(in state: inout AppState) -> [Effect] {
    guard let contact = state.selectedContact else { return [] }
    var fields = [("id", contact.id.rawValue), ("name", contact.displayName), ("phone", contact.phone), ("email", contact.email)]
    if let status = contact.status { fields.append(("status", status)) }
    // Where the full record is kept, its fields too; where not, every field the list gave
    // (tags, company, created…), as the store keeps them.
    for field in contact.detailFields(preferredOrder: state.capabilities.detailFieldOrder) where !fields.contains(where: { $0.0 == field.key }) {
        fields.append((field.key, field.value))
    }
    if let slot = state.selectedSlot {
        for field in state.store.storedFields(at: slot) where !fields.contains(where: { $0.0.lowercased() == field.name.lowercased() }) {
            fields.append((field.name, field.value))
        }
    }
    state.overlay = .copyChoice(CopyChoice(fields: fields.filter { !$0.1.isEmpty }.map { CopyChoice.Field(name: $0.0, value: $0.1) }))
    return []
}

func handleCopyChoice(_ action: UserAction, choice: CopyChoice, in state: inout AppState) -> [Effect] {
    var choice = choice
    switch action {
    case .typed(let character) where character.isNumber:
        guard let number = character.wholeNumberValue, number >= 1, number <= choice.fields.count else { return [] }
        choice.cursor = number - 1
        fallthrough
    case .submit, .openDetail:
        state.overlay = .none
        guard let contact = state.selectedContact, choice.fields.indices.contains(choice.cursor) else { return [] }
        return copy(choice.fields[choice.cursor], of: contact, in: &state)
    case _ where scrollActions.contains(action):
        choice.cursor = scrolled(choice.cursor, by: action, lines: choice.fields.count, page: state.listHeight)
        state.overlay = .copyChoice(choice)
    case .dismiss, .cancel, .quit, .copyField:
        state.overlay = .none
    default:
        break
    }
    return []
}

private func copy(_ field: CopyChoice.Field, of contact: Contact, in state: inout AppState) -> [Effect] {
    state.message = .copied(field, of: contact)
    return [.copyToClipboard(field.value)]
}

// Exporting: `e` asks for a file name (a fresh one is offered) and writes the marked
// contacts, or else the rows shown, as CSV with every field.

/// What `e` would write: the marked contacts that are loaded, or else every row shown.
private func exportScope(_ state: AppState) -> (slots: [Int], what: String) {
    if !state.marks.isEmpty {
        let slots = state.marks.compactMap { state.store.slot(of: $0) }.sorted()
        return (slots, "the \(slots.count) marked contact\(slots.count == 1 ? "" : "s")")
    }
    return (state.rows, state.filter.isActive ? "the \(state.rows.count) matching “\(state.filter.query.text)”" : "the \(state.rows.count) loaded contacts")
}

func askExportPath(in state: inout AppState) -> [Effect] {
    guard !exportScope(state).slots.isEmpty else {
        state.message = .nothingToExport
        return []
    }
    state.exportPrompt = PromptLine("roster-export-\(fileStamp(state.clock)).csv")
    return []
}

func editExportPath(_ action: UserAction, in state: inout AppState) -> [Effect] {
    guard var prompt = state.exportPrompt else { return [] }
    if prompt.edit(action, maxLength: 4096) {
        state.exportPrompt = prompt
        return []
    }
    switch action {
    case .submit:
        let trimmed = prompt.typed.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return [] }
        state.exportPrompt = nil
        let (slots, what) = exportScope(state)
        let unloaded = state.unloadedMarks.count
        state.message = .exporting(what, to: trimmed, unloaded: unloaded)
        return [.export(slots.map { state.store.contact(at: $0) }, path: trimmed)]
    case .backspace, .dismiss, .cancel:
        state.exportPrompt = nil
        state.message = .nothingExported
    default:
        break
    }
    return []
}
