import Foundation

/// Where a program is on the PATH.
public func which(_ program: String) -> String? {
    for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
        let path = "\(directory)/\(program)"
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return nil
}

/// Runs a program with posix_spawn and waits for it; its exit status. tmux's client forks
/// the server, which Foundation's Process does not always notice exiting (and may wait for),
/// so tmux is run this way: standard input from /dev/null, standard output to `outputPath`,
/// standard error discarded.
@discardableResult
public func spawnAndWait(_ arguments: [String], outputPath: String = "/dev/null") -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    // A tmux server lives on: it must not inherit the caller's pipes and hold them open.
    for descriptor in 3..<1024 where fcntl(Int32(descriptor), F_GETFD) != -1 {
        posix_spawn_file_actions_addclose(&actions, Int32(descriptor))
    }
    // Every signal at its default and none blocked, whatever the caller's threads set: tmux
    // and the programs under it must see Ctrl-Z and SIGHUP as a terminal session would (a
    // server whose shells block SIGHUP never finishes kill-server).
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var defaults = sigset_t()
    sigfillset(&defaults)
    sigdelset(&defaults, SIGKILL)
    sigdelset(&defaults, SIGSTOP)
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
    var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    guard posix_spawn(&pid, arguments[0], &actions, &attributes, &argv, environ) == 0 else { return -1 }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status >> 8) & 0xFF
}

/// Runs a program as `spawnAndWait` does and returns what it printed.
public func spawnAndRead(_ arguments: [String]) -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("roster-spawn-\(UUID().uuidString)").path
    defer { unlink(file) }
    spawnAndWait(arguments, outputPath: file)
    return (try? String(contentsOfFile: file, encoding: .utf8)) ?? ""
}

/// Something the harness could not do, said plainly.
public struct HarnessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
