import Foundation
@testable import FormularyImport
import Testing

/// Inputs the fuzz targets (Sources/Fuzz*, Tests/Fuzz/run.sh) found to break a component, minimised,
/// each pinned to the behaviour of the fix. The fuzz targets' own checks run as part of these tests
/// only through the inputs below; the fuzz run itself is `bash Tests/Fuzz/run.sh`.
@Suite("Fuzz regressions")
struct FuzzRegressionTests {
    /// FuzzJSON, crash-14fb7a9a: a number that ends with the input, after a refill that slid the
    /// buffer, kept a stale end index: its text took one byte from past the input and
    /// `bytesConsumed` overshot the input's size.
    @Test(arguments: [1 << 20, 64])
    func numberAtTheEndOfTheInput(readSize: Int) throws {
        for (text, number) in [("\n11111", "11111"), ("   -0.5e7", "-0.5e7"), ("\n\n1", "1")] {
            for maxRead in [Int.max, 1, 2, 3] {
                let bytes = Array(text.utf8)
                let tokenizer = JSONTokenizer(source: InMemoryJSONSource(bytes, maxReadSize: maxRead), readSize: readSize)
                #expect(try tokenizer.next() == .number)
                #expect(tokenizer.numberText() == number, "\(text.debugDescription), reads of \(maxRead)")
                #expect(tokenizer.bytesConsumed == Int64(bytes.count), "\(text.debugDescription), reads of \(maxRead)")
                #expect(try tokenizer.next() == .endOfDocument)
            }
        }
    }

    /// The same inside a document cut off after a number: the number reads as written, then the
    /// truncation is reported at the end of the input.
    @Test func numberCutOffInsideAnArray() throws {
        let bytes = Array(" [1, 23".utf8)
        let tokenizer = JSONTokenizer(source: InMemoryJSONSource(bytes), readSize: 64)
        #expect(try tokenizer.next() == .beginArray)
        #expect(try tokenizer.next() == .number)
        #expect(try tokenizer.next() == .number)
        #expect(tokenizer.numberText() == "23")
        #expect(tokenizer.bytesConsumed == Int64(bytes.count))
        let error = #expect(throws: JSONError.self) { try tokenizer.next() }
        #expect(error?.position.offset == Int64(bytes.count))
    }

    /// FuzzJSON, crash-6b3e4ec4: a string ending in a UTF-8 lead byte, a byte that cannot continue
    /// it and a line feed was reported as cut off at the end of the input, at a line and column
    /// that did not count the line feed. The bad byte is the finding, where it is; an escape cut
    /// short by a line feed likewise.
    @Test(arguments: [
        ([0x22, 0xF4, 0xCE, 0x0A], "the byte 0xCE after the lead byte 0xF4", 2, 3),
        ([0x22, 0xE2, 0x0A], "the byte 0x0A after the lead byte 0xE2", 2, 3),
        (Array("\"\\u12\n".utf8), "the byte 0x0A", 5, 6),
        (Array("[\"\\ud800\\u1\n".utf8), "the byte 0x0A", 11, 12),
    ] as [([UInt8], String, Int64, Int)])
    func badByteBeforeTheEndOfTheInput(bytes: [UInt8], found: String, offset: Int64, column: Int) {
        for maxRead in [Int.max, 1] {
            let error = #expect(throws: JSONError.self) {
                _ = try tokenTexts(bytes, readSize: 64, maxRead: maxRead)
            }
            guard case .syntax(_, let foundText, let at, _)? = error else {
                Issue.record("expected a syntax error, got \(String(describing: error))")
                continue
            }
            #expect(foundText == found)
            #expect(at == JSONPosition(offset: offset, line: 1, column: column))
        }
    }

    /// A character or escape that is really cut off still says so, at the end of the input.
    @Test(arguments: [[0x22, 0xE2, 0x82], Array("\"\\u12".utf8)] as [[UInt8]])
    func cutOffAtTheEndOfTheInput(bytes: [UInt8]) {
        let error = #expect(throws: JSONError.self) { _ = try tokenTexts(bytes, readSize: 64) }
        guard case .syntax(_, let found, let at, _)? = error else {
            Issue.record("expected a syntax error, got \(String(describing: error))")
            return
        }
        #expect(found.contains("end of the input"))
        #expect(at == JSONPosition(offset: Int64(bytes.count), line: 1, column: bytes.count + 1))
    }

    /// FuzzJSON, crash-ae610f53 (a 10 KB document, minimised by hand): a string or number past
    /// its length limit with a bad byte after the limit failed with the bad byte when the whole
    /// token was in the buffer, but with the limit when a read ended inside it. The limit is the
    /// finding now, whatever the read size.
    @Test(arguments: [
        (Array("\"abcdefgh\u{01}\"".utf8), "string length (bytes)"),
        (Array("[\"abc\", \"defghijk\\x\"]".utf8), "string length (bytes)"),
        (Array("\"abcdefgh".utf8) + [0xFF, 0x22], "string length (bytes)"),
        (Array("123456.x".utf8), "number length (bytes)"),
        (Array("[1, -123456e+]".utf8), "number length (bytes)"),
    ] as [([UInt8], String)])
    func limitBeforeALaterBadByte(bytes: [UInt8], what: String) {
        let limits = JSONLimits(maxDepth: 8, maxStringBytes: 4, maxNumberBytes: 4)
        var positions: Set<JSONPosition> = []
        for maxRead in [Int.max, 1, 2, 3, 5] {
            let error = #expect(throws: JSONError.self) {
                _ = try tokenTexts(bytes, readSize: 64, maxRead: maxRead, limits: limits)
            }
            guard case .limitExceeded(let kind, _, let at)? = error else {
                Issue.record("\(bytes), reads of \(maxRead): expected the \(what) limit, got \(String(describing: error))")
                continue
            }
            #expect(kind == what)
            positions.insert(at)
        }
        #expect(positions.count == 1, "the same position whatever the read size")
    }
}
