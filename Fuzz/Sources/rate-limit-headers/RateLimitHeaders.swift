import Foundation
import FuzzDriver
import RosterCore

/// Responses as text, separated by `---` lines: a status line, `Name: value` header lines, and
/// after a blank line a 429's body. Each is read as the transport reads it and fed to the
/// pacer's policy, which is then asked how long to wait and what to show: every figure is held
/// to what can be true, so nothing traps on infinity or an integer past Int.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRateLimitHeaders(_ bytes: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    guard let start = bytes else { return 0 }
    let text = String(decoding: UnsafeBufferPointer(start: start, count: count), as: UTF8.self)
    var policy = PacingPolicy(window: count % 2 == 0 ? nil : 60, limit: count % 3 == 0 ? 60 : nil)
    var now = Date(timeIntervalSince1970: 1_790_000_000)
    for response in text.components(separatedBy: "\n---\n").prefix(64) {
        let parts = response.components(separatedBy: "\n\n")
        var lines = parts[0].split(separator: "\n", omittingEmptySubsequences: false)
        let status = lines.isEmpty ? 200 : Int(lines.removeFirst().prefix(3)) ?? 200
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
        }
        let observation = RateLimitObservation.parse(headers: headers, body: parts.count > 1 ? parts[1] : nil, now: now)
        // Sent as a probe where the policy asks for one, as the transport does.
        let probe = policy.probeDue(for: .interactive, at: now)
        policy.recordSend(at: now, probe: probe)
        now += 0.1
        policy.recordResponse(observation, status: status, sentAt: now - 0.1, receivedAt: now, probe: probe)
        for priority in [RequestPriority.interactive, .batch] { _ = policy.delay(for: priority, at: now) }
        let headroom = policy.headroom(at: now)
        _ = headroom.secondsToSend(100, now: now)
    }
    return 0
}

@_cdecl("fuzz_rate_limit_headers_main")
public func fuzz_rate_limit_headers_main(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc, argv, fuzzRateLimitHeaders)
}
