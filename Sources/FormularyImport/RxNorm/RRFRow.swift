/// One line of an RRF file, split into fields, with the parsers the RxNorm readers share.
///
/// Like `ScannedLine`, a row is valid only inside `RRFRowConsumer.consume`: fields point into
/// the scanner's buffer, so readers compare codes in place and copy out only the few strings
/// they keep. Parsers throw `FieldProblem`, which the table reader turns into a `RowProblem`
/// naming the column.
struct RRFRow {
    let line: ScannedLine

    /// The 1-based line number in the file.
    var number: Int { line.number }

    /// The raw bytes of a column's field.
    @inline(__always)
    func bytes(_ column: Int) -> UnsafeBufferPointer<UInt8> {
        line.field(column)
    }

    /// True when the field is exactly the short code `key` (made with `RRFRow.code`). Codes
    /// such as `RXNORM`, `NDC` or a TTY fit in eight bytes, so the test is one integer compare.
    @inline(__always)
    func field(_ column: Int, is key: UInt64) -> Bool {
        FieldBytes.packedKey(line.field(column)) == key
    }

    /// The field packed as a short code, or `nil` past eight bytes.
    @inline(__always)
    func code(_ column: Int) -> UInt64? {
        FieldBytes.packedKey(line.field(column))
    }

    /// An RxCUI: 1 to 8 ASCII digits, packed verbatim (so a leading zero would survive) into
    /// the key the concept table uses. Anything else is a problem with this column.
    @inline(__always)
    func rxcuiKey(_ column: Int) throws -> UInt64 {
        let field = line.field(column)
        guard field.count <= 8, FieldBytes.isDigits(field), let key = FieldBytes.packedKey(field) else {
            throw problem(column, expected: "an RxCUI of 1 to 8 digits")
        }
        return key
    }

    /// A non-empty field as text. RRF files are UTF-8; bytes that are not valid UTF-8 are a
    /// problem rather than U+FFFD, so a damaged name never lands in the store unnoticed.
    func text(_ column: Int, expected: String) throws -> String {
        let field = line.field(column)
        guard !field.isEmpty, !line.hasNonASCII || Self.isValidUTF8(field) else {
            throw problem(column, expected: expected)
        }
        return String(decoding: field, as: UTF8.self)
    }

    /// True when `bytes` decode as UTF-8 without error. (`String(validating:as:)` would do, but
    /// needs macOS 15 and the package supports 14.)
    static func isValidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// A problem with a column's current value.
    func problem(_ column: Int, expected: String) -> FieldProblem {
        FieldProblem(column: column, value: String(decoding: line.field(column), as: UTF8.self), expected: expected)
    }

    /// Packs a short ASCII code the way `FieldBytes.packedKey` packs a field, for comparisons.
    static func code(_ text: String) -> UInt64 {
        var key: UInt64 = 0
        for byte in text.utf8.prefix(8) { key = key << 8 | UInt64(byte) }
        return key
    }

    /// `RXNORM`, the source of RxNorm's own normalized names, relations and NDCs.
    static let rxnormSource = code("RXNORM")
    /// `N`: not suppressed, i.e. current.
    static let notSuppressed = code("N")
}
