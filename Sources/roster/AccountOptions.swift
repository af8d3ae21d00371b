import ArgumentParser
import Foundation
import RosterCore
import RosterEngine
import RosterProviders

/// The options that pick an account, shared by the UI and every headless command.
struct AccountOptions: ParsableArguments {
    @Option(help: "A profile from $XDG_CONFIG_HOME/roster/config.toml.", completion: Completions.profiles)
    var profile: String?

    @Option(help: "The API dialect: sendme123 or easify.")
    var dialect: Dialect?

    @Option(name: .customLong("base-url"), help: "The API's base URL (default: the service's public URL).")
    var baseURL: String?

    @Option(name: .customLong("page-size"), help: "Contacts asked for per list request (default 1000; a server that serves fewer is followed).")
    var pageSize: Int?

    @Option(name: .customLong("rate-limit"), help: "The API's quota as N/SECONDS until its headers say, or unknown to learn it (Easify default 60/60).")
    var rateLimit: String?

    @Option(help: "Seconds to wait for an answer before giving up on a request (default 30).")
    var timeout: Double?

    @Option(help: "Easify only: the list's order, desc (newest first, the API's default) or asc.")
    var order: String?

    @Option(name: .customLong("max-wait"), help: "Longest wait for the API's rate limit before giving up, in seconds (default 3600; 1 to 86400).")
    var maxWait: Double?

    @Flag(name: .customLong("allow-http"), help: "Talk to a host other than this machine over plain http://, the key in clear (refused otherwise).")
    var allowHTTP = false

    func validate() throws {
        if let pageSize, pageSize < 1 { throw ValidationError("--page-size must be at least 1") }
        if let rateLimit, rateLimit != "unknown", RateQuota(rateLimit) == nil {
            throw ValidationError("--rate-limit must look like 60/60 (requests/seconds) or be unknown")
        }
        if let timeout, !(1...3600).contains(timeout) {
            throw ValidationError("--timeout must be from 1 to 3600 seconds")
        }
        if let order, !["asc", "desc"].contains(order) { throw ValidationError("--order must be asc or desc") }
        if let maxWait, !(1...86_400).contains(maxWait) { throw ValidationError("--max-wait must be from 1 to 86400 seconds") }
    }

