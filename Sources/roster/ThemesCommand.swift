import ArgumentParser
import Foundation
import Glibc
import RosterEngine
import RosterTUI

struct ThemesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "themes",
        abstract: "List the themes --theme can pick, with a sample line of each.",
        discussion: "Built-in themes first, then your own from $XDG_CONFIG_HOME/roster/themes/ (yours win on a clash).")

    @Flag(name: .customLong("no-color"), help: "Plain samples without colour (also NO_COLOR, or when not on a terminal).")
    var noColor = false

    func run() {
        let environment = ProcessInfo.processInfo.environment
        let directory = ProfileConfig.configDirectory(environment: environment) + "/themes"
        // As the UI would show them here: no escapes off a terminal, no colour under NO_COLOR or
        // on a terminal without colours, and no more colours than the terminal has.
        let terminal = isatty(STDOUT_FILENO) == 1
        let palette = !noColor && environment["NO_COLOR"] == nil ? NcursesTerminal.palette(environment: environment) : 0
        let themes = ThemeLoader.available(themesDirectory: directory)
        let nameWidth = themes.map(\.name.count).max() ?? 0
        for entry in themes {
            let (theme, problem) = ThemeLoader.load(entry.name, themesDirectory: directory)
            let padded = entry.name.padding(toLength: nameWidth, withPad: " ", startingAt: 0)
            if let problem {
                Console.out("\(padded)  (\(entry.source)) cannot be used: \(problem)\n")
                continue
            }
            let sample = terminal ? ThemeSample.line(theme, palette: palette) : ThemeSample.plain(theme)
            Console.out("\(padded)  \(sample)  (\(entry.source))\n")
        }
    }
}
