import Crypto
import Foundation
import FormularyCriteria

/// The profiles the API read lately, by the SHA-256 of their text: a clinic pre-checks one
/// patient for several options and plans in a row, and each call sends the same profile. Reading
/// the YAML was the largest part of a pre-check request (perf). Only profiles in the documented
/// format are kept (FHIR records map NDCs through the database, which a refresh may change), in
/// memory only, at most `capacity` of them, each for at most `lifetime` (the sessions' lifetime).
final class ProfileCache: @unchecked Sendable { // `state` is only touched under `lock`
    private struct Entry {
        var profile: PatientProfile
        var stored: Date
    }

    private struct State {
        var entries: [SHA256Digest: Entry] = [:]
        /// Keys oldest first, for eviction.
        var order: [SHA256Digest] = []
    }

    let capacity: Int
    let lifetime: TimeInterval
    private let lock = NSLock()
    private var state = State()

    init(capacity: Int = 256, lifetime: TimeInterval) {
        self.capacity = capacity
        self.lifetime = lifetime
    }

    /// The profile of `text`: from the cache when it was read within `lifetime`, else `read(text)`,
    /// kept when `cacheable` says the text is a profile.
    func profile(_ text: String, now: Date = Date(), cacheable: (String) -> Bool,
                 read: (String) throws -> PatientProfile) throws -> PatientProfile {
        let key = SHA256.hash(data: Data(text.utf8))
        if let hit = cached(key, now: now) { return hit }
        let profile = try read(text)
        guard cacheable(text) else { return profile }
        lock.withLock {
            if state.entries.updateValue(Entry(profile: profile, stored: now), forKey: key) == nil { state.order.append(key) }
            while state.order.count > capacity {
                state.entries[state.order.removeFirst()] = nil
            }
        }
        return profile
    }

    private func cached(_ key: SHA256Digest, now: Date) -> PatientProfile? {
        lock.withLock {
            guard let entry = state.entries[key] else { return nil }
            guard now.timeIntervalSince(entry.stored) < lifetime else {
                state.entries[key] = nil
                state.order.removeAll { $0 == key }
                return nil
            }
            return entry.profile
        }
    }

    var count: Int { lock.withLock { state.entries.count } }
}
