import Foundation

/// A tmux server of its own with one window running a plain shell, for driving the real
/// binary as a person would and reading the screen back: the end-to-end tests and
/// `roster-bench` both use it. The server ends with the session.
public final class TmuxSession {
    public let socket: String
    public let tmux: String

    /// `environment`: `NAME=value` settings for the window's shell; `name` starts the
    /// socket's name, so a leftover server says who started it.
    public init(width: Int = 100, height: Int = 30, environment: [String], name: String = "roster-e2e") throws {
        guard let tmux = which("tmux") else { throw HarnessError("tmux is needed here (apt-get install tmux)") }
        self.tmux = tmux
        socket = "\(name)-\(UUID().uuidString.prefix(8))"
        let status = spawnAndWait([
            tmux, "-L", socket, "-f", "/dev/null", "new-session", "-d", "-x", String(width), "-y", String(height),
            "env", "PS1=$ ", "TERM=tmux-256color", "LANG=C.UTF-8",
        ] + environment + ["bash", "--norc", "--noprofile"])
        guard status == 0 else { throw HarnessError("tmux did not start (status \(status))") }
        tmuxCommand("set-option", "-g", "escape-time", "0")
    }

    @discardableResult
    private func tmuxCommand(_ arguments: String...) -> Int32 {
        spawnAndWait([tmux, "-L", socket] + arguments)
    }

    /// Types text as it is (no key names).
    public func type(_ text: String) throws {
        tmuxCommand("send-keys", "-l", text)
    }

    /// Presses keys by tmux's names (`Enter`, `Escape`, `C-c`) or as characters.
    public func press(_ keys: String...) throws {
        spawnAndWait([tmux, "-L", socket, "send-keys"] + keys)
    }

    /// Types a command line and presses Enter.
    public func run(_ command: String) throws {
        try type(command)
        try press("Enter")
    }

    public func screen() throws -> String {
        spawnAndRead([tmux, "-L", socket, "capture-pane", "-p"])
    }

    /// The screen with its attributes and colours as escape sequences.
    public func styledScreen() throws -> String {
        spawnAndRead([tmux, "-L", socket, "capture-pane", "-e", "-p"])
    }

    /// Copies every byte the window's programs write to the terminal into `path`.
    public func recordOutput(to path: String) throws {
        tmuxCommand("pipe-pane", "-o", "cat >> '\(path)'")
    }

    /// The process id of the window's shell (after `exec`, the program itself).
    public func panePID() throws -> pid_t {
        let text = spawnAndRead([tmux, "-L", socket, "display-message", "-p", "#{pane_pid}"])
        guard let pid = pid_t(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw HarnessError("tmux gave no pane pid: \(text)")
        }
        return pid
    }

    /// The program the window's shell is running, if any.
    public func programPID() throws -> pid_t? {
        guard let pgrep = which("pgrep") else { throw HarnessError("pgrep is needed to find the program in the window") }
        return spawnAndRead([pgrep, "-P", String(try panePID())]).split(separator: "\n").compactMap { pid_t($0) }.first
    }

    public func resize(width: Int, height: Int) throws {
        tmuxCommand("resize-window", "-x", String(width), "-y", String(height))
    }

    /// Waits until the screen satisfies `condition` and returns it; fails with the last
    /// screen if it never does. `pollInterval` 0 reads the screen again at once (for timing).
    @discardableResult
    public func waitFor(
        _ what: String, timeout: TimeInterval = 15, pollInterval: TimeInterval = 0.1, _ condition: (String) -> Bool
    ) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            if pollInterval > 0 { Thread.sleep(forTimeInterval: pollInterval) }
        }
        throw HarnessError("timed out waiting for \(what); the screen was:\n\(last)")
    }

    @discardableResult
    public func waitFor(text: String, timeout: TimeInterval = 15) throws -> String {
        try waitFor("'\(text)'", timeout: timeout) { $0.contains(text) }
    }

    /// Ends the server, its shell and the programs in it.
    public func end() {
        tmuxCommand("kill-server")
    }

    deinit {
        end()
    }
}
