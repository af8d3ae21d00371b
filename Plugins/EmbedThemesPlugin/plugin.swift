import Foundation
import PackagePlugin

/// Builds the files of themes/ into the target that uses it (RosterTUI), as Swift source
/// generated at build time by `embed-themes.sh`: themes/*.toml is the only copy, and a change
/// to one rebuilds it.
@main
struct EmbedThemesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let folder = context.package.directoryURL.appending(path: "themes")
        let themes = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "toml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        let script = context.package.directoryURL.appending(path: "Plugins/EmbedThemesPlugin/embed-themes.sh")
        let output = context.pluginWorkDirectoryURL.appending(path: "BuiltInThemes.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(themes.count) themes from themes/",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [script.path, output.path] + themes.map(\.path),
                inputFiles: [script] + themes,
                outputFiles: [output])
        ]
    }
}