    /// Resolves the account: profile first, then the command line over it. The key comes only
    /// from the environment or a file, never from the command line.
    func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> ResolvedAccount {
        var profileValue: Profile?
        if let profile { profileValue = try ProfileConfig.profile(named: profile, environment: environment) }
        guard let dialect = dialect ?? profileValue?.dialect else {
            throw ConfigError("say which API: --dialect sendme123|easify with --base-url, or --profile NAME (see roster --help)")
        }
        let given = baseURL ?? profileValue?.baseURL ?? dialect.defaultBaseURL
        guard var parts = URLComponents(string: given), let scheme = parts.scheme?.lowercased(), ["http", "https"].contains(scheme),
              let host = parts.host, !host.isEmpty else {
            throw ConfigError("'\(HTTPTransport.scrubbed(given))' is not an http(s) URL")
        }
        var notes: [String] = []
        // A user and password in the URL are never needed (the key authenticates) and would be
        // shown and journalled with it: they are dropped, and said so.
        if parts.user != nil || parts.password != nil {
            parts.user = nil
            parts.password = nil
            notes.append("the base URL's user and password are not used (the API key authenticates): Roster dropped them and never shows or journals them")
        }
        let baseURL = parts.string ?? given
        let cleartext = scheme == "http" && !Self.isLoopback(host)
        if cleartext {
            guard allowHTTP || profileValue?.allowHTTP == true else {
                throw ConfigError(
                    "\(baseURL) is plain http:// to another machine: the API key would cross the network in clear. Use https://, or --allow-http (allow_http = true in a profile) if you must")
            }
            notes.append("the API key goes to \(host) in clear over http:// (allowed by --allow-http / allow_http)")
        }
        let key: String
        let keySource: String
        if let file = profileValue?.keyFile {
            let path = NSString(string: file).expandingTildeInPath
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ConfigError("the key file \(path) of profile '\(profile ?? "")' cannot be read")
            }
            key = text.split(whereSeparator: \.isNewline).first.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
            keySource = "key file \(path)"
        } else {
            let variable = profileValue?.keyEnvironmentVariable ?? "ROSTER_API_KEY"
            key = environment[variable] ?? ""
            keySource = "environment variable \(variable)"
        }
        guard !key.isEmpty else {
            throw ConfigError("no API key: the \(keySource) is empty or missing")
        }
        let listOrder = order ?? profileValue?.order
        if listOrder != nil, dialect != .easify {
            throw ConfigError("the list order (--order, or a profile's order) is Easify's; \(dialect.displayName) lists in its own order")
        }
        let size = pageSize ?? profileValue?.pageSize ?? 1000
        var quota = dialect.documentedQuota
        if let text = rateLimit ?? profileValue?.rateLimit {
            if text == "unknown" {
                quota = nil
            } else if let parsed = RateQuota(text) {
                quota = parsed
            } else {
                throw ConfigError("rate limit '\(text)' must look like 60/60 (requests/seconds) or be unknown")
            }
        }
        let waitLimit = maxWait ?? profileValue?.maxWait ?? ResolvedAccount.defaultMaxWait
        var info = AccountInfo(profile: profile ?? Self.commandLineProfile, dialect: dialect, baseURL: baseURL, isDemo: false, keySource: keySource)
        info.sendsKeyInClear = cleartext
        return ResolvedAccount(
            info: info, notes: notes, maxWait: waitLimit,
            key: key, keySource: keySource, pageSize: size, quota: quota,
            timeoutSeconds: timeout ?? profileValue?.timeout ?? ResolvedAccount.defaultTimeout, listOrder: listOrder ?? "desc",
            restoreGroupID: profileValue?.restoreGroupID, deactivateFields: profileValue?.deactivateFields ?? [:],
            undoSeconds: profileValue?.undoSeconds, theme: profileValue?.theme, readOnly: profileValue?.readOnly ?? false,
            duplicates: DuplicateOptions(ignoresEmailPlusTags: profileValue?.ignoreEmailPlusTags ?? false),
            planMaxAge: profileValue?.planMaxAge ?? ResolvedAccount.defaultPlanMaxAge, approveOver: profileValue?.approveOver,
            requireSignedApproval: profileValue?.requireSignedApproval ?? false,
            allowedSigners: profileValue?.allowedSigners ?? PlanSigning.defaultAllowedSigners,
            journalURL: profileValue?.journalURL, journalPasswordFile: profileValue?.journalPasswordFile)
    }
}

extension Dialect: ExpressibleByArgument {}

extension AccountOptions {
    /// How an account named on the command line, without a profile, is called in plans and the journal.
    static let commandLineProfile = "command line"

    /// The options with the plan's profile, where the command line names no account: `roster
    /// apply cleanup.plan` runs as `roster plan` printed it. Only the profile's name is taken
    /// from the plan; its dialect, URL and key come from this user's config.toml, and the plan
    /// is refused when they differ from the plan's (a checksum is no signature: the key never
    /// goes to a URL only a plan names). A plan made without a profile names the command in full.
    func naming(_ plan: Plan, file: String, for command: String = "apply") -> AccountOptions {
        guard profile == nil, dialect == nil, baseURL == nil else { return self }
        guard plan.profile != Self.commandLineProfile else {
            fail("say which API: this plan was made without a profile; run it as \(plan.command(command, file))", code: 2)
        }
        var options = self
        options.profile = plan.profile
        return options
    }

    /// The options that name this account again, for a command Roster prints for the user to
    /// run next: the profile, or the dialect and URL it was given (never the key).
    static func naming(_ account: AccountInfo) -> String {
        guard account.profile == commandLineProfile else { return "--profile \(shellWord(account.profile))" }
        var words = "--dialect \(account.dialect.rawValue) --base-url \(shellWord(account.baseURL))"
        if account.sendsKeyInClear { words += " --allow-http" }
        return words
    }

    /// This machine: where plain http:// carries the key nowhere.
    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
    }
}

