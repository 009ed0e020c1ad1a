/// Windows-1252 ("ANSI", cp1252) decoding, which the Part D plan-information file uses
/// ("Óptimo" is the byte 0xD3). Latin-1 would be wrong for 0x80–0x9F, where cp1252 has
/// curly quotes, dashes and the euro sign; five of those bytes are undefined and rejected.
enum Windows1252 {
    /// The characters cp1252 puts at 0x80…0x9F; `nil` marks the five undefined bytes.
    private static let highControlRange: [Unicode.Scalar?] = [
        "\u{20AC}", nil, "\u{201A}", "\u{0192}", "\u{201E}", "\u{2026}", "\u{2020}", "\u{2021}",
        "\u{02C6}", "\u{2030}", "\u{0160}", "\u{2039}", "\u{0152}", nil, "\u{017D}", nil,
        nil, "\u{2018}", "\u{2019}", "\u{201C}", "\u{201D}", "\u{2022}", "\u{2013}", "\u{2014}",
        "\u{02DC}", "\u{2122}", "\u{0161}", "\u{203A}", "\u{0153}", nil, "\u{017E}", "\u{0178}",
    ]

    /// The character for one byte, or `nil` for 0x81, 0x8D, 0x8F, 0x90 and 0x9D.
    static func scalar(for byte: UInt8) -> Unicode.Scalar? {
        switch byte {
        case 0x80 ... 0x9F: highControlRange[Int(byte - 0x80)]
        default: Unicode.Scalar(byte)
        }
    }

    /// True for the five bytes cp1252 leaves undefined.
    @inline(__always)
    static func isUndefined(_ byte: UInt8) -> Bool {
        byte == 0x81 || byte == 0x8D || byte == 0x8F || byte == 0x90 || byte == 0x9D
    }

    /// The index of the first undefined byte, if any.
    static func firstInvalidByte(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        bytes.firstIndex(where: isUndefined)
    }

    /// Decodes bytes, replacing undefined ones with U+FFFD. Callers that must reject them check
    /// `firstInvalidByte` first; pure-ASCII input takes a fast path.
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if bytes.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: bytes, as: UTF8.self)
        }
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            scalars.append(scalar(for: byte) ?? "\u{FFFD}")
        }
        return String(scalars)
    }
}
