import FormularyModel

/// Reads a pharmacy benefit type (`1-MONTH-IN-RETAIL`, FHIR `3-month-out-mail`) as days' supply and channel.
///
/// QHP has no preferred/standard pharmacy split (that is a Part D idea), so in-network retail and
/// mail map to the *standard* channels and out-of-network to the out-of-network ones; reading
/// `IN-RETAIL` as preferred would claim a discount the plan never promised. Months become days
/// at 30 per month (1 → 30, 2 → 60, 3 → 90), as Part D counts them.
public enum PharmacyTypeMapping {
    /// Days' supply and channel of one pharmacy benefit type.
    public struct Benefit: Hashable, Sendable {
        public var daysSupply: Int
        public var channel: PharmacyChannel
    }

    /// The benefit for a code in any case, with `-` or `_`; nil when it is not `<n>-MONTH-<IN|OUT>-<RETAIL|MAIL>`.
    public static func benefit(for code: String) -> Benefit? {
        let parts = code.uppercased().split(whereSeparator: { $0 == "-" || $0 == "_" })
        guard parts.count == 4, parts[1] == "MONTH" || parts[1] == "MONTHS",
            let months = Int(parts[0]), (1...3).contains(months)
        else { return nil }
        let channel: PharmacyChannel
        switch (parts[2], parts[3]) {
        case ("IN", "RETAIL"): channel = .retailStandard
        case ("IN", "MAIL"): channel = .mailStandard
        case ("OUT", "RETAIL"): channel = .retailOutOfNetwork
        case ("OUT", "MAIL"): channel = .mailOutOfNetwork
        default: return nil
        }
        return Benefit(daysSupply: months * 30, channel: channel)
    }
}
