import ArgumentParser
import Foundation
import Glibc
import RosterCore
import RosterEngine
import RosterSandbox
import RosterTUI

@main
struct RosterCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roster",
        abstract: "Browse, look up and delete contacts on SendMe123 and Easify accounts, safely.",
        discussion: """
            Without a subcommand, opens the full-screen UI (roster ui). The API key is read from \
            the environment (ROSTER_API_KEY, or the variable or file a profile names), never from \
            the command line. Try it on the built-in sandbox: roster --demo

            Shell completion, with your profiles, saved filters and themes: \
            roster --generate-completion-script bash (or zsh, fish); see docs/headless.md.
            """,
        version: rosterVersion,
        subcommands: [
            InterfaceCommand.self, ListCommand.self, GetCommand.self, DeleteCommand.self, DuplicatesCommand.self, PlanCommand.self,
            ShowPlanCommand.self, ApproveCommand.self, ApplyCommand.self, RestoreCommand.self, JournalCommand.self,
            EraseCommand.self, ThemesCommand.self, SandboxCommand.self,
        ],
        defaultSubcommand: InterfaceCommand.self)

    /// As ArgumentParser's own, except that a usage error exits 2, as every other usage or
    /// configuration problem does (the README's promise), not 64.
    static func main() async {
        Memory.returnLargeBlocksWhenFreed()
        do {
            var command = try await asyncParseAsRoot(nil)
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            if exitCode(for: error) == .validationFailure {
                Console.err(fullMessage(for: error) + "\n")
                Glibc.exit(2)
            }
            exit(withError: error)
        }
    }
}

/// `roster --version`.
let rosterVersion = "0.9.0"

