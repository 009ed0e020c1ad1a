import Crypto

/// A file's SHA-256 and size, computed while the file streams through the parser, so
/// provenance costs no second read of a file that may be gigabytes.
struct ContentDigest: Hashable, Sendable {
    /// Lower-case hexadecimal SHA-256.
    var sha256: String
    var byteCount: Int64

    /// Accumulates a digest chunk by chunk.
    struct Hasher {
        private var hash = SHA256()
        private(set) var byteCount: Int64 = 0

        mutating func update(_ chunk: UnsafeRawBufferPointer) {
            hash.update(bufferPointer: chunk)
            byteCount += Int64(chunk.count)
        }

        func finalize() -> ContentDigest {
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            var text: [UInt8] = []
            text.reserveCapacity(64)
            for byte in hash.finalize() {
                text.append(hex[Int(byte >> 4)])
                text.append(hex[Int(byte & 0x0F)])
            }
            return ContentDigest(sha256: String(decoding: text, as: UTF8.self), byteCount: byteCount)
        }
    }
}
