import Foundation

/// Picks the theme to start with. A theme that cannot be used never stops Roster: it starts
/// with the default and says what was wrong, with the file and line.
public enum ThemeLoader {
    /// `choice` is a theme name (looked up in `themesDirectory` as NAME.toml; `default` is
    /// built in) or a path to a .toml file. Returns the theme and, if it fell back, why.
    public static func load(_ choice: String?, themesDirectory: String) -> (theme: Theme, problem: String?) {
        guard let choice, !choice.isEmpty, choice != "default" else { return (.standard, nil) }
        let isPath = choice.contains("/") || choice.hasSuffix(".toml")
        let path = isPath ? NSString(string: choice).expandingTildeInPath : themesDirectory + "/" + choice + ".toml"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            return (.standard, "theme '\(choice)' not found (\(path)); using the default theme")
        }
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        do {
            return (try ThemeFile.parse(text, name: name), nil)
        } catch {
            return (.standard, "theme \(path) \(error); using the default theme")
        }
    }
}
