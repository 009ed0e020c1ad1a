import Foundation

/// Why an XML document could not be read: libxml2 found it malformed, the safety policy refused it,
/// or it is well-formed XML of the wrong kind. Every case says where, as 1-based line and column.
///
/// Failures of the byte source (I/O, a damaged zip) are not XML errors: they propagate unchanged.
enum XMLStreamError: Error, Hashable, Sendable {
    /// libxml2's own diagnosis (`Premature end of data in tag Basic`), with its error code.
    case malformed(message: String, code: Int, line: Int, column: Int)
    /// Refused by policy before parsing went further: a DOCTYPE, entities, a non-UTF-8 encoding.
    case refused(what: String, line: Int, column: Int)
    /// Well-formed XML, but not what the reader expected here (a root outside the FHIR namespace).
    case unexpected(expected: String, found: String, line: Int, column: Int)
    /// Past one of the parser's fixed limits, which are never lifted (`XMLStreamReader.Policy`):
    /// `limit` says which, in plain words (`nesting deeper than 256 levels is refused`).
    case limitExceeded(limit: String, line: Int, column: Int)

    var line: Int {
        switch self {
        case .malformed(_, _, let line, _), .refused(_, let line, _), .unexpected(_, _, let line, _),
             .limitExceeded(_, let line, _): line
        }
    }

    var column: Int {
        switch self {
        case .malformed(_, _, _, let column), .refused(_, _, let column), .unexpected(_, _, _, let column),
             .limitExceeded(_, _, let column): column
        }
    }

    /// The problem in the importers' common shape, so an XML failure reads like any other.
    func rowProblem(file: String) -> RowProblem {
        let field = "column \(column)"
        switch self {
        case .malformed(let message, _, _, _):
            return RowProblem(file: file, line: line, field: field, expected: "well-formed XML (libxml2: \(message))")
        case .refused(let what, _, _):
            return RowProblem(file: file, line: line, field: field, expected: "FHIR XML without \(what)")
        case .unexpected(let expected, let found, _, _):
            return RowProblem(file: file, line: line, field: field, expected: "\(expected), found \(found)")
        case .limitExceeded(let limit, _, _):
            return RowProblem(file: file, line: line, field: field, expected: "XML within the reader's limits: \(limit)")
        }
    }
}

extension XMLStreamError: LocalizedError {
    var errorDescription: String? {
        switch self {
        case .malformed(let message, _, let line, let column):
            return "malformed XML at line \(line), column \(column): \(message)"
        case .refused(let what, let line, let column):
            return "refused XML at line \(line), column \(column): \(what)"
        case .unexpected(let expected, let found, let line, let column):
            return "line \(line), column \(column): expected \(expected), found \(found)"
        case .limitExceeded(let limit, let line, let column):
            return "refused XML at line \(line), column \(column): \(limit)"
        }
    }
}
