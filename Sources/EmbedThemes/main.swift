import Foundation

// Writes the Swift source that builds Roster's shipped themes into the binary, from the
// files in themes/: `embed-themes OUTPUT THEME.toml ...`. Run by the EmbedThemesPlugin at
// build time, so themes/*.toml is the only copy and an installed binary needs no file beside it.

let arguments = CommandLine.arguments.dropFirst()
guard let output = arguments.first else {
    FileHandle.standardError.write(Data("usage: embed-themes OUTPUT THEME.toml ...\n".utf8))
    exit(2)
}
var themes: [(name: String, text: String)] = []
for path in arguments.dropFirst() {
    let url = URL(fileURLWithPath: path)
    guard let text = try? String(contentsOf: url, encoding: .utf8) else {
        FileHandle.standardError.write(Data("embed-themes: cannot read \(path) as UTF-8\n".utf8))
        exit(1)
    }
    themes.append((url.deletingPathExtension().lastPathComponent, text))
}
// The default first, then by name: the order `roster themes` lists them in.
themes.sort { ($0.name == "default" ? "" : $0.name) < ($1.name == "default" ? "" : $1.name) }

/// A raw multi-line string literal holding `text` exactly (the newline before its closing
/// delimiter is not part of it): enough `#` that nothing inside can end it or interpolate.
func rawLiteral(_ text: String) -> String {
    var hashes = "#"
    while text.contains("\"\"\"" + hashes) || text.contains("\\" + hashes) { hashes += "#" }
    return hashes + "\"\"\"\n" + text + "\n\"\"\"" + hashes
}

var source = """
// Generated at build time by the EmbedThemes plugin from themes/*.toml: edit those files.

extension Theme {
    /// The themes shipped with Roster, built into the binary so an installed copy needs no
    /// files beside it: each file of themes/ as it is, the default first.
    public static let builtInFiles: [(name: String, text: String)] = [

"""
for theme in themes {
    source += "        (\(String(reflecting: theme.name)), \(rawLiteral(theme.text))),\n"
}
source += "    ]\n}\n"
do {
    try source.write(toFile: output, atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("embed-themes: cannot write \(output): \(error)\n".utf8))
    exit(1)
}
