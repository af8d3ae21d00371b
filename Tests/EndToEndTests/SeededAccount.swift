import Foundation
@testable import RosterSandbox

extension SeedContact {
    /// The phone's digits with the country code, and the email without case or surrounding
    /// spaces: what makes two seeded contacts one person.
    var phoneKey: String { countryCode + phone }
    var emailKey: String { email.trimmingCharacters(in: .whitespaces).lowercased() }
}

/// The seeded contacts that are nobody's duplicate: the sandbox seeds people imported twice
/// (the same phone digits, or the same email in other case), and a test that needs each
/// contact to be one of a kind (restoring one, finding one by its email) leaves those out.
func withoutDuplicates(_ contacts: [SeedContact]) -> [SeedContact] {
    var phones: [String: Int] = [:]
    var emails: [String: Int] = [:]
    for contact in contacts {
        phones[contact.phoneKey, default: 0] += 1
        if !contact.emailKey.isEmpty { emails[contact.emailKey, default: 0] += 1 }
    }
    return contacts.filter { phones[$0.phoneKey] == 1 && ($0.emailKey.isEmpty || emails[$0.emailKey] == 1) }
}
