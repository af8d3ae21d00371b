import Foundation
import RosterCore
import RosterEngine
import RosterTeam

/// Plans kept in a team's store (`roster plan --share`), named by a short id (`plan-3f2a91c0`)
/// that `show-plan`, `approve` and `apply` take as they take a file. The store is found as a
/// journal is: `ROSTER_JOURNAL_URL`, else the `journal_url` of any profile in config.toml.
enum SharedPlans {
    /// Whether `argument` names a shared plan: an id of that shape, and no file of that name.
    static func isReference(_ argument: String) -> Bool {
        guard argument.hasPrefix("plan-"), argument.count == 13,
              argument.dropFirst(5).allSatisfy({ $0.isHexDigit && !$0.isUppercase })
        else { return false }
        return !FileManager.default.fileExists(atPath: argument)
    }

    static func newID() -> String { "plan-" + randomLowercaseHex(8) }

    /// The team stores this operator can reach, each once.
    static func stores(environment: [String: String] = ProcessInfo.processInfo.environment) -> [(url: String, passwordFile: String?)] {
        var found: [(String, String?)] = []
        if let shared = TeamJournal.urlText(profileURL: nil, environment: environment) { found.append((shared, nil)) }
        for name in ProfileConfig.profileNames(environment: environment) {
            guard let profile = try? ProfileConfig.profile(named: name, environment: environment), let url = profile.journalURL,
                  !found.contains(where: { $0.0 == url })
            else { continue }
            found.append((url, profile.journalPasswordFile))
        }
        return found
    }

    /// Finds the plan `id` in the team stores; its store and text, or exit 1 saying where it
    /// looked.
    static func findOrExit(_ id: String) -> (store: PostgresJournalStore, text: String) {
        let places = stores()
        guard !places.isEmpty else {
            fail("\(id) names a plan shared in a team's journal, and neither ROSTER_JOURNAL_URL nor a profile's journal_url names one", code: 1)
        }
        var problems: [String] = []
        for place in places {
            do {
                let store = try TeamJournal.open(urlText: place.url, passwordFile: place.passwordFile).team
                if let text = try store.sharedPlan(id: id) { return (store, text) }
            } catch {
                problems.append("\(error)")
            }
        }
        fail("no plan \(id) in \(places.count == 1 ? "the team's journal" : "any of the \(places.count) team journals")" + (problems.isEmpty ? "" : " (\(problems.joined(separator: "; ")))"), code: 1)
    }

    /// The shared plan `id`, read as a file is (its checksums checked); a plan withdrawn by an
    /// erasure says so.
    static func readOrExit(_ id: String) -> (reading: PlanFile.Reading, store: PostgresJournalStore, text: String) {
        let (store, text) = findOrExit(id)
        if let withdrawn = withdrawal(in: text) { fail("\(id) was withdrawn: \(withdrawn)", code: 1) }
        do {
            return (try PlanFile.read(Data(text.utf8), path: id), store, text)
        } catch {
            fail(error.description, code: 1)
        }
    }

    // MARK: Erasure

    /// What a plan naming an erased person becomes: its text replaced by this, so no copy of
    /// them stays and it can no longer be approved or applied.
    static func tombstone(at: Date, by: String) -> String {
        JSONValue.object([
            "roster_plan_withdrawn": .string("it named a person erased at their request on \(ISO8601DateFormatter().string(from: at).prefix(10)) by \(by); make a new plan"),
        ]).jsonText
    }

    static func withdrawal(in text: String) -> String? {
        JSONValue.decode(Data(text.utf8))?["roster_plan_withdrawn"]?.stringValue
    }

    /// Withdraws every shared plan in `store` that names one of `people`; how many.
    static func withdraw(naming people: [PersonIdentity], in store: PostgresJournalStore) throws(JournalError) -> Int {
        var count = 0
        for (id, text) in try store.sharedPlans() where withdrawal(in: text) == nil {
            guard let plan = try? PlanFile.read(Data(text.utf8), path: id).plan else { continue }
            let named = plan.items.contains { item in
                let contact = Contact(id: ContactID(item.id ?? ""), name: item.name, phone: item.phone, email: item.email, record: .null)
                return people.contains { $0.matches(contact) }
            }
            guard named else { continue }
            if try store.replacePlan(id: id, previous: text, with: tombstone(at: Date(), by: Journal.operatorName())) { count += 1 }
        }
        return count
    }
}

func randomLowercaseHex(_ count: Int) -> String {
    var generator = SystemRandomNumberGenerator()
    return String((0..<count).map { _ in "0123456789abcdef".randomElement(using: &generator)! })
}
