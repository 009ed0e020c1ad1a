import FormularyCriteria
import Foundation
import FormularyModel

/// How the plan covers an option: the formulary line (tier as the source writes it and its
/// normalized category, flags, cost) or the criteria file's line (MB, not covered), with
/// where the fact came from.
public struct CoverageSummary: Hashable, Codable, Sendable {
    public enum Source: String, Hashable, Codable, Sendable {
        /// A formulary line from the `CoverageProvider` (imported plan data).
        case formulary
        /// A line of the criteria file (medical benefit, not covered, no RxCUI in the reference).
        case criteria
        /// Nothing: the option is not on the formulary, or the plan is not in the data.
        case none
    }

    public enum Status: String, Hashable, Codable, Sendable {
        case covered
        case nonFormulary = "non-formulary"
        case notCovered = "not-covered"
        /// The plan is not in the formulary data: nothing can be said.
        case unknown
    }

    public var source: Source
    public var status: Status
    /// The tier exactly as the source writes it (`GENERIC`, `3`, `MB`).
    public var tierCode: String?
    public var tierCategory: TierCategory?
    public var benefit: String?
    /// The formulary line's RxCUI (SCD/SBD) and name.
    public var rxcui: RxCUI?
    public var drugName: String?
    /// How many formulary lines matched the option (strengths and forms).
    public var lineCount: Int
    public var priorAuthorization: Bool?
    public var stepTherapy: Bool?
    public var newStartsOnly: Bool?
    public var quantityLimit: String?
    public var costShare: CostEstimate?
    /// HCPCS/CPT codes (medical benefit).
    public var codes: [String]
    public var reason: String?
    /// Snapshot, file and line, or the criteria file and line.
    public var provenance: String?

    enum CodingKeys: String, CodingKey {
        case source, status, tierCode, tierCategory, benefit, rxcui, drugName, lineCount, priorAuthorization, stepTherapy, newStartsOnly,
             quantityLimit, costShare, codes, reason, provenance
    }
}

/// The member's estimated cost for a 30-day fill (or a session, for the medical benefit).
public struct CostEstimate: Hashable, Codable, Sendable {
    public var copay: Decimal?
    /// Fraction 0…1.
    public var coinsurance: Decimal?
    public var minimum: Decimal?
    public var maximum: Decimal?
    public var qualifier: String?
    /// `retail-standard`, `medical`, …
    public var channel: String?
    public var daysSupply: Int?
    /// Dollars a month when a copay states it; `nil` for coinsurance (the price is unknown).
    public var estimatedMonthly: Decimal?
    public var note: String?
    /// Sort key only (copay dollars; coinsurance and unknown tiers ranked above copays).
    public var rank: Double

    enum CodingKeys: String, CodingKey { case copay, coinsurance, minimum, maximum, qualifier, channel, daysSupply, estimatedMonthly, note, rank }
}
