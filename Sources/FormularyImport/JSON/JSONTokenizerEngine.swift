/// The tokenizer's state and logic as a value type, so the hot loops touch plain struct fields.
///
/// `JSONTokenizer` keeps one of these behind a pointer it owns: stored properties of a class are
/// subject to dynamic exclusivity checks on every access, which cost 40% of a drugs.json import;
/// a struct's fields reached through `mutating` methods are checked at compile time instead.
/// The engine owns two manual allocations (the sliding buffer and the escape scratch), which its
/// owner frees with `release()`.
struct JSONTokenizerEngine {
    let limits: JSONLimits

    private var source: any JSONByteSource
    private let readSize: Int

    // The sliding buffer: valid bytes are [0, end); `baseOffset` is the input offset of index 0.
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var pos = 0
    private var end = 0
    /// The first buffer index a refill must keep (the start of the token being scanned).
    private var keep = 0
    private var baseOffset: Int64 = 0
    private var exhausted = false
    private var started = false

    // Line tracking: newlines are only legal in whitespace, so only the whitespace skipper counts them.
    private var line = 1
    private var lineStart: Int64 = 0

    // The current token.
    /// The most recent token `next()` returned.
    private(set) var token: JSONToken = .endOfDocument
    private var valueStart = 0
    private var valueLength = 0
    /// For a `string` or `key` token: whether its raw text contains backslash escapes.
    private(set) var stringHasEscapes = false
    /// For a `number` token: whether it has neither a fraction nor an exponent.
    private(set) var numberIsInteger = true
    private var tokenOffset: Int64 = 0
    private var tokenLine = 1
    private var tokenLineStart: Int64 = 0
    // Decoded text of a string with escapes (never longer than its escaped form).
    private var scratch: UnsafeMutablePointer<UInt8>
    private var scratchCapacity = 0
    private var scratchCount = 0
    // A key moved out of the buffer while whitespace before its colon is skipped, so a long
    // whitespace run cannot make the buffer grow.
    private var stash: UnsafeMutablePointer<UInt8>
    private var stashCapacity = 0
    private var keyIsStashed = false

    // The grammar: one byte per open container (1 = object, 0 = array) and what may come next.
    private var containers: [UInt8] = []
    private var state: State = .value

    private enum State: UInt8 {
        case value
        case valueOrArrayEnd
        case key
        case keyOrObjectEnd
        case afterValue
        case done
    }

    init(source: some JSONByteSource, limits: JSONLimits, readSize: Int) {
        self.source = source
        self.limits = limits
        self.readSize = max(64, readSize)
        self.capacity = self.readSize
        self.buffer = .allocate(capacity: self.readSize)
        self.scratchCapacity = 256
        self.scratch = .allocate(capacity: 256)
        self.stashCapacity = 256
        self.stash = .allocate(capacity: 256)
        containers.reserveCapacity(64)
    }

    /// Frees the buffers; the engine must not be used afterwards.
    func release() {
        buffer.deallocate()
        scratch.deallocate()
        stash.deallocate()
    }

    /// How many containers are open, counting one the last token opened.
    var depth: Int { containers.count }

    /// Bytes of input consumed so far (through the end of the current token).
    var bytesConsumed: Int64 { baseOffset + Int64(pos) }

    /// Where the current token starts.
    var tokenPosition: JSONPosition {
        JSONPosition(offset: tokenOffset, line: tokenLine, column: Int(tokenOffset - tokenLineStart) + 1)
    }

    // MARK: - Token payload

    /// The current token's raw text: a string's or key's bytes between the quotes (escapes as
    /// written), or a number's text; empty for other tokens. Valid until the next call to `next()`.
    var rawBytes: UnsafeBufferPointer<UInt8> {
        switch token {
        case .key where keyIsStashed: UnsafeBufferPointer(start: stash, count: valueLength)
        case .string, .key, .number: UnsafeBufferPointer(start: buffer + valueStart, count: valueLength)
        default: UnsafeBufferPointer(start: buffer, count: 0)
        }
    }

    /// The current string or key with escapes resolved; empty for other tokens. Valid until the
    /// next call to `next()` or `stringBytes()`.
    mutating func stringBytes() -> UnsafeBufferPointer<UInt8> {
        guard stringHasEscapes, token == .string || token == .key else { return rawBytes }
        decodeEscapes()
        return UnsafeBufferPointer(start: scratch, count: scratchCount)
    }

