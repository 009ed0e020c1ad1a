import Foundation

/// One problem found in a source file: where, which field, what value, what was expected.
public struct RowProblem: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// 1-based line number; 0 when the problem is about the file as a whole.
    public var line: Int
    /// The column or field name, where there is one.
    public var field: String?
    /// The offending value as read (truncated for display).
    public var value: String?
    /// What was expected instead, in plain words.
    public var expected: String

    public init(file: String, line: Int, field: String? = nil, value: String? = nil, expected: String) {
        self.file = file
        self.line = line
        self.field = field
        self.value = value
        self.expected = expected
    }

    public var description: String {
        var text = line > 0 ? "\(file):\(line)" : file
        if let field { text += ": \(field)" }
        if let value { text += " = \(RowProblem.quoted(value))" }
        text += ": expected \(expected)"
        return text
    }

    /// Shows a value with its invisible characters, cut to a readable length.
    static func quoted(_ value: String) -> String {
        let cut = value.count > 60 ? String(value.prefix(60)) + "…" : value
        return "\"" + cut.replacingOccurrences(of: "\r", with: "\\r").replacingOccurrences(of: "\n", with: "\\n") + "\""
    }
}

/// Why an import failed. Nothing of a failed import is stored.
public enum ImportError: Error, Sendable {
    /// No file exists at the path.
    case fileNotFound(path: String)
    /// The path could not be read (permissions, I/O).
    case unreadable(path: String, reason: String)
    /// The inputs are not a format `formulary` can recognize.
    case unrecognizedFormat(path: String, reason: String)
    /// A required file of the format is missing from the inputs.
    case missingFile(format: String, role: String, looked: [String])
    /// A zip archive is damaged or is not a zip at all.
    case badArchive(path: String, reason: String)
    /// Rows were invalid. `problems` lists at most 20; `total` counts them all.
    case invalidRows(problems: [RowProblem], total: Int)
}

extension ImportError: LocalizedError {
    /// The most problems an error message lists before counting the rest.
    public static let listedProblemLimit = 20

    public var errorDescription: String? {
        switch self {
        case .fileNotFound(let path):
            return "no such file or folder: \(path)"
        case .unreadable(let path, let reason):
            return "cannot read \(path): \(reason)"
        case .unrecognizedFormat(let path, let reason):
            return "cannot tell the format of \(path): \(reason)"
        case .missingFile(let format, let role, let looked):
            return "\(format) import needs a \(role) file; none found in \(looked.joined(separator: ", "))"
        case .badArchive(let path, let reason):
            return "\(path) is not a readable zip archive: \(reason)"
        case .invalidRows(let problems, let total):
            var lines = ["\(total) invalid row\(total == 1 ? "" : "s"); nothing was imported:"]
            lines += problems.prefix(ImportError.listedProblemLimit).map { "  \($0)" }
            let rest = total - min(problems.count, ImportError.listedProblemLimit)
            if rest > 0 { lines.append("  … and \(rest) more") }
            return lines.joined(separator: "\n")
        }
    }
}
