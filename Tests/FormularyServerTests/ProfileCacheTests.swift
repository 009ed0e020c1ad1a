import Foundation
import Testing
import FormularyCriteria
@testable import FormularyServer

/// The API's cache of profiles read: a repeated text is read once, records are never kept, and
/// entries leave by age and by count.
@Suite("formulary serve: profile cache")
struct ProfileCacheTests {
    final class Reads: @unchecked Sendable {
        var count = 0
    }

    static func profile(_ id: String) -> PatientProfile {
        var profile = PatientProfile(id: id)
        profile.plans = ["99990AZ0010001"]
        return profile
    }

    @Test("the same text is read once; records are read every time; old and surplus entries go")
    func cache() throws {
        let cache = ProfileCache(capacity: 2, lifetime: 60)
        let reads = Reads()
        let read: (String) throws -> PatientProfile = { text in
            reads.count += 1
            return Self.profile(text)
        }
        let start = Date(timeIntervalSince1970: 1_000_000)
        #expect(try cache.profile("a", now: start, cacheable: { _ in true }, read: read).id == "a")
        #expect(try cache.profile("a", now: start.addingTimeInterval(1), cacheable: { _ in true }, read: read).id == "a")
        #expect(reads.count == 1)
        _ = try cache.profile("records", now: start, cacheable: { _ in false }, read: read)
        _ = try cache.profile("records", now: start, cacheable: { _ in false }, read: read)
        #expect(reads.count == 3 && cache.count == 1)
        // Past the lifetime the text is read again.
        _ = try cache.profile("a", now: start.addingTimeInterval(61), cacheable: { _ in true }, read: read)
        #expect(reads.count == 4)
        // At most two kept: the oldest leaves.
        _ = try cache.profile("b", now: start.addingTimeInterval(62), cacheable: { _ in true }, read: read)
        _ = try cache.profile("c", now: start.addingTimeInterval(63), cacheable: { _ in true }, read: read)
        #expect(cache.count == 2)
        _ = try cache.profile("a", now: start.addingTimeInterval(64), cacheable: { _ in true }, read: read)
        #expect(reads.count == 7)
        // A read that fails is not kept.
        #expect(throws: CancellationError.self) { try cache.profile("bad", cacheable: { _ in true }) { _ in throw CancellationError() } }
        #expect(cache.count == 2)
    }
}
