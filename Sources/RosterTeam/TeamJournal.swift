import Foundation
import RosterEngine

/// Where a profile's journal is: the team's PostgreSQL store when the profile names one
/// (`journal_url`) or `ROSTER_JOURNAL_URL` is set, else the operator's own SQLite file.
public enum TeamJournal {
    /// The team store's URL for a profile: its own `journal_url`, else `ROSTER_JOURNAL_URL`;
    /// nil: the operator's own journal.
    public static func urlText(profileURL: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        if let profileURL, !profileURL.isEmpty { return profileURL }
        if let shared = environment["ROSTER_JOURNAL_URL"], !shared.isEmpty { return shared }
        return nil
    }

    /// Connects to the team's store at `urlText`, its password found as `DatabasePassword`
    /// says, with this operator's spool (`team-spool.db` in the state folder) for outcomes
    /// written while it is away; a URL that does not read, a password file that is not
    /// private, or a database that cannot be reached is a `JournalError` naming it (never the
    /// password).
    public static func open(
        urlText: String, passwordFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(JournalError) -> SpooledTeamStore {
        let url: JournalURL
        let password: DatabasePassword
        do throws(ConfigError) {
            url = try JournalURL(urlText, environment: environment)
            password = try DatabasePassword.find(for: url, profileFile: passwordFile, environment: environment)
        } catch {
            throw JournalError("the team's journal cannot be used: \(error)")
        }
        let team = try PostgresJournalStore(url: url, password: password)
        return SpooledTeamStore(team: team, spoolPath: Journal.directory(environment: environment) + "/team-spool.db")
    }
}
