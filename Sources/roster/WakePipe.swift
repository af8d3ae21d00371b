import Glibc

/// A pipe the UI thread waits on beside the keyboard: network tasks write a byte when an
/// event is ready, and the signal handlers write one when Roster must leave.
final class WakePipe: Sendable {
    let readDescriptor: Int32
    let writeDescriptor: Int32

    static let eventByte: UInt8 = 0x45
    static let terminationByte: UInt8 = 0x53
    static let resizeByte: UInt8 = 0x57
    static let suspendByte: UInt8 = 0x5A

    /// What woke the UI thread besides events.
    struct Wakes {
        var termination = false
        var resize = false
        var suspend = false
    }

    init() {
        var descriptors: [Int32] = [0, 0]
        guard pipe(&descriptors) == 0 else { fatalError("Roster could not create its wake-up pipe") }
        readDescriptor = descriptors[0]
        writeDescriptor = descriptors[1]
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
    }

    func signal(_ byte: UInt8 = WakePipe.eventByte) {
        var value = byte
        _ = write(writeDescriptor, &value, 1)
    }

    /// Empties the pipe and says which signals wrote to it.
    func drain() -> Wakes {
        var buffer = [UInt8](repeating: 0, count: 64)
        var wakes = Wakes()
        while true {
            let count = read(readDescriptor, &buffer, buffer.count)
            if count <= 0 { break }
            if buffer[0..<count].contains(WakePipe.terminationByte) { wakes.termination = true }
            if buffer[0..<count].contains(WakePipe.resizeByte) { wakes.resize = true }
            if buffer[0..<count].contains(WakePipe.suspendByte) { wakes.suspend = true }
        }
        return wakes
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }
}

/// The descriptor the signal handlers write to; set once before the handlers are installed.
nonisolated(unsafe) private var signalWakeDescriptor: Int32 = -1

/// The termination signal that ended the UI, for the exit status (128 + n); 0 when none.
nonisolated(unsafe) var terminatingSignal: Int32 = 0

/// SIGINT, SIGTERM and SIGHUP (a dropped SSH connection) wake the UI thread, which then
/// restores the terminal and leaves; SIGWINCH wakes it to redraw at the new size even when
/// the signal lands outside poll(). The handlers only write one byte: async-signal-safe.
/// Installed before ncurses starts, so ncurses keeps them.
func installSignalHandlers(_ pipe: WakePipe) {
    signalWakeDescriptor = pipe.writeDescriptor
    for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
        signal(signalNumber) { number in
            terminatingSignal = number
            var byte = WakePipe.terminationByte
            _ = write(signalWakeDescriptor, &byte, 1)
        }
    }
    signal(SIGWINCH) { _ in
        var byte = WakePipe.resizeByte
        _ = write(signalWakeDescriptor, &byte, 1)
    }
    installSuspendHandler()
    signal(SIGPIPE, SIG_IGN)
}

/// Ctrl-Z (SIGTSTP) may land on any thread; the handler only wakes the UI thread, which
/// gives the terminal back and then stops (`suspendNow`). Installed before ncurses starts,
/// so ncurses does not put its own handler, which would call it from that other thread.
func installSuspendHandler() {
    signal(SIGTSTP) { _ in
        var byte = WakePipe.suspendByte
        _ = write(signalWakeDescriptor, &byte, 1)
    }
}

/// Stops Roster as Ctrl-Z would, and returns once the shell's `fg` has continued it. The
/// caller restores the terminal before and redraws after.
///
/// The stop is sent to this very thread with SIGTSTP unblocked here, so it happens before
/// `pthread_kill` returns. Sent to the process instead, it could land later on another
/// thread, after Roster's own handler was back in place, and then only wake the UI again:
/// a Ctrl-Z that took seconds, or never stopped Roster at all.
func suspendNow() {
    signal(SIGTSTP, SIG_DFL)
    var stopSignal = sigset_t()
    sigemptyset(&stopSignal)
    sigaddset(&stopSignal, SIGTSTP)
    var previous = sigset_t()
    pthread_sigmask(SIG_UNBLOCK, &stopSignal, &previous)
    pthread_kill(pthread_self(), SIGTSTP)
    pthread_sigmask(SIG_SETMASK, &previous, nil)
    installSuspendHandler()
}
