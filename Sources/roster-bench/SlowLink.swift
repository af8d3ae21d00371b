import ArgumentParser
import Foundation
import Glibc

// The C library's pseudo-terminal calls, which Glibc's module leaves out.
@_silgen_name("posix_openpt") private func openTerminalPair(_ flags: Int32) -> Int32
@_silgen_name("grantpt") private func grantTerminal(_ descriptor: Int32) -> Int32
@_silgen_name("unlockpt") private func unlockTerminal(_ descriptor: Int32) -> Int32
@_silgen_name("ptsname") private func terminalName(_ descriptor: Int32) -> UnsafeMutablePointer<CChar>?

/// Runs a program on a pseudo-terminal of its own and passes what it writes on to this
/// terminal no faster than a slow link would (56 kbit/s: 7,000 bytes a second), keys the other
/// way at once. `roster-bench speed` runs Roster under it in tmux to time keypresses as they
/// feel over a modem-speed SSH link.
struct SlowLinkRelay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slow-link", abstract: "Run a program as if its terminal were at the end of a slow link.",
        shouldDisplay: false)

    @Option(help: "Bytes a second the program's output may reach the terminal at.")
    var bytesPerSecond = 7000

    @Argument(help: "The program and its arguments.")
    var command: [String]

    func run() throws {
        let master = openTerminalPair(O_RDWR | O_NOCTTY)
        guard master >= 0, grantTerminal(master) == 0, unlockTerminal(master) == 0, let name = terminalName(master) else {
            throw BenchError("no pseudo-terminal")
        }
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0 { _ = ioctl(master, UInt(TIOCSWINSZ), &size) }
        let slavePath = String(cString: name)
        // The program in a session of its own, on the new terminal.
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for descriptor: Int32 in 0...2 { posix_spawn_file_actions_addopen(&actions, descriptor, slavePath, O_RDWR, 0) }
        posix_spawn_file_actions_addclose(&actions, master)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // POSIX_SPAWN_SETSID (glibc 0x80): a session of its own, whose terminal is the new one.
        posix_spawnattr_setflags(&attributes, 0x80)
        var argv: [UnsafeMutablePointer<CChar>?] = command.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        guard posix_spawnp(&child, command[0], &actions, &attributes, &argv, environ) == 0 else {
            throw BenchError("cannot run \(command[0])")
        }
        // Keys as typed: the relay's own terminal in raw mode, so every byte goes through.
        var saved = termios()
        let isTerminal = tcgetattr(STDIN_FILENO, &saved) == 0
        if isTerminal {
            var raw = saved
            cfmakeraw(&raw)
            tcsetattr(STDIN_FILENO, TCSANOW, &raw)
        }
        defer { if isTerminal { tcsetattr(STDIN_FILENO, TCSANOW, &saved) } }
        var pending: [UInt8] = []
        var sentAt = Date()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var descriptors = [pollfd(fd: STDIN_FILENO, events: Int16(POLLIN), revents: 0), pollfd(fd: master, events: Int16(POLLIN), revents: 0)]
            // While output waits, wake when the link may take the next piece.
            let timeout: Int32 = pending.isEmpty ? -1 : 5
            guard poll(&descriptors, 2, timeout) >= 0 || errno == EINTR else { break }
            if descriptors[0].revents & Int16(POLLIN) != 0 {
                let count = read(STDIN_FILENO, &buffer, buffer.count)
                if count > 0 { _ = write(master, buffer, count) }
            }
            if descriptors[1].revents & Int16(POLLIN) != 0 {
                let count = read(master, &buffer, buffer.count)
                if count <= 0 { break }
                // An idle link saves nothing up: what arrives now starts crossing now.
                if pending.isEmpty { sentAt = Date() }
                pending += buffer.prefix(count)
            } else if descriptors[1].revents & Int16(POLLHUP | POLLERR) != 0, pending.isEmpty {
                break
            }
            // What the link has carried since the last piece left.
            let allowance = Int(Date().timeIntervalSince(sentAt) * Double(bytesPerSecond))
            if !pending.isEmpty, allowance > 0 {
                let piece = min(pending.count, allowance)
                _ = pending.withUnsafeBufferPointer { write(STDOUT_FILENO, $0.baseAddress, piece) }
                pending.removeFirst(piece)
                sentAt = sentAt.addingTimeInterval(Double(piece) / Double(bytesPerSecond))
            }
        }
        var status: Int32 = 0
        waitpid(child, &status, 0)
    }
}
