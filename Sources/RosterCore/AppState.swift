import Foundation

/// Everything the screen shows, as a plain value. Only `update` changes it.
public struct AppState: Sendable, Equatable {
    /// What the session was set up with; it does not change while it runs.
    public internal(set) var session: SessionConfig
    public var account: AccountInfo { session.account }
    public var capabilities: ProviderCapabilities { session.capabilities }
    public var undoDelay: TimeInterval { session.undoDelay }
    public var isDryRun: Bool { session.isDryRun }
    public var isReadOnly: Bool { session.isReadOnly }
    public var planBanner: String? { session.planBanner }
    public var accountLabel: String? { session.accountLabel }
    public var cursorStyle: CursorStyle { session.cursorStyle }
    public var duplicateOptions: DuplicateOptions { session.duplicateOptions }
    public var savedFilters: [String: String] { session.savedFilters }
    /// Contacts loaded so far, compactly; `order` lists their slots in the server's order.
    public private(set) var store: ContactStore
    public private(set) var order: [Int] = []
    /// Each slot's place in the server's order: `order` is sorted by it, so a contact found
    /// later (read again after a shift, or new at the top) can be put where it belongs.
    private var rank: [Int64] = []
    /// The rows shown: store slots that pass the filter, in the sort's order. The cursor and
    /// the scroll position count in these rows.
    public private(set) var rows: [Int] = []
    /// Marked contacts, by id: a reload or a page arriving never moves a mark.
    public internal(set) var marks: Set<ContactID> = [] {
        didSet { if !unloadedMarks.isEmpty { unloadedMarks.formIntersection(marks) } }
    }
    /// Marked contacts not among those loaded (a reload emptied the list): `d` loads the rest
    /// of the account to find them, or says they are gone, before it asks.
    public private(set) var unloadedMarks: Set<ContactID> = []
    public internal(set) var filter = FilterState()
    /// The last filter that was on, for `n` and `N` after it is cleared.
    public internal(set) var lastQuery: Query?
    /// `v`: where the range being marked starts.
    public internal(set) var rangeAnchor: ContactID?
    /// `e`: the file name being typed for the export, while its prompt is open.
    public internal(set) var exportPrompt: PromptLine?
    /// The `:` command line, while it is open: a command and its argument, edited as the
    /// filter prompt is, Tab completing the word before the cursor, Enter running it.
    public internal(set) var commandPrompt: PromptLine?
    /// Work that needs every contact, waiting while pages remain (the rest loads, then it
    /// runs): `--select-from` lines, `+` or `D`, and `d` for marks not loaded, in that order.
    public private(set) var whenAccountLoaded: [WholeAccountTask] = []
    public internal(set) var sort: SortOrder = .server
    /// The sort runs Z to A (`O`, or a second click on the heading); never for server order.
    public internal(set) var sortDescending = false
    /// The deletion batch, from its undo window to its results.
    public internal(set) var batch: Batch?
    /// Batches started this session: the next one's serial number.
    public internal(set) var batchesStarted = 0
    /// A termination signal arrived during a batch: leave once its requests are answered,
    /// or at this time at the latest.
    public internal(set) var exitDeadline: Date?
    /// Reading the account page by page: how far it has got, and what it is unsure of.
    public internal(set) var pages = Paging()
    public internal(set) var cursor = 0
    public internal(set) var scrollTop = 0
    public internal(set) var listHeight = 10
    /// What is open over the list, innermost last: the help opened over the duplicates view
    /// is `[.duplicates, .help]`, and closing the help shows the view again as it was.
    public private(set) var screens: [Overlay] = []
    /// The screen on top (`.none`: the list). Setting it replaces the top screen, or opens
    /// one over the list; `.none` closes the top one.
    public var overlay: Overlay {
        get { screens.last ?? .none }
        set {
            if !screens.isEmpty { screens.removeLast() }
            if newValue != .none { screens.append(newValue) }
        }
    }

