import Foundation
import FormularyModel

/// A hand-built formulary for edge cases the bundled files do not cover (a Part D plan with
/// new-starts-only flags, a plan nobody wrote criteria for).
struct SmallFormulary {
    struct Row {
        var rxcui: String
        var tier: String
        var category: TierCategory
        var pa: Bool = false
        var st: Bool = false
        var newStartsOnly: Bool? = nil
        var copay: Decimal = 10
    }

    static func provider(plan: String, formulary: String, market: Market, rows: [Row]) -> InMemoryCoverageProvider {
        let id = PlanID(plan)
        let formularyValue = Formulary(id: FormularyID(formulary), name: "test formulary \(formulary)")
        let listing = PlanListing(plan: Plan(id: id, name: "Test plan \(plan)", market: market, formulary: formularyValue.id, states: ["AZ"]),
                                  formulary: formularyValue, snapshot: SnapshotRef(id: 9, sourceName: "test", format: .partD, importedAt: Date(timeIntervalSince1970: 0)))
        let lines = rows.map { row in
            CoverageLine(plan: listing,
                         entry: FormularyEntry(scope: .formulary(formularyValue.id), drug: DrugRef(rxcui: RxCUI(row.rxcui)), tierCode: row.tier,
                                               priorAuthorization: UMFlag(required: row.pa, newStartsOnly: row.newStartsOnly),
                                               stepTherapy: UMFlag(required: row.st, newStartsOnly: row.newStartsOnly)),
                         drugName: nil, tier: TierDefinition(formulary: formularyValue.id, sourceCode: row.tier, category: row.category),
                         costShares: [CostShare(plan: id, tierCode: row.tier, phase: .initial, channel: .retailPreferred, daysSupply: 30, offered: true, copay: row.copay)],
                         indications: [], sourceFile: "test")
        }
        return InMemoryCoverageProvider(plans: [listing], lines: lines)
    }

    /// Formulary M in miniature: generics T1, Trintellix T3 ST new starts only.
    static let formularyM = provider(plan: "H9990-001-000", formulary: "00026901", market: .medicarePartD, rows: [
        Row(rxcui: "312941", tier: "1", category: .unknown, copay: 0),
        Row(rxcui: "349332", tier: "1", category: .unknown, copay: 0),
        Row(rxcui: "993557", tier: "1", category: .unknown, copay: 0),
        Row(rxcui: "1790886", tier: "3", category: .unknown, st: true, newStartsOnly: true, copay: 47),
        Row(rxcui: "1790890", tier: "3", category: .unknown, st: true, newStartsOnly: true, copay: 47),
    ])

    /// A commercial plan no criteria file names: generics, and Trintellix flagged ST.
    static let unknownPlan = provider(plan: "12345AZ0000001", formulary: "12345AZ0000001", market: .marketplace, rows: [
        Row(rxcui: "312941", tier: "GENERIC", category: .generic),
        Row(rxcui: "349332", tier: "GENERIC", category: .generic),
        Row(rxcui: "1790886", tier: "PREFERRED-BRAND", category: .preferredBrand, st: true, copay: 60),
    ])
}
