import Foundation
@testable import FormularyImport
import Testing

/// What a test keeps of a scanned line (the line itself is only valid inside the callback).
private struct Line: Equatable, CustomStringConvertible {
    var number: Int
    var offset: Int64
    var fields: [String]
    var terminated: Bool
    var nonASCII: Bool

    var description: String { "#\(number)@\(offset) \(fields) \(terminated ? "" : "(unterminated)")" }
}

/// Scans `text` fed in the given chunk sizes (cycled) and collects every line.
private func scan(_ bytes: [UInt8], chunkSizes: [Int] = [1 << 20], maximumLineLength: Int = 16 << 20) throws -> [Line] {
    var scanner = DelimitedLineScanner(maximumLineLength: maximumLineLength)
    var lines: [Line] = []
    let collect: (ScannedLine) throws -> Void = { line in
        lines.append(Line(
            number: line.number, offset: line.byteOffset,
            fields: (0 ..< line.fieldCount).map { String(decoding: line.field($0), as: UTF8.self) },
            terminated: line.isTerminated, nonASCII: line.hasNonASCII
        ))
    }
    var start = 0
    var turn = 0
    while start < bytes.count {
        let size = max(1, chunkSizes[turn % chunkSizes.count])
        let end = min(bytes.count, start + size)
        try bytes[start ..< end].withUnsafeBytes { try scanner.feed($0, collect) }
        start = end
        turn += 1
    }
    try scanner.finish(collect)
    return lines
}

private func scan(_ text: String, chunkSizes: [Int] = [1 << 20]) throws -> [Line] {
    try scan(Array(text.utf8), chunkSizes: chunkSizes)
}

@Suite("Delimited line scanner")
struct CommonScannerTests {
    @Test("LF and CRLF files read the same, and the CR never reaches a field")
    func lineEnds() throws {
        let lf = try scan("A|B\n1|2\n")
        let crlf = try scan("A|B\r\n1|2\r\n")
        #expect(lf.map(\.fields) == [["A", "B"], ["1", "2"]])
        #expect(crlf.map(\.fields) == lf.map(\.fields))
        #expect(crlf.allSatisfy { $0.terminated })
        #expect(crlf.map(\.offset) == [0, 5])
        #expect(crlf.map(\.number) == [1, 2])
    }

    @Test("A last line without a terminator is reported as unterminated")
    func noFinalNewline() throws {
        let lines = try scan("A|B\r\n1|2")
        #expect(lines.map(\.fields) == [["A", "B"], ["1", "2"]])
        #expect(lines.map(\.terminated) == [true, false])
        #expect(lines.last?.offset == 5)
    }

    @Test("A file ending in a bare CR loses the CR but keeps the line")
    func trailingCarriageReturn() throws {
        let lines = try scan("A|B\r")
        #expect(lines == [Line(number: 1, offset: 0, fields: ["A", "B"], terminated: false, nonASCII: false)])
    }

    @Test("Empty fields, a single space and a dot are kept verbatim")
    func emptyFields() throws {
        let lines = try scan("|a|| |.|\r\n")
        #expect(lines.first?.fields == ["", "a", "", " ", ".", ""])
    }

    @Test("Blank lines are lines: numbering stays true to the file")
    func blankLines() throws {
        let lines = try scan("A\r\n\r\nB\n\nC")
        #expect(lines.map(\.fields) == [["A"], [""], ["B"], [""], ["C"]])
        #expect(lines.map(\.number) == [1, 2, 3, 4, 5])
    }

    @Test("CR CR LF is one line end, both CRs dropped; a third CR, or a CR inside a line, stays")
    func innerCarriageReturn() throws {
        let lines = try scan("a\rb|c\r\r\nd|e\r\r\r\n")
        #expect(lines.map(\.fields) == [["a\rb", "c"], ["d", "e\r"]])
        #expect(lines.map(\.number) == [1, 2])
        #expect(lines.map(\.offset) == [0, 8])
    }

    @Test("CR CR LF reads like CRLF at every chunk boundary", arguments: 1 ... 30)
    func doubleCarriageReturnChunks(split: Int) throws {
        let crcrlf = Array("A|B\r\r\n1|2\r\r\n3|4\r\r".utf8)
        let split = min(split, crcrlf.count - 1)
        let lines = try scan(crcrlf, chunkSizes: [split, crcrlf.count])
        #expect(lines.map(\.fields) == [["A", "B"], ["1", "2"], ["3", "4"]])
        #expect(lines.map(\.terminated) == [true, true, false])
    }

