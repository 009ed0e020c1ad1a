/// A validating, streaming JSON tokenizer: bytes in, one token at a time out, in memory bounded by
/// the largest single token rather than by the document.
///
/// Why not `JSONSerialization` or `JSONDecoder`: both build the whole document first, and took
/// 4.1 GB and 759 MB for a 200 MB `drugs.json`. This reads the source in chunks (1 MiB by default)
/// into one sliding buffer. A token always sits contiguously in that buffer; when a token straddles
/// a chunk the unread tail is moved to the front before the next read, so the buffer only grows for
/// a token longer than a chunk, and never past `JSONLimits.maxStringBytes` plus one chunk.
///
/// It validates everything RFC 8259 asks: the grammar (commas, colons, trailing commas, leading
/// zeros, literals), every escape including `\u` surrogate pairs, UTF-8 inside strings (overlongs,
/// surrogates and code points above U+10FFFF are rejected), and raw control characters in strings.
/// Nesting is tracked on an explicit stack, so a 10,000-deep document fails at `maxDepth` with a
/// clear error instead of overflowing the call stack. A UTF-8 byte order mark at the very start is
/// skipped (RFC 8259 §8.1 allows that); any other bytes outside strings must be ASCII JSON.
///
/// The current token's text (`withStringBytes`, `stringValue()`, `withRawBytes`) stays valid until
/// the next call to `next()`. Errors from the byte source propagate unchanged.
///
/// It is a class because it owns manually allocated memory (the engine and its buffers), freed in
/// `deinit`; use it from one task at a time. The state lives in a `JSONTokenizerEngine` behind a
/// pointer rather than in stored properties, which would pay a dynamic exclusivity check on every
/// access: no method here keeps an access to the engine open while it calls out, so accesses never
/// overlap.
public final class JSONTokenizer {
    private let engine: UnsafeMutablePointer<JSONTokenizerEngine>

    /// Reads from `source` in chunks of `readSize` bytes (at least 64).
    public init(source: some JSONByteSource, limits: JSONLimits = .default, readSize: Int = 1 << 20) {
        engine = .allocate(capacity: 1)
        engine.initialize(to: JSONTokenizerEngine(source: source, limits: limits, readSize: readSize))
    }

    deinit {
        engine.pointee.release()
        engine.deinitialize(count: 1)
        engine.deallocate()
    }

    public var limits: JSONLimits { engine.pointee.limits }

    /// The most recent token `next()` returned.
    public var token: JSONToken { engine.pointee.token }

    /// For a `string` or `key` token: whether its raw text contains backslash escapes.
    public var stringHasEscapes: Bool { engine.pointee.stringHasEscapes }

    /// For a `number` token: whether it has neither a fraction nor an exponent.
    public var numberIsInteger: Bool { engine.pointee.numberIsInteger }

    /// How many containers are open, counting one the last token opened.
    public var depth: Int { engine.pointee.depth }

    /// Bytes of input consumed so far (through the end of the current token).
    public var bytesConsumed: Int64 { engine.pointee.bytesConsumed }

    /// Where the current token starts.
    public var tokenPosition: JSONPosition { engine.pointee.tokenPosition }

    /// Reads the next token. After the top-level value has ended it returns `endOfDocument`
    /// (and keeps returning it) if only whitespace follows.
    @inline(__always)
    public func next() throws -> JSONToken {
        try engine.pointee.next()
    }

    /// The current `string`/`key` token's raw text between the quotes (escapes as written), or the
    /// current `number` token's text.
    public func withRawBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        try body(engine.pointee.rawBytes)
    }

    /// The current `string`/`key` token's UTF-8 bytes with escapes resolved.
    public func withStringBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let bytes = engine.pointee.stringBytes()
        return try body(bytes)
    }

    /// The current `string`/`key` token as a `String`.
    public func stringValue() -> String {
        String(decoding: engine.pointee.stringBytes(), as: UTF8.self)
    }

    /// The current `number` token's text, exactly as written.
    public func numberText() -> String {
        String(decoding: engine.pointee.rawBytes, as: UTF8.self)
    }
}