struct InterfaceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui", abstract: "Open the full-screen UI (the default when no subcommand is given).")

    @OptionGroup var account: AccountOptions

    @Flag(help: "Start the built-in sandbox on loopback and open the UI against it.")
    var demo = false

    @Option(help: "Contacts the demo sandbox seeds.")
    var demoContacts = 300

    @Option(help: "Seed of the demo sandbox's data.")
    var demoSeed: UInt64 = 1

    mutating func validate() throws {
        if demo, account.profile != nil || account.baseURL != nil {
            throw ValidationError("--demo runs against its own sandbox: leave out --profile and --base-url")
        }
        guard demoContacts >= 0 else { throw ValidationError("--demo-contacts cannot be negative") }
        if demo, account.order != nil, account.dialect != .easify {
            throw ValidationError("--order is Easify's list order: use it with --dialect easify")
        }
        if let undoSeconds, !(0...600).contains(undoSeconds) {
            throw ValidationError("--undo-seconds must be from 0 to 600")
        }
        if demo, plan != nil {
            throw ValidationError("a plan is for the account it was made on, and --demo starts a new sandbox: use --dialect and --base-url")
        }
        if plan != nil, selectFrom != nil || selection.isGiven {
            throw ValidationError("--plan marks the plan's contacts itself: leave out --select-from, --where and --filter")
        }
        if readOnly, selectFrom != nil {
            throw ValidationError("--select-from marks contacts to delete, which --read-only forbids; use one or the other")
        }
    }

    @Option(help: "A theme name (roster themes lists them) or a .toml path; also ROSTER_THEME or a profile's theme.", completion: Completions.themes)
    var theme: String?

    @Flag(name: .customLong("no-color"), help: "No colours: the monochrome theme, only bold, dim, reverse and underline (also NO_COLOR).")
    var noColor = false

    @Flag(help: "ASCII only for borders, markers and names (automatic when the locale is not UTF-8).")
    var ascii = false

    @Flag(name: .customLong("no-mouse"), help: "Leave the mouse to the terminal (also mouse = false in config.toml): no clicks or wheel in Roster.")
    var noMouse = false

    @Flag(name: .customLong("read-only"), help: "Browse and look up only: every key that deletes, deactivates or marks is hidden and disabled.")
    var readOnly = false

    @Flag(name: .customLong("dry-run"), help: "Everything but the DELETE and PATCH requests: look-ups happen, nothing is deleted.")
    var dryRun = false

    @Option(name: .customLong("undo-seconds"), help: "Seconds a confirmed deletion waits, undoable with u, before anything is sent (default 5; 0: none).")
    var undoSeconds: Double?

    @Option(name: .customLong("select-from"), help: "A file of ids, phone numbers or emails, one per line: opens with those contacts marked.")
    var selectFrom: String?

    @OptionGroup var selection: QueryOptions

    @Option(name: .customLong("plan"), help: "A plan file (roster plan): opens read-only with its contacts marked, to review it.")
    var plan: String?

    /// How this session deletes: the undo window, dry run, and the lines to mark.
    private func deletionOptions(profileUndo: Double?, profileReadOnly: Bool) -> DeletionOptions {
        let undo = undoSeconds ?? profileUndo ?? 5
        var selection: PendingSelection?
        if let selectFrom {
            let text: String?
            if selectFrom == "-" {
                fail("--select-from needs a file: standard input is the terminal here", code: 2)
            } else {
                text = try? String(contentsOfFile: selectFrom, encoding: .utf8)
            }
            guard let text else { fail("cannot read --select-from file \(selectFrom)", code: 2) }
            selection = PendingSelection(
                source: (selectFrom as NSString).lastPathComponent, lines: text.components(separatedBy: .newlines))
            if selection?.unmatched.isEmpty == true { fail("\(selectFrom) has no ids, phone numbers or emails", code: 2) }
        }
        if profileReadOnly, selection != nil {
            fail("this profile is read-only (read_only = true), so --select-from cannot mark contacts to delete", code: 2)
        }
        return DeletionOptions(
            undoSeconds: undo, isDryRun: dryRun, isReadOnly: readOnly || profileReadOnly, selection: selection,
            filter: self.selection.text)
    }

    /// The theme and colour choice, and a sentence if the theme could not be used.
    /// A session opened with `:profile` takes that profile's theme before --theme and ROSTER_THEME.
    private func appearance(profileTheme: String?, switched: Bool = false) -> Appearance {
        let environment = ProcessInfo.processInfo.environment
        let (chosen, problem) = ThemeLoader.load(
            switched && profileTheme != nil ? profileTheme : theme ?? environment["ROSTER_THEME"] ?? profileTheme,
            themesDirectory: ProfileConfig.configDirectory(environment: environment) + "/themes")
        var problems = problem.map { [$0] } ?? []
        var mouse = !noMouse
        var cursor = CursorStyle.arrow
        do {
            let settings = try ProfileConfig.interface(environment: environment)
            if settings.mouse == false { mouse = false }
            cursor = settings.cursor ?? .arrow
        } catch {
            problems.append(error.description)
        }
        return Appearance(
            theme: chosen, useColor: !noColor && environment["NO_COLOR"] == nil, asciiOnly: ascii || !Self.localeIsUTF8(),
            mouse: mouse, cursor: cursor, problem: problems.isEmpty ? nil : problems.joined(separator: "; "))
    }

    /// Whether the terminal's locale can show UTF-8; without it Roster draws ASCII.
    static func localeIsUTF8() -> Bool {
        setlocale(LC_ALL, "")
        guard let codeset = nl_langinfo(nl_item(CODESET)) else { return false }
        let name = String(cString: codeset).uppercased()
        return name == "UTF-8" || name == "UTF8"
    }

    mutating func run() async throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            fail("the UI needs a terminal; for scripts use roster list, get or delete", code: 2)
        }
        if demo {
            let dialect = account.dialect ?? .sendme123
            let server: SandboxServer
            do {
                server = try await SandboxServer.start(SandboxConfiguration(
                    dialect: dialect == .easify ? .easify : .sendme123, contactCount: demoContacts, seed: demoSeed))
            } catch {
                fail("the demo sandbox could not start: \(error)", code: 1)
            }
            _ = selection.resolve(dialect: dialect, session: true)
            let resolved = ResolvedAccount(
                info: AccountInfo(profile: "demo", dialect: dialect, baseURL: server.baseURL, isDemo: true),
                key: SandboxConfiguration.demoKey, keySource: "the demo sandbox", pageSize: account.pageSize ?? 1000,
                quota: account.rateLimit.flatMap(RateQuota.init), timeoutSeconds: account.timeout ?? ResolvedAccount.defaultTimeout,
                listOrder: account.order ?? "desc")
            let next = await Self.runInterface(
                resolved, appearance: appearance(profileTheme: nil), options: deletionOptions(profileUndo: nil, profileReadOnly: false))
            await server.stop()
            await runSwitchedSessions(from: next)
            Self.exitIfSignalled()
        } else {
            let resolved: ResolvedAccount
            do {
                resolved = try account.resolve()
            } catch {
                fail(error.description, code: 2)
            }
            _ = selection.resolve(dialect: resolved.info.dialect, session: true)
            var options = deletionOptions(profileUndo: resolved.undoSeconds, profileReadOnly: resolved.readOnly)
            if let plan { options.review = Self.review(plan, account: resolved) }
            let next = await Self.runInterface(resolved, appearance: appearance(profileTheme: resolved.theme), options: options)
            await runSwitchedSessions(from: next)
            Self.exitIfSignalled()
        }
    }

    /// The plan to review: it must be this account's; its age and approval are said, not refused.
    static func review(_ path: String, account: ResolvedAccount) -> PlanReview {
        let reading = PlanFile.readOrExit(path)
        let plan = reading.plan
        let sameAccount = plan.refusal(for: account.info, now: plan.createdAt, maxAge: .infinity, approveOver: nil)
        if let sameAccount { fail("cannot review \(path): \(sameAccount)", code: 2) }
        var parts = ["PLAN by \(plan.planner) \(PlanFile.stamp(plan.createdAt)): \(plan.totals)"]
        if let tampering = reading.tampering {
            parts.append("NOT INTACT: \(tampering)")
        } else if let refusal = plan.refusal(for: account.info, now: Date(), maxAge: account.planMaxAge, approveOver: account.approveOver) {
            parts.append("apply would refuse it: \(refusal)")
        } else {
            parts.append(plan.approval.map { "approved by \($0.approver)" } ?? "not approved")
        }
        parts.append("review only")
        return PlanReview(banner: parts.joined(separator: " · "), ids: plan.actions.compactMap { $0.id.map(ContactID.init) })
    }

    /// A session ended by SIGINT, SIGTERM or SIGHUP exits as the shell expects: 128 + n.
    static func exitIfSignalled() {
        if terminatingSignal != 0 { Glibc.exit(128 + terminatingSignal) }
    }

    /// The UI runs on a thread of its own: ncurses and the state belong to it, and its poll()
    /// must never block Swift's cooperative pool.
    /// Returns the account `:profile` chose to open next, if it did.
    static func runInterface(
        _ account: ResolvedAccount, appearance: Appearance, options: DeletionOptions, commands: [String] = []
    ) async -> ProfileSwitch? {
        await withCheckedContinuation { (continuation: CheckedContinuation<ProfileSwitch?, Never>) in
            let thread = Thread {
                let session = InteractiveSession(account: account, appearance: appearance, options: options, commands: commands)
                continuation.resume(returning: session.run())
            }
            thread.name = "roster-ui"
            thread.start()
        }
    }

    /// Sessions opened with `:profile`, one after another: each on its profile's account, with
    /// its theme, limits and read-only setting; the first session's marks, filter, selection
    /// and plan are not carried over (the confirmation said so). The command line's --dry-run
    /// and --read-only hold for every session.
    private func runSwitchedSessions(from first: ProfileSwitch?) async {
        var next = first
        while let handOff = next {
            let account = handOff.account
            let options = DeletionOptions(
                undoSeconds: undoSeconds ?? account.undoSeconds ?? 5, isDryRun: dryRun, isReadOnly: readOnly || account.readOnly,
                selection: nil, filter: nil)
            next = await Self.runInterface(
                account, appearance: appearance(profileTheme: account.theme, switched: true), options: options, commands: handOff.commands)
        }
    }
}

