/// Where in a JSON document something happened, so an error can send a person straight to the byte.
///
/// Lines are counted at line feeds (so CRLF files count the same as LF files); columns are
/// 1-based and counted in bytes, because the tokenizer never decodes text it does not return.
public struct JSONPosition: Hashable, Sendable, CustomStringConvertible {
    /// 0-based byte offset from the start of the input.
    public var offset: Int64
    /// 1-based line number.
    public var line: Int
    /// 1-based byte column within the line.
    public var column: Int

    public init(offset: Int64, line: Int, column: Int) {
        self.offset = offset
        self.line = line
        self.column = column
    }

    public var description: String { "line \(line), column \(column) (byte \(offset))" }
}
