/// The character encoding a delimited table is written in, which decides what counts as a bad byte.
enum TextEncoding: String, Hashable, Sendable {
    /// Seven-bit ASCII: any byte 0x80 or above is an error (every Part D table but one).
    case ascii
    /// Windows-1252: the five undefined bytes are errors (the Part D plan-information table).
    case windows1252

    var displayName: String {
        switch self {
        case .ascii: "ASCII"
        case .windows1252: "Windows-1252"
        }
    }

    /// The first byte this encoding does not allow, as an index into `bytes`.
    func firstInvalidByte(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        switch self {
        case .ascii: bytes.firstIndex { $0 >= 0x80 }
        case .windows1252: Windows1252.firstInvalidByte(in: bytes)
        }
    }

    /// Decodes validated bytes. Bytes that were not validated come out as U+FFFD, never as a crash.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        switch self {
        case .ascii: String(decoding: bytes, as: UTF8.self)
        case .windows1252: Windows1252.decode(bytes)
        }
    }

    /// Decodes bytes for display in an error message, whatever they hold.
    static func displayText(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        Windows1252.decode(bytes)
    }
}
