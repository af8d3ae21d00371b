import Foundation

/// A `roster sandbox` process, as a user starts it, stopped when released: for the
/// end-to-end tests and the benchmarks that drive the real binary against it.
public final class SandboxProcess {
    public let process = Process()
    /// Where the API is.
    public let baseURL: String
    /// Where the sandbox's own `/_sandbox/…` endpoints are.
    public let origin: String

    /// Starts `roster sandbox ARGUMENTS` and waits until it says where it listens.
    public init(roster: String, arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: roster)
        process.arguments = ["sandbox"] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let handle = output.fileHandleForReading
        while !text.contains("Ctrl-C stops it.") {
            let chunk = handle.availableData
            if chunk.isEmpty { throw HarnessError("roster sandbox exited early: \(text)") }
            text += String(decoding: chunk, as: UTF8.self)
        }
        func field(_ name: String) -> String? {
            text.split(separator: "\n").first { $0.hasPrefix(name) }.map { $0.dropFirst(name.count).trimmingCharacters(in: .whitespaces) }
        }
        guard let url = field("url:"), let stats = field("stats:") else { throw HarnessError("roster sandbox printed no url: \(text)") }
        baseURL = url
        origin = stats.replacingOccurrences(of: "/_sandbox/stats", with: "")
    }

    /// The sandbox's own counts: requests, by status and by method, contacts left, deleted.
    public func stats() throws -> [String: Any] {
        let output = try curl(["-s", origin + "/_sandbox/stats"])
        guard let json = try? JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: Any] else {
            throw HarnessError("the sandbox's stats are not JSON: \(output)")
        }
        return json
    }

    /// Changes the faults in force (`drop=0.25`, or "" for none), as a network that gets
    /// better or worse mid-run.
    public func setFaults(_ faults: String) throws {
        let output = try curl(["-s", "-X", "POST", "--data-binary", faults, origin + "/_sandbox/faults"])
        guard output.contains("faults changed") else { throw HarnessError("the sandbox refused the faults \(faults): \(output)") }
    }

    /// Requests the sandbox has answered with this method.
    public func requestCount(_ method: String) throws -> Int {
        ((try stats()["methods"] as? [String: Any])?[method] as? Int) ?? 0
    }

    private func curl(_ arguments: [String]) throws -> String {
        guard let curl = which("curl") else { throw HarnessError("curl is needed to talk to the sandbox's own endpoints") }
        return spawnAndRead([curl] + arguments)
    }

    deinit {
        process.terminate()
        process.waitUntilExit()
    }
}
