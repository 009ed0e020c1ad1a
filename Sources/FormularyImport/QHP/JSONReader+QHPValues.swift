import Foundation

extension JSONReader {
    /// A QHP flag (`prior_authorization`, `step_therapy`, `quantity_limit`, `mail_order`): a
    /// boolean, or the spellings issuers were seen to use instead (`"yes"`/`"Y"`/`"1"`/`"true"`,
    /// `"no"`/`"N"`/`"0"`/`"false"`, the numbers 1 and 0). `null` and `""` mean the source did not
    /// say, so they read as nil, never as false.
    func readQHPFlag() throws -> Bool? {
        switch try peek() {
        case .true, .false:
            return try readBool()
        case .null:
            _ = try readNull()
            return nil
        case .string:
            let text = try readString()
            switch text.lowercased() {
            case "true", "yes", "y", "1", "t": return true
            case "false", "no", "n", "0", "f": return false
            case "": return nil
            default:
                throw shapeError(
                    expected: "true or false (or \"yes\"/\"no\", \"Y\"/\"N\", \"1\"/\"0\")",
                    found: "the string " + RowProblem.quoted(text))
            }
        case .number:
            let text = try readNumberText()
            switch text {
            case "1": return true
            case "0": return false
            default: throw shapeError(expected: "true or false (or 1/0)", found: "the number \(text)")
            }
        default:
            _ = try readBool()  // throws the shape error with what was found
            return nil
        }
    }

    /// A number as an exact `Decimal` and as written (`25.00`), so a value a rule refuses can be
    /// shown the way the file has it.
    func readDecimalAndText() throws -> (value: Decimal, text: String) {
        guard try peek() == .number else { throw unexpectedValue(expected: "a number") }
        let text = tokenizer.numberText()
        return (try readDecimal(), text)
    }

    /// The latest year of a QHP `years` field. The schema says integers, but issuers were rejected
    /// by validators for sending quoted years (spec issue #30), so digit strings count too, as does
    /// a single year outside an array. An empty list reads as nil.
    func readLatestYear() throws -> Int? {
        var latest: Int?
        func readYear() throws {
            let year: Int
            if try peek() == .string {
                let text = try readString()
                guard let value = Int(text.trimmingCharacters(in: .whitespaces)), (1900...2999).contains(value) else {
                    throw shapeError(expected: "a year (an integer such as 2025)", found: "the string \"\(text)\"")
                }
                year = value
            } else {
                year = try readInt()
                guard (1900...2999).contains(year) else {
                    throw shapeError(expected: "a year between 1900 and 2999", found: "\(year)")
                }
            }
            latest = max(latest ?? year, year)
        }
        if try readNull() { return nil }
        if try peek() == .beginArray {
            try readArray { try readYear() }
        } else {
            try readYear()
        }
        return latest
    }
}