    /// Opens a screen over the one on top, which stays as it is underneath.
    mutating func open(_ screen: Overlay) {
        screens.append(screen)
    }

    /// Changes every open screen `change` recognises, on top or under another (an answer for
    /// the history view arrives while the help is open over it).
    mutating func updateScreens(_ change: (inout Overlay) -> Void) {
        for index in screens.indices { change(&screens[index]) }
    }
    public internal(set) var activity: [ContactID: RowActivity] = [:]
    /// Contacts the server refused to delete, with its reason.
    public internal(set) var locked: [ContactID: String] = [:]
    /// Contacts whose last delete failed for a reason other than a lock (400, 422, 5xx, …),
    /// with the server's message; they may be tried again.
    public internal(set) var failed: [ContactID: String] = [:]
    /// Contacts another operator's request was on the way for when this session's was about to
    /// leave (a claim in the team's journal), with who holds them (`ops-a@jump2`).
    public internal(set) var heldElsewhere: [ContactID: String] = [:]
    /// The message line. Everything said there is also kept, untruncated, in `messageLog`.
    public internal(set) var message: StatusMessage? {
        didSet {
            guard let message, message != oldValue else { return }
            if message.isProgress, messageLog.last?.message.isProgress == true {
                messageLog[messageLog.count - 1] = LoggedMessage(at: clock, message: message)
                return
            }
            messageLog.append(LoggedMessage(at: clock, message: message))
            if messageLog.count > Self.messageLogLimit { messageLog.removeFirst(messageLog.count - Self.messageLogLimit) }
        }
    }
    /// The session's messages, oldest first (the most recent `messageLogLimit`).
    public private(set) var messageLog: [LoggedMessage] = []
    public static let messageLogLimit = 1000
    public internal(set) var headroom: Headroom?
    /// The time as of the last tick, for countdowns.
    public internal(set) var clock = Date(timeIntervalSince1970: 0)

    /// Takes a message off the line once what it said has passed.
    mutating func expireMessage(_ lifetime: StatusMessage.Lifetime) {
        if message?.lifetime == lifetime { message = nil }
    }
    public internal(set) var isFinished = false
    /// When Ctrl-Z stopped Roster, so countdowns hold while it was away.
    public internal(set) var suspendedAt: Date?
    /// Since when the undo countdown holds while Roster asks whether to quit: nothing starts
    /// sending under the question.
    public internal(set) var countdownHeldSince: Date?

    /// The filter prompt's queries, this session's and earlier ones on this profile.
    public internal(set) var queryHistory = PromptHistory()
    /// The command line's commands, this Roster's (a `:profile` switch carries them on).
    public internal(set) var commandHistory = PromptHistory()

    public init(session: SessionConfig) {
        self.session = session
        queryHistory = PromptHistory(session.queryHistory)
        commandHistory = PromptHistory(session.commandHistory)
        store = ContactStore(keepsRecords: !session.capabilities.canLookUp, transliterates: session.transliteratesNames)
    }

    /// A session with the defaults for everything but the account.
    public init(account: AccountInfo, capabilities: ProviderCapabilities, transliteratesNames: Bool = true) {
        self.init(session: SessionConfig(account: account, capabilities: capabilities, transliteratesNames: transliteratesNames))
    }

    /// Marks the contacts `--select-from` lines name, once every contact is loaded (a line
    /// that names two contacts is caught rather than guessed).
    public mutating func selectWhenLoaded(_ selection: PendingSelection) {
        awaitWholeAccount(.select(selection))
    }

    /// Work to do once the whole account is loaded; `+` and `D` replace each other.
    mutating func awaitWholeAccount(_ task: WholeAccountTask) {
        whenAccountLoaded.removeAll { $0.turn == task.turn }
        whenAccountLoaded.append(task)
        whenAccountLoaded.sort { $0.turn < $1.turn }
    }

