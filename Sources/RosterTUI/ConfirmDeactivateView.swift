import RosterCore

/// The deactivate confirmation: says what deactivating does and what it sends.
enum ConfirmDeactivateView {
    static func render(_ contact: Contact, dialect: Dialect, in area: Rect, into canvas: inout Canvas) {
        var lines: [(String, StyleRole)] = [
            ("Name   \(contact.displayName)", .dialog),
            ("ID     \(contact.id)", .dialog),
        ]
        if dialect == .sendme123 {
            lines += [
                ("Status \(contact.status ?? "unknown") → INACTIVE", .dialog),
                ("", .dialog),
                ("The contact stays on the account and stops receiving", .dialog),
                ("messages. Roster sends PATCH {\"status\":\"INACTIVE\"}.", .dialog),
            ]
        } else {
            lines += [
                ("", .dialog),
                ("The contact stays on the account. Roster sends", .dialog),
                ("PATCH /contacts/update with this profile's deactivate_fields.", .dialog),
            ]
        }
        ConfirmDialog.render(
            title: "Deactivate this contact?", lines: lines, answer: .yesKey("deactivate"), in: area, into: &canvas)
    }
}
