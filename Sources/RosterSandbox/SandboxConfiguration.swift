import Foundation

/// How a sandbox behaves: which dialect it speaks, its data, its key and its limits.
public struct SandboxConfiguration: Sendable {
    public enum Dialect: String, Sendable, CaseIterable {
        case sendme123
        case easify
    }

    /// Which rate-limit headers responses carry.
    public enum RateHeaderStyle: String, Sendable, CaseIterable {
        /// `X-RateLimit-Limit/Remaining`, plus `Retry-After` and `X-RateLimit-Reset` on 429.
        case laravel
        /// The IETF draft's `RateLimit-Limit/Remaining/Reset`, plus `Retry-After` on 429.
        case ietf
        /// No rate-limit figures at all; a 429 still carries HTTP's own Retry-After.
        case none
        /// `X-RateLimit-Limit/Remaining/Reset` on every answer, the reset a Unix time in whole
        /// seconds (rounded up), and windows that open with their first request, as a
        /// cache-based throttle counts (Laravel's own): where a window ends is known only to
        /// the second.
        case epoch

        /// Whether a window opens with its first request rather than on the clock's multiples.
        public var windowsOpenOnFirstRequest: Bool { self == .epoch }
    }

    /// Easify account states that refuse every call, reachable by using their key.
    public enum AccountRestriction: Sendable {
        case subscriptionEnded
        case notEnterprise
    }

    /// Fault injection for tests: fractions of API requests that fail in each way.
    public struct Faults: Sendable, Equatable {
        /// Answered 500 without being carried out.
        public var serverErrors = 0.0
        /// Answered by a proxy's HTML 502 page without being carried out.
        public var malformed = 0.0
        /// Carried out, then the connection is closed without an answer.
        public var drops = 0.0
        /// Answered `307` to the same path on another listener of the sandbox's, which records
        /// every key it is sent (a proxy pointing elsewhere): not carried out.
        public var redirects = 0.0
        /// A contact's request answered `307` to another contact's path on the same server:
        /// not carried out.
        public var redirectsToContact = 0.0
        /// Carried out, with absurd rate-limit figures (a reset at 1e300, a limit past Int).
        public var absurdFigures = 0.0
        /// Carried out, its answer's body sent a byte a second (headers at once).
        public var trickles = 0.0
        /// Carried out, its answer cut off halfway through the body (the connection closed
        /// short of the length its headers gave).
        public var truncations = 0.0
        /// A list request answered with its first contact's id made an object (`{"$oid": …}`),
        /// a record no client can act on.
        public var badIDs = 0.0
        /// A list request answered with the first page, whatever page was asked, and a page
        /// count without end (`totalPages: 99999999999`).
        public var endlessPages = 0.0
        /// Up to this many seconds of added latency on every request.
        public var latency = 0.0

        /// The longest latency accepted: a fault that never ends tests nothing.
        public static let longestLatency = 3600.0

        public init() {}

        /// Parses `500=0.1,malformed=0.05,drop=0.02,redirect=0.1,redirect-contact=0.1,absurd=0.1,trickle=0.1,truncate=0.1,bad-id=0.1,endless=0.1,latency=0.2`.
        public init?(_ text: String) {
            for part in text.split(separator: ",") {
                let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, let value = Double(pair[1]), value.isFinite, value >= 0 else { return nil }
                switch pair[0] {
                case "500": serverErrors = value
                case "malformed": malformed = value
                case "drop": drops = value
                case "redirect": redirects = value
                case "redirect-contact": redirectsToContact = value
                case "absurd": absurdFigures = value
                case "trickle": trickles = value
                case "truncate": truncations = value
                case "bad-id": badIDs = value
                case "endless": endlessPages = value
                case "latency":
                    guard value <= Self.longestLatency else { return nil }
                    latency = value
                default: return nil
                }
            }
            let shares = [serverErrors, malformed, drops, redirects, redirectsToContact, absurdFigures, trickles, truncations, badIDs, endlessPages]
            guard shares.reduce(0, +) <= 1 else { return nil }
        }

        public var isEmpty: Bool { self == Faults() }
    }

    public var dialect: Dialect
    public var host: String
    /// 0 picks a free port.
    public var port: Int
    public var contactCount: Int
    public var seed: UInt64
    public var apiKey: String
    public var rateLimit: Int
    /// Creations allowed per window, counted apart from the rest (Easify documents 15 a minute
    /// against 60); a quarter of `rateLimit` unless set.
    public var createRateLimit: Int
    public var rateWindowSeconds: Double
    public var rateHeaders: RateHeaderStyle
    public var maxPageSize: Int
    /// Extra keys that authenticate but whose account refuses to work (Easify's 402 and 403).
    public var restrictedKeys: [String: AccountRestriction]
    public var faults: Faults
    /// The first contacts get names and emails full of escape codes, controls and bidi
    /// overrides, to show a client keeps them off the terminal.
    public var hostileNames: Bool
    /// Creating a contact with a phone another contact has is refused (409 on SendMe123,
    /// Laravel's 422 on Easify), as some services do.
    public var uniquePhones = false

    public static let demoKey = "roster-demo-key"

    public init(
        dialect: Dialect,
        host: String = "127.0.0.1",
        port: Int = 0,
        contactCount: Int = 300,
        seed: UInt64 = 1,
        apiKey: String = SandboxConfiguration.demoKey,
        rateLimit: Int = 60,
        createRateLimit: Int? = nil,
        rateWindowSeconds: Double = 60,
        rateHeaders: RateHeaderStyle? = nil,
        maxPageSize: Int = 100,
        restrictedKeys: [String: AccountRestriction] = [
            "expired-subscription-key": .subscriptionEnded,
            "basic-plan-key": .notEnterprise,
        ],
        faults: Faults = Faults(),
        hostileNames: Bool = false
    ) {
        self.hostileNames = hostileNames
        self.dialect = dialect
        self.host = host
        self.port = port
        self.contactCount = contactCount
        self.seed = seed
        self.apiKey = apiKey
        self.rateLimit = rateLimit
        self.createRateLimit = createRateLimit ?? max(1, rateLimit / 4)
        self.rateWindowSeconds = rateWindowSeconds
        self.rateHeaders = rateHeaders ?? (dialect == .easify ? .laravel : .ietf)
        self.maxPageSize = maxPageSize
        self.restrictedKeys = restrictedKeys
        self.faults = faults
    }
}