    /// Scans `bytes` and returns each line's first NUL position.
    private func nulPositions(_ bytes: [UInt8], chunkSizes: [Int]) throws -> [Int?] {
        var scanner = DelimitedLineScanner()
        var found: [Int?] = []
        var start = 0
        var turn = 0
        while start < bytes.count {
            let end = min(bytes.count, start + chunkSizes[turn % chunkSizes.count])
            try bytes[start ..< end].withUnsafeBytes { chunk in try scanner.feed(chunk) { found.append($0.firstNUL) } }
            start = end
            turn += 1
        }
        try scanner.finish { found.append($0.firstNUL) }
        return found
    }

    @Test("A NUL byte is found at its position in its line, whatever the chunking", arguments: [[1], [2], [3, 5], [7], [1 << 20]])
    func nulBytes(chunkSizes: [Int]) throws {
        // Line 2 holds a NUL at position 3; line 4 (unterminated) at position 0; lines 1 and 3 hold none.
        let bytes: [UInt8] = Array("A|B\r\n".utf8) + Array("12|".utf8) + [0] + Array("4\r\n".utf8)
            + Array("ok|ok\n".utf8) + [0, 0x7C, 0x41]
        #expect(try nulPositions(bytes, chunkSizes: chunkSizes) == [nil, 3, nil, 0])
    }

    @Test("An empty input has no lines")
    func emptyInput() throws {
        #expect(try scan("").isEmpty)
    }

    static let sample = "FORMULARY_ID|RXCUI|TIER\r\n00026408|1551300|2\r\n00026408|856783|1\r\n\r\n00026409|643019|5"

    @Test("Every chunk boundary, including one between CR and LF, gives the same lines", arguments: 1 ... 70)
    func chunkBoundaries(split: Int) throws {
        let bytes = Array(Self.sample.utf8)
        let whole = try scan(bytes)
        let split = min(split, bytes.count - 1)
        #expect(try scan(bytes, chunkSizes: [split, bytes.count]) == whole)
    }

    @Test("Feeding one byte at a time, or odd sizes, gives the same lines", arguments: [[1], [2], [3, 1], [5, 11, 2], [64]])
    func smallChunks(sizes: [Int]) throws {
        let bytes = Array(Self.sample.utf8)
        #expect(try scan(bytes, chunkSizes: sizes) == scan(bytes))
    }

    @Test("The CR of a CRLF pair at the end of a chunk is still dropped")
    func carriageReturnAtChunkEnd() throws {
        let bytes = Array("a|b\r\nc|d\r\n".utf8)
        let lines = try scan(bytes, chunkSizes: [4, 1, 100])
        #expect(lines.map(\.fields) == [["a", "b"], ["c", "d"]])
    }

    @Test("A line far longer than a chunk is stitched together")
    func hugeLine() throws {
        let field = String(repeating: "x", count: 3 << 20)
        let bytes = Array("\(field)|\(field)\r\nnext\r\n".utf8)
        let lines = try scan(bytes, chunkSizes: [65_536])
        #expect(lines.count == 2)
        #expect(lines.first?.fields.map(\.count) == [3 << 20, 3 << 20])
        #expect(lines.last?.fields == ["next"])
        #expect(lines.last?.offset == Int64(2 * (3 << 20) + 3))
    }

    @Test("A line past the length limit stops the scan with its number and offset")
    func lineTooLong() throws {
        let bytes = Array("ok\n\(String(repeating: "y", count: 100))\n".utf8)
        #expect(throws: DelimitedLineScanner.LineTooLong(line: 2, byteOffset: 3, limit: 50)) {
            _ = try scan(bytes, chunkSizes: [7], maximumLineLength: 50)
        }
        #expect(throws: DelimitedLineScanner.LineTooLong(line: 2, byteOffset: 3, limit: 50)) {
            _ = try scan(bytes, chunkSizes: [1000], maximumLineLength: 50)
        }
    }

    @Test("Lines with a byte of 0x80 or more are flagged for the encoding check")
    func nonASCIIFlag() throws {
        let lines = try scan([0x61, 0x7C, 0x62, 0x0A, 0xD3, 0x70, 0x0A])
        #expect(lines.map(\.nonASCII) == [false, true])
    }

    @Test("fieldIndex(containing:) finds the column of a byte")
    func fieldIndex() throws {
        var scanner = DelimitedLineScanner()
        var found: [Int] = []
        try Array("ab|cd|e\n".utf8).withUnsafeBytes { chunk in
            try scanner.feed(chunk) { line in
                found = [0, 1, 2, 3, 5, 6].map { line.fieldIndex(containing: $0) }
            }
        }
        #expect(found == [0, 0, 0, 1, 1, 2])
    }
}
