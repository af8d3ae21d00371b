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

    /// Issue: `X-RateLimit-Reset: 1e300` or `inf` crashed the gauge ("Double value cannot be
    /// converted to Int"); `Retry-After: 99999999999` made a wait without end. Every figure is
    /// held to a day from now; a reset in milliseconds is read as one.
    @Test func absurdFiguresAreHeldToWhatCanBeTrue() {
        let day = now.addingTimeInterval(RateLimitObservation.ceiling)
        for reset in ["1e300", "99999999999", "1e20"] {
            let observation = RateLimitObservation.parse(headers: [("X-RateLimit-Reset", reset)], body: nil, now: now)
            #expect(observation.resetAt == day, "\(reset)")
        }
        for nonsense in ["inf", "-inf", "nan", "-5", "soon"] {
            #expect(RateLimitObservation.parse(headers: [("X-RateLimit-Reset", nonsense), ("RateLimit-Reset", nonsense)], body: nil, now: now).resetAt == nil)
        }
        let milliseconds = RateLimitObservation.parse(headers: [("X-RateLimit-Reset", "1800000030000")], body: nil, now: now)
        #expect(milliseconds.resetAt == now.addingTimeInterval(30), "a Unix time in milliseconds")
        let retry = RateLimitObservation.parse(headers: [("Retry-After", "99999999999")], body: nil, now: now)
        #expect(retry.retryAt == day)
        let huge = RateLimitObservation.parse(headers: [("X-RateLimit-Limit", "9223372036854775807"), ("X-RateLimit-Remaining", "0")], body: nil, now: now)
        #expect(huge.limit == RateLimitObservation.largestCount)
        let body = RateLimitObservation.parse(headers: [], body: "Too many requests. Try again in 99999999999999999999999 seconds", now: now)
        #expect(body.retryAt.map { $0 <= day } == true)
        #expect(RateLimitObservation.parse(headers: [("RateLimit-Policy", "\"d\";q=10;w=inf")], body: nil, now: now).window == nil)
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

