import Foundation

/// The benefit phase a cost share applies in (Part D coverage levels; `any` where a source has none).
public enum BenefitPhase: String, Hashable, Codable, Sendable, CaseIterable {
    /// Before the deductible is met (Part D coverage level 0).
    case deductible
    /// Initial coverage (Part D coverage level 1).
    case initial
    /// The coverage gap (Part D coverage level 2, in files before 2025).
    case coverageGap = "coverage-gap"
    /// Catastrophic coverage (Part D coverage level 3).
    case catastrophic
    case any
}

/// Where a prescription is filled.
public enum PharmacyChannel: String, Hashable, Codable, Sendable, CaseIterable {
    case retailPreferred = "retail-preferred"
    case retailStandard = "retail-standard"
    case mailPreferred = "mail-preferred"
    case mailStandard = "mail-standard"
    case retailOutOfNetwork = "retail-out-of-network"
    case mailOutOfNetwork = "mail-out-of-network"
    case any

    public var displayName: String {
        switch self {
        case .retailPreferred: "preferred retail"
        case .retailStandard: "standard retail"
        case .mailPreferred: "preferred mail"
        case .mailStandard: "standard mail"
        case .retailOutOfNetwork: "out-of-network retail"
        case .mailOutOfNetwork: "out-of-network mail"
        case .any: "any pharmacy"
        }
    }
}

/// How a copay or coinsurance relates to the deductible (QHP `copay_opt`, FHIR CostShareOption).
public enum CostShareQualifier: String, Hashable, Codable, Sendable, CaseIterable {
    case afterDeductible = "after-deductible"
    case beforeDeductible = "before-deductible"
    case noCharge = "no-charge"
    case noChargeAfterDeductible = "no-charge-after-deductible"
    case charge
    case notApplicable = "not-applicable"
    case deductibleWaived = "deductible-waived"
    case unknown
}

/// Which drugs a cost share row covers.
public enum CostShareScope: String, Hashable, Codable, Sendable {
    case all
    /// The Part D insulin file: overrides the tier's cost for insulin products.
    case insulin
}

/// What a member pays for one tier, phase, channel and days' supply under one plan.
public struct CostShare: Hashable, Codable, Sendable {
    public var plan: PlanID
    /// The tier's source code; `nil` means every tier (the Part D insulin file's `.`).
    public var tierCode: String?
    public var phase: BenefitPhase
    public var channel: PharmacyChannel
    /// 30, 60 or 90; `nil` when the source does not say.
    public var daysSupply: Int?
    /// False where the plan does not offer this channel (Part D COST_TYPE 0).
    public var offered: Bool
    /// A copay in dollars.
    public var copay: Decimal?
    /// Coinsurance as a fraction 0…1, normalized from any source scale.
    public var coinsurance: Decimal?
    /// The coinsurance exactly as the source wrote it (`0.25`, `25`, `25 %`).
    public var coinsuranceRaw: String?
    public var minimum: Decimal?
    public var maximum: Decimal?
    /// Tri-state: whether the deductible applies to this tier.
    public var deductibleApplies: Bool?
    public var qualifier: CostShareQualifier?
    public var scope: CostShareScope

    public init(
        plan: PlanID, tierCode: String?, phase: BenefitPhase, channel: PharmacyChannel, daysSupply: Int?,
        offered: Bool, copay: Decimal? = nil, coinsurance: Decimal? = nil, coinsuranceRaw: String? = nil,
        minimum: Decimal? = nil, maximum: Decimal? = nil, deductibleApplies: Bool? = nil,
        qualifier: CostShareQualifier? = nil, scope: CostShareScope = .all
    ) {
        self.plan = plan
        self.tierCode = tierCode
        self.phase = phase
        self.channel = channel
        self.daysSupply = daysSupply
        self.offered = offered
        self.copay = copay
        self.coinsurance = coinsurance
        self.coinsuranceRaw = coinsuranceRaw
        self.minimum = minimum
        self.maximum = maximum
        self.deductibleApplies = deductibleApplies
        self.qualifier = qualifier
        self.scope = scope
    }

    /// Normalizes a coinsurance value to a fraction: values above 1 are read as percent.
    /// Returns `nil` for negatives and for values above 100, which no scale allows.
    public static func normalizedCoinsurance(_ value: Decimal) -> Decimal? {
        if value < 0 { return nil }
        if value <= 1 { return value }
        if value <= 100 { return value / 100 }
        return nil
    }
}
