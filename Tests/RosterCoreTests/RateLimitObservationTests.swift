import Foundation
import Testing
@testable import RosterCore

@Suite("Reading rate-limit headers")
struct RateLimitObservationTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func laravelHeadersWithUnixReset() {
        let observation = RateLimitObservation.parse(
            headers: [("X-RateLimit-Limit", "60"), ("X-RateLimit-Remaining", "0"), ("X-RateLimit-Reset", "1800000030"), ("Retry-After", "30")],
            body: nil, now: now)
        #expect(observation.limit == 60)
        #expect(observation.remaining == 0)
        #expect(observation.resetAt == now.addingTimeInterval(30))
        #expect(observation.retryAt == now.addingTimeInterval(30))
    }

    @Test func resetInSecondsIsToldApartFromUnixTime() {
        let observation = RateLimitObservation.parse(headers: [("x-ratelimit-reset", "42")], body: nil, now: now)
        #expect(observation.resetAt == now.addingTimeInterval(42))
    }

    @Test func ietfDraftFields() {
        let observation = RateLimitObservation.parse(
            headers: [("RateLimit-Limit", "100"), ("RateLimit-Remaining", "7"), ("RateLimit-Reset", "12")], body: nil, now: now)
        #expect(observation == RateLimitObservation(limit: 100, remaining: 7, resetAt: now.addingTimeInterval(12)))
    }

    @Test func structuredFields() {
        let observation = RateLimitObservation.parse(
            headers: [("RateLimit", "\"default\";r=50;t=30"), ("RateLimit-Policy", "\"default\";q=100;w=60")], body: nil, now: now)
        #expect(observation == RateLimitObservation(limit: 100, remaining: 50, resetAt: now.addingTimeInterval(30), window: 60))
    }

    @Test func retryAfterAsHTTPDate() {
        let observation = RateLimitObservation.parse(
            headers: [("Retry-After", "Fri, 15 Jan 2027 08:00:10 GMT")], body: nil, now: now)
        #expect(observation.retryAt == now.addingTimeInterval(10))
    }

    @Test func easifyBodySaysWhenToTryAgain() {
        let body = #"{"status":false,"message":"Too many requests. Try again in 59 seconds","errors":[]}"#
        let observation = RateLimitObservation.parse(headers: [], body: body, now: now)
        #expect(observation.retryAt == now.addingTimeInterval(59))
    }

    @Test func malformedValuesAreIgnored() {
        let observation = RateLimitObservation.parse(
            headers: [("X-RateLimit-Limit", "sixty"), ("X-RateLimit-Remaining", "-3"), ("Retry-After", "soon"), ("RateLimit", "garbage")],
            body: "not json", now: now)
        #expect(observation.isEmpty)
    }
}

