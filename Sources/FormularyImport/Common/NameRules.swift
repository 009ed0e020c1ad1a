/// The rule every importer applies to the names people read (plan, drug and formulary names): a
/// name with a control character, C0 (U+0000–U+001F: NUL, tab, line feed and carriage return
/// included) or DEL (U+007F), is a rejected row, never stored or printed. Such a byte is what a
/// truncated field, a binary column or an injected escape sequence looks like; a terminal may act
/// on it, and NUL cuts the name short in C tools.
///
/// The check is of the value as it would be stored (after the format's own trimming). Problems
/// show the value with its control characters written as escapes, so the message is safe to print.
enum NameRules {
    /// Why `name` cannot be stored, in the words a problem's "expected" text uses; nil when it can.
    static func violation(in name: String) -> String? {
        var position = 0
        for scalar in name.unicodeScalars {
            position += 1
            if isControl(scalar.value) {
                return "a name without control characters (U+0000–U+001F, U+007F); "
                    + "character \(position) is \(codePoint(scalar.value))"
            }
        }
        return nil
    }

    /// `text` with every control character written as an escape: `\0`, `\t`, `\n`, `\r`, and
    /// `\u{1B}` for the others.
    /// The row problem for a name with a control character, naming the file, line and field and
    /// showing the value escaped; nil for a clean name.
    static func problem(in name: String, file: String, line: Int, field: String) -> RowProblem? {
        violation(in: name).map { RowProblem(file: file, line: line, field: field, value: escaped(name), expected: $0) }
    }

    static func escaped(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x00: result += "\\0"
            case 0x09: result += "\\t"
            case 0x0A: result += "\\n"
            case 0x0D: result += "\\r"
            case let value where isControl(value): result += "\\u{\(String(value, radix: 16, uppercase: true))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    @inline(__always)
    private static func isControl(_ value: UInt32) -> Bool {
        value < 0x20 || value == 0x7F
    }

    private static func codePoint(_ value: UInt32) -> String {
        let hex = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
