import Foundation

/// What a session is set up with, and keeps while it runs: the account, what its API allows,
/// and the choices of the command line, the profile and the theme. Built once by the
/// initialiser; `update` never changes it.
public struct SessionConfig: Sendable, Equatable {
    public var account: AccountInfo
    public var capabilities: ProviderCapabilities
    /// Seconds a confirmed deletion waits before anything is sent; 0 sends at once.
    public var undoDelay: TimeInterval
    /// `--dry-run`: everything happens except the DELETE and PATCH requests.
    public var isDryRun: Bool
    /// `--read-only` (or a plan under review): browsing and look-ups only; nothing
    /// destructive is accepted.
    public var isReadOnly: Bool
    /// Why the session is read-only when no one asked for it: the journal could not be opened
    /// (nothing may leave unjournalled). Set with `isReadOnly`.
    public var journalUnavailable: String?
    /// `--plan`: the plan under review, said in the banner.
    public var planBanner: String?
    /// The theme's word for this account (`PRODUCTION`), said in the header.
    public var accountLabel: String?
    /// How the list shows its cursor: a block at the row's start (the default, cheap over a
    /// slow link: moving it repaints two cells), or the whole row in reverse.
    public var cursorStyle: CursorStyle
    /// How the duplicates view tells contacts apart (a profile's `ignore_email_plus_tags`).
    public var duplicateOptions: DuplicateOptions
    /// Named queries from config.toml's `[filters]`, used as `@name`.
    public var savedFilters: [String: String]
    /// Names are found by their Latin transliteration too (`dmitrij` finds `Дмитрий`): a
    /// terminal without UTF-8 shows them so, and on any terminal it is what a person who
    /// cannot type the script types. On unless a caller (a test) asks otherwise.
    public var transliteratesNames: Bool
    /// The queries kept on this profile in earlier sessions, oldest first, for ↑ in the prompt.
    public var queryHistory: [String]
    /// The command line's commands from the session before a `:profile` switch.
    public var commandHistory: [String] = []
    /// What `:profile` and `:theme` complete: the profiles of config.toml, the themes there are.
    public var profileNames: [String] = []
    public var themeNames: [String] = []

    public init(
        account: AccountInfo, capabilities: ProviderCapabilities, undoDelay: TimeInterval = 5, isDryRun: Bool = false,
        isReadOnly: Bool = false, planBanner: String? = nil, accountLabel: String? = nil, cursorStyle: CursorStyle = .arrow,
        duplicateOptions: DuplicateOptions = DuplicateOptions(), savedFilters: [String: String] = [:], transliteratesNames: Bool = true,
        queryHistory: [String] = []
    ) {
        self.account = account
        self.capabilities = capabilities
        self.undoDelay = undoDelay
        self.isDryRun = isDryRun
        self.isReadOnly = isReadOnly || planBanner != nil
        self.planBanner = planBanner
        self.accountLabel = accountLabel
        self.cursorStyle = cursorStyle
        self.duplicateOptions = duplicateOptions
        self.savedFilters = savedFilters
        self.transliteratesNames = transliteratesNames
        self.queryHistory = queryHistory
    }
}
