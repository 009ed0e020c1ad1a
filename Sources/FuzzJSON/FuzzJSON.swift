// Fuzz target for the JSON tokenizer and reader. See Tests/Fuzz/run.sh.
//
// Built with `-D FUZZING` and libFuzzer (`--sanitize=fuzzer`), libFuzzer's `main` drives
// `LLVMFuzzerTestOneInput`. In an ordinary build it is a replay tool instead:
// `FuzzJSON FILE|FOLDER…` runs each input through the same checks, to reproduce a crash file.
//
// Checks per input, beyond "no crash": the token stream (kinds, positions, text, depth, errors) is
// the same whether the tokenizer reads the input whole or in small, uneven pieces; every position is
// inside the input; string text is valid UTF-8 and numbers match the JSON grammar; every failure is
// a `JSONError` with a position; the reader agrees with the tokenizer; and a document the reader
// accepts, written back out as JSON, reads back as the same value.
import Foundation
import FormularyImport

#if FUZZING
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    Harness.check(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}
#else
@main
enum Replay {
    static func main() {
        let inputs = CommandLine.arguments.dropFirst().flatMap(Harness.files(at:))
        guard !inputs.isEmpty else {
            print("usage: FuzzJSON FILE|FOLDER… (replays inputs through the fuzz checks)")
            exit(2)
        }
        for input in inputs {
            Harness.check(Array(FileManager.default.contents(atPath: input) ?? Data()))
        }
        print("FuzzJSON: \(inputs.count) input(s), no failure")
    }
}
#endif

