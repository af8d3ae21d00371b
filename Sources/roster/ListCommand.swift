import ArgumentParser
import Foundation
import RosterCore

struct ListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Print the account's contacts, page by page, in the server's order.")

    @OptionGroup var account: AccountOptions

    @Flag(help: "Print the server's records as a JSON array.")
    var json = false

    @Option(help: "Stop after this many contacts.")
    var max: Int?

    mutating func run() async throws {
        let resolved = resolveOrFail(account)
        let provider = resolved.makeProvider()
        let output = ContactPrinter(json: json, dialect: resolved.info.dialect)
        output.begin()
        var printed = 0
        var page = 1
        while true {
            let result = await capture { () async throws(ProviderError) in try await provider.list(page: page) }
            switch result {
            case .failure(let error):
                output.end()
                fail(explain(error, account: resolved), code: 1)
            case .success(let loaded):
                for contact in loaded.contacts {
                    if let max, printed >= max { break }
                    output.print(contact)
                    printed += 1
                }
                if !loaded.hasMore || (max.map { printed >= $0 } ?? false) {
                    output.end()
                    return
                }
                page += 1
            }
        }
    }
}

func resolveOrFail(_ options: AccountOptions) -> ResolvedAccount {
    do {
        return try options.resolve()
    } catch {
        fail(error.description, code: 2)
    }
}

/// A provider error as a headless command reports it; a 401 also says where the key came from.
func explain(_ error: ProviderError, account: ResolvedAccount) -> String {
    if error.kind == .unauthorized {
        return "\(error) (the API key from the \(account.keySource) is missing or invalid)"
    }
    return error.description
}
