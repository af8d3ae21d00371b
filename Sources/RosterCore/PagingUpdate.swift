import Foundation

// Paging: pages are read by offset as the user scrolls, and each one is checked against
// what was read before it (`PageContinuity`). When the account changed meanwhile (another
// client deleted or added contacts, or Roster's own deletions were answered while a page was
// on its way), the page that may hide skipped contacts is read again and merged, so every
// contact that exists is reachable; where Roster still cannot be sure, the header says so and
// `r` reloads.

/// Reading pages again after a shift, and what Roster is unsure of.
public struct PagingCheck: Sendable, Equatable {
    public enum Reread: Sendable, Equatable {
        /// Contacts before page `held.page` may have been skipped: the page before it is read
        /// again, and `held` is merged after it.
        case skippedBefore(held: ContactPage)
        /// Contacts were added at the top of a newest-first list: the first pages are read
        /// until a loaded contact shows, at most `pagesLeft` more.
        case addedAtTop(pagesLeft: Int)
    }

    public var reread: Reread?
    /// Why Roster cannot be sure the loaded list has every contact, or only those that
    /// exist; nil when nothing says so. The header shows it, and `r` clears it.
    public var doubt: String?
    /// Pages read again this session to mend shifts.
    public var rereads = 0
    /// Pages in a row, up to the last one merged, after which no more contacts were loaded
    /// than at the most before (`mostLoaded`): a server repeating its pages brings nothing.
    public var barrenPages = 0
    public var mostLoaded = 0
    /// Records the pages held that Roster cannot act on (no usable id), left out of the list.
    public var leftOut = 0

    /// Pages in a row that bring nothing new before loading stops (as `PageWalker` does).
    public static let barrenPagesAllowed = 3

    public init() {}
}

/// Pages are fetched as the user scrolls: the next one is asked for when the cursor comes
/// within a screen of the end of what is shown, never the whole account up front (except
/// to match `--select-from` lines or find marked contacts, which needs every contact). A
/// sorted list does not load more by itself: it sorts what is loaded and says so.
func prefetchIfNeeded(_ state: inout AppState) -> [Effect] {
    guard let next = state.nextPageNumber, state.pages.inFlight == nil, state.pages.check.reread == nil else { return [] }
    let mustLoadAll = !state.whenAccountLoaded.isEmpty
    // In a sorted list the end of the rows is not the end of the server's pages: scrolling
    // there loads nothing by itself (End does, on purpose).
    let nearTheEnd = state.sort == .server && state.cursor + 2 * state.listHeight >= state.rows.count
    guard mustLoadAll || nearTheEnd else { return [] }
    return requestPage(next, in: &state)
}

func requestPage(_ page: Int, in state: inout AppState) -> [Effect] {
    state.pages.inFlight = page
    return [.fetchPage(page: page, generation: state.pages.generation)]
}

/// Contacts per page as the server serves them.
private func pageSize(_ state: AppState) -> Int {
    max(1, state.pages.serverPageSize ?? state.capabilities.pageSize)
}

func pageLoaded(
    page: Int, generation: Int, result: Result<ContactPage, ProviderError>, in state: inout AppState
) -> [Effect] {
    guard generation == state.pages.generation, state.pages.inFlight == page, state.pages.check.reread == nil else { return [] }
    switch result {
    case .success(let loaded):
        if page == 1 {
            state.pages.inFlight = nil
            state.replaceContacts(with: loaded.contacts)
            state.pages.allLoaded = false
            state.pages.check = PagingCheck()
            if case .info = state.message?.level, state.message?.text.hasPrefix("Reloading") == true {
                state.message = .reloaded
            }
            return pageMerged(loaded, page: page, in: &state)
        }
        if let size = loaded.pageSize { state.pages.serverPageSize = size }
        let leadingKnown = loaded.contacts.prefix { state.isLoaded($0.id) }.count
        let check = PageContinuity(
            start: (page - 1) * pageSize(state), readBefore: state.order.count + state.pages.check.leftOut, leadingKnown: leadingKnown,
            expectedTotal: state.pages.total, reportedTotal: loaded.total)
        if check.maySkip > 0 {
            // Hold this page back and read the one before it again: what was skipped is there.
            state.pages.check.reread = .skippedBefore(held: loaded)
            state.pages.check.rereads += 1
            return [.rereadPage(page: page - 1, generation: state.pages.generation)]
        }
        state.pages.inFlight = nil
        merge(loaded.contacts, in: &state)
        return pageMerged(loaded, page: page, in: &state) + readAddedContacts(check.addedBefore, in: &state)
    case .failure(let error):
        state.pages.inFlight = nil
        state.message = .couldNotLoad(page: page, because: explain(error, state))
        abandonWholeAccountTask(in: &state)
        return []
    }
}

