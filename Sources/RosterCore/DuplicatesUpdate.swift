import Foundation

// The duplicates view (`D`): contacts that share a normalised phone or email, grouped, with
// the most complete of each group kept and the others marked. The operator changes the
// keeper with `K` or unmarks a group with `U`; `d` deletes the marked through the usual batch
// confirmation. Nothing is ever merged.

public struct DuplicatesReview: Sendable, Equatable {
    public var groups: [DuplicateGroup]
    /// Contacts looked at.
    public var among: Int
    /// The member under the cursor, counting members of every group in order.
    public var cursor = 0
    /// The first screen line shown (group headings count as lines).
    public var scroll = 0

    public init(groups: [DuplicateGroup], among: Int) {
        self.groups = groups
        self.among = among
    }

    public var memberCount: Int { groups.reduce(0) { $0 + $1.members.count } }

    /// The group and member index of a cursor position.
    public func position(of cursor: Int) -> (group: Int, member: Int)? {
        var left = cursor
        for (index, group) in groups.enumerated() {
            if left < group.members.count { return (index, left) }
            left -= group.members.count
        }
        return nil
    }

    /// The screen line of a cursor position: each group has a heading line, then its members.
    public func line(of cursor: Int) -> Int {
        guard let (group, member) = position(of: cursor) else { return 0 }
        return groups.prefix(group).reduce(0) { $0 + $1.members.count + 1 } + 1 + member
    }
}

func showDuplicates(in state: inout AppState) -> [Effect] {
    guard state.pages.allLoaded else { return loadTheRest(for: .findDuplicates, in: &state) }
    openDuplicates(in: &state)
    return []
}

/// Finds the groups among every loaded contact and, unless read-only, marks all but each
/// group's keeper.
func openDuplicates(in state: inout AppState) {
    let groups = state.store.duplicateGroups(among: state.order, options: state.duplicateOptions)
    guard !groups.isEmpty else {
        state.message = .noDuplicates(among: state.order.count)
        return
    }
    let review = DuplicatesReview(groups: groups, among: state.order.count)
    state.overlay = .duplicates(review)
    let contacts = review.memberCount
    let found = "\(groups.count) group\(groups.count == 1 ? "" : "s") of duplicates (\(contacts) contacts) among \(state.order.count)"
    if !state.isReadOnly { for group in groups { propose(group, in: &state) } }
    state.message = .duplicatesFound(found, readOnly: state.isReadOnly, marked: contacts - groups.count)
}

/// Marks every member but the keeper.
private func propose(_ group: DuplicateGroup, in state: inout AppState) {
    for member in group.members where member != group.keeper { state.marks.insert(member) }
    state.marks.remove(group.keeper)
}

func handleDuplicates(_ action: UserAction, review: DuplicatesReview, in state: inout AppState) -> [Effect] {
    var review = review
    let count = review.memberCount
    let page = max(1, state.listHeight - 3)
    let here = review.position(of: review.cursor)
    let member = here.map { review.groups[$0.group].members[$0.member] }
    switch action {
    case _ where scrollActions.contains(action):
        review.cursor = scrolled(review.cursor, by: action, lines: count, page: page)
    case .selectRow(let index):
        // A click on a contact of a group.
        review.cursor = min(max(0, index), max(0, count - 1))
    case .toggleMark:
        guard let member else { break }
        if state.marks.remove(member) == nil { state.marks.insert(member) }
        review.cursor = min(review.cursor + 1, max(0, count - 1))
    case .makeKeeper:
        guard let here, let member else { break }
        review.groups[here.group].keeper = member
        propose(review.groups[here.group], in: &state)
        state.message = .keeping(name(member, state))
    case .unmarkGroup:
        guard let here else { break }
        for id in review.groups[here.group].members { state.marks.remove(id) }
        state.message = .groupUnmarked(here.group + 1)
    case .delete:
        state.overlay = .none
        // The view's marks only: a contact marked in the list is no duplicate to delete here.
        return askToDeleteMarked(among: Set(review.groups.flatMap(\.members)), in: &state)
    case .openDetail:
        // Back to the list, on this contact.
        state.overlay = .none
        if let member, let row = state.rowIndex(of: member) {
            state.cursor = row
            keepCursorVisible(&state)
        } else if member != nil {
            state.message = .filterHides(name(member!, state))
        }
        return []
    case .toggleHelp:
        // The review (its keepers, its place) is still there when the help closes.
        state.overlay = .duplicates(review)
        return openHelp(in: &state)
    case .dismiss, .cancel, .quit, .showDuplicates:
        state.overlay = .none
        let marked = state.marks.count
        if marked > 0 {
            state.message = .stillMarked(marked, readOnly: state.isReadOnly)
        }
        return []
    default:
        break
    }
    let line = review.line(of: review.cursor)
    if line - 1 < review.scroll { review.scroll = max(0, line - 1) }
    if line >= review.scroll + page { review.scroll = line - page + 1 }
    state.overlay = .duplicates(review)
    return []
}

private func name(_ id: ContactID, _ state: AppState) -> String {
    state.contact(withID: id)?.displayName ?? id.rawValue
}
