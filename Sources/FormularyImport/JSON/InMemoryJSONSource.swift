/// Bytes already in memory as a `JSONByteSource`: for small documents, tests and sniffing.
///
/// `maxReadSize` lets tests hand the tokenizer one byte at a time, so every token and every
/// multi-byte character straddles a read boundary somewhere.
public struct InMemoryJSONSource: JSONByteSource {
    private let bytes: [UInt8]
    private var position = 0
    private let maxReadSize: Int

    public init(_ bytes: [UInt8], maxReadSize: Int = .max) {
        self.bytes = bytes
        self.maxReadSize = max(1, maxReadSize)
    }

    public init(_ text: String, maxReadSize: Int = .max) {
        self.init(Array(text.utf8), maxReadSize: maxReadSize)
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - position, maxReadSize)
        guard count > 0, let destination = buffer.baseAddress else { return 0 }
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress {
                destination.copyMemory(from: base + position, byteCount: count)
            }
        }
        position += count
        return count
    }
}
