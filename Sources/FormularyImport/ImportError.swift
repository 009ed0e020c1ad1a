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
    /// A file that a QHP `cms-data-index.json` lists is not next to it: `path` is where it was
    /// looked for, `index` the index that lists it, `listedAs` the URL the index gives. Like
    /// `fileNotFound`, this is a file that does not exist (the command line's exit 66).
    case listedFileNotFound(path: String, index: String, listedAs: String)
    /// An archive passed one of the bounds on what it may expand to (`ArchiveLimits`), so it was
    /// not read further: `archive` is the input archive, `entry` the entry that passed the bound,
    /// `allowed` the bound and `reached` the number that passed it.
    case archiveLimitExceeded(archive: String, entry: String, limit: ArchiveLimit, allowed: Int64, reached: Int64)
}

/// Which bound of `ArchiveLimits` an archive passed.
public enum ArchiveLimit: Hashable, Sendable {
    /// The bytes decompressed from the archive and every archive nested in it. `archiveBytes` is
    /// the archive's own size; `isDefault` tells whether the bound is the default (a multiple of
    /// that size) or one set through `ImportOptions.maxExpandedBytes`.
    case expandedBytes(archiveBytes: Int64, isDefault: Bool)
    /// The entries of the archive and every archive nested in it.
    case entries
    /// How many archives deep an entry is (the input archive is 1).
    case nestingDepth
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
            return Self.describeInvalidRows(problems: problems, total: total)
        case .listedFileNotFound(let path, let index, let listedAs):
            return "no such file: \(path), which \(index) lists (as \(listedAs)); nothing was imported. "
                + "Import reads local files only and never downloads: save the file next to the index "
                + "(fetching is the refresh command's job)"
        case .archiveLimitExceeded(let archive, let entry, let limit, let allowed, let reached):
            return "cannot import \(archive): \(Self.describe(limit, entry: entry, allowed: allowed, reached: reached)); "
                + "nothing was imported"
        }
    }

    /// The headline says what kind of problem it is: a problem with a whole file (line 0) is not
    /// "1 invalid row".
    private static func describeInvalidRows(problems: [RowProblem], total: Int) -> String {
        let listed = problems.prefix(listedProblemLimit)
        let fileProblems = listed.filter { $0.line == 0 }
        if total == 1, let only = problems.first, only.line == 0 {
            return "cannot import \(only.file): \(ProblemText.withoutFile(only)); nothing was imported"
        }
        var lines: [String]
        if !fileProblems.isEmpty, fileProblems.count == total {
            let files = Array(Set(fileProblems.map(\.file))).sorted().joined(separator: ", ")
            lines = ["cannot import \(files): \(total) problems with the file\(Set(fileProblems.map(\.file)).count == 1 ? "" : "s") as a whole; nothing was imported:"]
        } else if !fileProblems.isEmpty {
            lines = ["\(total) problems, with whole files and with rows; nothing was imported:"]
        } else {
            lines = ["\(total) invalid row\(total == 1 ? "" : "s"); nothing was imported:"]
        }
        lines += listed.map { "  \($0)" }
        let rest = total - listed.count
        if rest > 0 { lines.append("  … and \(rest) more") }
        return lines.joined(separator: "\n")
    }

    private static func describe(_ limit: ArchiveLimit, entry: String, allowed: Int64, reached: Int64) -> String {
        switch limit {
        case .expandedBytes(let archiveBytes, let isDefault):
            let origin = isDefault
                ? "the default, \(ArchiveLimits.expansionFactor)× the archive's \(grouped(archiveBytes)) bytes and at least "
                    + "\(grouped(ArchiveLimits.minimumExpandedBytes)) bytes; --max-expanded-bytes sets another"
                : "set with --max-expanded-bytes"
            return "it expands to more than its limit of \(grouped(allowed)) bytes (\(origin)): "
                + "entry \(entry) brings it to \(grouped(reached)) bytes, so it was not read further"
        case .entries:
            return "it holds more than its limit of \(grouped(allowed)) entries, counting those of nested archives: "
                + "entry \(entry) is number \(grouped(reached))"
        case .nestingDepth:
            return "entry \(entry) is an archive nested \(reached) deep; archives are opened at most \(allowed) deep"
        }
    }

    /// A count with thousands separators, the same in every locale: `1,153,433`.
    static func grouped(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var text = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return value < 0 ? "-" + text : text
    }
}

/// Pieces of a `RowProblem`'s text.
enum ProblemText {
    /// The problem without its file and line: `TIER_LEVEL_VALUE = "X": expected …`.
    static func withoutFile(_ problem: RowProblem) -> String {
        var located = problem
        located.file = ""
        located.line = 0
        let text = located.description
        return text.hasPrefix(": ") ? String(text.dropFirst(2)) : text
    }
}
