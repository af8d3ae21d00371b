import ArgumentParser
import Foundation
import RosterEngine
import RosterTUI

/// Shell completion that knows the user's world: profile names and saved filters from
/// config.toml, and the themes (built in and in the themes folder). Run by the shell through
/// `roster --generate-completion-script bash|zsh|fish`; nothing here may fail loudly.
enum Completions {
    static let profiles = CompletionKind.custom { _, _, prefix in
        matching(ProfileConfig.profileNames(environment: ProcessInfo.processInfo.environment), prefix)
    }

    static let savedFilters = CompletionKind.custom { _, _, prefix in
        matching(((try? ProfileConfig.savedFilters(environment: ProcessInfo.processInfo.environment)) ?? [:]).keys.sorted(), prefix)
    }

    static let themes = CompletionKind.custom { _, _, prefix in
        let directory = ProfileConfig.configDirectory(environment: ProcessInfo.processInfo.environment) + "/themes"
        return matching(ThemeLoader.available(themesDirectory: directory).map(\.name), prefix)
    }

    private static func matching(_ names: [String], _ prefix: String) -> [String] {
        names.filter { $0.hasPrefix(prefix) }
    }
}
