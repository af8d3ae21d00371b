import Foundation
import Glibc
import RosterCore

/// A person who asked to be forgotten, as `roster erase` finds them: an email, a phone, or
/// both. Their phone is compared by its digits and their email folded (case, accents,
/// surrounding spaces), as duplicates are. With both given, a contact must match both (a
/// shared `info@` address must not erase someone else); `matchAny` takes either.
public struct ErasureRequest: Sendable, Equatable {
    public var email: String?
    public var phone: String?
    public var matchAny: Bool

    /// The folded email and the phone's digits; nil where not given.
    public let emailKey: String?
    public let phoneKey: String?

    public init(email: String?, phone: String?, matchAny: Bool = false) throws(ConfigError) {
        self.email = email
        self.phone = phone
        self.matchAny = matchAny
        emailKey = email.map { TextFolding.fold($0.trimmingCharacters(in: .whitespaces)) }.flatMap { $0.isEmpty ? nil : $0 }
        phoneKey = phone.map { $0.filter { $0.isASCII && $0.isNumber } }.flatMap { $0.isEmpty ? nil : $0 }
        guard emailKey != nil || phoneKey != nil else { throw ConfigError("name the person: --email, --phone, or both") }
        if let emailKey, !emailKey.contains("@") { throw ConfigError("--email '\(email ?? "")' is not an email address") }
        if let phoneKey, phoneKey.count < 7 {
            throw ConfigError("--phone '\(phone ?? "")' has \(phoneKey.count) digits: give the whole number, with its country code as the account keeps it")
        }
        if matchAny, emailKey == nil || phoneKey == nil { throw ConfigError("--any takes both --email and --phone (with one, it changes nothing)") }
    }

    /// Whether `contact` is this person. `ignoresEmailPlusTags`: `ana+news@x.com` is `ana@x.com`.
    public func matches(_ contact: Contact, ignoresEmailPlusTags: Bool = false) -> Bool {
        let byEmail = emailKey.map { Self.emailKey(contact.comparableEmail, ignoresPlusTags: ignoresEmailPlusTags) == Self.emailKey($0, ignoresPlusTags: ignoresEmailPlusTags) }
        let byPhone = phoneKey.map { contact.comparablePhone == $0 }
        if matchAny { return byEmail == true || byPhone == true }
        return (byEmail ?? true) && (byPhone ?? true)
    }

    /// What a record of this person in the journal must carry to be theirs: the keyed hashes
    /// of `phone`'s digits and `email` folded, both, or either with `matchAny`.
    public func identities(of contacts: [Contact]) -> [PersonIdentity] {
        var seen: [PersonIdentity] = []
        let asked = PersonIdentity(phone: phoneKey, email: emailKey, requiresBoth: !matchAny)
        for identity in [asked] + contacts.map({ PersonIdentity(phone: phoneKey == nil ? nil : $0.comparablePhone, email: emailKey == nil ? nil : $0.comparableEmail, requiresBoth: !matchAny) })
        where !seen.contains(identity) {
            seen.append(identity)
        }
        return seen
    }

    private static func emailKey(_ folded: String, ignoresPlusTags: Bool) -> String {
        guard ignoresPlusTags, let at = folded.firstIndex(of: "@"), let plus = folded[..<at].firstIndex(of: "+"), plus > folded.startIndex else {
            return folded
        }
        return String(folded[..<plus] + folded[at...])
    }
}

/// A person as the journal can recognise them without keeping who they are: the phone's
/// digits and the folded email (before hashing), and whether a record needs both.
public struct PersonIdentity: Sendable, Equatable {
    public var phone: String?
    public var email: String?
    public var requiresBoth: Bool

    public init(phone: String?, email: String?, requiresBoth: Bool) {
        self.phone = phone.flatMap { $0.isEmpty ? nil : $0 }
        self.email = email.flatMap { $0.isEmpty ? nil : $0 }
        self.requiresBoth = requiresBoth && phone != nil && email != nil
    }
}

extension PersonIdentity {
    /// Whether `contact` is this person.
    public func matches(_ contact: Contact) -> Bool {
        let byPhone = phone.map { $0 == contact.comparablePhone }
        let byEmail = email.map { $0 == contact.comparableEmail }
        if requiresBoth { return byPhone == true && byEmail == true }
        return byPhone == true || byEmail == true
    }
}

extension OldJournalFile {
    /// Removes from an imported old journal file (kept until the retention period passes)
    /// every entry whose contact is one of `people`: the intent's line and its outcome's.
    /// The file is rewritten beside and renamed over, 0600. How many lines went.
    public static func purge(
        _ path: String, people: [PersonIdentity], identify: (JournalRecord) -> Contact?
    ) throws(JournalError) -> Int {
        guard let data = FileManager.default.contents(atPath: path) else { return 0 }
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        var theirs: Set<String> = []
        for line in lines {
            guard let record = JournalRecord.decode(line: String(decoding: line, as: UTF8.self)), record.kind != .outcome,
                  let contact = identify(record), people.contains(where: { $0.matches(contact) })
            else { continue }
            theirs.insert(record.entry)
        }
        guard !theirs.isEmpty else { return 0 }
        var kept: [UInt8] = []
        var removed = 0
        for (index, line) in lines.enumerated() {
            if let record = JournalRecord.decode(line: String(decoding: line, as: UTF8.self)), theirs.contains(record.entry) {
                removed += 1
                continue
            }
            kept += line
            if index < lines.count - 1 { kept.append(UInt8(ascii: "\n")) }
        }
        let temporary = path + ".new"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(kept), attributes: [.posixPermissions: 0o600]),
              rename(temporary, path) == 0
        else {
            unlink(temporary)
            throw JournalError("the old journal \(path) cannot be rewritten without the person: \(String(cString: strerror(errno)))")
        }
        return removed
    }
}

/// What an erasure removed from the journal and the files beside it.
public struct ErasurePurge: Sendable, Equatable {
    /// Journal records whose copy of the person (the contact's record, a message naming
    /// them) was removed; each keeps the contact's id, the outcome, who and when, and the
    /// keyed hashes.
    public var journalRecords = 0
    /// Filter prompt queries that named them.
    public var historyEntries = 0
    /// Lines of an imported old journal file that held them.
    public var oldJournalLines = 0
    /// Plans shared in a team's journal that named them, withdrawn.
    public var sharedPlans = 0

    public init() {}
}
