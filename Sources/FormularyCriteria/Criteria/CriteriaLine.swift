/// A coverage line the criteria file carries because the pharmacy formulary file cannot:
/// medical-benefit items (Spravato G2082/G2083, TMS, ECT) with tier `MB`, non-formulary and
/// not-covered lines (Exxua, ketamine IV, OTC), lines with no RxCUI in the reference
/// (Zurzuvae), and notes that refine a file line (citalopram's age-based QL).
public struct CriteriaLine: Hashable, Codable, Sendable {
    public enum Status: String, Hashable, Codable, Sendable {
        case covered
        /// Not on the formulary: reachable only by a formulary exception.
        case nonFormulary = "non-formulary"
        /// Excluded from the benefit (investigational, OTC).
        case notCovered = "not-covered"
    }

    public var option: String
    /// Tier code as the plan would write it (`MB`, `BH`, `T5`); `nil` = keep the file's tier.
    public var tier: String?
    public var benefit: DrugOption.Benefit?
    public var status: Status
    public var reason: String?
    /// Billing codes that apply on this plan (HCPCS/CPT).
    public var codes: [String]
    public var quantityLimit: String?
    /// Estimated member cost share for a month (or a session) on this line.
    public var copay: Double?
    public var coinsurance: Double?
    public var costNote: String?
    public var effective: DayWindow?
    public var citation: String?
    public var line: Int?

    public init(option: String, tier: String? = nil, benefit: DrugOption.Benefit? = nil, status: Status = .covered, reason: String? = nil,
                codes: [String] = [], quantityLimit: String? = nil, copay: Double? = nil, coinsurance: Double? = nil, costNote: String? = nil,
                effective: DayWindow? = nil, citation: String? = nil, line: Int? = nil) {
        self.option = option
        self.tier = tier
        self.benefit = benefit
        self.status = status
        self.reason = reason
        self.codes = codes
        self.quantityLimit = quantityLimit
        self.copay = copay
        self.coinsurance = coinsurance
        self.costNote = costNote
        self.effective = effective
        self.citation = citation
        self.line = line
    }
}
