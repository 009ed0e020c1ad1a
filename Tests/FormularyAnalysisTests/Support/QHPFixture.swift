import Foundation
import FormularyModel

/// Builds Formulary A's coverage lines straight from `Formularies/qhp/reference-a/*.json` with
/// `JSONDecoder`, so the analyzer tests do not depend on the QHP importer (written elsewhere).
/// Mapping as FORMATS.md §2: tier name → category, `1-MONTH-IN-RETAIL` → 30-day standard retail.
enum QHPFixture {
    struct PlanFile: Decodable {
        var plan_id: String
        var marketing_name: String
        var formulary: [Tier]
        var years: [Int]?
        struct Tier: Decodable {
            var drug_tier: String
            var cost_sharing: [Cost]?
        }
        struct Cost: Decodable {
            var pharmacy_type: String
            var copay_amount: Double?
            var copay_opt: String?
            var coinsurance_rate: Double?
            var coinsurance_opt: String?
        }
    }

    struct DrugFile: Decodable {
        var rxnorm_id: String?
        var drug_name: String
        var plans: [Entry]
        struct Entry: Decodable {
            var plan_id: String
            var drug_tier: String
            var prior_authorization: Bool?
            var step_therapy: Bool?
            var quantity_limit: Bool?
        }
    }

    static let categories: [String: TierCategory] = [
        "GENERIC": .generic, "NON-PREFERRED-GENERIC": .nonPreferredGeneric, "PREFERRED-BRAND": .preferredBrand,
        "NON-PREFERRED-BRAND": .nonPreferredBrand, "SPECIALTY": .specialty,
    ]

    static func provider(folder: String) throws -> InMemoryCoverageProvider {
        let decoder = JSONDecoder()
        let plans = try decoder.decode([PlanFile].self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/plans.json")))
        let drugs = try decoder.decode([DrugFile].self, from: Data(contentsOf: URL(fileURLWithPath: folder + "/drugs.json")))
        let snapshot = SnapshotRef(id: 1, sourceName: "reference-a", format: .qhp, importedAt: Date(timeIntervalSince1970: 0))
        var listings: [String: PlanListing] = [:]
        var tiers: [String: [String: (TierDefinition, [CostShare])]] = [:]
        for plan in plans {
            let id = PlanID(plan.plan_id)
            let formulary = Formulary(id: FormularyID(plan.plan_id), name: plan.marketing_name, contractYear: plan.years?.first)
            listings[plan.plan_id] = PlanListing(plan: Plan(id: id, name: plan.marketing_name, market: .marketplace, formulary: formulary.id,
                                                            year: plan.years?.first, states: ["AZ"]),
                                                 formulary: formulary, snapshot: snapshot)
            for tier in plan.formulary {
                let definition = TierDefinition(formulary: formulary.id, sourceCode: tier.drug_tier, category: categories[tier.drug_tier] ?? .unknown,
                                                isSpecialty: tier.drug_tier == "SPECIALTY")
                let costs = (tier.cost_sharing ?? []).compactMap { cost -> CostShare? in
                    let parts = cost.pharmacy_type.split(separator: "-")
                    guard parts.count == 4, let months = Int(parts[0]) else { return nil }
                    let channel: PharmacyChannel = switch (parts[2], parts[3]) {
                    case ("IN", "RETAIL"): .retailStandard
                    case ("IN", "MAIL"): .mailStandard
                    case ("OUT", "RETAIL"): .retailOutOfNetwork
                    default: .mailOutOfNetwork
                    }
                    let coinsurance = cost.coinsurance_rate.map { Decimal($0) }.flatMap(CostShare.normalizedCoinsurance)
                    return CostShare(plan: id, tierCode: tier.drug_tier, phase: .any, channel: channel, daysSupply: months * 30, offered: true,
                                     copay: cost.copay_amount.map { Decimal($0) }, coinsurance: coinsurance,
                                     qualifier: cost.copay_opt.flatMap { CostShareQualifier(rawValue: $0.lowercased()) })
                }
                tiers[plan.plan_id, default: [:]][tier.drug_tier] = (definition, costs)
            }
        }
        var lines: [CoverageLine] = []
        for (row, drug) in drugs.enumerated() {
            for entry in drug.plans {
                guard let listing = listings[entry.plan_id], let tier = tiers[entry.plan_id]?[entry.drug_tier] else { continue }
                let formularyEntry = FormularyEntry(
                    scope: .formulary(listing.formulary.id), drug: DrugRef(rxcui: drug.rxnorm_id.map { RxCUI($0) }, name: drug.drug_name),
                    tierCode: entry.drug_tier, priorAuthorization: UMFlag(required: entry.prior_authorization),
                    stepTherapy: UMFlag(required: entry.step_therapy), quantityLimit: QuantityLimit(required: entry.quantity_limit), sourceLine: row + 1)
                lines.append(CoverageLine(plan: listing, entry: formularyEntry, drugName: drug.drug_name, tier: tier.0, costShares: tier.1,
                                          indications: [], sourceFile: "drugs.json"))
            }
        }
        return InMemoryCoverageProvider(plans: Array(listings.values), lines: lines)
    }
}
