import Foundation

/// A small deterministic random generator (SplitMix64), so a seed gives the same account on
/// every machine and every run.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var value = state
        value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
        value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
        return value ^ (value >> 31)
    }
}

/// One seeded contact, in terms both dialects can render.
struct SeedContact: Sendable {
    var uuid: String
    var numericID: Int
    var firstName: String
    var lastName: String
    var email: String
    var countryCode: String
    var phone: String
    var status: String
    var hasPendingMessages: Bool
    var shared: Bool
    var groupName: String
    var company: String
    var createdAt: SeedDate
    var additional = ["", "", ""]
    /// How the phone number is written: an import may have spaced or punctuated it.
    var phoneStyle = PhoneStyle.plain
}

/// The ways a seeded phone number is written (the digits are the same).
enum PhoneStyle: Sendable, Equatable {
    /// `3001000027`
    case plain
    /// `300 100 0027`
    case spaced
    /// `(300) 100-0027`
    case punctuated

    func written(_ digits: String) -> String {
        guard digits.count == 10 else { return digits }
        let area = digits.prefix(3)
        let exchange = digits.dropFirst(3).prefix(3)
        let line = digits.suffix(4)
        switch self {
        case .plain: return digits
        case .spaced: return "\(area) \(exchange) \(line)"
        case .punctuated: return "(\(area)) \(exchange)-\(line)"
        }
    }
}

struct SeedDate: Sendable {
    var year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int

    /// This moment, in UTC: when a contact is created.
    static func now() -> SeedDate {
        let parts = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
        return SeedDate(
            year: parts.year ?? 2026, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0,
            minute: parts.minute ?? 0, second: parts.second ?? 0)
    }

    /// ISO 8601, as SendMe123 writes its dates.
    var iso8601: String {
        "\(year)-\(pad(month))-\(pad(day))T\(pad(hour)):\(pad(minute)):\(pad(second)).000Z"
    }

    /// Easify's `MM-DD-YYYY hh:mm:ss AM/PM`.
    var easify: String {
        let twelveHour = hour % 12 == 0 ? 12 : hour % 12
        return "\(pad(month))-\(pad(day))-\(year) \(pad(twelveHour)):\(pad(minute)):\(pad(second)) \(hour < 12 ? "AM" : "PM")"
    }

    private func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

enum SeedData {
    /// Names a hostile or broken server could send: terminal escape sequences (clipboard,
    /// title, clear screen, cursor report, DCS), C0 and C1 controls, DEL, bidi overrides.
    static let hostileNames: [(first: String, last: String)] = [
        ("\u{1B}]52;c;cm0gLXJmIH4=\u{07}Clip", "Board"),
        ("\u{1B}]0;pwned\u{07}Title", "Setter"),
        ("\u{1B}[2J\u{1B}[HClear", "Screen"),
        ("\u{1B}[6nCursor", "Report"),
        ("\u{1B}P1$r\u{1B}\\DCS", "Payload"),
        ("\u{9B}31mC1", "\u{85}Control"),
        ("Bell\u{07}\u{08}\u{7F}", "Del"),
        ("\u{202E}evil\u{202C}", "Bidi\u{2066}x"),
    ]

    /// Puts the hostile names on the first contacts, and an escape into their emails too.
    static func makeHostile(_ contacts: inout [SeedContact]) {
        for (index, name) in hostileNames.enumerated() where index < contacts.count {
            contacts[index].firstName = name.first
            contacts[index].lastName = name.last
            contacts[index].email = "x\u{1B}[31m\(index)@example.com"
        }
    }

    static let firstNames = [
        "Ana María", "José", "Lucía", "Andrés", "Camila", "Sebastián", "Valentina", "Mateo",
        "Zoë", "François", "Søren", "Björn", "Małgorzata", "Dvořák", "Ngọc Trâm", "Thảo",
        "李娜", "王伟", "山田", "さくら", "김민준", "서연", "Дмитрий", "Анна", "Νίκος", "Ελένη",
        "محمد", "فاطمة", "אורי", "Priya", "Arjun", "Siobhán", "Łukasz", "Çağla", "Émile", "Noah",
        "Olivia", "Liam", "Emma", "Kwame", "Amara", "Tomás", "Inês", "João", "Renée", "Jürgen",
    ]
    static let lastNames = [
        "Pérez", "García", "Rodríguez", "Martínez", "Gómez", "López", "Hernández", "Díaz",
        "Müller", "Schröder", "Øvergaard", "Nowak", "Kowalczyk", "Nguyễn", "Trần", "张", "陈",
        "太郎", "佐藤", "이", "박", "Иванов", "Смирнова", "Παπαδόπουλος", "الهاشمي", "כהן",
        "Sharma", "Ó Briain", "Yılmaz", "Dubois", "Smith", "Johnson", "Okafor", "Mensah",
        "Silva", "Santos", "Fernández", "Castaño", "Núñez", "Ibáñez",
    ]
    static let countryCodes = ["57", "57", "57", "52", "1", "34", "49", "44", "81", "82", "33"]
    static let groups = ["Customers", "Leads", "Suppliers", "Newsletter", "VIP", "Staff"]
    /// Easify's group id (1-based) of the main user's shared group: its contacts are shared.
    static let sharedGroupID = 6
    static let companies = ["Acme S.A.S.", "Globex", "Initech", "Umbrella Ltda.", "Hooli", "Vandelay", "Soylent", ""]
    static let emailDomains = ["example.com", "example.org", "mail.example.net", "correo.example.co"]