/// An account ready to talk to.
struct ResolvedAccount {
    var info: AccountInfo
    /// What resolving it found worth saying (a dropped password, the key in clear).
    var notes: [String] = []
    /// The longest wait for the rate limit a request accepts (`--max-wait`, a profile's
    /// `max_wait`), apart from `timeoutSeconds`, which bounds one answer.
    var maxWait = ResolvedAccount.defaultMaxWait
    static let defaultMaxWait: Double = 3600
    var key: String
    /// Where the key came from, for messages (never the key itself).
    var keySource: String
    var pageSize: Int
    /// The quota assumed until the server's headers say otherwise.
    var quota: RateQuota?
    /// Seconds a request may go unanswered before it is given up.
    var timeoutSeconds: Double
    static let defaultTimeout: Double = 30
    /// Easify's list order: desc (newest first) or asc.
    var listOrder = "desc"
    /// Easify: where a restored contact goes when its own group is not found.
    var restoreGroupID: Int?
    /// What "deactivate" sets through an update call, where the dialect has no deactivate.
    var deactivateFields: [String: String] = [:]
    /// The profile's undo window, if it sets one.
    var undoSeconds: Double?
    /// The profile's theme and read-only setting.
    var theme: String?
    var readOnly = false
    /// How duplicates are told apart (the profile's `ignore_email_plus_tags`).
    var duplicates = DuplicateOptions()
    /// Plans older than this are refused (the profile's `plan_max_age`, else a day).
    var planMaxAge = ResolvedAccount.defaultPlanMaxAge
    static let defaultPlanMaxAge: Double = 86_400
    /// Plans acting on more contacts than this need a second person's approval (`approve_over`).
    var approveOver: Int?
    /// `apply` needs the planner's and another approver's OpenSSH signatures, checked against
    /// `allowedSigners` (`require_signed_approval`, `allowed_signers`).
    var requireSignedApproval = false
    var allowedSigners = PlanSigning.defaultAllowedSigners
    /// The profile's team journal (`journal_url`) and its password file, if it names them.
    var journalURL: String?
    var journalPasswordFile: String?

    /// The provider for this account. A request that goes unanswered for a while is said as it
    /// waits: on standard error for the headless commands, unless the caller shows it itself.
    func makeProvider(
        priority: RequestPriority = .interactive,
        onWaiting: @escaping @Sendable (SlowRequest) -> Void = { Console.note($0.sentence) },
        onRateWait: Pacer.WaitNotice? = ResolvedAccount.sayRateWait,
        onHeadroom: @escaping @Sendable (Headroom) -> Void = { _ in }
    ) -> (provider: any ContactProvider, pacer: Pacer) {
        ProviderFactory.make(
            dialect: info.dialect, baseURL: info.baseURL, key: key, pageSize: pageSize, quota: quota,
            deactivateFields: deactivateFields, listOrder: listOrder, restoreGroupID: restoreGroupID, timeoutSeconds: timeoutSeconds,
            priority: priority, maxWait: maxWait, onRateWait: onRateWait,
            onWaiting: onWaiting, onHeadroom: onHeadroom)
    }

    /// A headless command says on standard error what it waits for, and how long.
    static let sayRateWait: Pacer.WaitNotice = { seconds, serverAsked in
        let whole = Int(seconds.rounded(.up))
        let time = whole < 120 ? "\(whole) s" : "\(whole / 60) m \(whole % 60) s"
        Console.note("waiting \(time) for the API's rate limit (\(serverAsked ? "the server asked to wait" : "this window's quota is spent"))")
    }
}

/// A rate limit as N requests per window of seconds, e.g. `60/60`.
struct RateQuota: Equatable {
    var limit: Int
    var window: Double
    /// A dialect's documented figure rather than the user's: a server that reports another
    /// limit has its own window, which Roster then learns.
    var isDocumentedDefault = false

    init(limit: Int, window: Double, isDocumentedDefault: Bool = false) {
        self.limit = limit
        self.window = window
        self.isDocumentedDefault = isDocumentedDefault
    }

    init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let limit = Int(parts[0]), let window = Double(parts[1]), limit >= 1, window > 0, window <= 86_400 else {
            return nil
        }
        self.init(limit: limit, window: window)
    }
}

extension Dialect {
    /// Easify documents 60 requests a minute; SendMe123 documents no figure.
    var documentedQuota: RateQuota? {
        self == .easify ? RateQuota(limit: 60, window: 60, isDocumentedDefault: true) : nil
    }
}
