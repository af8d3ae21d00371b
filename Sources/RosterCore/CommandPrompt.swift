import Foundation

/// A command of the `:` prompt.
public enum PromptCommand: Sendable, Equatable {
    /// A new session on that profile's account (asks first: marks and the loaded list go).
    case profile(String)
    case sort(SortOrder, descending: Bool)
    /// Another theme for this session.
    case theme(String)
    /// The list filtered by a query or `@saved` filter, as `/` does.
    case filter(String)
    /// The marked (or shown) contacts written as CSV, as `e` does.
    case export(String)
    /// The commands, in a panel.
    case help

    /// Each command, how it is written and what it does: `?` and `:help` list these.
    public static let usage: [(name: String, form: String, does: String)] = [
        ("profile", "profile NAME", "a new session on that profile's account, its theme and limits (asks first)"),
        ("sort", "sort FIELD [desc]", "sort by name, phone, email or server; desc runs Z to A"),
        ("theme", "theme NAME", "another theme for this session (roster themes lists them)"),
        ("filter", "filter @saved|QUERY", "filter the list, as / does"),
        ("export", "export FILE", "write the marked (or shown) contacts as CSV, as e does"),
        ("help", "help", "these commands"),
    ]

    /// Reads a command line: its first word names the command (a unique prefix will do), the
    /// rest is its argument.
    public static func parse(_ text: String) -> Result<PromptCommand, PromptCommandError> {
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = words.first?.lowercased() else { return .failure(PromptCommandError("type a command: \(names)")) }
        if first == "?" { return .success(.help) }
        let matching = usage.map(\.name).filter { $0.hasPrefix(first) }
        guard matching.count == 1, let name = matching.first else {
            return .failure(PromptCommandError(matching.isEmpty
                ? "no command “\(first)”: \(names)" : "“\(first)” could be \(matching.joined(separator: " or "))"))
        }
        let argument = text.trimmingCharacters(in: .whitespaces).dropFirst(words[0].count).trimmingCharacters(in: .whitespaces)
        func needing(_ what: String, _ make: (String) -> PromptCommand) -> Result<PromptCommand, PromptCommandError> {
            argument.isEmpty ? .failure(PromptCommandError(":\(name) needs \(what)")) : .success(make(argument))
        }
        switch name {
        case "profile": return needing("a profile's name (Tab lists them)") { .profile($0) }
        case "theme": return needing("a theme's name (Tab lists them)") { .theme($0) }
        case "filter": return needing("a query or @saved filter") { .filter($0) }
        case "export": return needing("a file name") { .export($0) }
        case "help": return .success(.help)
        default:
            let parts = argument.lowercased().split(separator: " ").map(String.init)
            guard let field = parts.first, let order = SortOrder.named(field) else {
                return .failure(PromptCommandError(":sort takes name, phone, email or server, then desc for Z to A"))
            }
            guard parts.count == 1 || (parts.count == 2 && ["desc", "asc"].contains(parts[1])) else {
                return .failure(PromptCommandError(":sort takes a field, then desc or asc: “\(argument)” is not that"))
            }
            return .success(.sort(order, descending: parts.count == 2 && parts[1] == "desc"))
        }
    }

    static var names: String { usage.map(\.name).joined(separator: ", ") }
}

public struct PromptCommandError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension SortOrder {
    /// The order a word names: `name`, `phone`, `email`, or `server` (also `none`).
    static func named(_ word: String) -> SortOrder? {
        if word == "none" { return .server }
        return allCases.first { $0.rawValue == word }
    }
}

// MARK: the prompt's keys

