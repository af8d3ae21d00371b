import Glibc

/// A pipe the UI thread waits on beside the keyboard: network tasks write a byte when an
/// event is ready, and the signal handlers write one when Roster must leave.
final class WakePipe: Sendable {
    let readDescriptor: Int32
    let writeDescriptor: Int32

    static let eventByte: UInt8 = 0x45
    static let signalByte: UInt8 = 0x53

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

    /// Empties the pipe; true when a signal handler wrote to it.
    func drain() -> Bool {
        var buffer = [UInt8](repeating: 0, count: 64)
        var sawSignal = false
        while true {
            let count = read(readDescriptor, &buffer, buffer.count)
            if count <= 0 { break }
            if buffer[0..<count].contains(WakePipe.signalByte) { sawSignal = true }
        }
        return sawSignal
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }
}

/// The descriptor the signal handlers write to; set once before the handlers are installed.
nonisolated(unsafe) private var terminationWakeDescriptor: Int32 = -1

/// SIGINT, SIGTERM and SIGHUP (a dropped SSH connection) wake the UI thread, which then
/// restores the terminal and leaves. The handler only writes one byte: async-signal-safe.
func installTerminationSignals(_ pipe: WakePipe) {
    terminationWakeDescriptor = pipe.writeDescriptor
    for signalNumber in [SIGINT, SIGTERM, SIGHUP] {
        signal(signalNumber) { _ in
            var byte = WakePipe.signalByte
            _ = write(terminationWakeDescriptor, &byte, 1)
        }
    }
    signal(SIGPIPE, SIG_IGN)
}
