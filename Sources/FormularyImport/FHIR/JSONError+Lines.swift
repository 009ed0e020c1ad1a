extension JSONError {
    /// The same error with its position moved into a larger input: NDJSON reads each line as a
    /// document of its own, so the tokenizer's line 1 is the file's line `line`, `offset` bytes in.
    func relocated(toLine line: Int, offset: Int64) -> JSONError {
        func move(_ position: JSONPosition) -> JSONPosition {
            JSONPosition(offset: offset + position.offset, line: line + position.line - 1, column: position.column)
        }
        switch self {
        case .syntax(let expected, let found, let at, let excerpt):
            return .syntax(expected: expected, found: found, at: move(at), excerpt: excerpt)
        case .limitExceeded(let what, let limit, let at):
            return .limitExceeded(what: what, limit: limit, at: move(at))
        case .shape(let path, let expected, let found, let at):
            return .shape(path: path, expected: expected, found: found, at: move(at))
        }
    }
}
