import Foundation

extension JSONError {
    /// The problem in the importers' common shape (file, line, field, value, expected), so a JSON
    /// failure reads like any other invalid row and the CLI needs no JSON-specific handling.
    public func rowProblem(file: String) -> RowProblem {
        switch self {
        case .syntax(let expected, let found, let at, let excerpt):
            return RowProblem(
                file: file, line: at.line, field: "column \(at.column) (byte \(at.offset))", value: excerpt,
                expected: "\(expected) (found \(found); the file is not valid JSON)")
        case .limitExceeded(let what, let limit, let at):
            return RowProblem(
                file: file, line: at.line, field: "column \(at.column) (byte \(at.offset))",
                expected: "\(what) of at most \(limit)")
        case .shape(let path, let expected, let found, let at):
            return RowProblem(file: file, line: at.line, field: path, expected: "\(expected), found \(found)")
        }
    }

    /// This error as the import layer's error about `file` (its display name).
    public func importError(file: String) -> ImportError {
        .invalidRows(problems: [rowProblem(file: file)], total: 1)
    }
}
