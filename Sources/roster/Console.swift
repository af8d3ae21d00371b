import Glibc

/// Standard output and error for the headless commands, written as a Unix tool writes them:
/// a reader that goes away (`roster list | head -1`) ends Roster quietly with the status a
/// shell expects of a broken pipe (141), and any other write failure is said once on
/// standard error with status 1. Never a crash: Foundation's `FileHandle.write` traps on
/// both.
enum Console {
    static func out(_ text: String) {
        write(text, to: STDOUT_FILENO)
    }

    static func err(_ text: String) {
        write(text, to: STDERR_FILENO)
    }

    /// `roster: ` and the line, on standard error.
    static func note(_ line: String) {
        err("roster: \(line)\n")
    }

    private static func write(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBufferPointer { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written > 0 {
                offset += written
                continue
            }
            if written < 0 && errno == EINTR { continue }
            let failure = written < 0 ? errno : EIO
            if failure == EPIPE { endLikeABrokenPipe() }
            if descriptor != STDERR_FILENO {
                let reason = String(cString: strerror(failure))
                let message = Array("roster: cannot write the output: \(reason)\n".utf8)
                _ = message.withUnsafeBufferPointer { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
            }
            exit(1)
        }
    }

    /// Dies of SIGPIPE as `cat` would, so the shell sees 141 and prints nothing. (Roster's HTTP
    /// library ignores SIGPIPE for its sockets, which is why the write failed rather than
    /// killing the process.)
    private static func endLikeABrokenPipe() -> Never {
        signal(SIGPIPE, SIG_DFL)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGPIPE)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        raise(SIGPIPE)
        exit(141)
    }
}
