import Foundation
@testable import FormularyImport
import Testing

private func withBytes<T>(_ bytes: [UInt8], _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
    try bytes.withUnsafeBufferPointer(body)
}

private func withText<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
    try withBytes(Array(text.utf8), body)
}

@Suite("Windows-1252 decoding")
struct CommonWindows1252Tests {
    @Test("Ó (0xD3) decodes, as in the plan-information file's \"Óptimo\"")
    func optimo() {
        let bytes: [UInt8] = [0xD3, 0x70, 0x74, 0x69, 0x6D, 0x6F]
        #expect(withBytes(bytes) { Windows1252.firstInvalidByte(in: $0) } == nil)
        #expect(withBytes(bytes) { Windows1252.decode($0) } == "Óptimo")
    }

    @Test("0x80–0x9F are the cp1252 characters, not C1 controls", arguments: [
        (UInt8(0x80), "€"), (0x85, "…"), (0x8A, "Š"), (0x91, "\u{2018}"), (0x92, "\u{2019}"),
        (0x93, "\u{201C}"), (0x94, "\u{201D}"), (0x96, "–"), (0x97, "—"), (0x99, "™"), (0x9F, "Ÿ"),
    ])
    func highControlRange(byte: UInt8, expected: String) {
        #expect(withBytes([byte]) { Windows1252.decode($0) } == expected)
    }

    @Test("0xA0–0xFF are Latin-1", arguments: [(UInt8(0xA0), "\u{00A0}"), (0xE9, "é"), (0xF1, "ñ"), (0xFF, "ÿ")])
    func latin1Range(byte: UInt8, expected: String) {
        #expect(withBytes([byte]) { Windows1252.decode($0) } == expected)
    }

    @Test("The five undefined bytes are invalid", arguments: [UInt8(0x81), 0x8D, 0x8F, 0x90, 0x9D])
    func undefinedBytes(byte: UInt8) {
        let bytes: [UInt8] = [0x41, 0x42, byte, 0x43]
        #expect(withBytes(bytes) { Windows1252.firstInvalidByte(in: $0) } == 2)
        #expect(withBytes(bytes) { Windows1252.decode($0) } == "AB\u{FFFD}C")
        #expect(withBytes(bytes) { TextEncoding.windows1252.firstInvalidByte(in: $0) } == 2)
    }

    @Test("Exactly 251 of the 256 byte values are defined")
    func definedCount() {
        let defined = (0 ... 255).filter { Windows1252.scalar(for: UInt8($0)) != nil }
        #expect(defined.count == 251)
    }

    @Test("ASCII tables reject any byte of 0x80 or more")
    func asciiPolicy() {
        #expect(withBytes([0x41, 0xC3, 0xA9]) { TextEncoding.ascii.firstInvalidByte(in: $0) } == 1)
        #expect(withBytes([0x41, 0x7F]) { TextEncoding.ascii.firstInvalidByte(in: $0) } == nil)
    }
}

@Suite("Field parsing")
struct CommonFieldBytesTests {
    @Test("Nulls are empty, blank, or a lone dot", arguments: ["", " ", "  ", ".", "\t"])
    func nulls(text: String) {
        #expect(withText(text) { FieldBytes.isNull($0) })
    }

    @Test("Values are not null", arguments: ["0", "N", "..", " . ", "00026408"])
    func notNull(text: String) {
        #expect(!withText(text) { FieldBytes.isNull($0) })
    }

    @Test("Whole numbers are digits only", arguments: [("0", 0), ("28", 28), ("007", 7), ("2026", 2026)])
    func wholeNumbers(text: String, value: Int) {
        #expect(withText(text) { FieldBytes.wholeNumber($0) } == value)
    }

    @Test("Anything else is not a whole number", arguments: ["", "-1", "+1", "1.0", "1,000", "12abc", " 1", "1234567890123456789"])
    func notWholeNumbers(text: String) {
        #expect(withText(text) { FieldBytes.wholeNumber($0) } == nil)
    }

    @Test("Decimals are exact", arguments: ["0.25", "35", "35.60", "-1.5", ".5", "1.", "0.333333", "123456789.123456789"])
    func decimals(text: String) {
        #expect(withText(text) { FieldBytes.decimal($0) } == Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")))
    }

    @Test("Malformed decimals are rejected", arguments: ["", ".", "-", "1.2.3", "1,5", "2 tabs", "1e3", "0x10", "１"])
    func badDecimals(text: String) {
        #expect(withText(text) { FieldBytes.decimal($0) } == nil)
        #expect(withText(text) { FieldBytes.double($0) } == nil)
    }

    @Test("Doubles round like the standard library", arguments: ["2.5", "0.1", "30", "0.3", "9999.99999", "1234567.891", "98765432109876543"])
    func doubles(text: String) {
        #expect(withText(text) { FieldBytes.double($0) } == Double(text))
    }

    @Test("Packed keys keep leading zeros apart")
    func packedKeys() {
        let keys = ["12", "012", "0012", "00026408", "00026409", ""].map { text in withText(text) { FieldBytes.packedKey($0) } }
        #expect(Set(keys.compactMap { $0 }).count == keys.count)
        #expect(withText("123456789") { FieldBytes.packedKey($0) } == nil)
    }

    @Test("Trimming removes spaces and tabs at both ends only")
    func trimming() {
        #expect(withText(" \t a b \t") { String(decoding: FieldBytes.trimmed($0), as: UTF8.self) } == "a b")
        #expect(withText("   ") { FieldBytes.trimmed($0).count } == 0)
    }
}

@Suite("CRC-32")
struct CommonCRC32Tests {
    @Test("Known check values", arguments: [("", UInt32(0)), ("a", 0xE8B7_BE43), ("123456789", 0xCBF4_3926),
                                            ("The quick brown fox jumps over the lazy dog", 0x414F_A339)])
    func checkValues(text: String, expected: UInt32) {
        var crc = ZipCRC32()
        Array(text.utf8).withUnsafeBytes { crc.update($0) }
        #expect(crc.value == expected)
    }

    @Test("Updating in pieces gives the same value as in one go", arguments: [1, 3, 7, 8, 9, 1000])
    func pieces(size: Int) {
        let bytes = (0 ..< 5000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var whole = ZipCRC32()
        bytes.withUnsafeBytes { whole.update($0) }
        var pieces = ZipCRC32()
        var start = 0
        while start < bytes.count {
            let end = min(bytes.count, start + size)
            bytes[start ..< end].withUnsafeBytes { pieces.update($0) }
            start = end
        }
        #expect(pieces.value == whole.value)
    }
}
