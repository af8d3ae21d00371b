import Foundation

/// Picks the theme to start with. A theme that cannot be used never stops Roster: it starts
/// with the default and says what was wrong, with the file and line.
public enum ThemeLoader {
    /// `choice` is a theme name (NAME.toml in `themesDirectory` first, then the themes built
    /// in) or a path to a .toml file. Returns the theme and, if it fell back, why.
    public static func load(_ choice: String?, themesDirectory: String) -> (theme: Theme, problem: String?) {
        guard let choice, !choice.isEmpty else { return (.standard, nil) }
        let isPath = choice.contains("/") || choice.hasSuffix(".toml")
        let path = isPath ? NSString(string: choice).expandingTildeInPath : themesDirectory + "/" + choice + ".toml"
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        let text: String
        if let file = try? String(contentsOfFile: path, encoding: .utf8) {
            text = file
        } else if !isPath, choice == "default" {
            return (.standard, nil)
        } else if !isPath, let builtIn = Theme.builtInFiles.first(where: { $0.name == choice }) {
            text = builtIn.text
        } else {
            let known = available(themesDirectory: themesDirectory).map(\.name).joined(separator: ", ")
            return (.standard, "theme '\(choice)' not found (\(path); themes: \(known)); using the default theme")
        }
        do {
            return (try ThemeFile.parse(text, name: name), nil)
        } catch {
            let source = FileManager.default.fileExists(atPath: path) ? path : "built-in \(choice)"
            return (.standard, "theme \(source) \(error); using the default theme")
        }
    }

    /// Every theme a name can pick: the built-in ones, then the user's own (which win on a
    /// clash), each with where it comes from.
    public static func available(themesDirectory: String) -> [(name: String, source: String)] {
        var themes: [(name: String, source: String)] = Theme.builtInFiles.map { ($0.name, "built in") }
        let files = (try? FileManager.default.contentsOfDirectory(atPath: themesDirectory)) ?? []
        for file in files.sorted() where file.hasSuffix(".toml") {
            let name = String(file.dropLast(".toml".count))
            themes.removeAll { $0.name == name }
            themes.append((name, themesDirectory + "/" + file))
        }
        return themes
    }
}

extension Theme {
    /// Reverse, bold, dim and underline only: what a terminal without colours shows.
    public static let monochrome: Theme = {
        let text = Theme.builtInFiles.first { $0.name == "monochrome" }?.text ?? ""
        return (try? ThemeFile.parse(text, name: "monochrome")) ?? .standard
    }()
}
