import Foundation

/// One data row of a delimited table, with access to fields by column position and
/// parsers that throw a `FieldProblem` naming the column and value.
///
/// Like `ScannedLine`, a row is valid only inside `DelimitedRowConsumer.consume`.
struct DelimitedRow {
    let line: ScannedLine
    let encoding: TextEncoding

    /// The 1-based line number in the file.
    var number: Int { line.number }

    /// The raw bytes of a column's field.
    @inline(__always)
    func bytes(_ column: Int) -> UnsafeBufferPointer<UInt8> {
        line.field(column)
    }

    /// True when the field is empty, blank or `.`.
    @inline(__always)
    func isNull(_ column: Int) -> Bool {
        FieldBytes.isNull(line.field(column))
    }

    /// The field's text without surrounding spaces, or `nil` when it is null.
    func optionalText(_ column: Int) -> String? {
        let field = line.field(column)
        if FieldBytes.isNull(field) { return nil }
        return encoding.decode(FieldBytes.trimmed(field))
    }

    /// A problem with a column's current value.
    func problem(_ column: Int, expected: String) -> FieldProblem {
        FieldProblem(column: column, value: TextEncoding.displayText(line.field(column)), expected: expected)
    }
}

extension DelimitedRow {
    /// A non-null field's trimmed text.
    func requiredText(_ column: Int, expected: String = "a value") throws -> String {
        guard let text = optionalText(column) else { throw problem(column, expected: expected) }
        return text
    }

    /// A `Y`/`N` flag (either case); `nil` when null. With `acceptsDigits`, `1`/`0` too
    /// (the Part D excluded-drugs file writes its quantity-limit flag that way).
    func flag(_ column: Int, acceptsDigits: Bool = false) throws -> Bool? {
        let field = line.field(column)
        if FieldBytes.isNull(field) { return nil }
        let value = FieldBytes.trimmed(field)
        if value.count == 1 {
            switch value[0] {
            case UInt8(ascii: "Y"), UInt8(ascii: "y"): return true
            case UInt8(ascii: "N"), UInt8(ascii: "n"): return false
            case UInt8(ascii: "1") where acceptsDigits: return true
            case UInt8(ascii: "0") where acceptsDigits: return false
            default: break
            }
        }
        throw problem(column, expected: acceptsDigits ? "Y, N, 1, 0 or blank" : "Y, N or blank")
    }

    /// The text of a positive whole number written without sign or leading zeros (`1`, `12`),
    /// kept verbatim because it is a code (a tier), not a quantity.
    func positiveIntegerCode(_ column: Int, expected: String = "a positive whole number") throws -> String {
        let field = FieldBytes.trimmed(line.field(column))
        guard FieldBytes.isDigits(field), field[0] != UInt8(ascii: "0"), field.count <= 9 else {
            throw problem(column, expected: expected)
        }
        return String(decoding: field, as: UTF8.self)
    }

    /// A whole number ≥ 0, or `nil` when null.
    func optionalWholeNumber(_ column: Int, expected: String = "a whole number") throws -> Int? {
        let field = line.field(column)
        if FieldBytes.isNull(field) { return nil }
        guard let value = FieldBytes.wholeNumber(FieldBytes.trimmed(field)) else {
            throw problem(column, expected: expected)
        }
        return value
    }

    /// A decimal number, or `nil` when null.
    func optionalDouble(_ column: Int, expected: String = "a number") throws -> Double? {
        let field = line.field(column)
        if FieldBytes.isNull(field) { return nil }
        guard let value = FieldBytes.double(FieldBytes.trimmed(field)) else {
            throw problem(column, expected: expected)
        }
        return value
    }

    /// An exact decimal (money, coinsurance), or `nil` when null.
    func optionalDecimal(_ column: Int, expected: String = "a number") throws -> Decimal? {
        let field = line.field(column)
        if FieldBytes.isNull(field) { return nil }
        guard let value = FieldBytes.decimal(FieldBytes.trimmed(field)) else {
            throw problem(column, expected: expected)
        }
        return value
    }

    /// A field of exactly `count` ASCII digits, kept as text (ids with leading zeros).
    func digits(_ column: Int, count: Int, expected: String) throws -> String {
        let field = line.field(column)
        guard field.count == count, FieldBytes.isDigits(field) else {
            throw problem(column, expected: expected)
        }
        return String(decoding: field, as: UTF8.self)
    }
}
