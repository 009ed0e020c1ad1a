import Foundation
import FormularyImport
import Testing

/// A token with its decoded text, so tests compare whole token streams.
enum TokenText: Hashable, CustomStringConvertible {
    case beginObject, endObject, beginArray, endArray, `true`, `false`, null
    case key(String)
    case string(String)
    case number(String)

    var description: String {
        switch self {
        case .key(let text): "key(\(text))"
        case .string(let text): "string(\(text))"
        case .number(let text): "number(\(text))"
        default: "\(self)"
        }
    }
}

/// Tokenizes all of `bytes`, feeding at most `maxRead` bytes per read into a `readSize` buffer.
func tokenTexts(
    _ bytes: [UInt8], readSize: Int = 1 << 20, maxRead: Int = .max, limits: JSONLimits = .default
) throws -> [TokenText] {
    let tokenizer = JSONTokenizer(source: InMemoryJSONSource(bytes, maxReadSize: maxRead), limits: limits, readSize: readSize)
    var result: [TokenText] = []
    while true {
        switch try tokenizer.next() {
        case .beginObject: result.append(.beginObject)
        case .endObject: result.append(.endObject)
        case .beginArray: result.append(.beginArray)
        case .endArray: result.append(.endArray)
        case .true: result.append(.true)
        case .false: result.append(.false)
        case .null: result.append(.null)
        case .key: result.append(.key(tokenizer.stringValue()))
        case .string: result.append(.string(tokenizer.stringValue()))
        case .number: result.append(.number(tokenizer.numberText()))
        case .endOfDocument: return result
        }
    }
}

func tokenTexts(_ text: String, readSize: Int = 1 << 20, maxRead: Int = .max, limits: JSONLimits = .default) throws -> [TokenText] {
    try tokenTexts(Array(text.utf8), readSize: readSize, maxRead: maxRead, limits: limits)
}

/// The syntax error `text` must raise.
func syntaxError(_ bytes: [UInt8], readSize: Int = 1 << 20, maxRead: Int = .max) throws -> (expected: String, found: String, at: JSONPosition, excerpt: String) {
    let error = try #require(throws: JSONError.self) { try tokenTexts(bytes, readSize: readSize, maxRead: maxRead) }
    guard case .syntax(let expected, let found, let at, let excerpt) = error else {
        Issue.record("expected a syntax error, got \(error)")
        throw error
    }
    return (expected, found, at, excerpt)
}

