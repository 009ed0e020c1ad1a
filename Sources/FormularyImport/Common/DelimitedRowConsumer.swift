/// Turns the rows of one delimited table into model values. `DelimitedTableReader` calls it
/// with the header first, then each row, then once at the end.
protocol DelimitedRowConsumer {
    /// Finds the columns the consumer reads. Missing required columns are collected by `columns`.
    mutating func bind(_ columns: inout ColumnBinder)
    /// Reads one row. Throws `FieldProblem` for bad input, having emitted nothing for that row;
    /// any other error (from the sink) ends the import.
    mutating func consume(_ row: DelimitedRow) throws
    /// Called after the last row and before the file is closed: emit what was accumulated.
    mutating func finish() throws
}

extension DelimitedRowConsumer {
    mutating func finish() throws {}
}
