import Crypto
import Foundation
import FormularyCriteria

/// What the browser of one person holds on the server: the patient they uploaded (in memory only,
/// never written unless they save it to the watchlist), and whether they gave the access token.
struct BrowserSession: Sendable {
    var id: String
    var created: Date
    var lastUsed: Date
    /// The profile as uploaded (YAML or JSON text) and as read.
    var patientText: String?
    var patientFile: String?
    var patient: PatientProfile?
    var authenticated = false
}

/// The sessions, in memory, forgotten after their lifetime or when there are too many.
actor SessionStore {
    private var sessions: [String: BrowserSession] = [:]
    let lifetime: TimeInterval
    let limit: Int
    /// Signs CSRF tokens; new each start, so a restart invalidates every form.
    private let secret = SymmetricKey(size: .bits256)

    init(lifetime: TimeInterval, limit: Int = 2_000) {
        self.lifetime = lifetime
        self.limit = limit
    }

    /// The session for `id`, or a new one (with a new id) when it is unknown or expired.
    func session(_ id: String?, now: Date = Date()) -> BrowserSession {
        if let id, var session = sessions[id], now.timeIntervalSince(session.lastUsed) < lifetime {
            session.lastUsed = now
            sessions[id] = session
            return session
        }
        expire(now: now)
        let session = BrowserSession(id: Self.randomID(), created: now, lastUsed: now)
        sessions[session.id] = session
        return session
    }

    func update(_ session: BrowserSession) {
        sessions[session.id] = session
    }

    /// The CSRF token of a session: an HMAC of its id, so it needs no storage.
    func csrfToken(for id: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: Data(id.utf8), using: secret)).map { String(format: "%02x", $0) }.joined()
    }

    func verify(csrf token: String?, for id: String) -> Bool {
        guard let token else { return false }
        let expected = csrfToken(for: id)
        // Constant time: compare every byte.
        guard token.utf8.count == expected.utf8.count else { return false }
        return zip(token.utf8, expected.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    private func expire(now: Date) {
        sessions = sessions.filter { now.timeIntervalSince($0.value.lastUsed) < lifetime }
        if sessions.count >= limit, let oldest = sessions.min(by: { $0.value.lastUsed < $1.value.lastUsed })?.key {
            sessions.removeValue(forKey: oldest)
        }
    }

    static func randomID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in String(generator.next() as UInt64, radix: 16) }.joined()
    }
}