@Suite("JSON tokenizer")
struct JSONTokenizerTests {
    @Test func tokenizesEveryKindOfValue() throws {
        let tokens = try tokenTexts(#" {"a": [1, -2.5e3, "x", true, false, null, {}, []], "b": {"c": ""}} "#)
        #expect(tokens == [
            .beginObject, .key("a"), .beginArray, .number("1"), .number("-2.5e3"), .string("x"), .true, .false, .null,
            .beginObject, .endObject, .beginArray, .endArray, .endArray,
            .key("b"), .beginObject, .key("c"), .string(""), .endObject, .endObject,
        ])
    }

    @Test func scalarAtTopLevel() throws {
        #expect(try tokenTexts("  42 \n") == [.number("42")])
        #expect(try tokenTexts(#""top""#) == [.string("top")])
    }

    // MARK: Strings

    @Test func resolvesEveryEscape() throws {
        let tokens = try tokenTexts(#"["q\"b\\s\/b\bf\fn\nr\rt\t", "\u00e9\u20AC", "\ud83d\ude00", "nul\u0000"]"#)
        #expect(tokens == [
            .beginArray, .string("q\"b\\s/b\u{8}f\u{C}n\nr\rt\t"), .string("é€"), .string("😀"), .string("nul\u{0}"), .endArray,
        ])
    }

    @Test func escapedKeysAreDecodedToo() throws {
        #expect(try tokenTexts(#"{"dr\u0075g": 1}"#) == [.beginObject, .key("drug"), .number("1"), .endObject])
    }

    @Test(arguments: [
        (#""\x""#, "an escape"),
        (#""\u12""#, "four hex digits"),
        (#""\u12G4""#, "four hex digits"),
        (#""\ud83d""#, "low surrogate"),
        (#""\ud83d\u0041""#, "low surrogate"),
        (#""\ud83dx""#, "low surrogate"),
        (#""\ude00""#, "high surrogate"),
    ])
    func rejectsBadEscapes(text: String, expected: String) throws {
        let error = try syntaxError(Array(text.utf8))
        #expect(error.expected.contains(expected), "\(error)")
    }

    @Test(arguments: [UInt8(0x0A), 0x09, 0x01, 0x1F, 0x00])
    func rejectsRawControlCharactersInStrings(byte: UInt8) throws {
        let error = try syntaxError(Array(#"["ab"#.utf8) + [byte] + Array(#"c"]"#.utf8))
        #expect(error.found.contains("control byte"))
        #expect(error.at.offset == 4)
    }

    @Test func acceptsValidUTF8() throws {
        #expect(try tokenTexts(#"["é", "€", "😀", "日本"]"#) == [.beginArray, .string("é"), .string("€"), .string("😀"), .string("日本"), .endArray])
    }

    /// Each case: bytes inside the string of `["a<bad>b"]` (they start at offset 3), and the offset
    /// of the byte that makes them invalid.
    static let invalidUTF8: [(bad: [UInt8], offset: Int64)] = [
        ([0xC3, 0x28], 4),  // lead byte without continuation
        ([0xC0, 0xAF], 3),  // overlong encoding of '/'
        ([0xE0, 0x80, 0xAF], 4),  // overlong three-byte
        ([0xED, 0xA0, 0x80], 4),  // UTF-16 surrogate encoded in UTF-8
        ([0xF4, 0x90, 0x80, 0x80], 4),  // above U+10FFFF
        ([0xFF], 3),
        ([0x80], 3),  // continuation byte on its own
        ([0xF0, 0x9F, 0x98], 6),  // four-byte sequence cut short: 'b' is no continuation
    ]

    @Test(arguments: invalidUTF8)
    func rejectsInvalidUTF8WithItsOffset(bad: [UInt8], offset: Int64) throws {
        let bytes = Array(#"["a"#.utf8) + bad + Array(#"b"]"#.utf8)
        let error = try syntaxError(bytes)
        #expect(error.expected.contains("UTF-8") || error.found.contains("UTF-8"), "\(error)")
        #expect(error.at.offset == offset, "\(error)")
    }

    @Test func invalidUTF8CutByTheEndOfInput() throws {
        let error = try syntaxError(Array(#"["a"#.utf8) + [0xE2, 0x82])
        #expect(error.found.contains("inside a UTF-8 character"))
    }

    @Test func invalidUTF8OutsideStringsIsAnError() throws {
        let error = try syntaxError([UInt8(ascii: "[")] + [0xC3, 0xA9] + [UInt8(ascii: "]")])
        #expect(error.found.contains("0xC3"))
    }

    @Test func oneMebibyteStringParses() throws {
        let long = String(repeating: "abcdefgh", count: 131_072) + "é"
        let tokens = try tokenTexts("[\"\(long)\"]", readSize: 64 << 10)
        #expect(tokens == [.beginArray, .string(long), .endArray])
    }

    @Test func stringsOverTheLimitFailCleanly() throws {
        let limits = JSONLimits(maxStringBytes: 1000)
        let ok = String(repeating: "x", count: 1000)
        #expect(try tokenTexts("[\"\(ok)\"]", readSize: 64, limits: limits) == [.beginArray, .string(ok), .endArray])
        let error = try #require(throws: JSONError.self) {
            try tokenTexts("[\"\(ok)y\"]", readSize: 64, limits: limits)
        }
        guard case .limitExceeded(let what, let limit, let at) = error else {
            Issue.record("expected a limit error, got \(error)")
            return
        }
        #expect(what.contains("string"))
        #expect(limit == 1000)
        #expect(at.offset == 1)
    }

    // MARK: Numbers and literals

    @Test(arguments: ["0", "-0", "7", "-12", "3.14", "0.10", "1e10", "1E+2", "2.5e-3", "-0.0e0", "123456789012345678901234567890"])
    func acceptsNumbersOfTheGrammar(text: String) throws {
        #expect(try tokenTexts("[\(text)]") == [.beginArray, .number(text), .endArray])
        #expect(try tokenTexts(text) == [.number(text)])
    }

    @Test(arguments: ["01", "-", "1.", ".5", "1e", "+1", "1.e3", "--1", "0x10", "1e+", "-a", "00"])
    func rejectsNumbersOutsideTheGrammar(text: String) throws {
        _ = try syntaxError(Array("[\(text)]".utf8))
    }

    @Test func numbersLongerThanTheLimitFail() throws {
        let error = try #require(throws: JSONError.self) {
            try tokenTexts("[" + String(repeating: "9", count: 2000) + "]", readSize: 64)
        }
        guard case .limitExceeded(let what, _, _) = error else {
            Issue.record("expected a limit error, got \(error)")
            return
        }
        #expect(what.contains("number"))
    }

    @Test(arguments: ["tru", "nul", "falsy", "True", "nulL", "t"])
    func rejectsMisspelledLiterals(text: String) throws {
        _ = try syntaxError(Array("[\(text)]".utf8))
    }

    // MARK: Grammar

    @Test(arguments: [
        ("[1,]", "a JSON value"),
        (#"{"a":1,}"#, "string key"),
        ("[1 2]", "',' or ']'"),
        (#"{"a" 1}"#, "':'"),
        ("{1:2}", "string key"),
        ("[}", "a JSON value"),
        (#"{"a":1]"#, "',' or '}'"),
        ("'a'", "a JSON value"),
        ("[1] 2", "the end of the input"),
        ("{} {}", "the end of the input"),
    ])
    func rejectsBrokenGrammar(text: String, expected: String) throws {
        let error = try syntaxError(Array(text.utf8))
        #expect(error.expected.contains(expected), "\(error)")
    }

    @Test(arguments: ["", "   \n ", "[", #"{"a":"#, #"{"a""#, "[1,", #"["abc"#, #"{"a":1"#, "[tr"])
    func truncatedInputSaysSo(text: String) throws {
        let error = try syntaxError(Array(text.utf8))
        #expect(error.found.contains("end of the input") || error.found.contains("empty input"), "\(error)")
        #expect(error.at.offset == Int64(text.utf8.count))
    }

    @Test func nestingAtTheLimitParsesAndOneDeeperFails() throws {
        let limits = JSONLimits(maxDepth: 512)
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(try tokenTexts(ok, limits: limits).count == 1024)
        let deeper = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        let error = try #require(throws: JSONError.self) { try tokenTexts(deeper, limits: limits) }
        guard case .limitExceeded(let what, let limit, let at) = error else {
            Issue.record("expected a limit error, got \(error)")
            return
        }
        #expect(what == "nesting depth")
        #expect(limit == 512)
        #expect(at.offset == 512)
    }

    @Test func tenThousandDeepNestingFailsWithoutRecursion() throws {
        let deep = String(repeating: #"{"a":["#, count: 10_000)
        let error = try #require(throws: JSONError.self) { try tokenTexts(deep) }
        #expect(error.localizedDescription.contains("nesting depth limit of 512"))
    }

    @Test func skipsAByteOrderMarkOnlyAtTheStart() throws {
        #expect(try tokenTexts([0xEF, 0xBB, 0xBF] + Array("[1]".utf8)) == [.beginArray, .number("1"), .endArray])
        let error = try syntaxError(Array("[1,".utf8) + [0xEF, 0xBB, 0xBF] + Array("2]".utf8))
        #expect(error.found.contains("0xEF"))
    }

    // MARK: Chunks

    /// A document that exercises every scanner path, read in every awkward chunking.
    static let mixed = #"""
        [{"name": "Caf\u00e9 \"Max\" 😀 日本 é", "n": [0, -1.5e-3, 123456789, true, false, null],
          "long": "\#(String(repeating: "0123456789", count: 30))",
          "esc": "\ud83d\ude00\n\t\\", "empty": "", "nested": [[[{}]]]}]
        """#

    @Test(arguments: [1, 2, 3, 5, 7, 64, 1000])
    func chunkBoundariesSplittingTokensChangeNothing(maxRead: Int) throws {
        let whole = try tokenTexts(Self.mixed)
        #expect(try tokenTexts(Self.mixed, readSize: 64, maxRead: maxRead) == whole)
    }

    @Test func manySmallReadsThroughATinyBufferKeepPositions() throws {
        var text = "[\n"
        for i in 0..<2000 { text += "  {\"i\": \(i), \"s\": \"é\(i)\"},\n" }
        text += "  0\n]"
        let tokenizer = JSONTokenizer(source: InMemoryJSONSource(text, maxReadSize: 13), readSize: 64)
        var lastNumberLine = 0
        while try tokenizer.next() != .endOfDocument {
            if tokenizer.token == .number { lastNumberLine = tokenizer.tokenPosition.line }
        }
        #expect(lastNumberLine == 2002)
        #expect(tokenizer.bytesConsumed == Int64(text.utf8.count))
    }

    @Test func keysSurviveLongWhitespaceBeforeTheirColon() throws {
        let spaces = String(repeating: " ", count: 100_000)
        let text = #"{"k\u0065y""# + spaces + #": "v", "plain""# + spaces + ": 1}"
        let tokens = try tokenTexts(text, readSize: 64, maxRead: 50)
        #expect(tokens == [.beginObject, .key("key"), .string("v"), .key("plain"), .number("1"), .endObject])
    }

    // MARK: Positions

    @Test func errorsCarryLineColumnOffsetAndExcerpt() throws {
        let text = "[\n  1,\n  2 x\n]"
        let error = try syntaxError(Array(text.utf8))
        #expect(error.at == JSONPosition(offset: 11, line: 3, column: 5))
        #expect(error.found == "'x'")
        #expect(error.excerpt.contains("2 x"))
        let message = try #require(throws: JSONError.self) { try tokenTexts(text) }.localizedDescription
        #expect(message.contains("line 3, column 5 (byte 11)"))
    }

    @Test func crlfLinesCountOnce() throws {
        let error = try syntaxError(Array("[\r\n1,\r\n\r\n  x]".utf8))
        #expect(error.at.line == 4)
        #expect(error.at.column == 3)
    }

    @Test func tokenPositionsPointAtTokenStarts() throws {
        let tokenizer = JSONTokenizer(source: InMemoryJSONSource("{\n  \"key\": \"value\"\n}"))
        #expect(try tokenizer.next() == .beginObject)
        #expect(tokenizer.tokenPosition == JSONPosition(offset: 0, line: 1, column: 1))
        #expect(try tokenizer.next() == .key)
        #expect(tokenizer.tokenPosition == JSONPosition(offset: 4, line: 2, column: 3))
        #expect(try tokenizer.next() == .string)
        #expect(tokenizer.tokenPosition == JSONPosition(offset: 11, line: 2, column: 10))
        #expect(try tokenizer.next() == .endObject)
        #expect(tokenizer.tokenPosition.line == 3)
    }
}
