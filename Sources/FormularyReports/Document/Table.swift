/// A data table: a caption, column headers, and rows whose first cell can head the row.
struct Table: Sendable {
    var caption: String
    var headers: [String]
    var rows: [[[Inline]]]
    /// When true the first cell of each row is a row header (`<th scope="row">`).
    var rowHeaders: Bool = true
    /// CSS class hint for column widths (`checklist`, `compare`), a fixed code-chosen word.
    var style: String? = nil
}
