/// A 2.x PayerInsurancePlan (InsurancePlan): a plan, the formulary it uses, and its cost grid.
struct FHIRPayerPlan: Hashable, Sendable {
    var id: String?
    var identifier: String?
    var name: String?
    /// `type` (Plan-Net InsuranceProductTypeCS: `mediadv`, `commppo`, …).
    var productType: FHIRCoding?
    var periodStart: String?
    /// Every `coverage.extension` FormularyReference, as written.
    var formularyReferences: [String]
    var costs: [FHIRCostSharing]
}
