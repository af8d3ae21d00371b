import Foundation
import Testing
import RosterCore
@testable import RosterProviders

@Suite("Reading error responses")
struct ResponseReadingTests {
    func reply(_ status: Int, _ body: String, contentType: String = "application/json") -> HTTPReply {
        HTTPReply(status: status, headers: [("Content-Type", contentType)], body: Data(body.utf8), url: "http://127.0.0.1:1/api/contacts")
    }

    @Test func theServersMessageIsFoundWhereverItIs() {
        #expect(ResponseReading.error(for: reply(409, #"{"message":"Busy","statusCode":409}"#)).message == "Busy")
        #expect(ResponseReading.error(for: reply(500, #"{"error":{"message":"Database down"}}"#)).message == "Database down")
        #expect(ResponseReading.error(for: reply(422, #"{"errors":{"contact_id":["The contact id field is required."]}}"#)).message
            == "The contact id field is required.")
    }

    @Test func aNonJSONErrorPageFallsBackToTheStatusLine() {
        let error = ResponseReading.error(for: reply(502, "<html><body>Bad gateway</body></html>", contentType: "text/html"))
        #expect(error.kind == .server)
        #expect(error.status == 502)
        #expect(error.message.hasPrefix("Bad Gateway (text/html: <html>"))
    }

    @Test func aTruncatedSuccessBodyIsMalformedNotACrash() {
        #expect(throws: ProviderError.self) { try ResponseReading.json(reply(200, #"{"data":[{"id":"#)) }
        do {
            _ = try ResponseReading.json(reply(200, #"{"data":[{"id":"#))
        } catch {
            #expect(error.kind == .malformedResponse)
            #expect(error.status == 200)
        }
    }

    @Test func contactsWithoutIdsAreRejected() {
        #expect(SendMe123Provider.contact(from: JSONValue.decode(Data(#"{"name":"x"}"#.utf8))!) == nil)
        #expect(EasifyProvider.contact(from: JSONValue.decode(Data(#"["x"]"#.utf8))!) == nil)
    }
}
