import RosterCore

/// The deactivate confirmation: says what deactivating does and what it sends.
enum ConfirmDeactivateView {
    static func render(_ contact: Contact, layout: Layout, into canvas: inout Canvas) {
        let lines: [(String, StyleRole)] = [
            ("Name   \(contact.displayName)", .dialog),
            ("ID     \(contact.id)", .dialog),
            ("Status \(contact.status ?? "unknown") → INACTIVE", .dialog),
            ("", .dialog),
            ("The contact stays on the account and stops receiving", .dialog),
            ("messages. Roster sends PATCH {\"status\":\"INACTIVE\"}.", .dialog),
        ]
        ConfirmDialog.render(
            title: "Deactivate this contact?", lines: lines, yes: "deactivate", layout: layout, into: &canvas)
    }
}
