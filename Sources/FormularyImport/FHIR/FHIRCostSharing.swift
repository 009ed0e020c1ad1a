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
    /// Where the entry is in its resource (`.plan[0].specificCost[1].benefit[0]`), the same in JSON
    /// and XML, for messages that name it.
    var path: String
    /// Where the copay and the coinsurance amounts were written, for a problem that names them.
    var copayPlace: FHIRValuePlace?
    var coinsurancePlace: FHIRValuePlace?
}

/// Where a value was written inside its resource, and how, so a problem can name it.
struct FHIRValuePlace: Hashable, Sendable {
    /// FHIRPath-style, from the resource root (`.plan[0].specificCost[0].benefit[0].cost[0].value.value`).
    var path: String
    /// 1-based line in its file.
    var line: Int
    /// The value as written.
    var text: String?
}