    // MARK: - Tokens

    /// Reads the next token. After the top-level value has ended it returns `endOfDocument`
    /// (and keeps returning it) if only whitespace follows.
    mutating func next() throws -> JSONToken {
        if !started { try skipByteOrderMark() }
        keep = pos
        guard var c = try skipWhitespace() else { return try endOfInput() }
        switch state {
        case .afterValue:
            let inObject = containers.last == 1
            if c == UInt8(ascii: ",") {
                pos += 1
                state = inObject ? .key : .value
                guard let after = try skipWhitespace() else { return try endOfInput() }
                c = after
            } else if c == (inObject ? UInt8(ascii: "}") : UInt8(ascii: "]")) {
                markToken()
                pos += 1
                return closeContainer()
            } else {
                markToken()
                throw syntaxError(
                    expected: inObject ? "',' or '}' after an object member" : "',' or ']' after an array element",
                    found: describe(c), at: pos)
            }
        case .valueOrArrayEnd:
            if c == UInt8(ascii: "]") {
                markToken()
                pos += 1
                return closeContainer()
            }
            state = .value
        case .keyOrObjectEnd:
            if c == UInt8(ascii: "}") {
                markToken()
                pos += 1
                return closeContainer()
            }
            guard c == UInt8(ascii: "\"") else {
                markToken()
                throw syntaxError(expected: "a string key in double quotes or '}'", found: describe(c), at: pos)
            }
            state = .key
        case .done:
            markToken()
            throw syntaxError(expected: "the end of the input after the top-level value", found: describe(c), at: pos)
        case .value, .key:
            break
        }
        markToken()
        if state == .key { return try scanKey(c) }
        return try scanValue(c)
    }

    private mutating func closeContainer() -> JSONToken {
        let wasObject = containers.removeLast() == 1
        state = containers.isEmpty ? .done : .afterValue
        token = wasObject ? .endObject : .endArray
        return token
    }

    private mutating func finishValue(_ kind: JSONToken) -> JSONToken {
        state = containers.isEmpty ? .done : .afterValue
        token = kind
        return kind
    }

    private mutating func scanValue(_ c: UInt8) throws -> JSONToken {
        switch c {
        case UInt8(ascii: "{"):
            try push(1)
            pos += 1
            state = .keyOrObjectEnd
            token = .beginObject
            return .beginObject
        case UInt8(ascii: "["):
            try push(0)
            pos += 1
            state = .valueOrArrayEnd
            token = .beginArray
            return .beginArray
        case UInt8(ascii: "\""):
            try scanString()
            return finishValue(.string)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try scanNumber()
            return finishValue(.number)
        case UInt8(ascii: "t"):
            try scanLiteral("true")
            return finishValue(.true)
        case UInt8(ascii: "f"):
            try scanLiteral("false")
            return finishValue(.false)
        case UInt8(ascii: "n"):
            try scanLiteral("null")
            return finishValue(.null)
        default:
            throw syntaxError(expected: "a JSON value", found: describe(c), at: pos)
        }
    }

    private mutating func scanKey(_ c: UInt8) throws -> JSONToken {
        guard c == UInt8(ascii: "\"") else {
            throw syntaxError(expected: "a string key in double quotes", found: describe(c), at: pos)
        }
        try scanString()
        guard let colon = try skipWhitespace(preservingKey: true) else {
            throw truncated(expected: "':' after an object key")
        }
        guard colon == UInt8(ascii: ":") else {
            throw syntaxError(expected: "':' after an object key", found: describe(colon), at: pos)
        }
        pos += 1
        state = .value
        token = .key
        return .key
    }

    private mutating func push(_ kind: UInt8) throws {
        guard containers.count < limits.maxDepth else {
            throw JSONError.limitExceeded(what: "nesting depth", limit: limits.maxDepth, at: tokenPosition)
        }
        containers.append(kind)
    }

    private mutating func endOfInput() throws -> JSONToken {
        markToken()
        switch state {
        case .done:
            token = .endOfDocument
            return .endOfDocument
        case .value where containers.isEmpty:
            throw truncated(expected: "a JSON value", found: "an empty input")
        case .value, .valueOrArrayEnd:
            throw truncated(expected: state == .value ? "a value" : "a value or ']'")
        case .key, .keyOrObjectEnd:
            throw truncated(expected: state == .key ? "an object key" : "an object key or '}'")
        case .afterValue:
            throw truncated(expected: containers.last == 1 ? "',' or '}'" : "',' or ']'")
        }
    }

