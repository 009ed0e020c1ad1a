/// Turns the rows of one RRF file into what the RxNorm import keeps. `RRFTableReader` calls it
/// with each well-formed row, then once at the end.
protocol RRFRowConsumer {
    /// Reads one row. Throws `FieldProblem` for bad input, having changed nothing for that row;
    /// any other error (from the sink) ends the import.
    mutating func consume(_ row: RRFRow) throws
    /// Called after the last row and before the file is closed: emit what was held back.
    mutating func finish() throws
}

extension RRFRowConsumer {
    mutating func finish() throws {}
}