    /// Easify ids count up from here.
    static let firstNumericID = 2_812_000

    static func contacts(count: Int, seed: UInt64) -> [SeedContact] {
        var random = SeededGenerator(seed: seed)
        var result: [SeedContact] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            let first = firstNames.randomElement(using: &random)!
            let last = lastNames.randomElement(using: &random)!
            let roll = Int.random(in: 0..<100, using: &random)
            let status = roll < 10 ? "INACTIVE" : (roll < 13 ? "BLOCKED" : "ACTIVE")
            let pending = Int.random(in: 0..<100, using: &random) < 8
            let shared = Int.random(in: 0..<100, using: &random) < 20
            let countryCode = countryCodes.randomElement(using: &random)!
            let phone = "3" + String(format9(Int.random(in: 0..<1_000_000_000, using: &random)))
            let mailbox = "contact\(index + 1)"
            let domain = emailDomains.randomElement(using: &random)!
            let created = SeedDate(
                year: 2023 + Int.random(in: 0...2, using: &random),
                month: Int.random(in: 1...12, using: &random),
                day: Int.random(in: 1...28, using: &random),
                hour: Int.random(in: 0...23, using: &random),
                minute: Int.random(in: 0...59, using: &random),
                second: Int.random(in: 0...59, using: &random))
            result.append(SeedContact(
                uuid: uuid(using: &random),
                numericID: firstNumericID + index + 1,
                firstName: first,
                lastName: last,
                email: "\(mailbox)@\(domain)",
                countryCode: countryCode,
                phone: phone,
                status: status,
                hasPendingMessages: pending,
                shared: shared,
                groupName: groups.randomElement(using: &random)!,
                company: companies.randomElement(using: &random)!,
                createdAt: created))
        }
        addCleanupCases(&result, seed: seed)
        return result
    }

    /// What a cleanup finds on a real account, drawn apart from the rest so the other
    /// contacts stay as they were: people imported twice (the phone written another way,
    /// the email in other case, or both; the copy less complete and often newer), and
    /// contacts without an email.
    static func addCleanupCases(_ contacts: inout [SeedContact], seed: UInt64) {
        var random = SeededGenerator(seed: seed &+ 0xD0B1E)
        var involved = Set<Int>()
        for index in contacts.indices.dropFirst(20) where Int.random(in: 0..<100, using: &random) < 4 {
            let original = Int.random(in: 0..<(index - 10), using: &random)
            guard !involved.contains(index), !involved.contains(original) else { continue }
            involved.formUnion([index, original])
            let source = contacts[original]
            var copy = contacts[index]
            copy.firstName = source.firstName
            copy.lastName = source.lastName
            copy.company = ""
            copy.additional = ["", "", ""]
            switch Int.random(in: 0..<3, using: &random) {
            case 0:
                copy.countryCode = source.countryCode
                copy.phone = source.phone
                copy.phoneStyle = Bool.random(using: &random) ? .spaced : .punctuated
            case 1:
                copy.email = mixedCase(source.email, using: &random)
            default:
                copy.countryCode = source.countryCode
                copy.phone = source.phone
                copy.phoneStyle = .spaced
                copy.email = " " + source.email.uppercased()
            }
            contacts[index] = copy
        }
        // Stale contacts (inactive, blocked) lack an email more often.
        for index in contacts.indices where !involved.contains(index) {
            let chance = contacts[index].status == "ACTIVE" ? 6 : 35
            if Int.random(in: 0..<100, using: &random) < chance { contacts[index].email = "" }
        }
    }

    /// The address with some letters upper-cased, as a second import may have typed it.
    private static func mixedCase(_ email: String, using random: inout SeededGenerator) -> String {
        let mixed = String(email.enumerated().map { offset, character in
            offset == 0 || Int.random(in: 0..<4, using: &random) == 0 ? Character(character.uppercased()) : character
        })
        return mixed == email ? email.uppercased() : mixed
    }

    private static func format9(_ value: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: 9 - digits.count) + digits
    }

    /// A version-4 UUID drawn from the seeded generator.
    static func uuid(using random: inout SeededGenerator) -> String {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }
        return [hex[0..<4], hex[4..<6], hex[6..<8], hex[8..<10], hex[10..<16]].map { $0.joined() }.joined(separator: "-")
    }
}
