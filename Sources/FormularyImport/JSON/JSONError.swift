import Foundation

/// Why a JSON document could not be read: bad bytes, a broken limit, or valid JSON of the wrong shape.
///
/// Every case says where: syntax and limit errors carry the byte position (syntax errors a short
/// excerpt too), shape errors the JSON path (`$[1523].plans[4].drug_tier`) a person can look up.
/// Failures of the byte source (I/O, a damaged zip) are not JSON errors: they propagate unchanged.
public enum JSONError: Error, Hashable, Sendable {
    /// The bytes are not JSON per RFC 8259: a stray character, a bad escape, invalid UTF-8, a truncated document.
    case syntax(expected: String, found: String, at: JSONPosition, excerpt: String)
    /// The input went past one of the reader's `JSONLimits`.
    case limitExceeded(what: String, limit: Int, at: JSONPosition)
    /// The document is valid JSON but not what the reader expected at `path`.
    case shape(path: String, expected: String, found: String, at: JSONPosition)

    /// Where the problem is.
    public var position: JSONPosition {
        switch self {
        case .syntax(_, _, let at, _), .limitExceeded(_, _, let at), .shape(_, _, _, let at): at
        }
    }
}

extension JSONError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case .syntax(let expected, let found, let at, let excerpt):
            return "invalid JSON at \(at): expected \(expected), found \(found), near \(RowProblem.quoted(excerpt))"
        case .limitExceeded(let what, let limit, let at):
            return "JSON input at \(at) exceeds the \(what) limit of \(limit)"
        case .shape(let path, let expected, let found, let at):
            return "\(path): expected \(expected), found \(found) (\(at))"
        }
    }
}
