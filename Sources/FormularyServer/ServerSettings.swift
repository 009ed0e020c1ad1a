import Foundation
import FormularyApp

/// How `formulary serve` runs: where it listens, the database and documents, and the token a
/// non-loopback listener requires.
public struct ServerSettings: Sendable {
    public var host: String
    public var port: Int
    /// Required (and read from `--token-file`) when `host` is not a loopback address.
    public var token: String?
    public var databasePath: String
    public var documents: DocumentChoice
    /// Request bodies larger than this are refused with 413.
    public var maxBodyBytes: Int
    /// Uploaded patients older than this are forgotten.
    public var sessionLifetime: TimeInterval
    /// How many plans' formulary lines the server keeps in memory between imports (0: none).
    /// A plan's lines for the analyzer's drugs are the same for every patient until an import
    /// or prune, and a clinic checks many patients against few plans.
    public var planCache: Int

    public static let defaultPlanCache = 128
    /// Threads that move the sockets' bytes (handlers run on Swift's pool, one thread per core):
    /// one per four cores, at least one (see `WebServer.eventLoops`).
    public var eventLoops: Int

    public static var defaultEventLoops: Int { max(1, ProcessInfo.processInfo.activeProcessorCount / 4) }

    public init(host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, databasePath: String,
                documents: DocumentChoice = .init(), maxBodyBytes: Int = 5 << 20, sessionLifetime: TimeInterval = 2 * 3600,
                planCache: Int = defaultPlanCache, eventLoops: Int = defaultEventLoops) {
        self.planCache = planCache
        self.eventLoops = eventLoops
        self.host = host
        self.port = port
        self.token = token
        self.databasePath = databasePath
        self.documents = documents
        self.maxBodyBytes = maxBodyBytes
        self.sessionLifetime = sessionLifetime
    }

    /// True for 127.0.0.0/8, ::1 and localhost: only this machine can connect.
    public static func isLoopback(_ host: String) -> Bool {
        let lower = host.lowercased()
        return lower == "localhost" || lower == "::1" || lower == "[::1]" || lower.hasPrefix("127.")
    }

    /// Refuses to listen beyond this machine without a token.
    public func validate() throws {
        if !Self.isLoopback(host) && (token ?? "").isEmpty {
            throw ServerError.tokenRequired(host: host)
        }
        guard (0...65_535).contains(port) else { throw ServerError.badPort(port) }
        guard planCache >= 0 else { throw ServerError.badPlanCache(planCache) }
        guard (1...64).contains(eventLoops) else { throw ServerError.badEventLoops(eventLoops) }
    }

    /// Reads a bearer token file: the first line, which must hold at least 16 characters.
    public static func readToken(_ path: String) throws -> String {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw ServerError.tokenFile(path: path, reason: "cannot read it")
        }
        let token = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard token.count >= 16 else { throw ServerError.tokenFile(path: path, reason: "the token must be at least 16 characters on the first line") }
        return token
    }
}

/// Why the server does not start.
public enum ServerError: Error, Sendable, LocalizedError {
    case tokenRequired(host: String)
    case tokenFile(path: String, reason: String)
    case badPort(Int)
    case badPlanCache(Int)
    case badEventLoops(Int)

    public var errorDescription: String? {
        switch self {
        case .tokenRequired(let host):
            "listening on \(host) reaches beyond this machine: give --token-file FILE (clients then send Authorization: Bearer TOKEN), or keep the default 127.0.0.1 and put a TLS reverse proxy in front"
        case .tokenFile(let path, let reason): "token file \(path): \(reason)"
        case .badPort(let port): "--port must be 0…65535, not \(port)"
        case .badPlanCache(let count): "--plan-cache must be 0 or more plans, not \(count)"
        case .badEventLoops(let count): "--event-loops must be 1…64, not \(count)"
        }
    }
}
