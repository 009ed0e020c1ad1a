import FormularyModel

/// What the formulary data says about a plan that the analysis does not carry: its premium,
/// deductible, plan year and states (the listing), and its cost-share rows for the tiers the
/// comparison prices (which phases the deductible applies to). Reports never read the database:
/// the caller passes these in (the CLI reads them with `FormularyStore.plan(_:)` and
/// `coverage(plans:drugs:)`).
///
/// ```swift
/// let facts = PlanFacts(listing: try store.plan(PlanID("H9990-002-000")), costShares: lines.flatMap(\.costShares))
/// let comparison = try PlanComparison(analysis: result, facts: [facts], metadata: metadata)
/// ```
public struct PlanFacts: Hashable, Sendable {
    public var listing: PlanListing
    /// Cost-share rows of this plan (any tiers, phases and channels); rows of other plans are ignored.
    public var costShares: [CostShare]

    public init(listing: PlanListing, costShares: [CostShare] = []) {
        self.listing = listing
        self.costShares = costShares.filter { $0.plan == listing.plan.id }
    }

    public var planID: String { listing.plan.id.rawValue }

    /// The plan year: the plan's, else its formulary's contract year.
    public var year: Int? { listing.plan.year ?? listing.formulary.contractYear }

    /// Whether the plan's deductible applies to a tier as the analysis priced it (its pharmacy
    /// channel, 30 days' supply, initial coverage): from the row's `DED_APPLIES_YN` (Part D) or
    /// copay/coinsurance option (QHP). Rows of the same tier for other channels (out of network,
    /// mail) come after; nil when no row says.
    public func deductibleApplies(tier: String?, channel: String? = nil, daysSupply: Int? = 30) -> Bool? {
        guard let tier else { return nil }
        let rows = costShares.filter { $0.tierCode?.lowercased() == tier.lowercased() && $0.scope == .all && $0.offered }
        func rank(_ row: CostShare) -> [Int] {
            [row.channel.rawValue == channel ? 0 : 1,
             row.channel == .retailPreferred || row.channel == .retailStandard ? 0 : 1,
             row.channel == .retailOutOfNetwork || row.channel == .mailOutOfNetwork ? 1 : 0,
             row.daysSupply == daysSupply ? 0 : 1,
             row.phase == .initial ? 0 : row.phase == .any ? 1 : 2]
        }
        for row in rows.sorted(by: { rank($0).lexicographicallyPrecedes(rank($1)) }) {
            if let applies = row.deductibleApplies { return applies }
            switch row.qualifier {
            case .afterDeductible?, .noChargeAfterDeductible?: return true
            case .beforeDeductible?, .deductibleWaived?, .noCharge?: return false
            default: continue
            }
        }
        return nil
    }
}
