import Foundation
import Glibc
import RosterCore

/// `e` in the UI: contacts written as CSV with every field of their records. Where the dialect
/// keeps no records (SendMe123 reads them fresh when needed), the list is read again for them.
public enum Exporter {
    /// `progress` hears, page by page, how the list read for the records goes.
    public static func export(
        _ contacts: [Contact], to path: String, provider: any ContactProvider, progress: (String) -> Void = { _ in }
    ) async -> (path: String?, message: String) {
        var records: [ContactID: JSONValue] = [:]
        for contact in contacts where contact.record != .null { records[contact.id] = contact.record }
        let missing = Set(contacts.map(\.id)).subtracting(records.keys)
        if !missing.isEmpty {
            var found = 0
            var pages = 0
            let failure = await PageWalker(provider: provider).walk { page in
                for contact in page where missing.contains(contact.id) {
                    records[contact.id] = contact.record
                    found += 1
                }
                pages += 1
                if found < missing.count {
                    progress("Exporting: reading the list for every field, page \(pages) read, \(found) of \(missing.count) records found (paced with the API's headroom)…")
                }
                return found < missing.count
            }.failure
            if let failure { return (nil, "Nothing exported: the list could not be read for the records (\(failure)).") }
        }
        let rows = contacts.compactMap { records[$0.id] }
        let gone = contacts.count - rows.count
        let keys = Set(rows.flatMap { $0.objectValue?.keys.map { $0 } ?? [] }).subtracting(["id"]).sorted()
        var text = (["id"] + keys).map { csvField(spreadsheetSafe($0)) }.joined(separator: ",") + "\n"
        for (contact, record) in zip(contacts.filter { records[$0.id] != nil }, rows) {
            let cells = [contact.id.rawValue] + keys.map { record[$0]?.displayText ?? "" }
            text += cells.map { csvField(spreadsheetSafe($0)) }.joined(separator: ",") + "\n"
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason = errno == EEXIST ? "it already exists; choose another name" : String(cString: strerror(errno))
            return (nil, "Nothing exported to \(path): \(reason).")
        }
        let bytes = Array(text.utf8)
        let written = bytes.withUnsafeBufferPointer { write(descriptor, $0.baseAddress, $0.count) }
        close(descriptor)
        guard written == bytes.count else { return (nil, "The export to \(path) is incomplete: \(String(cString: strerror(errno))).") }
        let left = gone > 0 ? "; \(gone) no longer on the server were left out" : ""
        return (path, "Exported \(rows.count) contact\(rows.count == 1 ? "" : "s") with \(keys.count + 1) fields to \(path)\(left).")
    }

    /// A cell as a spreadsheet or `cat` may show it without harm: escape codes made visible
    /// (`^[`), as on screen, and a cell a spreadsheet would read as a formula (`=`, `@`, a `+`
    /// or `-` that is no number, also after leading spaces, or a leading tab or carriage
    /// return) behind a `'`.
    public static func spreadsheetSafe(_ raw: String) -> String {
        let text = Sanitizer.clean(raw, keepingLineBreaks: true)
        if text.first == "\t" || text.first == "\r" { return "'" + text }
        let start = text.drop { $0 == " " }
        guard let first = start.first else { return text }
        if first == "=" || first == "@" { return "'" + text }
        if first == "+" || first == "-", !start.dropFirst().allSatisfy({ "0123456789 ().-".contains($0) }) { return "'" + text }
        return text
    }
}

/// A CSV field, quoted where it must be.
public func csvField(_ text: String) -> String {
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
    return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
}