    // MARK: - Whitespace

    /// Skips whitespace and returns the next byte without consuming it, or `nil` at the end of input.
    /// Bytes before the current position may be dropped on refill; with `preservingKey`, the key
    /// just scanned is first moved to the stash.
    @inline(__always)
    private mutating func skipWhitespace(preservingKey: Bool = false) throws -> UInt8? {
        var p = pos
        while true {
            let b = buffer
            let e = end
            while p < e {
                let c = b[p]
                if c == 0x20 {
                    p &+= 1
                    // Indentation: skip runs of spaces eight at a time.
                    while p &+ 8 <= e {
                        let word = UnsafeRawPointer(b + p).loadUnaligned(as: UInt64.self) ^ 0x2020_2020_2020_2020
                        if word != 0 {
                            p &+= word.trailingZeroBitCount &>> 3
                            break
                        }
                        p &+= 8
                    }
                    continue
                }
                if c == 0x0A {
                    p &+= 1
                    line &+= 1
                    lineStart = baseOffset &+ Int64(p)
                    continue
                }
                if c == 0x09 || c == 0x0D {
                    p &+= 1
                    continue
                }
                pos = p
                return c
            }
            pos = p
            if exhausted { return nil }
            if preservingKey && !keyIsStashed { stashKey() }
            keep = p
            try refill()
            p = pos
        }
    }

    private mutating func skipByteOrderMark() throws {
        started = true
        guard try ensure(3) else { return }
        if buffer[pos] == 0xEF, buffer[pos + 1] == 0xBB, buffer[pos + 2] == 0xBF {
            pos += 3
            lineStart = baseOffset + Int64(pos)
        }
    }

    // MARK: - Strings

    /// Scans a string whose opening quote is at `pos`, validating escapes and UTF-8.
    private mutating func scanString() throws {
        pos += 1
        valueStart = pos
        keep = pos
        keyIsStashed = false
        var escapes = false
        var p = pos
        while true {
            let b = buffer
            let e = end
            // Eight bytes at a time while none is '"', '\', a control character or non-ASCII.
            while p &+ 8 <= e {
                let word = UnsafeRawPointer(b + p).loadUnaligned(as: UInt64.self)
                let quote = word ^ 0x2222_2222_2222_2222
                let backslash = word ^ 0x5C5C_5C5C_5C5C_5C5C
                let special =
                    ((quote &- 0x0101_0101_0101_0101) & ~quote)
                    | ((backslash &- 0x0101_0101_0101_0101) & ~backslash)
                    | ((word &- 0x2020_2020_2020_2020) & ~word)
                    | word
                if special & 0x8080_8080_8080_8080 != 0 { break }
                p &+= 8
            }
            while p < e {
                let c = b[p]
                if c == 0x22 || c == 0x5C || c < 0x20 || c >= 0x80 { break }
                p &+= 1
            }
            if p < e {
                let c = b[p]
                if c == 0x22 {
                    valueLength = p - valueStart
                    pos = p + 1
                    try checkStringLength(valueLength)
                    stringHasEscapes = escapes
                    return
                }
                // Past the limit, the limit is the finding whatever the byte is, as when the buffer
                // runs out there: the read size must not change which error a document gets.
                try checkStringLength(p - valueStart)
                pos = p
                if c == 0x5C {
                    escapes = true
                    try scanEscape()
                } else if c < 0x20 {
                    throw syntaxError(
                        expected: "a closing '\"' or an escaped control character (\\n, \\t, \\u0000…) in the string",
                        found: "the raw control byte \(hex(c))", at: p)
                } else {
                    try scanUTF8Sequence()
                }
                p = pos
                continue
            }
            pos = p
            try checkStringLength(p - valueStart)
            guard !exhausted else { throw truncated(expected: "a closing '\"' for the string") }
            try refill()
            p = pos
        }
    }

    private func checkStringLength(_ length: Int) throws {
        guard length <= limits.maxStringBytes else {
            throw JSONError.limitExceeded(what: "string length (bytes)", limit: limits.maxStringBytes, at: tokenPosition)
        }
    }

