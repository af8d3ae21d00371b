import Foundation
import RosterCore
import RosterEngine
import RosterProviders

/// The journal as the commands open it: the operator's own SQLite store, found unusable at
/// once (exit 1, the path and the operating system's reason) by a command that will write,
/// before any request leaves.
enum JournalAccess {
    /// Opens the journal of `account`; what the opening found worth saying (an old journal
    /// imported, a network filesystem) goes to standard error.
    static func openOrExit(_ account: AccountInfo, forWriting: Bool = true) -> Journal {
        do {
            let journal = try Journal.open(account: account, forWriting: forWriting, identify: identify)
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
