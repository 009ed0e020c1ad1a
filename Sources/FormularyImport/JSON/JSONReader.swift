import Foundation

/// A pull reader over `JSONTokenizer` that knows where it is (`$[1523].plans[4].drug_tier`), so an
/// importer reads typed fields one at a time and every wrong-shape value fails with its path.
///
/// Memory stays flat however long the document is: a consumer walks an array with `nextElement()`
/// (or `readArray`) and materializes only the element in hand. Values a consumer does not read are
/// skipped automatically: after `nextElement()` or `nextKey()` hands out a value, the next call
/// skips it if nothing consumed it. A typed read that meets the wrong kind of value throws
/// `JSONError.shape` *without* consuming the value, so `recover(toDepth:)` can step over a bad element.
///
/// Every object the consumer enters (`beginObject`, `readObject`, `readValue`) must name each key
/// once: a second `"resourceType"` or `"plan_id"` in one object is a `JSONError.shape` at the
/// second key, never "the first one wins" (RFC 8259 §4 leaves the meaning of such an object open,
/// and parsers disagree about it). Objects inside values the consumer skips are not looked at, as
/// nothing in them is read. A key of the consumer's `JSONKeySet` costs one bit in its object's
/// frame; other keys go to a `JSONObjectKeyLog`, in storage reused from object to object. (So an
/// object is meant to be read through one of `nextKey()` and `nextKey(in:)`: a key read through
/// both, once each, is not compared.)
///
/// A class because it owns the tokenizer and its own state; use it from one task at a time. Like
/// the tokenizer, it keeps its mutable state behind a pointer it owns instead of in stored
/// properties, so the per-token bookkeeping pays no dynamic exclusivity checks; no method keeps an
/// access to that state open while it calls a consumer's closure.
public final class JSONReader {
    let tokenizer: JSONTokenizer
    private let state: UnsafeMutablePointer<State>

    private struct State {
        var hasPeeked = false
        /// One frame per open container the consumer has entered.
        var frames: [Frame] = []
        /// Tokens handed to the consumer so far; a frame's `mark` tells whether its current value was read.
        var taken = 0
        /// The keys outside a `JSONKeySet` read so far in the open objects.
        var otherKeys = JSONObjectKeyLog()
    }

    private struct Frame {
        var isArray: Bool
        /// Array: index of the current element, -1 before the first. Object: bit `i` is set once key
        /// `i` (< 64) of a `JSONKeySet` has been read (objects have no index, and a frame stays small).
        var index: Int
        /// Object: the current key, `nil` before the first.
        var key: String?
        /// `taken` when the current element or member value was handed out.
        var mark: Int
    }

    public init(source: some JSONByteSource, limits: JSONLimits = .default, readSize: Int = 1 << 20) {
        tokenizer = JSONTokenizer(source: source, limits: limits, readSize: readSize)
        state = .allocate(capacity: 1)
        state.initialize(to: State())
        state.pointee.frames.reserveCapacity(16)
    }

    deinit {
        state.pointee.otherKeys.release()
        state.deinitialize(count: 1)
        state.deallocate()
    }

    /// Reads a document held in memory.
    public convenience init(_ text: String, limits: JSONLimits = .default) {
        self.init(source: InMemoryJSONSource(text), limits: limits)
    }

    // MARK: - Where

    /// The path of the value being read (`$` at the top, `$[3].plans[0].plan_id` inside).
    public var path: String { JSONPathComponent.render(pathComponents) }

    public var pathComponents: [JSONPathComponent] {
        state.pointee.frames.compactMap { frame in
            if frame.isArray { return frame.index >= 0 ? .index(frame.index) : nil }
            return frame.key.map { .key($0) }
        }
    }

    /// How many containers the consumer is inside.
    public var depth: Int { state.pointee.frames.count }

    /// Where the current (peeked or last read) token starts.
    public var position: JSONPosition { tokenizer.tokenPosition }

    /// Bytes of input tokenized so far.
    public var bytesConsumed: Int64 { tokenizer.bytesConsumed }

    /// Where the next value starts, reading ahead one token if needed.
    public func valuePosition() throws -> JSONPosition {
        _ = try peek()
        return tokenizer.tokenPosition
    }

    // MARK: - Tokens

    /// The next token, without consuming it.
    public func peek() throws -> JSONToken {
        if state.pointee.hasPeeked { return tokenizer.token }
        let token = try tokenizer.next()
        state.pointee.hasPeeked = true
        return token
    }

