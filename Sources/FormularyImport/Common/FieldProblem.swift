/// Why one field of a row cannot be imported: thrown by row parsers, and turned into a
/// `RowProblem` (with file, line and column name) or a rejected row by the table reader.
///
/// It names the column by position, so rows need not carry the header's names: the reader,
/// which has them, fills them in for the rare row that is bad.
struct FieldProblem: Error, Hashable, Sendable {
    /// The column's position in the header; `nil` for problems with the row as a whole.
    var column: Int?
    /// The value as read.
    var value: String?
    /// What was expected, in plain words.
    var expected: String
}