/// A session ended for another on a profile (`:profile NAME`): its account, and the command
/// line's history, which the next session carries on.
struct ProfileSwitch {
    var account: ResolvedAccount
    var commands: [String]
}

/// How the UI deletes this session.
struct DeletionOptions: Sendable {
    var undoSeconds: Double
    var isDryRun: Bool
    /// `--read-only`: nothing destructive is offered or accepted.
    var isReadOnly: Bool
    var selection: PendingSelection?
    /// `--where` / `--filter`: the query the list opens with.
    var filter: String?
    /// `--plan`: the plan under review.
    var review: PlanReview?
}

/// A plan opened for review: what the banner says, and the contacts it acts on.
struct PlanReview: Sendable {
    var banner: String
    var ids: [ContactID]
}

/// How the UI looks this session.
struct Appearance: Sendable {
    var theme: Theme
    var useColor: Bool
    /// Borders, markers and names in ASCII (`LANG=C`, `--ascii`).
    var asciiOnly: Bool
    /// Clicks and the wheel reach Roster (not with `--no-mouse` or `mouse = false`).
    var mouse = true
    /// The list's cursor (`cursor = "bar"` for the whole row).
    var cursor = CursorStyle.arrow
    /// Why the chosen theme was not used, shown in the UI.
    var problem: String?
}

/// Prints a one-line error to standard error and exits with `code`.
func fail(_ message: String, code: Int32) -> Never {
    Console.note(message)
    exit(code)
}

/// glibc's allocator, told to give large blocks back to the system when they are freed.
enum Memory {
    /// By default glibc raises its mmap threshold each time a large block is freed, up to
    /// 32 MB, and serves later blocks below that from its heap, which keeps them resident
    /// after they are freed: the duplicates view's working arrays over a million contacts
    /// (tens of megabytes) stayed in the process's resident memory after it was drawn.
    /// A fixed threshold of 256 kB makes every larger block its own mapping, returned on free.
    static func returnLargeBlocksWhenFreed() {
        _ = mallopt(-3 /* M_MMAP_THRESHOLD */, 256 * 1024)
    }
}

@_silgen_name("mallopt")
private func mallopt(_ parameter: Int32, _ value: Int32) -> Int32