/// A page read again came back: merge it (and the page held back behind it), or carry on
/// reading the top of a newest-first list.
func pageReread(
    page: Int, generation: Int, result: Result<ContactPage, ProviderError>, in state: inout AppState
) -> [Effect] {
    guard generation == state.pages.generation, let reread = state.pages.check.reread else { return [] }
    state.pages.check.reread = nil
    switch reread {
    case .skippedBefore(let held):
        state.pages.inFlight = nil
        switch result {
        case .success(let again):
            let joined = merge(again.contacts, in: &state)
            merge(held.contacts, in: &state)
            if !joined {
                raiseDoubt("the list shifted by more than a page while it was read", in: &state)
            }
        case .failure(let error):
            merge(held.contacts, in: &state)
            raiseDoubt("page \(page) could not be read again (\(explain(error, state)))", in: &state)
        }
        return pageMerged(held, page: held.page, in: &state)
    case .addedAtTop(let pagesLeft):
        switch result {
        case .success(let again):
            let joined = merge(again.contacts, in: &state)
            state.pages.total = again.total ?? state.pages.total
            if !joined && again.hasMore {
                guard pagesLeft > 1 else {
                    raiseDoubt("more contacts were added at the top than Roster read again", in: &state)
                    return prefetchIfNeeded(&state)
                }
                state.pages.check.reread = .addedAtTop(pagesLeft: pagesLeft - 1)
                state.pages.check.rereads += 1
                return [.rereadPage(page: page + 1, generation: state.pages.generation)]
            }
        case .failure(let error):
            raiseDoubt("contacts added at the top could not be read (\(explain(error, state)))", in: &state)
        }
        return prefetchIfNeeded(&state)
    }
}

/// What follows a page merged into the list: totals, the end of the list, the cursor's
/// contact after a reload, and whatever waited for every page.
private func pageMerged(_ loaded: ContactPage, page: Int, in state: inout AppState) -> [Effect] {
    state.pages.total = loaded.total
    if let size = loaded.pageSize { state.pages.serverPageSize = size }
    if let sentence = loaded.leftOutSentence {
        state.pages.check.leftOut += loaded.leftOut
        state.message = StatusMessage(sentence + ".", level: .warning)
    }
    if !loaded.hasMore || loaded.contacts.isEmpty { state.pages.allLoaded = true }
    if state.order.count > state.pages.check.mostLoaded || page == 1 {
        state.pages.check.mostLoaded = max(state.pages.check.mostLoaded, state.order.count)
        state.pages.check.barrenPages = 0
    } else if loaded.hasMore {
        state.pages.check.barrenPages += 1
    }
    if state.pages.check.barrenPages >= PagingCheck.barrenPagesAllowed {
        // A server that sends the same page forever would be read forever: loading stops, and
        // whatever waited for the whole account is not done with a part of it.
        state.pages.allLoaded = true
        raiseDoubt("the server keeps sending contacts already loaded (\(state.pages.check.barrenPages) pages in a row), so loading stopped there", in: &state)
        _ = state.takeWholeAccountTask { $0 == .deleteMarked }
        abandonWholeAccountTask(in: &state)
        resolvePendingSelection(in: &state)
        keepCursorVisible(&state)
        return []
    }
    if let anchor = state.pages.reloadAnchor, let row = state.rowIndex(of: anchor) {
        state.cursor = row
        state.pages.reloadAnchor = nil
    } else if page == 1 {
        state.pages.reloadAnchor = nil
    }
    keepCursorVisible(&state)
    if state.pages.allLoaded {
        checkTheWholeList(in: &state)
        resolvePendingSelection(in: &state)
    }
    runWholeAccountTask(in: &state)
    return deleteMarkedNowLoaded(in: &state) + prefetchIfNeeded(&state)
}