    /// Takes the waiting work `which` recognises off the queue.
    mutating func takeWholeAccountTask(_ which: (WholeAccountTask) -> Bool) -> WholeAccountTask? {
        guard let index = whenAccountLoaded.firstIndex(where: which) else { return nil }
        return whenAccountLoaded.remove(at: index)
    }

    /// The loaded contacts in the server's order.
    public var contacts: ContactList { ContactList(store: store, slots: order) }

    /// A loaded contact by id.
    public func contact(withID id: ContactID) -> Contact? {
        store.slot(of: id).map { store.contact(at: $0) }
    }

    /// Whether something on screen counts down, so the UI should tick once a second.
    public var wantsTicks: Bool {
        if suspendedAt == nil, batch?.isWaiting == true || exitDeadline != nil { return true }
        guard let headroom else { return false }
        // Without a reset time, the gauge refills (as an estimate) a window after its figures.
        let refill = headroom.resetAt == nil ? headroom.window.flatMap { headroom.observedAt?.addingTimeInterval($0) } : nil
        return [headroom.resetAt, headroom.pausedUntil, refill].contains { $0.map { $0 > clock } ?? false }
    }

    public var selectedContact: Contact? {
        rows.indices.contains(cursor) ? store.contact(at: rows[cursor]) : nil
    }

    /// The contact on a shown row.
    public func contact(atRow row: Int) -> Contact { store.contact(at: rows[row]) }

    /// A shown row's contact without its full record: what drawing the list needs.
    public func listedContact(atRow row: Int) -> Contact { store.contact(at: rows[row], withRecord: false) }

    func rowIndex(of id: ContactID) -> Int? {
        guard let slot = store.slot(of: id) else { return nil }
        return rows.firstIndex(of: slot)
    }

    public func isLoaded(_ id: ContactID) -> Bool { store.slot(of: id) != nil }

    /// The rows `v` would mark now: from where the range started to the cursor.
    public var rangeSize: Int? { rangeRows.map(\.count) }

    /// The shown rows a pending `v` range covers, from its start to the cursor.
    public var rangeRows: ClosedRange<Int>? {
        guard let anchor = rangeAnchor, let start = rowIndex(of: anchor) else { return nil }
        return min(start, cursor)...max(start, cursor)
    }

    public var inputMode: InputMode {
        if filter.isEditing { return .filterText }
        if exportPrompt != nil { return .pathText }
        if commandPrompt != nil { return .commandText }
        return Self.inputMode(of: overlay)
    }

    /// The screen whose keys the help shows: the one it was opened over.
    public var helpTopic: InputMode {
        screens.count > 1 ? Self.inputMode(of: screens[screens.count - 2]) : .browse
    }

    static func inputMode(of overlay: Overlay) -> InputMode {
        switch overlay {
        case .none: return .browse
        case .help: return .help
        case .detail: return .detail
        case .confirmDelete, .confirmDeactivate, .confirmStop: return .confirmKey
        case .confirmQuit: return .confirmQuit
        case .confirmSwitch: return .confirmKey
        case .confirmBatch(let plan): return plan.requiresTypedCount ? .typedCount : .confirmKey
        case .results: return .results
        case .info: return .panel
        case .history(let view): return view.confirming == nil ? .history : .confirmKey
        case .duplicates: return .duplicates
        case .copyChoice: return .copyChoice
        }
    }

    /// The page to ask for next. Counted from the contacts still loaded, so rows deleted in
    /// this session do not make the server's shifted pages skip a contact; overlap is dropped
    /// by id when the page arrives.
    public var nextPageNumber: Int? {
        // Records left out (no usable id) held places on the pages read.
        pages.allLoaded ? nil : (order.count + pages.check.leftOut) / max(1, pages.serverPageSize ?? capabilities.pageSize) + 1
    }

    mutating func replaceContacts(with fresh: [Contact]) {
        store.removeAll()
        order = []
        rank = []
        rows = []
        unloadedMarks = marks
        append(fresh)
    }

