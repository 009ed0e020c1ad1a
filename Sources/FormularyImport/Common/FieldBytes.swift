import Foundation

/// Parsers that read one field's bytes in place, so a row costs no `String` for fields that are
/// only checked or turned into numbers.
///
/// They are strict on purpose: `12abc` is not 12, and `1,000` is not a number. A value a parser
/// rejects becomes a row problem that names the column and the value.
enum FieldBytes {
    private static let space: UInt8 = 0x20
    private static let tab: UInt8 = 0x09

    /// True for the ways the Part D files write "no value": nothing, spaces, or a lone `.` (SAS missing).
    @inline(__always)
    static func isNull(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if bytes.isEmpty { return true }
        if bytes.count == 1 { return bytes[0] == space || bytes[0] == tab || bytes[0] == UInt8(ascii: ".") }
        return bytes.allSatisfy { $0 == space || $0 == tab }
    }

    /// The bytes without leading and trailing spaces and tabs.
    @inline(__always)
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var lower = 0
        var upper = bytes.count
        while lower < upper, bytes[lower] == space || bytes[lower] == tab { lower += 1 }
        while upper > lower, bytes[upper - 1] == space || bytes[upper - 1] == tab { upper -= 1 }
        if lower == 0, upper == bytes.count { return bytes }
        return UnsafeBufferPointer(rebasing: bytes[lower ..< upper])
    }

    /// True when every byte is an ASCII digit and there is at least one.
    @inline(__always)
    static func isDigits(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard !bytes.isEmpty else { return false }
        for byte in bytes where byte &- 0x30 > 9 { return false }
        return true
    }

    /// Packs up to eight bytes into one integer, for cheap comparisons and hash keys of short
    /// ids. Zero padding keeps it one-to-one for text without NUL bytes. `nil` past eight bytes.
    @inline(__always)
    static func packedKey(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        guard bytes.count <= 8 else { return nil }
        var key: UInt64 = 0
        for byte in bytes { key = key << 8 | UInt64(byte) }
        return key
    }

    /// A whole number written with digits only (no sign, no separators); `nil` otherwise.
    @inline(__always)
    static func wholeNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            let digit = byte &- 0x30
            guard digit <= 9 else { return nil }
            value = value &* 10 &+ Int(digit)
        }
        return value
    }

    /// A plain decimal number (`35`, `0.25`, `-1.5`, `.5`) split into its parts, or `nil`.
    /// At most 18 significant digits, which keeps the significand exact in an `Int64`.
    @inline(__always)
    static func decimalParts(_ bytes: UnsafeBufferPointer<UInt8>) -> (negative: Bool, significand: UInt64, scale: Int)? {
        var index = 0
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var significand: UInt64 = 0
        var digits = 0
        var scale = 0
        var seenPoint = false
        var anyDigit = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
            } else {
                let digit = byte &- 0x30
                guard digit <= 9 else { return nil }
                anyDigit = true
                if digits > 0 || digit != 0 { digits += 1 }
                guard digits <= 18 else { return nil }
                significand = significand * 10 + UInt64(digit)
                if seenPoint { scale += 1 }
            }
            index += 1
        }
        // At least one digit, before or after the point.
        guard anyDigit else { return nil }
        return (negative, significand, scale)
    }

    /// A plain decimal number as an exact `Decimal` (money and coinsurance), or `nil`.
    static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Decimal? {
        guard let parts = decimalParts(bytes) else { return nil }
        return Decimal(sign: parts.negative ? .minus : .plus, exponent: -parts.scale, significand: Decimal(parts.significand))
    }

    /// Exact powers of ten for the fast `Double` path.
    private static let powersOfTen: [Double] = (0 ... 22).map { pow(10.0, Double($0)) }

    /// A plain decimal number as a `Double`, correctly rounded, or `nil`.
    ///
    /// When the significand fits in 53 bits and the scale is at most 22, both are exact doubles
    /// and one division rounds correctly, so the common short values skip `strtod`.
    static func double(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        guard let parts = decimalParts(bytes) else { return nil }
        if parts.significand < (1 << 53), parts.scale <= 22 {
            let magnitude = Double(parts.significand) / powersOfTen[parts.scale]
            return parts.negative ? -magnitude : magnitude
        }
        return Double(String(decoding: bytes, as: UTF8.self))
    }
}
