/// Checks and takes apart the 14-character HIOS plan id QHP uses (`12345XX9876543`: 5-digit
/// issuer, 2-letter state, 7 digits), working on bytes because drugs.json repeats it millions of times.
enum HIOSPlanID {
    /// The pattern, for messages.
    static let pattern = "^[0-9]{5}[A-Z]{2}[0-9]{7}$"

    /// True when `bytes` match `^[0-9]{5}[A-Z]{2}[0-9]{7}$`.
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == 14 else { return false }
        for i in 0..<14 {
            let c = bytes[i]
            let ok = (i == 5 || i == 6) ? (c &- UInt8(ascii: "A") < 26) : (c &- UInt8(ascii: "0") < 10)
            if !ok { return false }
        }
        return true
    }

    static func isValid(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { isValid($0) }
    }

    /// The two-letter state code at positions 6–7 of a valid id.
    static func state(of id: String) -> String {
        String(id.dropFirst(5).prefix(2))
    }
}
