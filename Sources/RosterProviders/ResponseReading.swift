import Foundation
import RosterCore

/// Turns replies into values or typed errors. Server text is read wherever the dialect puts
/// it; a body that is not the documented shape becomes a clear error with the status code.
enum ResponseReading {
    static func json(_ reply: HTTPReply) throws(ProviderError) -> JSONValue {
        guard let value = JSONValue.decode(reply.body) else {
            throw ProviderError(
                kind: .malformedResponse, status: reply.status,
                message: "the server's answer is not JSON (\(snippet(reply)))")
        }
        return value
    }

    /// Throws the typed error for any status outside 2xx.
    static func requireSuccess(_ reply: HTTPReply) throws(ProviderError) {
        guard !(200..<300).contains(reply.status) else { return }
        throw error(for: reply)
    }

    static func error(for reply: HTTPReply) -> ProviderError {
        let kind = ProviderError.kind(forStatus: reply.status)
        if let value = JSONValue.decode(reply.body), let message = serverMessage(in: value) {
            return ProviderError(kind: kind, status: reply.status, message: message)
        }
        let reason = HTTPStatusText.reason(reply.status)
        let detail = reply.body.isEmpty ? "" : " (\(snippet(reply)))"
        return ProviderError(kind: kind, status: reply.status, message: reason + detail)
    }

    /// The server's own message: `message`, `error.message`, `error`, or the first validation
    /// error, in that order.
    static func serverMessage(in value: JSONValue) -> String? {
        if let message = value["message"]?.stringValue, !message.isEmpty { return message }
        if let message = value["error"]?["message"]?.stringValue, !message.isEmpty { return message }
        if let message = value["error"]?.stringValue, !message.isEmpty { return message }
        if let errors = value["errors"]?.objectValue {
            for key in errors.keys.sorted() {
                if let first = errors[key]?.arrayValue?.first?.stringValue { return first }
                if let text = errors[key]?.stringValue { return text }
            }
        }
        return nil
    }

    /// A 404 on the list means no contact list lives at that URL: almost always a base URL
    /// without (or with) the API's path. The message names the URL tried and what the dialect's
    /// base URL looks like.
    static func requireList(_ reply: HTTPReply, hint: String) throws(ProviderError) {
        guard reply.status == 404 else { return try requireSuccess(reply) }
        let server = error(for: reply).message
        throw ProviderError(
            kind: .notFound, status: 404,
            message: "no contact list at \(reply.url) (the server said: \(server)); check the base URL: \(hint)")
    }

    static func malformed(_ reply: HTTPReply, _ what: String) -> ProviderError {
        ProviderError(kind: .malformedResponse, status: reply.status, message: "unexpected answer from the server: \(what)")
    }

    private static func snippet(_ reply: HTTPReply) -> String {
        let contentType = reply.headers.first { $0.name.lowercased() == "content-type" }?.value
        let text = reply.bodyText.replacingOccurrences(of: "\n", with: " ")
        let preview = text.count > 60 ? String(text.prefix(60)) + "…" : text
        if let contentType { return "\(contentType): \(preview)" }
        return preview.isEmpty ? "empty body" : preview
    }
}

enum HTTPStatusText {
    static func reason(_ status: Int) -> String {
        let reasons = [
            400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
            404: "Not Found", 409: "Conflict", 422: "Unprocessable Content", 429: "Too Many Requests",
            500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Gateway Timeout",
        ]
        return reasons[status] ?? "HTTP \(status)"
    }
}
