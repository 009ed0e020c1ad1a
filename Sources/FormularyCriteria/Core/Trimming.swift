/// Trimming without Foundation's `trimmingCharacters(in:)`, which on Linux bridges every call
/// through `NSString` and UTF-16: with it, trimming the values of one patient profile took 7% of
/// an API request (perf, `formulary serve` under load). Same sets as `CharacterSet.whitespaces`
/// (Unicode spaces, tab and the zero-width space) and `.whitespacesAndNewlines`.
extension StringProtocol {
    /// Without leading and trailing spaces and tabs (`CharacterSet.whitespaces`).
    func trimmingSpaces() -> String { trimmed { Self.isSpace($0) } }

    /// Without leading and trailing white space and line breaks (`CharacterSet.whitespacesAndNewlines`).
    func trimmingWhitespace() -> String { trimmed { Self.isSpace($0) || Self.isNewline($0) } }

    private func trimmed(_ drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !drop($0) }) else { return "" }
        let last = scalars.lastIndex { !drop($0) } ?? first
        var result = String.UnicodeScalarView()
        result.append(contentsOf: scalars[first...last])
        return String(result)
    }

    private static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || scalar == "\t" || scalar.value == 0x200B // CF counts the zero-width space as white space
            || (scalar.value > 0x7F && scalar.properties.generalCategory == .spaceSeparator)
    }

    private static func isNewline(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0A...0x0D, 0x85, 0x2028, 0x2029: true
        default: false
        }
    }
}
