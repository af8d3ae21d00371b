import Foundation
import RosterCore
import RosterTUI

/// Writes contacts for the headless commands: aligned columns for people, or the server's
/// records as JSON for scripts. Server text is sanitised either way in the table. Lines are
/// gathered and written a page at a time (`flush`), not one system call per contact.
final class ContactPrinter {
    let json: Bool
    let dialect: Dialect
    private let isFirst = FirstFlag()
    private var pending = ""

    init(json: Bool, dialect: Dialect) {
        self.json = json
        self.dialect = dialect
    }

    func begin() {
        if json {
            write("[")
        } else {
            write(row(["ID", "NAME", "PHONE", "EMAIL", dialect == .easify ? "SHARED" : "STATUS"]))
        }
    }

    func print(_ contact: Contact) {
        if json {
            write((isFirst.take() ? "\n  " : ",\n  ") + contact.record.jsonText)
        } else {
            let flag = contact.status ?? (contact.shared == true ? "shared" : "")
            write(row([contact.id.rawValue, contact.displayName, contact.phone, contact.email, flag]))
        }
    }

    func end() {
        if json { write(isFirst.take() ? "]\n" : "\n]\n") }
        flush()
    }

    private func row(_ cells: [String]) -> String {
        let widths = [dialect == .sendme123 ? 36 : 9, 28, 18, 34, 8]
        var line = ""
        for (index, cell) in cells.enumerated() {
            let clean = Sanitizer.clean(cell)
            let padding = index == cells.count - 1 ? 0 : Swift.max(1, widths[index] + 2 - TextWidth.of(clean))
            line += clean + String(repeating: " ", count: padding)
        }
        return line + "\n"
    }

    private func write(_ text: String) {
        pending += text
    }

    func flush() {
        guard !pending.isEmpty else { return }
        Console.out(pending)
        pending = ""
    }
}

/// True the first time it is asked.
final class FirstFlag {
    private var first = true
    func take() -> Bool {
        defer { first = false }
        return first
    }
}
