/// What a person typed to name a drug: an RxCUI, an NDC or (part of) a name.
public enum DrugQuery: Hashable, Codable, Sendable, CustomStringConvertible {
    case rxcui(RxCUI)
    case ndc(NDC)
    case name(String)

    /// Reads user input: 1–8 digits is an RxCUI; 11 digits, or a dashed 5-4-2, 4-4-2 or 5-3-2
    /// NDC, is an NDC (normalized to 11 digits); anything else is a name.
    public init(parsing text: String) {
        let trimmed = text.trimmingWhitespace()
        if RxCUI.isWellFormed(trimmed) {
            self = .rxcui(RxCUI(trimmed))
        } else if let ndc = DrugQuery.normalizedNDC(trimmed) {
            self = .ndc(ndc)
        } else {
            self = .name(trimmed)
        }
    }

    public var description: String {
        switch self {
        case .rxcui(let value): "RxCUI \(value)"
        case .ndc(let value): "NDC \(value)"
        case .name(let value): "\"\(value)\""
        }
    }

    /// Pads each dashed part of an NDC to the 5-4-2 HIPAA form; accepts 11 plain digits.
    static func normalizedNDC(_ text: String) -> NDC? {
        if NDC.isWellFormed(text) { return NDC(text) }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }) else {
            return nil
        }
        let widths = [5, 4, 2]
        guard zip(parts, widths).allSatisfy({ $0.count <= $1 }) else { return nil }
        let padded = zip(parts, widths).map { String(repeating: "0", count: $1 - $0.count) + $0 }.joined()
        return NDC.isWellFormed(padded) ? NDC(padded) : nil
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and line breaks (no Foundation needed).
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
