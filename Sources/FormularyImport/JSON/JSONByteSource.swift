/// Where a `JSONTokenizer` gets its bytes: a file, a hashing tee, an in-memory buffer.
///
/// The tokenizer pulls, so a source only has to fill the buffer it is given; it never sees tokens.
/// A source may return fewer bytes than asked for; returning 0 means the input has ended.
public protocol JSONByteSource {
    /// Copies up to `buffer.count` bytes into `buffer` and returns how many it copied (0 at the end).
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}
