import Foundation
import Synchronization
import RosterCore
import RosterEngine
import RosterProviders
import RosterTeam

/// The journal as the commands open it: the team's store where the profile names one
/// (`journal_url`, or `ROSTER_JOURNAL_URL`), else the operator's own SQLite file; found
/// unusable at once (exit 1, where and why) by a command that will write, before any request
/// leaves. The demo sandbox always keeps its own.
enum JournalAccess {
    /// Opens the journal of `account`.
    static func open(
        _ account: ResolvedAccount, forWriting: Bool, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(JournalError) -> Journal {
        guard !account.info.isDemo, let url = TeamJournal.urlText(profileURL: account.journalURL, environment: environment) else {
            return try Journal.open(account: account.info, forWriting: forWriting, environment: environment, identify: identify)
        }
        let store = try TeamJournal.open(urlText: url, passwordFile: account.journalPasswordFile, environment: environment)
        if forWriting { try store.checkWritable() }
        return Journal(store: store, account: account.info)
    }

    /// Where the journal is the team's store, this Roster's requests take their places of the
    /// account's rate-limit window there, with every other Roster on it.
    static func shareQuota(
        of journal: Journal?, with pacer: Pacer, onTrouble: @escaping @Sendable (String) -> Void = { Console.note($0) }
    ) async {
        guard let team = journal?.store as? SpooledTeamStore, let account = journal?.account else { return }
        let saidOnce = Mutex(false)
        await pacer.share(TeamQuota(store: team.team, account: account) { trouble in
            if !saidOnce.withLock({ said in defer { said = true }; return said }) { onTrouble(trouble) }
        })
    }

    /// A command that reads the account and journals nothing (`list`, `get`, `duplicates`)
    /// still spends its quota: where the profile names a team's store, its requests take
    /// their places there too, so a colleague's batch is not refused for them. A store that
    /// cannot be opened costs the sharing (said), never the command.
    static func shareQuotaWithTeam(
        _ account: ResolvedAccount, pacer: Pacer, environment: [String: String] = ProcessInfo.processInfo.environment
    ) async {
        guard !account.info.isDemo, TeamJournal.urlText(profileURL: account.journalURL, environment: environment) != nil else { return }
        do {
            await shareQuota(of: try open(account, forWriting: false, environment: environment), with: pacer)
        } catch {
            Console.note("the account's rate limit is not shared with the team for this command: \(error)")
        }
    }

    /// Opens the journal of `account`; what the opening found worth saying (an old journal
    /// imported, a network filesystem) goes to standard error.
    static func openOrExit(_ account: ResolvedAccount, forWriting: Bool = true) -> Journal {
        do {
            let journal = try open(account, forWriting: forWriting)
            for note in journal.store.notes { Console.note(note) }
            JournalRetention.pruneOnStart(journal)
            return journal
        } catch {
            fail("\(error); nothing was sent", code: 1)
        }
    }

    /// The contact a journalled record describes, read as its own dialect reads it.
    static let identify: @Sendable (JournalRecord) -> Contact? = { record in
        switch Dialect(rawValue: record.dialect) {
        case .sendme123: return SendMe123Provider.contact(fromRecord: record.contact ?? .null)
        case .easify: return EasifyProvider.contact(fromRecord: record.contact ?? .null)
        case nil: return nil
        }
    }

    /// Says every journal write that failed in this run; true when there was one (the command
    /// then ends non-zero).
    static func reportFailures(_ journal: Journal?) -> Bool {
        guard let journal else { return false }
        if journal.unwrittenCount > 0 { try? journal.flush() }
        let failures = journal.writeFailures
        guard !failures.isEmpty else { return false }
        let left = journal.unwrittenCount
        Console.note(
            "the journal failed \(failures.count) write\(failures.count == 1 ? "" : "s") in this run (\(failures.last!))"
                + (left > 0 ? "; \(left) outcome\(left == 1 ? " is" : "s are") not recorded and will be settled on the next start" : ""))
        return true
    }
}
