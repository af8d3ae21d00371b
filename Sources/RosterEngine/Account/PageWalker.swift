import RosterCore

/// Reads an account page by page, as the UI does: each page is checked against what was read
/// before it (`PageContinuity`), and where the account changed meanwhile the page before is
/// read again (or, on a newest-first list, the top), so a contact that exists is never
/// skipped. Each contact is handed over once; one found on a page read again comes when it is
/// found, not in the server's order. Where a shift cannot be mended, the walk says why the
/// read may be incomplete.
public struct PageWalker: Sendable {
    public let provider: any ContactProvider
    /// Told of each page that held records Roster cannot act on (no usable id): they are left
    /// out and the rest of the page read, and the reader says so where the user sees it.
    let onLeftOut: @Sendable (String) -> Void

    public init(provider: any ContactProvider, onLeftOut: @escaping @Sendable (String) -> Void = { _ in }) {
        self.provider = provider
        self.onLeftOut = onLeftOut
    }

    /// How a walk ended.
    public struct Ending: Sendable {
        /// A page failed: the walk stopped there.
        public var failure: ProviderError?
        /// Every page was read, but the account changed in a way the walk could not mend: a
        /// contact may have been missed. Nil when the read is known whole (or was stopped by
        /// the reader, or failed).
        public var doubt: String?
        /// The reader said stop before the end.
        public var stoppedEarly = false
        /// Records the server listed that Roster cannot act on (no usable id): left out, and
        /// said through `onLeftOut`.
        public var leftOut = 0

        /// For a reader that acts on the whole list (a query's matches, duplicates, a plan): the
        /// failure, or the doubt as an error, so nothing is done with a part taken for the whole.
        public var unlessWhole: ProviderError? {
            failure ?? doubt.map { ProviderError(kind: .malformedResponse, message: "the contact list could not be read whole: \($0)") }
        }
    }

    /// Pages in a row that bring nothing new before the walk stops: a server that sends the
    /// same page forever (`totalPages: 99999999999`) would otherwise be read forever. The UI's
    /// paging stops after as many.
    static let barrenPagesAllowed = PagingCheck.barrenPagesAllowed

    /// Calls `take` with each page's contacts not seen before, until the list ends, `take`
    /// says stop, or a page fails.
    public func walk(_ take: ([Contact]) -> Bool) async -> Ending {
        var seen = Set<ContactID>()
        var expectedTotal: Int?
        var page = 1
        var doubt: String?
        var barren = 0
        var leftOut = 0
        let provider = self.provider
        func fresh(_ contacts: [Contact]) -> [Contact] {
            contacts.filter { seen.insert($0.id).inserted }
        }
        func read(_ number: Int) async -> Result<ContactPage, ProviderError> {
            await capture { () async throws(ProviderError) in try await provider.list(page: number) }
        }
        while true {
            let loaded: ContactPage
            switch await read(page) {
            case .failure(let error): return Ending(failure: error)
            case .success(let value): loaded = value
            }
            if page > 1 {
                let size = max(1, loaded.pageSize ?? loaded.contacts.count)
                let check = PageContinuity(
                    start: (page - 1) * size, readBefore: seen.count, leadingKnown: loaded.contacts.prefix { seen.contains($0.id) }.count,
                    expectedTotal: expectedTotal, reportedTotal: loaded.total)
                var again: [Int] = []
                if check.maySkip > 0 { again.append(page - 1) }
                if check.addedBefore > 0 {
                    if provider.capabilities.newestFirst {
                        again.append(1)
                    } else {
                        doubt = doubt ?? "\(check.addedBefore) contact\(check.addedBefore == 1 ? " was" : "s were") added among those already read"
                    }
                }
                for number in again {
                    switch await read(number) {
                    case .failure(let error):
                        doubt = doubt ?? "page \(number) could not be read again (\(error))"
                    case .success(let reread):
                        if check.maySkip > size || !reread.contacts.contains(where: { seen.contains($0.id) }) {
                            doubt = doubt ?? "the list shifted by more than a page while it was read"
                        }
                        let found = fresh(reread.contacts)
                        if !found.isEmpty, !take(found) { return Ending(stoppedEarly: true) }
                    }
                }
            }
            expectedTotal = loaded.total
            if let sentence = loaded.leftOutSentence {
                onLeftOut(sentence)
                leftOut += loaded.leftOut
            }
            let found = fresh(loaded.contacts)
            if !found.isEmpty, !take(found) { return Ending(stoppedEarly: true) }
            barren = found.isEmpty ? barren + 1 : 0
            if barren >= Self.barrenPagesAllowed, loaded.hasMore {
                return Ending(
                    doubt: "the server keeps sending contacts already read (pages \(page - barren + 1) to \(page)), so the read stopped there")
            }
            if let total = loaded.total, let size = loaded.pageSize, size > 0, page > total / size + Self.barrenPagesAllowed, loaded.hasMore {
                return Ending(
                    doubt: "the server offers more pages than its \(total) contacts fill (page \(page) of \(size)), so the read stopped there")
            }
            guard loaded.hasMore, !loaded.contacts.isEmpty || loaded.leftOut > 0 else {
                if let total = loaded.total, seen.count + leftOut < total {
                    doubt = doubt ?? "the server reports \(total) contacts but \(seen.count) were read"
                }
                return Ending(doubt: doubt, leftOut: leftOut)
            }
            page += 1
        }
    }
}