    private func consume() {
        state.pointee.hasPeeked = false
        state.pointee.taken &+= 1
    }

    // MARK: - Containers

    /// Enters an array; follow with `nextElement()` until it returns false.
    public func beginArray() throws {
        guard try peek() == .beginArray else { throw unexpectedValue(expected: "an array") }
        consume()
        state.pointee.frames.append(Frame(isArray: true, index: -1, key: nil, mark: state.pointee.taken))
    }

    /// Moves to the next element of the current array, skipping the previous one if it was not
    /// read. Returns false (and leaves the array) at its end.
    public func nextElement() throws -> Bool {
        let last = state.pointee.frames.count - 1
        precondition(last >= 0 && state.pointee.frames[last].isArray, "JSONReader.nextElement() called outside an array")
        if state.pointee.frames[last].index >= 0 && state.pointee.frames[last].mark == state.pointee.taken { try skipValue() }
        if try peek() == .endArray {
            consume()
            state.pointee.frames.removeLast()
            return false
        }
        state.pointee.frames[last].index += 1
        state.pointee.frames[last].mark = state.pointee.taken
        return true
    }

    /// Enters an object; follow with `nextKey()` until it returns nil.
    public func beginObject() throws {
        guard try peek() == .beginObject else { throw unexpectedValue(expected: "an object") }
        consume()
        state.pointee.frames.append(Frame(isArray: false, index: 0, key: nil, mark: state.pointee.taken))
    }

    /// The next key of the current object, skipping the previous member's value if it was not
    /// read. Returns nil (and leaves the object) at its end.
    public func nextKey() throws -> String? {
        guard try advanceToKey() else { return nil }
        let key = tokenizer.stringValue()
        state.pointee.frames[state.pointee.frames.count - 1].key = key
        try noteOtherKey()
        return key
    }

    /// Like `nextKey()`, but matches the key against `keys` without building a `String` for it:
    /// returns its index in `keys`, `JSONKeySet.unknown` (-1) for another key, nil at the end.
    public func nextKey(in keys: JSONKeySet) throws -> Int? {
        guard try advanceToKey() else { return nil }
        let last = state.pointee.frames.count - 1
        // Other keys are logged while their bytes are at hand, in the same pass as the lookup.
        var repeated = false
        let index = tokenizer.withStringBytes { bytes in
            let index = keys.index(of: bytes)
            if index < 0 || index >= 64 { repeated = !state.pointee.otherKeys.insert(bytes, depth: last) }
            return index
        }
        if index >= 0 && index < 64 {
            // The hot path: a key the consumer asked for costs one bit, in the same frame access.
            guard Self.enter(keys.names[index], bit: 1 << index, into: &state.pointee.frames[last]) else {
                throw duplicateKey(keys.names[index])
            }
        } else {
            state.pointee.frames[last].key = index >= 0 ? keys.names[index] : tokenizer.stringValue()
            if repeated { throw duplicateKey(tokenizer.stringValue()) }
        }
        return index
    }

    /// Makes `name` the object frame's current key and sets its bit; false when the bit was set already.
    @inline(__always)
    private static func enter(_ name: String, bit: Int, into frame: inout Frame) -> Bool {
        frame.key = name
        let seen = frame.index
        frame.index = seen | bit
        return seen & bit == 0
    }

    /// Records the current key token, one no key set matched, in the innermost object; throws when
    /// the object named it already.
    @inline(never)
    private func noteOtherKey() throws {
        let depth = state.pointee.frames.count - 1
        let inserted = tokenizer.withStringBytes { state.pointee.otherKeys.insert($0, depth: depth) }
        guard inserted else { throw duplicateKey(tokenizer.stringValue()) }
    }

    /// The error for a key the current object names a second time, at that second key.
    @inline(never)
    private func duplicateKey(_ key: String) -> JSONError {
        shapeError(
            expected: "an object that names each key once",
            found: "the key \(RowProblem.quoted(key)) a second time, which leaves its value ambiguous")
    }

    /// Leaves the innermost container; an object forgets its keys.
    @inline(__always)
    private func popFrame() {
        let last = state.pointee.frames.count - 1
        if !state.pointee.frames[last].isArray { state.pointee.otherKeys.close(depth: last) }
        state.pointee.frames.removeLast()
    }

