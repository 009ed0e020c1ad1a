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

    public init(host: String = "127.0.0.1", port: Int = 8080, token: String? = nil, databasePath: String,
                documents: DocumentChoice = .init(), maxBodyBytes: Int = 5 << 20, sessionLifetime: TimeInterval = 2 * 3600) {
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

    public var errorDescription: String? {
        switch self {
        case .tokenRequired(let host):
            "listening on \(host) reaches beyond this machine: give --token-file FILE (clients then send Authorization: Bearer TOKEN), or keep the default 127.0.0.1 and put a TLS reverse proxy in front"
        case .tokenFile(let path, let reason): "token file \(path): \(reason)"
        case .badPort(let port): "--port must be 0…65535, not \(port)"
        }
    }
}