enum Harness {
    /// The files at `path`: the file itself, or the regular files in a folder.
    static func files(at path: String) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return [] }
        guard isFolder.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.sorted().map { path + "/" + $0 }.filter { !isDirectory($0) }
    }

    static func isDirectory(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && isFolder.boolValue
    }

    /// FNV-1a: the reading parameters are derived from the input, so a crash file replays exactly.
    static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }

    static func fail(_ what: String, _ bytes: [UInt8]) -> Never {
        fatalError("FuzzJSON: \(what) (input of \(bytes.count) bytes)")
    }

    static func check(_ bytes: [UInt8]) {
        let h = hash(bytes)
        let limits = h & 3 == 0
            ? JSONLimits(maxDepth: 1 + Int(h >> 8 & 31), maxStringBytes: 1 + Int(h >> 16 & 255), maxNumberBytes: 1 + Int(h >> 24 & 31))
            : .default
        let whole = tokens(bytes, limits: limits, readSize: 1 << 20, maxReadSize: .max)
        let pieces = tokens(bytes, limits: limits, readSize: 64 + Int(h >> 32 & 127), maxReadSize: 1 + Int(h >> 40 & 15))
        if whole.tokens != pieces.tokens {
            let index = zip(whole.tokens, pieces.tokens).enumerated().first { $0.element.0 != $0.element.1 }?.offset
                ?? min(whole.tokens.count, pieces.tokens.count)
            fail("tokens differ with the read size at token \(index): \(whole.tokens.dropFirst(index).first.map(String.init(describing:)) ?? "none") vs \(pieces.tokens.dropFirst(index).first.map(String.init(describing:)) ?? "none")", bytes)
        }
        if whole.failure != pieces.failure {
            fail("errors differ with the read size: \(String(describing: whole.failure)) vs \(String(describing: pieces.failure))", bytes)
        }
        checkTokens(whole, bytes, limits: limits)
        checkReader(bytes, limits: limits, tokenized: whole, h: h)
    }

    // MARK: - Tokenizer

    struct Token: Equatable {
        var kind: JSONToken
        var position: JSONPosition
        var depth: Int
        var bytesConsumed: Int64
        var raw: [UInt8]
        var text: [UInt8]
        var hasEscapes: Bool
        var isInteger: Bool
    }

    /// A failure without its excerpt, which shows the reader's buffer and so depends on the read size.
    enum Failure: Equatable {
        case syntax(expected: String, found: String, at: JSONPosition)
        case limit(what: String, limit: Int, at: JSONPosition)
        case shape(path: String, expected: String, found: String, at: JSONPosition)
        case other(String)

        init(_ error: any Error) {
            switch error {
            case JSONError.syntax(let expected, let found, let at, _): self = .syntax(expected: expected, found: found, at: at)
            case JSONError.limitExceeded(let what, let limit, let at): self = .limit(what: what, limit: limit, at: at)
            case JSONError.shape(let path, let expected, let found, let at): self = .shape(path: path, expected: expected, found: found, at: at)
            default: self = .other("\(type(of: error)): \(error)")
            }
        }

        var position: JSONPosition? {
            switch self {
            case .syntax(_, _, let at), .limit(_, _, let at), .shape(_, _, _, let at): at
            case .other: nil
            }
        }
    }

    static func tokens(_ bytes: [UInt8], limits: JSONLimits, readSize: Int, maxReadSize: Int) -> (tokens: [Token], failure: Failure?) {
        let tokenizer = JSONTokenizer(source: InMemoryJSONSource(bytes, maxReadSize: maxReadSize), limits: limits, readSize: readSize)
        var tokens: [Token] = []
        do {
            while true {
                let kind = try tokenizer.next()
                var token = Token(
                    kind: kind, position: tokenizer.tokenPosition, depth: tokenizer.depth, bytesConsumed: tokenizer.bytesConsumed,
                    raw: [], text: [], hasEscapes: false, isInteger: false)
                switch kind {
                case .string, .key:
                    token.raw = tokenizer.withRawBytes { Array($0) }
                    token.text = tokenizer.withStringBytes { Array($0) }
                    token.hasEscapes = tokenizer.stringHasEscapes
                    if Array(tokenizer.stringValue().utf8) != token.text { fail("stringValue() differs from withStringBytes", bytes) }
                case .number:
                    token.raw = tokenizer.withRawBytes { Array($0) }
                    token.isInteger = tokenizer.numberIsInteger
                    if Array(tokenizer.numberText().utf8) != token.raw { fail("numberText() differs from withRawBytes", bytes) }
                default:
                    break
                }
                tokens.append(token)
                if kind == .endOfDocument {
                    // It keeps returning the end.
                    if try tokenizer.next() != .endOfDocument { fail("a token after the end of the document", bytes) }
                    return (tokens, nil)
                }
                if tokens.count > bytes.count + 1 { fail("more tokens than bytes", bytes) }
            }
        } catch {
            return (tokens, Failure(error))
        }
    }

    static func checkTokens(_ result: (tokens: [Token], failure: Failure?), _ bytes: [UInt8], limits: JSONLimits) {
        let lineFeeds = bytes.indices.filter { bytes[$0] == 0x0A }.map(Int64.init)
        var lastOffset: Int64 = -1
        for token in result.tokens {
            let p = token.position
            if p.offset < lastOffset { fail("token offsets go backwards at \(p)", bytes) }
            lastOffset = p.offset
            if p.offset < 0 || p.offset > Int64(bytes.count) || p.line < 1 || p.column < 1 || Int64(p.column) > p.offset + 1 {
                fail("token position \(p) outside the input", bytes)
            }
            if p.line != lineOf(offset: p.offset, in: lineFeeds) { fail("token at \(p) is on line \(lineOf(offset: p.offset, in: lineFeeds))", bytes) }
            if token.bytesConsumed < p.offset || token.bytesConsumed > Int64(bytes.count) { fail("bytesConsumed \(token.bytesConsumed) at \(p)", bytes) }
            if token.depth < 0 || token.depth > limits.maxDepth { fail("depth \(token.depth) at \(p)", bytes) }
            switch token.kind {
            case .string, .key:
                if String(validating: token.text, as: UTF8.self) == nil { fail("string at \(p) is not valid UTF-8", bytes) }
                if token.raw.count > limits.maxStringBytes { fail("string at \(p) longer than the limit", bytes) }
                if token.hasEscapes != token.raw.contains(UInt8(ascii: "\\")) { fail("stringHasEscapes wrong at \(p)", bytes) }
                if !token.hasEscapes && token.raw != token.text { fail("unescaped string text differs from its raw bytes at \(p)", bytes) }
                // The raw bytes are in the input at the token's position, after the quote.
                let start = Int(p.offset) + 1
                if start + token.raw.count > bytes.count || Array(bytes[start..<start + token.raw.count]) != token.raw {
                    fail("string raw bytes at \(p) are not the input's", bytes)
                }
            case .number:
                if !isJSONNumber(token.raw) { fail("number at \(p) is not a JSON number: \(String(decoding: token.raw, as: UTF8.self))", bytes) }
                if token.raw.count > limits.maxNumberBytes { fail("number at \(p) longer than the limit", bytes) }
                let integer = !token.raw.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
                if token.isInteger != integer { fail("numberIsInteger wrong at \(p)", bytes) }
                let start = Int(p.offset)
                if start + token.raw.count > bytes.count || Array(bytes[start..<start + token.raw.count]) != token.raw {
                    fail("number bytes at \(p) are not the input's", bytes)
                }
            default:
                break
            }
        }
        if let failure = result.failure {
            guard let p = failure.position else { fail("a failure that is not a JSONError: \(failure)", bytes) }
            if p.offset < 0 || p.offset > Int64(bytes.count) || p.line < 1 || p.column < 1 || Int64(p.column) > p.offset + 1 {
                fail("error position \(p) outside the input: \(failure)", bytes)
            }
            if p.line != lineOf(offset: p.offset, in: lineFeeds) { fail("error at \(p) is on line \(lineOf(offset: p.offset, in: lineFeeds)): \(failure)", bytes) }
            if case .shape = failure { fail("the tokenizer threw a shape error: \(failure)", bytes) }
        } else if result.tokens.last?.kind != .endOfDocument {
            fail("no error and no end of document", bytes)
        }
    }

    /// The 1-based line of `offset`: lines end at line feeds. (`lineFeeds` holds the offset of
    /// every LF in the input; a binary search keeps the check linear-logarithmic.)
    static func lineOf(offset: Int64, in lineFeeds: [Int64]) -> Int {
        var low = 0
        var high = lineFeeds.count
        while low < high {
            let middle = (low + high) / 2
            if lineFeeds[middle] < offset { low = middle + 1 } else { high = middle }
        }
        return low + 1
    }

    /// RFC 8259: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    static func isJSONNumber(_ text: [UInt8]) -> Bool {
        var i = 0
        func digits() -> Int {
            let start = i
            while i < text.count, text[i] >= 0x30, text[i] <= 0x39 { i += 1 }
            return i - start
        }
        if i < text.count, text[i] == UInt8(ascii: "-") { i += 1 }
        guard i < text.count else { return false }
        if text[i] == 0x30 {
            i += 1
        } else if digits() == 0 {
            return false
        }
        if i < text.count, text[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() > 0 else { return false }
        }
        if i < text.count, text[i] == UInt8(ascii: "e") || text[i] == UInt8(ascii: "E") {
            i += 1
            if i < text.count, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == text.count
    }

    // MARK: - Reader

    static func checkReader(_ bytes: [UInt8], limits: JSONLimits, tokenized: (tokens: [Token], failure: Failure?), h: UInt64) {
        // The whole document as a value.
        let reader = JSONReader(source: InMemoryJSONSource(bytes, maxReadSize: 1 + Int(h >> 44 & 63)), limits: limits, readSize: 64)
        do {
            let value = try reader.readValue()
            try reader.finish()
            if let failure = tokenized.failure { fail("the reader accepted what the tokenizer refused (\(failure))", bytes) }
            // Written back out, it reads back the same.
            let text = write(value)
            let again: JSONValue
            do {
                let reread = JSONReader(text, limits: JSONLimits(maxDepth: max(limits.maxDepth, 512)))
                again = try reread.readValue()
                try reread.finish()
            } catch {
                fail("the value written back out does not read: \(error)\n\(text)", bytes)
            }
            if again != value { fail("the value written back out reads differently:\n\(text)", bytes) }
        } catch {
            let failure = Failure(error)
            switch failure {
            case .shape:
                break  // A key named twice, or a value where the document should end.
            case .syntax, .limit:
                if failure != tokenized.failure { fail("reader error \(failure) is not the tokenizer's \(String(describing: tokenized.failure))", bytes) }
            case .other:
                fail("a failure that is not a JSONError: \(failure)", bytes)
            }
        }

        // The streaming calls the importers use: typed reads, skipped values, recovery after a shape error.
        let keys = JSONKeySet(["id", "name", "plans", "drug_tier", "resourceType", "value", "a", ""])
        let streaming = JSONReader(source: InMemoryJSONSource(bytes, maxReadSize: 1 + Int(h >> 50 & 31)), limits: limits, readSize: 64 + Int(h >> 56))
        do {
            try walk(streaming, keys: keys, h: h)
            try streaming.finish()
        } catch {
            let failure = Failure(error)
            if case .other = failure { fail("a failure that is not a JSONError: \(failure)", bytes) }
            guard let p = failure.position, p.offset >= 0, p.offset <= Int64(bytes.count), p.line >= 1, p.column >= 1 else {
                fail("streaming reader error outside the input: \(failure)", bytes)
            }
        }
    }

    /// Reads the next value through the reader's typed calls, choosing them by `h`.
    static func walk(_ reader: JSONReader, keys: JSONKeySet, h: UInt64) throws {
        switch try reader.peek() {
        case .beginArray:
            let depth = reader.depth + 1
            try reader.beginArray()
            var index = 0
            while try reader.nextElement() {
                index += 1
                if (h >> UInt64(index % 61)) & 7 == 0 { continue }  // leave it to be skipped
                do {
                    if (h >> UInt64(index % 59)) & 3 == 0 {
                        _ = try reader.readBool()  // a shape error for most values, then recovery
                    } else {
                        try walk(reader, keys: keys, h: h)
                    }
                } catch let error as JSONError {
                    guard case .shape = error else { throw error }
                    try reader.recover(toDepth: depth)
                }
            }
        case .beginObject:
            if h & 16 == 0 {
                try reader.readObject(keys: keys) { _ in try walk(reader, keys: keys, h: h) }
            } else {
                try reader.readObject { key in
                    _ = reader.path
                    if !key.isEmpty { try walk(reader, keys: keys, h: h) }
                }
            }
        case .number:
            // One typed read per value: a read that fails consumes nothing, so the text is read then.
            do {
                switch (h >> 20) % 4 {
                case 0: _ = try reader.readInt()
                case 1: _ = try reader.readDouble()
                case 2: _ = try reader.readDecimal()
                default: _ = try reader.readNumberText()
                }
            } catch let error as JSONError {
                guard case .shape = error else { throw error }
                _ = try reader.readNumberText()
            }
        case .string:
            if h & 32 == 0 {
                _ = try reader.readString()
            } else {
                _ = try reader.readStringBytes { $0.count }
            }
        case .true, .false:
            _ = try reader.readBool()
        case .null:
            _ = try reader.readStringOrNull()
        case .endArray, .endObject, .key, .endOfDocument:
            throw reader.unexpectedValue(expected: "a value")
        }
    }

    /// `value` as JSON text.
    static func write(_ value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let text): return text
        case .string(let text): return quote(text)
        case .array(let elements): return "[" + elements.map(write).joined(separator: ",") + "]"
        case .object(let members): return "{" + members.map { quote($0.key) + ":" + write($0.value) }.joined(separator: ",") + "}"
        }
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