func editCommandPrompt(_ action: UserAction, in state: inout AppState) -> [Effect] {
    guard var prompt = state.commandPrompt else { return [] }
    if prompt.edit(action) {
        state.commandHistory.reset()
        state.commandPrompt = prompt
        return []
    }
    switch action {
    case .backspace, .dismiss, .cancel:
        state.commandHistory.reset()
        state.commandPrompt = nil
        return []
    case .recallOlder, .recallNewer:
        let recalled = action == .recallOlder ? state.commandHistory.older(than: prompt.typed) : state.commandHistory.newer()
        if let recalled {
            prompt.recall(recalled)
        } else if action == .recallOlder {
            prompt.hint = state.commandHistory.entries.isEmpty ? "no earlier command yet" : "the oldest command kept"
        }
    case .complete:
        completeCommand(&prompt, state: state)
    case .submit:
        switch PromptCommand.parse(prompt.typed) {
        case .failure(let error):
            prompt.hint = error.description
        case .success(let command):
            state.commandPrompt = nil
            state.commandHistory.add(prompt.typed)
            return run(command, in: &state)
        }
    default:
        return []
    }
    state.commandPrompt = prompt
    return []
}

/// Tab: the word before the cursor completed, as far as the candidates agree; the hint lists them.
private func completeCommand(_ prompt: inout PromptLine, state: AppState) {
    let characters = Array(prompt.typed)
    let before = String(characters.prefix(prompt.cursor))
    let after = String(characters.dropFirst(prompt.cursor))
    let words = before.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
    let word = words.last ?? ""
    let command = words.count > 1 ? PromptCommand.usage.map(\.name).first { $0.hasPrefix(words[0].lowercased()) && !words[0].isEmpty } : nil
    let choices: [String]
    switch (words.count, command) {
    case (1, _): choices = PromptCommand.usage.map(\.name)
    case (2, "profile"): choices = state.session.profileNames
    case (2, "theme"): choices = state.session.themeNames
    case (2, "sort"): choices = SortOrder.allCases.map(\.rawValue)
    case (2, "filter"): choices = state.savedFilters.keys.sorted().map { "@" + $0 }
    case (3, "sort"): choices = ["desc", "asc"]
    default: choices = []
    }
    let candidates = choices.filter { $0.lowercased().hasPrefix(word.lowercased()) }
    guard !candidates.isEmpty else {
        prompt.hint = word.isEmpty && choices.isEmpty ? "nothing to complete here" : "nothing to complete for “\(word)”"
        return
    }
    let common = sharedPrefix(of: candidates)
    let head = String(before.dropLast(word.count))
    let completed = head + (candidates.count == 1 ? candidates[0] + " " : common)
    prompt.typed = completed + after
    prompt.cursor = completed.count
    prompt.hint = candidates.count > 1 ? candidates.joined(separator: "  ") : nil
}

private func run(_ command: PromptCommand, in state: inout AppState) -> [Effect] {
    switch command {
    case .help:
        state.overlay = .info(InfoPanel(
            title: "Commands (:, Tab completes, Enter runs)",
            lines: PromptCommand.usage.map { ":" + $0.form.padding(toLength: 22, withPad: " ", startingAt: 0) + $0.does }, wraps: true,
            wrapIndent: 23, summary: "\(PromptCommand.usage.count) commands; a unique prefix will do (:so phone desc); ↑ recalls them"))
        return []
    case .sort(let order, let descending):
        return resort(order, descending: descending, in: &state)
    case .filter(let text):
        if let error = applyFilter(text, in: &state) {
            clearFilter(in: &state)
            state.message = .filterNotApplied(error)
            return []
        }
        state.message = .filtered(by: text, shown: state.rows.count)
        return state.queryHistory.add(text) ? prefetchIfNeeded(&state) + [.rememberQuery(text)] : prefetchIfNeeded(&state)
    case .export(let path):
        guard askExportPath(in: &state).isEmpty, state.exportPrompt != nil else { return [] }
        state.exportPrompt = PromptLine(path)
        return editExportPath(.submit, in: &state)
    case .theme(let name):
        return [.switchTheme(name)]
    case .profile(let name):
        if state.batch?.isActive == true || state.destructiveWorkUnderWay {
            state.message = .noSwitchWhileDeleting(name)
            return []
        }
        state.overlay = .confirmSwitch(profile: name)
        return []
    }
}

/// The answer to "open another profile?": `y` switches, any other key stays.
func answerSwitch(_ action: UserAction, profile: String, in state: inout AppState) -> [Effect] {
    state.overlay = .none
    guard action == .confirm else {
        state.message = .stayed(on: state.account.profile)
        return []
    }
    return [.switchProfile(profile)]
}
