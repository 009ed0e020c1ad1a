/// An STU1 CoveragePlan (List): a plan, which is also its own formulary, with its tiers and costs
/// (`usdf-DrugTierDefinition-extension`).
struct FHIRCoveragePlan: Hashable, Sendable {
    var id: String?
    var identifier: String?
    var title: String?
    /// `usdf-PlanIDType-extension` (`HIOS-PLAN-ID`, `OTHER-PLAN-ID`).
    var planIDType: String?
    /// Tier codes in order of definition, with their costs.
    var tiers: [FHIRCoding]
    var costs: [FHIRCostSharing]
}
