import FormularyModel

/// Keeps the account of bad input across one import and applies the reject allowance.
///
/// Every problem is counted, but only the first `ImportError.listedProblemLimit` are kept for
/// the message, so a file with a million bad rows costs no memory. Row problems may be skipped
/// as rejects while their number stays within `maxRejects`; problems with a file as a whole
/// (a missing column, an empty file) can never be skipped.
struct ProblemLedger {
    let maxRejects: Int
    /// The first problems found, for the error message.
    private(set) var problems: [RowProblem] = []
    /// Every problem found.
    private(set) var total = 0
    /// Rows skipped under the allowance.
    private(set) var rejects: [RejectedRow] = []
    /// Set by a problem no allowance covers.
    private(set) var hasFileProblem = false

    init(maxRejects: Int) {
        self.maxRejects = max(0, maxRejects)
    }

    /// True once the import can no longer succeed; readers may stop early.
    var hasFailed: Bool { hasFileProblem || total > maxRejects }

    /// Records a bad row. `raw` is evaluated only when the row is kept as a reject.
    mutating func reject(_ problem: RowProblem, raw: @autoclosure () -> String) {
        note(problem)
        if total <= maxRejects {
            rejects.append(RejectedRow(file: problem.file, line: problem.line, reason: Self.reason(problem), raw: raw()))
        }
    }

    /// The problem without file and line: `TIER_LEVEL_VALUE = "X": expected …`.
    static func reason(_ problem: RowProblem) -> String {
        var located = problem
        located.file = ""
        located.line = 0
        let text = located.description
        return text.hasPrefix(": ") ? String(text.dropFirst(2)) : text
    }

    /// Records a problem with a file as a whole; the import will fail.
    mutating func fileProblem(_ problem: RowProblem) {
        hasFileProblem = true
        note(problem)
    }

    private mutating func note(_ problem: RowProblem) {
        total += 1
        if problems.count < ImportError.listedProblemLimit { problems.append(problem) }
    }

    /// The rejects when the import may go on; `ImportError.invalidRows` otherwise.
    func settle() throws -> [RejectedRow] {
        if hasFailed { throw ImportError.invalidRows(problems: problems, total: total) }
        return rejects
    }
}
