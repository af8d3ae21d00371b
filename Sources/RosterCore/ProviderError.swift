/// A failed request, typed by what the user should understand, carrying the server's own
/// message whenever it sent one.
public struct ProviderError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case badRequest
        case unauthorized
        case paymentRequired
        case forbidden
        case notFound
        case conflict
        case validation
        case rateLimited
        case server
        case unexpectedStatus
        /// The response was not the documented shape (HTML page, truncated JSON, wrong types).
        case malformedResponse
        /// Refused, reset, dropped: nothing usable came back.
        case network
        /// No answer within the time allowed; the request may or may not have been carried out.
        case timedOut
        /// Never sent: Roster withdrew it before it left (a batch stopped while it waited its turn).
        case cancelled
        /// Roster refused to send it (for example an id the dialect cannot accept).
        case invalidRequest
        /// Never sent: the journal could not record its intent (a full disk, say), so nothing
        /// destructive may leave until it can.
        case notJournalled
        /// Never sent: the rate limit asked for a longer wait than `--max-wait` allows.
        case waitTooLong
        /// Never sent: another operator's request for this contact is on the way (a claim in
        /// the team's journal); the message names them.
        case claimedElsewhere
    }

    public var kind: Kind
    public var status: Int?
    public var message: String
    /// The dialect says this refusal may mean the contact no longer exists (Easify answers a
    /// deleted contact's id with "400 Invalid contact id"): worth checking the list, never
    /// worth sending again.
    public var mayMeanGone: Bool

    /// The message is a server's words as often as Roster's: it is cleaned here, once, so
    /// whichever way it is shown (stderr, a result line, the journal, the screen) no escape
    /// code in it can act.
    public init(kind: Kind, status: Int? = nil, message: String, mayMeanGone: Bool = false) {
        self.kind = kind
        self.status = status
        self.message = Sanitizer.clean(message)
        self.mayMeanGone = mayMeanGone
    }

    /// Classifies an HTTP status the contracts document.
    public static func kind(forStatus status: Int) -> Kind {
        switch status {
        case 400: return .badRequest
        case 401: return .unauthorized
        case 402: return .paymentRequired
        case 403: return .forbidden
        case 404: return .notFound
        case 409: return .conflict
        case 422: return .validation
        case 429: return .rateLimited
        case 500...599: return .server
        default: return .unexpectedStatus
        }
    }

    /// A failure that may pass: a server error or nothing usable back. Worth another try for a
    /// request that is safe to repeat.
    public var isTransient: Bool {
        kind == .server || kind == .timedOut || (kind == .network && status == nil)
            || (kind == .malformedResponse && (status ?? 0) >= 500)
    }

    /// The request may have been carried out although no success came back: no answer, or a
    /// server error. A destructive one is of unknown fate until the account is checked.
    public var mayHaveBeenCarriedOut: Bool { isTransient }

    /// 401, 402 and 403 refuse every request alike, a journal that cannot be written refuses
    /// every destructive one, and a wait past `--max-wait` would meet every next request: a
    /// batch stops rather than repeat them.
    public var stopsEverything: Bool { [.unauthorized, .paymentRequired, .forbidden, .notJournalled, .waitTooLong].contains(kind) }

    /// Why a batch stopped on this error, as the user reads it.
    public var stopReason: String {
        [.notJournalled, .waitTooLong].contains(kind) ? message : "the account refused: \(description)"
    }

    /// What the user reads: the status, then the server's message.
    public var description: String {
        if let status { return "\(status): \(message)" }
        return message
    }
}