/// Contacts added before the page: on a newest-first list they are at the top, so the first
/// page is read again; elsewhere Roster cannot tell where they went and says so.
private func readAddedContacts(_ added: Int, in state: inout AppState) -> [Effect] {
    guard added > 0 else { return [] }
    guard state.capabilities.newestFirst else {
        raiseDoubt("\(added) contact\(added == 1 ? " was" : "s were") added among those already loaded", in: &state)
        return []
    }
    state.pages.check.reread = .addedAtTop(pagesLeft: 3)
    state.pages.check.rereads += 1
    return [.rereadPage(page: 1, generation: state.pages.generation)]
}

/// Once every page is in, the count must match the server's: fewer loaded means some were
/// missed, more means some shown were deleted elsewhere.
private func checkTheWholeList(in state: inout AppState) {
    guard let total = state.pages.total, state.activity.values.allSatisfy({ $0 == .queued }) else { return }
    let loaded = state.order.count
    if loaded + state.pages.check.leftOut < total {
        raiseDoubt("the server reports \(total) contacts but \(loaded) are loaded", in: &state)
    } else if loaded > total, state.pages.check.doubt == nil {
        raiseDoubt("\(loaded - total) of the loaded contacts may have been deleted elsewhere", in: &state)
    }
}

/// Says, once, why the list may be incomplete; the header keeps saying it until `r`.
private func raiseDoubt(_ reason: String, in state: inout AppState) {
    state.pages.check.doubt = reason
    state.message = .mayBeIncomplete(reason)
}

/// Merges a page into the server's order: contacts not loaded go next to the loaded ones
/// they follow on the page (or first, before the first loaded one), and loaded contacts the
/// page skips over are gone from the server. Returns whether the page met a loaded contact,
/// i.e. joined up with what was read.
@discardableResult
private func merge(_ page: [Contact], in state: inout AppState) -> Bool {
    var firstKnown: Int?
    var lastKnown: Int?
    var pending: [Contact] = []
    var onPage = Set<ContactID>()
    for contact in page {
        onPage.insert(contact.id)
        guard let slot = state.store.slot(of: contact.id) else {
            pending.append(contact)
            continue
        }
        if !pending.isEmpty {
            if let lastKnown {
                state.insert(pending, after: lastKnown)
            } else {
                let position = state.position(of: slot) ?? 0
                state.insert(pending, after: position > 0 ? state.order[position - 1] : nil)
            }
            pending = []
        }
        if firstKnown == nil { firstKnown = slot }
        lastKnown = slot
    }
    guard let firstKnown, let lastKnown else {
        state.append(pending)
        return false
    }
    if !pending.isEmpty {
        if state.order.last == lastKnown { state.append(pending) } else { state.insert(pending, after: lastKnown) }
    }
    removeSkippedOver(from: firstKnown, to: lastKnown, onPage: onPage, in: &state)
    return true
}

/// Loaded contacts between two contacts of one page that the page does not have were deleted
/// on the server (by another client); those with a request of Roster's in flight are left to
/// their own answer.
private func removeSkippedOver(from first: Int, to last: Int, onPage: Set<ContactID>, in state: inout AppState) {
    guard let start = state.position(of: first), let end = state.position(of: last), start < end else { return }
    let gone = state.order[start...end].map { state.store.id(at: $0) }
        .filter { !onPage.contains($0) && state.activity[$0] == nil }
    for id in gone { state.remove(id, countedByServer: true) }
    if !gone.isEmpty {
        state.message = .deletedElsewhere(gone.count)
    }
}