    private func advanceToKey() throws -> Bool {
        let last = state.pointee.frames.count - 1
        precondition(last >= 0 && !state.pointee.frames[last].isArray, "JSONReader.nextKey() called outside an object")
        if state.pointee.frames[last].key != nil && state.pointee.frames[last].mark == state.pointee.taken { try skipValue() }
        let token = try peek()
        if token == .endObject {
            consume()
            popFrame()
            return false
        }
        // The tokenizer only produces keys or '}' here.
        consume()
        state.pointee.frames[last].mark = state.pointee.taken
        return true
    }

    /// Calls `body` once per element of an array; elements `body` does not read are skipped.
    public func readArray(_ body: () throws -> Void) throws {
        try beginArray()
        while try nextElement() { try body() }
    }

    /// Calls `body` once per member of an object with its key; values `body` does not read are skipped.
    public func readObject(_ body: (String) throws -> Void) throws {
        try beginObject()
        while let key = try nextKey() { try body(key) }
    }

    /// Calls `body` with the index in `keys` of each member it knows; other members are skipped.
    public func readObject(keys: JSONKeySet, _ body: (Int) throws -> Void) throws {
        try beginObject()
        while let index = try nextKey(in: keys) {
            if index >= 0 { try body(index) }
        }
    }

    // MARK: - Scalars

    /// True, consuming it, if the next value is `null`; false (consuming nothing) otherwise.
    public func readNull() throws -> Bool {
        guard try peek() == .null else { return false }
        consume()
        return true
    }

    public func readString() throws -> String {
        guard try peek() == .string else { throw unexpectedValue(expected: "a string") }
        let text = tokenizer.stringValue()
        consume()
        return text
    }

    /// A string, or nil for `null`.
    public func readStringOrNull() throws -> String? {
        if try readNull() { return nil }
        return try readString()
    }

    /// Reads a string value and hands its decoded UTF-8 bytes to `body`, without building a `String`.
    public func readStringBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R {
        guard try peek() == .string else { throw unexpectedValue(expected: "a string") }
        let result = try tokenizer.withStringBytes(body)
        consume()
        return result
    }

    public func readBool() throws -> Bool {
        switch try peek() {
        case .true:
            consume()
            return true
        case .false:
            consume()
            return false
        default:
            throw unexpectedValue(expected: "true or false")
        }
    }

    /// A number's text exactly as written (`0.10`), for keeping raw values verbatim.
    public func readNumberText() throws -> String {
        guard try peek() == .number else { throw unexpectedValue(expected: "a number") }
        let text = tokenizer.numberText()
        consume()
        return text
    }

    public func readDouble() throws -> Double {
        guard try peek() == .number else { throw unexpectedValue(expected: "a number") }
        guard let value = Double(tokenizer.numberText()), value.isFinite else {
            throw unexpectedValue(expected: "a number within the range of a Double")
        }
        consume()
        return value
    }

    /// A number as `Decimal`, exact for money and rates (`20.0`, `0.10`).
    public func readDecimal() throws -> Decimal {
        guard try peek() == .number else { throw unexpectedValue(expected: "a number") }
        guard let value = tokenizer.withRawBytes({ JSONReader.decimal(from: $0) }) else {
            throw unexpectedValue(expected: "a number within the range of a Decimal")
        }
        consume()
        return value
    }

    /// An integer written without fraction or exponent, in the range of `Int`.
    public func readInt() throws -> Int {
        guard try peek() == .number, tokenizer.numberIsInteger else { throw unexpectedValue(expected: "an integer") }
        guard let value = tokenizer.withRawBytes({ JSONReader.integer(from: $0) }) else {
            throw unexpectedValue(expected: "an integer within the range of Int")
        }
        consume()
        return value
    }

    // MARK: - Whole values

    /// Skips the next value, however deeply nested, without recursion.
    public func skipValue() throws {
        let token = try peek()
        consume()
        guard token == .beginArray || token == .beginObject else { return }
        let target = tokenizer.depth - 1
        while tokenizer.depth > target { _ = try tokenizer.next() }
    }

