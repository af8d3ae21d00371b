import Foundation
import RosterCore
import RosterProviders

/// Reads fuzzed bytes as a list reply of `dialect`, as the provider reads one: the first byte
/// picks the status (mostly 200), the rest is the body. A page read is used as the list and
/// the filter use it; a refusal is an error with a message, never a crash.
public func readListReply(_ start: UnsafePointer<UInt8>, _ count: Int, dialect: Dialect) {
    let bytes = Data(bytes: start, count: count)
    let statuses = [200, 200, 200, 200, 404, 500, 401, 429]
    let status = statuses[Int(bytes.first ?? 0) % statuses.count]
    let body = bytes.count > 1 ? Data(bytes.dropFirst()) : bytes
    let headers = [(name: "Content-Type", value: "application/json")]
    let page: ContactPage?
    switch dialect {
    case .sendme123:
        let reply = HTTPReply(status: status, headers: headers, body: body, url: "https://app.sendme123.example/api/contacts?page=2&limit=100")
        page = try? SendMe123Provider.page(from: reply, page: 2, requested: 100)
    case .easify:
        let reply = HTTPReply(status: status, headers: headers, body: body, url: "https://backend.easify.example/api/v2/contacts?limit=100&page=2")
        page = try? EasifyProvider.page(from: reply, page: 2, requested: 100)
    }
    guard let page else { return }
    for contact in page.contacts { _ = contact.displayName + contact.comparablePhone + contact.comparableEmail }
    _ = page.leftOutSentence
}
