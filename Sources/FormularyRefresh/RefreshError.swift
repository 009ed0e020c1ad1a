import Foundation

/// Why a refresh, or one of its sources, failed. Messages name the manifest line, the source,
/// the URL and the HTTP status as they apply.
public enum RefreshError: Error, Sendable {
    /// The manifest is not valid: file, line, what is wrong.
    case invalidManifest(file: String, line: Int, message: String)
    /// Another refresh holds the lock.
    case locked(path: String)
    /// An HTTP response that ends the fetch (4xx, or 5xx after the retries).
    case httpStatus(url: String, status: Int)
    /// The server took longer than the read timeout, after the retries.
    case timedOut(url: String, seconds: Double)
    /// The body was larger than allowed.
    case tooLarge(url: String, limit: Int64)
    /// The body ended before its announced length.
    case truncated(url: String, received: Int64, expected: Int64)
    /// The server said the body is something a formulary file is not (an HTML error page).
    case wrongContentType(url: String, contentType: String)
    /// The content's SHA-256 is not the one the manifest expects.
    case checksumMismatch(source: String, expected: String, actual: String)
    /// A transport failure (connection refused, DNS).
    case transport(url: String, reason: String)
    /// A local location that does not exist.
    case missingLocation(source: String, path: String)
}

extension RefreshError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case .invalidManifest(let file, let line, let message):
            "\(file):\(line): \(message)"
        case .locked(let path):
            "another refresh is running (it holds \(path)); this run did nothing"
        case .httpStatus(let url, let status):
            "\(url) answered HTTP \(status)"
        case .timedOut(let url, let seconds):
            "\(url) did not answer within \(seconds.formatted()) s"
        case .tooLarge(let url, let limit):
            "\(url) sent more than the \(limit.formatted()) bytes allowed"
        case .truncated(let url, let received, let expected):
            "\(url) ended after \(received.formatted()) of \(expected.formatted()) bytes"
        case .wrongContentType(let url, let contentType):
            "\(url) sent \(contentType), not a formulary file"
        case .checksumMismatch(let source, let expected, let actual):
            "\(source): content SHA-256 is \(actual), the manifest expects \(expected)"
        case .transport(let url, let reason):
            "cannot fetch \(url): \(reason)"
        case .missingLocation(let source, let path):
            "\(source): no file or folder at \(path)"
        }
    }
}
