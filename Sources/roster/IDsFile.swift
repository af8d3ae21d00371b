import ArgumentParser
import Foundation

/// `--ids-from FILE`: ids from a file or standard input, after those given as arguments.
struct IDsFile: ParsableArguments {
    @Option(name: .customLong("ids-from"), help: "A file with one id per line (- for standard input).")
    var idsFrom: String?

    /// The ids given as arguments, then the file's.
    func ids(after given: [String]) -> [String] { given + (idsFrom.map(readIDs) ?? []) }
}

/// The ids a file names (`-`: standard input), one per line; blank lines and `#` comments are
/// skipped. A file that cannot be read ends the command (exit 2).
private func readIDs(from file: String) -> [String] {
    let text: String?
    if file == "-" {
        text = String(data: FileHandle.standardInput.readDataToEndOfFile(), encoding: .utf8)
    } else {
        text = try? String(contentsOfFile: file, encoding: .utf8)
    }
    guard let text else { fail("cannot read ids from \(file)", code: 2) }
    return text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        .filter { !$0.isEmpty && !$0.hasPrefix("#") }
}
