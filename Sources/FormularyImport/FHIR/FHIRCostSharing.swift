import Foundation

/// One tier's cost under one pharmacy benefit type, as a plan states it: the 2.x
/// `specificCost.benefit.cost[]` pair (copay and coinsurance) or an STU1 `costSharing` extension.
struct FHIRCostSharing: Hashable, Sendable {
    /// The pharmacy benefit type (`1-month-in-retail`); nil when the source gives none.
    var benefitType: String?
    var tier: FHIRCoding
    var copay: Decimal?
    var copayOption: String?
    /// The coinsurance as written (`20` percent in 2.x, `0.2` in STU1).
    var coinsurance: Decimal?
    var coinsuranceText: String?
    var coinsuranceOption: String?
    /// True for STU1, whose `coinsuranceRate` is a fraction; 2.x writes percent.
    var coinsuranceIsFraction: Bool
    /// STU1 `mailOrder` of the tier: false means mail channels are not offered.
    var mailOrder: Bool?
    /// 1-based line of the cost entry, for notes.
    var line: Int
}