    /// Validates the escape whose backslash is at `pos` and moves past it.
    private mutating func scanEscape() throws {
        guard try ensure(2) else { throw truncated(expected: "an escape character after '\\'") }
        let c = buffer[pos + 1]
        switch c {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            pos += 2
        case UInt8(ascii: "u"):
            let unit = try hex4(after: 2)
            if (0xDC00...0xDFFF).contains(unit) {
                throw syntaxError(
                    expected: "a high surrogate (\\uD800–\\uDBFF) before a low surrogate",
                    found: "a lone low surrogate \\u\(hex4Text(unit))", at: pos)
            }
            pos += 6
            if (0xD800...0xDBFF).contains(unit) {
                let pairFollows = try ensure(2) && buffer[pos] == UInt8(ascii: "\\") && buffer[pos + 1] == UInt8(ascii: "u")
                guard pairFollows else {
                    throw syntaxError(
                        expected: "a low surrogate escape (\\uDC00–\\uDFFF) after the high surrogate \\u\(hex4Text(unit))",
                        found: pos < end ? describe(buffer[pos]) : "the end of the input", at: pos)
                }
                let low = try hex4(after: 2)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw syntaxError(
                        expected: "a low surrogate escape (\\uDC00–\\uDFFF) after the high surrogate \\u\(hex4Text(unit))",
                        found: "\\u\(hex4Text(low))", at: pos)
                }
                pos += 6
            }
        default:
            throw syntaxError(
                expected: "an escape: \\\" \\\\ \\/ \\b \\f \\n \\r \\t or \\uXXXX", found: "'\\\(describeRaw(c))'", at: pos)
        }
    }

    /// The four hex digits starting `offset` bytes after `pos`.
    private mutating func hex4(after offset: Int) throws -> UInt32 {
        // When the input ends early, the digits it has are checked first: a bad one (a line feed)
        // is the finding, and the end of the input is on the current line only when they are good.
        let complete = try ensure(offset + 4)
        var value: UInt32 = 0
        for i in 0..<(complete ? 4 : max(0, end - pos - offset)) {
            let index = pos + offset + i
            let c = buffer[index]
            let digit: UInt8
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = c - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = c - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = c - UInt8(ascii: "A") + 10
            default: throw syntaxError(expected: "four hex digits after '\\u'", found: describe(c), at: index)
            }
            value = value << 4 | UInt32(digit)
        }
        guard complete else { throw truncated(expected: "four hex digits after '\\u'") }
        return value
    }

    /// Validates the multi-byte UTF-8 sequence whose lead byte is at `pos` (Unicode Table 3-7).
    private mutating func scanUTF8Sequence() throws {
        let lead = buffer[pos]
        let length: Int
        var low: UInt8 = 0x80
        var high: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default:
            throw syntaxError(expected: "valid UTF-8", found: "the byte \(hex(lead)), which cannot start a character", at: pos)
        }
        // As in `hex4`: the bytes the input has are checked before its end is blamed.
        let complete = try ensure(length)
        for i in 1..<(complete ? length : end - pos) {
            let c = buffer[pos + i]
            let (min, max) = i == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
            guard c >= min, c <= max else {
                throw syntaxError(
                    expected: "valid UTF-8", found: "the byte \(hex(c)) after the lead byte \(hex(lead))", at: pos + i)
            }
        }
        guard complete else {
            throw truncated(expected: "the rest of a UTF-8 character", found: "the end of the input inside a UTF-8 character")
        }
        pos += length
    }

    /// Resolves escapes of the current string token into `scratch`. The token was validated when
    /// it was scanned, so this cannot fail; decoding never makes text longer.
    private mutating func decodeEscapes() {
        if scratchCapacity < valueLength {
            scratch.deallocate()
            scratchCapacity = max(valueLength, scratchCapacity * 2)
            scratch = .allocate(capacity: scratchCapacity)
        }
        scratchCount = 0
        let raw = rawBytes
        var i = 0
        let e = raw.count
        while i < e {
            let c = raw[i]
            guard c == UInt8(ascii: "\\") else {
                appendScratch(c)
                i += 1
                continue
            }
            let kind = raw[i + 1]
            i += 2
            switch kind {
            case UInt8(ascii: "b"): appendScratch(0x08)
            case UInt8(ascii: "f"): appendScratch(0x0C)
            case UInt8(ascii: "n"): appendScratch(0x0A)
            case UInt8(ascii: "r"): appendScratch(0x0D)
            case UInt8(ascii: "t"): appendScratch(0x09)
            case UInt8(ascii: "u"):
                var scalar = hexValue(raw, at: i)
                i += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    let lowUnit = hexValue(raw, at: i + 2)
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (lowUnit - 0xDC00)
                }
                appendUTF8(scalar)
            default: appendScratch(kind)  // '"', '\\' and '/' stand for themselves
            }
        }
    }

    /// Copies the key just scanned out of the buffer, so skipping whitespace before its colon may
    /// drop every buffered byte.
    private mutating func stashKey() {
        if stashCapacity < valueLength {
            stash.deallocate()
            stashCapacity = max(valueLength, stashCapacity * 2)
            stash = .allocate(capacity: stashCapacity)
        }
        stash.update(from: buffer + valueStart, count: valueLength)
        keyIsStashed = true
    }

    @inline(__always)
    private mutating func appendScratch(_ byte: UInt8) {
        scratch[scratchCount] = byte
        scratchCount += 1
    }

    private func hexValue(_ raw: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for k in 0..<4 {
            let c = raw[index + k]
            let digit: UInt32 =
                c <= UInt8(ascii: "9") ? UInt32(c - UInt8(ascii: "0"))
                : UInt32((c | 0x20) - UInt8(ascii: "a") + 10)
            value = value << 4 | digit
        }
        return value
    }

    /// Escapes are 6 bytes per UTF-16 unit, so the encoded scalar (at most 4 bytes) always fits.
    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            appendScratch(UInt8(scalar))
        case 0x80..<0x800:
            appendScratch(UInt8(0xC0 | scalar >> 6))
            appendScratch(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            appendScratch(UInt8(0xE0 | scalar >> 12))
            appendScratch(UInt8(0x80 | scalar >> 6 & 0x3F))
            appendScratch(UInt8(0x80 | scalar & 0x3F))
        default:
            appendScratch(UInt8(0xF0 | scalar >> 18))
            appendScratch(UInt8(0x80 | scalar >> 12 & 0x3F))
            appendScratch(UInt8(0x80 | scalar >> 6 & 0x3F))
            appendScratch(UInt8(0x80 | scalar & 0x3F))
        }
    }

    // MARK: - Numbers and literals

    /// The byte at `p`, refilling (and adjusting `p`) when the buffer ends; `nil` at the end of input.
    @inline(__always)
    private mutating func numberByte(_ p: inout Int) throws -> UInt8? {
        if p < end { return buffer[p] }
        return try numberByteAfterRefill(&p)
    }

    private mutating func numberByteAfterRefill(_ p: inout Int) throws -> UInt8? {
        if p - valueStart > limits.maxNumberBytes {
            throw JSONError.limitExceeded(what: "number length (bytes)", limit: limits.maxNumberBytes, at: tokenPosition)
        }
        pos = p
        // `refill` may slide the buffer, which moves `pos`: hand the moved index back on every
        // path, the end of input included, or the number's length and the next token's start
        // would count bytes from before the slide (found by fuzzing: `\n11111` read as `111111`).
        defer { p = pos }
        while pos >= end {
            if exhausted { return nil }
            try refill()
        }
        return buffer[pos]
    }

    /// Scans a number per the RFC 8259 grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private mutating func scanNumber() throws {
        valueStart = pos
        keep = pos
        var p = pos
        var integer = true
        var c = try numberByte(&p)
        if c == UInt8(ascii: "-") {
            p += 1
            c = try numberByte(&p)
        }
        guard let first = c, isDigit(first) else {
            throw try numberError(expected: "a digit after '-'", c, at: p)
        }
        p += 1
        if first == UInt8(ascii: "0") {
            if let next = try numberByte(&p), isDigit(next) {
                throw try numberError(expected: "a number without leading zeros", next, at: p)
            }
        } else {
            while let d = try numberByte(&p), isDigit(d) { p += 1 }
        }
        c = try numberByte(&p)
        if c == UInt8(ascii: ".") {
            integer = false
            p += 1
            guard let d = try numberByte(&p), isDigit(d) else {
                throw try numberError(expected: "a digit after the decimal point", try numberByte(&p), at: p)
            }
            p += 1
            while let d = try numberByte(&p), isDigit(d) { p += 1 }
            c = try numberByte(&p)
        }
        if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
            integer = false
            p += 1
            c = try numberByte(&p)
            if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
                p += 1
            }
            guard let d = try numberByte(&p), isDigit(d) else {
                throw try numberError(expected: "a digit in the exponent", try numberByte(&p), at: p)
            }
            p += 1
            while let d = try numberByte(&p), isDigit(d) { p += 1 }
        }
        valueLength = p - valueStart
        pos = p
        if valueLength > limits.maxNumberBytes {
            throw JSONError.limitExceeded(what: "number length (bytes)", limit: limits.maxNumberBytes, at: tokenPosition)
        }
        numberIsInteger = integer
    }

    @inline(__always)
    private func isDigit(_ c: UInt8) -> Bool { c &- UInt8(ascii: "0") < 10 }

    /// The error for byte `c` at `p`, which cannot continue the number (nil: the input ended).
    /// Throws the length limit instead when the number is already past it, as a refill there would:
    /// the read size must not change which error a document gets.
    private func numberError(expected: String, _ c: UInt8?, at p: Int) throws -> JSONError {
        if p - valueStart > limits.maxNumberBytes {
            throw JSONError.limitExceeded(what: "number length (bytes)", limit: limits.maxNumberBytes, at: tokenPosition)
        }
        guard let c else { return truncated(expected: expected) }
        return syntaxError(expected: expected, found: describe(c), at: p)
    }

    private mutating func scanLiteral(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        let complete = try ensure(count)
        let available = complete ? count : end - pos
        let start = buffer + pos
        let mismatch = word.withUTF8Buffer { expected in (0..<available).first { start[$0] != expected[$0] } }
        if let i = mismatch {
            throw syntaxError(expected: "'\(word)'", found: describe(start[i]), at: pos + i)
        }
        guard complete else { throw truncated(expected: "'\(word)'") }
        pos += count
    }

    // MARK: - Buffer

    /// Makes at least `count` bytes available from `pos`; false if the input ends first.
    private mutating func ensure(_ count: Int) throws -> Bool {
        while end - pos < count {
            if exhausted { return false }
            try refill()
        }
        return true
    }

    /// Drops bytes before `keep`, grows the buffer if the kept token leaves too little room, and
    /// reads the next chunk. Adjusts every buffer index it knows about.
    private mutating func refill() throws {
        if keep > 0 {
            let kept = end - keep
            if kept > 0 {
                UnsafeMutableRawPointer(buffer).copyMemory(from: buffer + keep, byteCount: kept)
            }
            baseOffset += Int64(keep)
            pos -= keep
            valueStart -= keep
            end = kept
            keep = 0
        }
        if capacity - end < readSize / 2 {
            let newCapacity = max(capacity * 2, end + readSize)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity = newCapacity
        }
        let count = try source.read(into: UnsafeMutableRawBufferPointer(start: buffer + end, count: capacity - end))
        if count <= 0 {
            exhausted = true
        } else {
            end += count
        }
    }

    // MARK: - Errors

    private mutating func markToken() {
        tokenOffset = baseOffset + Int64(pos)
        tokenLine = line
        tokenLineStart = lineStart
    }

    /// The position of buffer index `index`, which must be on the current line.
    private func position(at index: Int) -> JSONPosition {
        let offset = baseOffset + Int64(index)
        return JSONPosition(offset: offset, line: line, column: Int(offset - lineStart) + 1)
    }

    private func syntaxError(expected: String, found: String, at index: Int) -> JSONError {
        .syntax(expected: expected, found: found, at: position(at: index), excerpt: excerpt(around: index))
    }

    private func truncated(expected: String, found: String = "the end of the input (the document is truncated)") -> JSONError {
        syntaxError(expected: expected, found: found, at: end)
    }

    /// Up to 24 bytes either side of `index`, as text.
    private func excerpt(around index: Int) -> String {
        let from = max(0, index - 24)
        let to = min(end, index + 24)
        guard from < to else { return "" }
        return String(decoding: UnsafeBufferPointer(start: buffer + from, count: to - from), as: UTF8.self)
    }

    private func describe(_ c: UInt8) -> String {
        if c >= 0x20 && c < 0x7F { return "'\(Character(Unicode.Scalar(c)))'" }
        return "the byte \(hex(c))"
    }

    private func describeRaw(_ c: UInt8) -> String {
        c >= 0x20 && c < 0x7F ? String(Character(Unicode.Scalar(c))) : hex(c)
    }

    private func hex(_ c: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0x" + String(digits[Int(c >> 4)]) + String(digits[Int(c & 0x0F)])
    }

    private func hex4Text(_ value: UInt32) -> String {
        let digits = Array("0123456789ABCDEF")
        return (0..<4).reversed().map { String(digits[Int(value >> (UInt32($0) * 4) & 0xF)]) }.joined()
    }
}
