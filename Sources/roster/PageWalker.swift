import RosterCore

/// Reads an account page by page for the headless commands, as the UI does: each page is
/// checked against what was read before it (`PageContinuity`), and where the account changed
/// meanwhile the page before is read again (or, on a newest-first list, the top), so a contact
/// that exists is never skipped. Each contact is handed over once; one found on a page read
/// again comes when it is found, not in the server's order.
struct PageWalker {
    let provider: any ContactProvider

    /// Calls `take` with each page's contacts not seen before, until the list ends, `take`
    /// says stop, or a page fails (that error is returned).
    func walk(_ take: ([Contact]) -> Bool) async -> ProviderError? {
        var seen = Set<ContactID>()
        var expectedTotal: Int?
        var page = 1
        func fresh(_ contacts: [Contact]) -> [Contact] {
            contacts.filter { seen.insert($0.id).inserted }
        }
        func read(_ number: Int) async -> Result<ContactPage, ProviderError> {
            await capture { () async throws(ProviderError) in try await provider.list(page: number) }
        }
        while true {
            let loaded: ContactPage
            switch await read(page) {
            case .failure(let error): return error
            case .success(let value): loaded = value
            }
            if page > 1 {
                let size = max(1, loaded.pageSize ?? loaded.contacts.count)
                let check = PageContinuity(
                    start: (page - 1) * size, readBefore: seen.count, leadingKnown: loaded.contacts.prefix { seen.contains($0.id) }.count,
                    expectedTotal: expectedTotal, reportedTotal: loaded.total)
                var again: [Int] = []
                if check.maySkip > 0 { again.append(page - 1) }
                if check.addedBefore > 0, provider.capabilities.newestFirst { again.append(1) }
                for number in again {
                    guard case .success(let reread) = await read(number) else { continue }
                    let found = fresh(reread.contacts)
                    if !found.isEmpty, !take(found) { return nil }
                }
            }
            expectedTotal = loaded.total
            let found = fresh(loaded.contacts)
            if !found.isEmpty, !take(found) { return nil }
            guard loaded.hasMore, !loaded.contacts.isEmpty else { return nil }
            page += 1
        }
    }
}

/// The account's contacts by phone (digits with the country code) and by email (folded): how
/// a restore tells a contact is already back.
struct ContactIndex {
    var phones: [String: ContactID] = [:]
    var emails: [String: ContactID] = [:]

    /// Reads every page; nil and the error when a page fails.
    static func read(_ provider: any ContactProvider) async -> (ContactIndex?, ProviderError?) {
        var index = ContactIndex()
        let failure = await PageWalker(provider: provider).walk { contacts in
            for contact in contacts {
                if !contact.comparablePhone.isEmpty { index.phones[contact.comparablePhone] = contact.id }
                if !contact.comparableEmail.isEmpty { index.emails[contact.comparableEmail] = contact.id }
            }
            return true
        }
        return failure == nil ? (index, nil) : (nil, failure)
    }

    /// The contact a restore would make, if it is on the account: found by phone, else email.
    func existing(_ plan: RestorePlan) -> (id: ContactID, by: String)? {
        if !plan.phoneDigits.isEmpty, let id = phones[plan.phoneDigits] { return (id, "phone") }
        if !plan.email.isEmpty, let id = emails[plan.email] { return (id, "email") }
        return nil
    }

    mutating func add(_ plan: RestorePlan, as id: ContactID) {
        if !plan.phoneDigits.isEmpty { phones[plan.phoneDigits] = id }
        if !plan.email.isEmpty { emails[plan.email] = id }
    }
}