    /// Materializes the next value. Meant for small values (one resource, one element); recursion
    /// depth is bounded by `JSONLimits.maxDepth`, which the tokenizer enforces first.
    public func readValue() throws -> JSONValue {
        switch try peek() {
        case .null:
            consume()
            return .null
        case .true, .false:
            return .bool(try readBool())
        case .number:
            return .number(try readNumberText())
        case .string:
            return .string(try readString())
        case .beginArray:
            var elements: [JSONValue] = []
            try readArray { elements.append(try readValue()) }
            return .array(elements)
        case .beginObject:
            var members: [JSONValue.Member] = []
            try readObject { key in members.append(JSONValue.Member(key: key, value: try readValue())) }
            return .object(members)
        case .endArray, .endObject, .key, .endOfDocument:
            throw unexpectedValue(expected: "a value")
        }
    }

    /// Checks that nothing but whitespace follows the top-level value.
    public func finish() throws {
        guard try peek() == .endOfDocument else { throw unexpectedValue(expected: "the end of the document") }
        consume()
    }

    /// After a shape error inside a container, consumes tokens until only `depth` containers are
    /// open again, so reading can go on with the next element. Syntax errors are not recoverable.
    public func recover(toDepth depth: Int) throws {
        if state.pointee.hasPeeked { consume() }
        while tokenizer.depth > depth { _ = try tokenizer.next() }
        while state.pointee.frames.count > depth { popFrame() }
    }

    // MARK: - Errors

    /// A shape error at the current path: the value read did not meet `expected`.
    public func shapeError(expected: String, found: String, at position: JSONPosition? = nil) -> JSONError {
        .shape(path: path, expected: expected, found: found, at: position ?? tokenizer.tokenPosition)
    }

    /// A shape error at the current path naming the value just peeked as what was found.
    public func unexpectedValue(expected: String) -> JSONError {
        shapeError(expected: expected, found: describeCurrentToken())
    }

    private func describeCurrentToken() -> String {
        switch tokenizer.token {
        case .string:
            let text = tokenizer.stringValue()
            return "the string " + RowProblem.quoted(text)
        case .number:
            return "the number \(tokenizer.numberText())"
        case .key:
            return "the key " + RowProblem.quoted(tokenizer.stringValue())
        case .beginObject, .beginArray, .true, .false, .null, .endObject, .endArray, .endOfDocument:
            return tokenizer.token.displayName
        }
    }

    // MARK: - Number conversion

    /// Exact decimal conversion: the digits become the significand, so `0.10` stays 0.10. Numbers
    /// with more than 19 significant digits go through `Decimal(string:)` (38 digits).
    static func decimal(from text: UnsafeBufferPointer<UInt8>) -> Decimal? {
        let zero = UInt8(ascii: "0")
        let count = text.count
        var i = 0
        let negative = count > 0 && text[0] == UInt8(ascii: "-")
        if negative { i = 1 }
        var significand: UInt64 = 0
        var digits = 0
        var exponent = 0
        var fraction = false
        while i < count {
            let c = text[i]
            if c == UInt8(ascii: ".") {
                fraction = true
            } else if c &- zero < 10 {
                if significand != 0 || c != zero {
                    guard digits < 19 else { return Decimal(string: String(decoding: text, as: UTF8.self)) }
                    significand = significand * 10 + UInt64(c - zero)
                    digits += 1
                }
                if fraction { exponent -= 1 }
            } else {
                break  // 'e' or 'E'
            }
            i += 1
        }
        if i < count {
            i += 1
            var exponentNegative = false
            if i < count && (text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-")) {
                exponentNegative = text[i] == UInt8(ascii: "-")
                i += 1
            }
            var value = 0
            while i < count {
                value = min(value * 10 + Int(text[i] &- zero), 100_000)
                i += 1
            }
            exponent += exponentNegative ? -value : value
        }
        if significand == 0 { return Decimal(0) }
        // Decimal's exponent is a signed byte.
        guard exponent >= -128 && exponent <= 127 else { return nil }
        return Decimal(sign: negative ? .minus : .plus, exponent: exponent, significand: Decimal(significand))
    }

    /// `decimal(from:)` for number text already read.
    static func decimal(from text: String) -> Decimal? {
        var copy = text
        return copy.withUTF8 { decimal(from: $0) }
    }

    static func integer(from text: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        var negative = false
        if i < text.count && text[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        var value = 0
        while i < text.count {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let digit = Int(text[i] - UInt8(ascii: "0"))
            let (next, o2) = negative ? times10.subtractingReportingOverflow(digit) : times10.addingReportingOverflow(digit)
            if o1 || o2 { return nil }
            value = next
            i += 1
        }
        return value
    }
}
