import ArgumentParser
import Foundation
import RosterSandbox

struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run the built-in sandbox server alone, for trying Roster, curl or training.")

    @Option(help: "The dialect it speaks: sendme123 or easify.")
    var dialect: SandboxConfiguration.Dialect = .sendme123

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free one).")
    var port = 0

    @Option(help: "Contacts to seed.")
    var contacts = 300

    @Option(help: "Seed of the generated data (same seed, same contacts).")
    var seed: UInt64 = 1

    @Option(name: .customLong("api-key"), help: "The key the sandbox accepts (it is a throwaway test key).")
    var apiKey = SandboxConfiguration.demoKey

    @Option(name: .customLong("rate-limit"), help: "Requests allowed per window, as N/SECONDS.")
    var rateLimit = "60/60"

    @Option(name: .customLong("rate-headers"), help: "Rate-limit headers: laravel, ietf, epoch (X-RateLimit-Reset a Unix time on every answer, windows opening with their first request) or none (default: laravel for easify, ietf for sendme123).")
    var rateHeaders: SandboxConfiguration.RateHeaderStyle?

    @Option(name: .customLong("max-page-size"), help: "Largest page the list endpoint serves.")
    var maxPageSize = 100

    @Flag(name: .customLong("hostile-names"), help: "Give the first contacts names full of escape codes and control characters.")
    var hostileNames = false

    @Flag(name: .customLong("unique-phones"), help: "Refuse to create a contact with a phone another contact has, as some services do.")
    var uniquePhones = false

    @Option(help: """
        Fault injection, fractions of requests: 500, malformed, drop, redirect (to another origin that counts the keys \
        it is sent), redirect-contact (to another contact's path), absurd (rate-limit figures of 1e300 and inf), trickle \
        (the body a byte a second), truncate (the body cut off halfway), bad-id (a list's first record with an object \
        for its id), endless (the first page, whatever page is asked, of 99999999999); and \
        latency in seconds (at most 3600). E.g. 500=0.1,drop=0.02,redirect=0.1,latency=0.2
        """)
    var faults: String?

    mutating func validate() throws {
        guard parsedRateLimit != nil else {
            throw ValidationError("--rate-limit must look like 60/60 (requests per window of seconds, at most a day)")
        }
        guard contacts >= 0 else { throw ValidationError("--contacts cannot be negative") }
        guard (1...1_000_000).contains(maxPageSize) else { throw ValidationError("--max-page-size must be from 1 to 1000000") }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 (any free one) to 65535") }
        if let faults, SandboxConfiguration.Faults(faults) == nil {
            throw ValidationError(
                "--faults must look like 500=0.1,malformed=0.05,drop=0.02,redirect=0.1,redirect-contact=0.1,absurd=0.1,trickle=0.1,truncate=0.1,bad-id=0.1,endless=0.1,latency=0.2 (rates add up to at most 1; latency at most 3600 s)")
        }
    }

    private var parsedRateLimit: (Int, Double)? {
        let parts = rateLimit.split(separator: "/")
        guard parts.count == 2, let count = Int(parts[0]), let seconds = Double(parts[1]), count >= 1, seconds > 0,
              seconds <= 86_400 else {
            return nil
        }
        return (count, seconds)
    }

    mutating func run() async throws {
        let (limit, window) = parsedRateLimit!
        var configuration = SandboxConfiguration(
            dialect: dialect, host: host, port: port, contactCount: contacts, seed: seed, apiKey: apiKey,
            rateLimit: limit, rateWindowSeconds: window, rateHeaders: rateHeaders, maxPageSize: maxPageSize,
            faults: faults.flatMap(SandboxConfiguration.Faults.init) ?? SandboxConfiguration.Faults(),
            hostileNames: hostileNames)
        configuration.uniquePhones = uniquePhones
        let server = try await SandboxServer.start(configuration)
        let text = """
            Roster sandbox (\(dialect.rawValue) dialect) with \(contacts) contacts
            url:     \(server.baseURL)
            api key: \(apiKey)
            limit:   \(limit) requests per \(window.formatted()) s
            faults:  \(faults ?? "none")
            try:     ROSTER_API_KEY=\(apiKey) roster --dialect \(dialect.rawValue) --base-url \(server.baseURL)
            stats:   \(server.origin)/_sandbox/stats
            Ctrl-C stops it.

            """
        Console.out(text)
        try await server.waitUntilStopped()
    }
}

extension SandboxConfiguration.Dialect: ExpressibleByArgument {}
extension SandboxConfiguration.RateHeaderStyle: ExpressibleByArgument {}