    /// Ranks are spaced so that contacts found later can be put between two loaded ones.
    static let rankSpacing: Int64 = 1 << 20

    mutating func append(_ page: [Contact]) {
        if store.transliterates { TextFolding.prepare(page.map(\.name)) }
        var added: [Int] = []
        added.reserveCapacity(page.count)
        var next = order.last.map { rank[$0] + Self.rankSpacing } ?? 0
        for contact in page {
            if let slot = store.append(contact) {
                added.append(slot)
                rank.append(next)
                next += Self.rankSpacing
            }
            if !unloadedMarks.isEmpty { unloadedMarks.remove(contact.id) }
        }
        order += added
        showAppended(added)
    }

    /// Puts contacts not loaded yet into the server's order right after `slot` (or first,
    /// when nil), in the order given, and shows those the filter matches.
    mutating func insert(_ contacts: [Contact], after slot: Int?) {
        var position = slot.map { self.position(of: $0).map { $0 + 1 } ?? order.count } ?? 0
        var added: [Int] = []
        for contact in contacts {
            guard let new = store.append(contact) else { continue }
            if !unloadedMarks.isEmpty { unloadedMarks.remove(contact.id) }
            if gapAround(position) < 2 { renumberRanks() }
            let (low, high) = ranksAround(position)
            rank.append(low + (high - low) / 2)
            order.insert(new, at: position)
            added.append(new)
            position += 1
        }
        showInserted(added)
    }

    /// The ranks a contact put at `position` of `order` goes between.
    private func ranksAround(_ position: Int) -> (Int64, Int64) {
        let low = position > 0 ? rank[order[position - 1]] : (order.first.map { rank[$0] } ?? 0) - 2 * Self.rankSpacing
        let high = position < order.count ? rank[order[position]] : low + 2 * Self.rankSpacing
        return (low, high)
    }

    private func gapAround(_ position: Int) -> Int64 {
        let (low, high) = ranksAround(position)
        return high - low
    }

    private mutating func renumberRanks() {
        for (index, slot) in order.enumerated() { rank[slot] = Int64(index) * Self.rankSpacing }
    }

    /// A loaded contact's index in `order`, by bisection on the ranks.
    func position(of slot: Int) -> Int? {
        guard rank.indices.contains(slot) else { return nil }
        let target = rank[slot]
        var low = 0
        var high = order.count
        while low < high {
            let middle = (low + high) / 2
            if rank[order[middle]] < target { low = middle + 1 } else { high = middle }
        }
        return low < order.count && order[low] == slot ? low : nil
    }

    func rankOf(_ slot: Int) -> Int64 { rank[slot] }

    mutating func setRows(_ shown: [Int]) { rows = shown }

    mutating func appendRows(_ shown: [Int]) { rows += shown }

    mutating func replace(_ contact: Contact) {
        guard let slot = store.slot(of: contact.id) else { return }
        store.replace(at: slot, with: contact)
    }

    /// Takes a deleted or vanished contact off the list; the cursor stays on the contact it
    /// was on, or the next one when that was this. `countedByServer`: the server's total
    /// already leaves it out (found gone on a page read after another client deleted it).
    mutating func remove(_ id: ContactID, countedByServer: Bool = false) {
        guard let slot = store.slot(of: id) else { return }
        let index = position(of: slot)
        store.remove(at: slot)
        activity[id] = nil
        failed[id] = nil
        heldElsewhere[id] = nil
        marks.remove(id)
        unloadedMarks.remove(id)
        if !countedByServer, let total = pages.total { pages.total = max(0, total - 1) }
        if let index { order.remove(at: index) }
        if let row = rows.firstIndex(of: slot) {
            rows.remove(at: row)
            if row < cursor { cursor -= 1 }
        }
        cursor = min(max(0, cursor), max(0, rows.count - 1))
    }
}
