import ArgumentParser
import Foundation
import RosterTestSupport
import RosterCore
import RosterTUI

/// Names, phones and emails like the sandbox's, without the sandbox: for in-process figures.
struct SyntheticContacts {
    private var index = 0
    private static let first = ["Ana María", "José", "Lucía", "Andrés", "Camila", "Zoë", "François", "Søren", "山田", "Дмитрий", "محمد", "Priya"]
    private static let last = ["Pérez", "García", "Müller", "Nowak", "Nguyễn", "陈", "Иванов", "Silva", "Santos", "Okafor", "Smith"]
    private static let tags = ["Customers", "Leads", "Suppliers", "Newsletter", "VIP", "Staff"]

    /// Every 9th inactive, every 13th without an email; one in 50 shares the phone of the
    /// contact 25 before it (written with spaces), so the duplicates view has groups to find.
    mutating func next() -> Contact {
        index += 1
        let name = "\(Self.first[index % Self.first.count]) \(Self.last[(index / 7) % Self.last.count])"
        let id = String(format: "%08x-%04x-4%03x-a%03x-%012x", index, index % 65536, index % 4096, (index * 7) % 4096, index * 2654435761 % 0xFFFF_FFFF_FFFF)
        let number = (index % 50 == 0 ? index - 25 : index) * 7919 % 1_000_000_000
        let phone = index % 50 == 0
            ? String(format: "+57 3%02d %03d %04d", number / 10_000_000, number / 10_000 % 1000, number % 10_000)
            : String(format: "+57 3%09d", number)
        let created = FieldDates.seconds(year: 2023 + index % 3, month: 1 + index % 12, day: 1 + index % 28)
        return Contact(
            id: ContactID(id), name: name, phone: phone, email: index % 13 == 0 ? "" : "contact\(index)@example.org",
            status: index % 9 == 0 ? "INACTIVE" : "ACTIVE",
            fields: [
                .text("tag", Self.tags[index % Self.tags.count]), .text("countryCode", "57"),
                ContactField("created", .date(created)), ContactField("updated", .date(created + Int64(index % 400) * 86_400)),
            ])
    }
}

/// A `roster sandbox` process for the figures that need a server of their own: the shared
/// one, ended with the benchmark when it is interrupted.
final class SandboxRunner {
    let sandbox: SandboxProcess
    var baseURL: String { sandbox.baseURL }

    init(arguments: [String], roster: String) throws {
        do {
            sandbox = try SandboxProcess(roster: roster, arguments: arguments)
        } catch {
            throw BenchError("\(error)")
        }
        BenchCleanup.shared.adopt(process: sandbox.process.processIdentifier)
    }

    /// Requests the sandbox answered with this method; -1 where it cannot say.
    func requests(_ method: String) -> Int {
        (try? sandbox.requestCount(method)) ?? -1
    }

    deinit {
        BenchCleanup.shared.forget(process: sandbox.process.processIdentifier)
    }
}

/// A progress line on standard error; a closed pipe is ignored rather than fatal.
func progress(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    _ = bytes.withUnsafeBufferPointer { write(STDERR_FILENO, $0.baseAddress, $0.count) }
}
