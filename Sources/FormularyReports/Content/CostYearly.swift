import FormularyAnalysis
import FormularyCriteria
import FormularyModel
import Foundation

/// An estimate of one plan's year for the person's current medicines: the premiums, the
/// deductible, and the drug costs after it, phase by phase, with the yearly out-of-pocket limit
/// applied. Every number is from the analysis (the 30-day cost of each medicine), the plan data
/// (`PlanFacts`: premium, deductible, which tiers the deductible applies to, the plan year) or
/// the cost model (`cost_model.yaml`: the Part D cap, the ACA maximum); nothing is guessed, and
/// what is missing is listed as missing.
///
/// - Medicare Part D (the 2025 redesign): the deductible, counted in full when it applies to a
///   current medicine's tier (assuming the first fill costs at least the deductible, as brand
///   drugs do; for a cheaper drug this overstates), then 12 × each 30-day copay (initial
///   coverage), and nothing more once the year's drug spending reaches the cap.
/// - Marketplace and employer plans: the deductible when the data has it (else listed as
///   unknown), 12 × each 30-day copay, capped at the plan's out-of-pocket maximum, or the ACA
///   maximum for the year when the data has none.
/// - Coinsurance has no dollar amount (the drug's price is not in the data): such a medicine is
///   listed as unpriced, and the year is shown as a range up to the cap.
struct YearlyCost {
    enum Kind { case partD, marketplace, employer, medicaid, other }

    struct Line {
        var drug: String
        var monthly: Decimal?
        var tier: String?
        /// Whether the plan's deductible applies to this medicine's tier (nil: the data does not say).
        var deductibleApplies: Bool?
        var afterDeductible: Bool
    }

    var planID: String
    var kind: Kind
    var year: Int
    /// False when the plan year is not in the data (the as-of year is used).
    var yearFromData: Bool
    var premiumMonthly: Decimal?
    var planDeductible: Decimal?
    var lines: [Line]
    /// The yearly limit on drug spending in force (Part D cap, plan or ACA maximum), if any.
    var cap: Decimal?
    var capLabel: String?
    var capCitation: String?
    /// The year's standard maximum Part D deductible, the bound of an unknown one.
    var maximumDeductible: Decimal?
    var notes: [String] = []

    // Results
    var premiums: Decimal?
    var deductiblePart: Decimal = 0
    var drugPart: Decimal = 0
    var capReached = false
    /// The year with every unknown at its limit (unpriced medicines, an unknown deductible), or
    /// nil when nothing is unknown.
    var upperBound: Decimal?

    var unpriced: [Line] { lines.filter { $0.monthly == nil } }
    var total: Decimal { (premiums ?? 0) + deductiblePart + drugPart }
    /// Sort key: the upper bound when there is one, else the total; plans without premium data last.
    var sortKey: (Decimal, Decimal) { (upperBound ?? total, total) }

    init(plan: PlanResult, facts: PlanFacts?, regimen: [RegimenCost.Item], model: CostModel, asOf: Day) {
        planID = plan.planID
        kind = switch plan.market {
        case "medicare-part-d": .partD
        case "marketplace": .marketplace
        case "commercial": .employer
        case "medicaid": .medicaid
        default: .other
        }
        year = facts?.year ?? asOf.year
        yearFromData = facts?.year != nil
        premiumMonthly = facts?.listing.plan.premiumMonthly
        planDeductible = facts?.listing.plan.drugDeductible
        lines = regimen.map { item in
            let option = item.optionID.flatMap { id in plan.options.first { $0.optionID == id } }
            let tier = option?.coverage.tierCode
            let qualifier = option?.coverage.costShare?.qualifier
            let after = qualifier == "after-deductible" || qualifier == "no-charge-after-deductible"
            let share = option?.coverage.costShare
            let applies = facts?.deductibleApplies(tier: tier, channel: share?.channel, daysSupply: share?.daysSupply ?? 30) ?? (qualifier == nil ? nil : after)
            return Line(drug: item.drug, monthly: option?.coverage.costShare?.estimatedMonthly, tier: tier, deductibleApplies: applies,
                        afterDeductible: after)
        }
        if !yearFromData { notes.append("The plan year is not in the data: the \(year) figures are used.") }
        premiums = premiumMonthly.map { $0 * 12 }
        if premiums == nil { notes.append("The premium is not in the plan data: it is not included; ask the plan or check its listing.") }
        setLimit(model: model)
        compute()
    }

    private mutating func setLimit(model: CostModel) {
        switch kind {
        case .partD:
            guard let found = model.partD(year: year) else { return }
            cap = found.entry.outOfPocketCap
            capLabel = "the \(found.entry.year) Part D out-of-pocket cap"
            capCitation = found.entry.citation
            maximumDeductible = found.entry.maximumDeductible
            if !found.exact { notes.append("The cost model has no Part D figures for \(year): \(found.entry.year)'s are used.") }
            if let deductible = planDeductible, deductible > found.entry.maximumDeductible {
                notes.append("The plan's deductible (\(TextFormat.money(deductible))) is above the \(found.entry.year) standard maximum (\(TextFormat.money(found.entry.maximumDeductible))): check the plan data.")
            }
        case .marketplace, .employer:
            guard let found = model.aca(year: year) else { return }
            cap = found.entry.selfOnly
            capLabel = "the \(found.entry.year) ACA out-of-pocket maximum (self-only)"
            capCitation = found.entry.citation
            notes.append("The plan's own out-of-pocket maximum is not in the data: the \(found.entry.year) ACA maximum for one person, \(TextFormat.money(found.entry.selfOnly)), is used (a plan's may be lower).")
            if !found.exact { notes.append("The cost model has no ACA maximum for \(year): \(found.entry.year)'s is used.") }
        case .medicaid, .other:
            break
        }
    }

    private mutating func compute() {
        let copays = lines.compactMap(\.monthly).reduce(0, +) * 12
        // What an unknown deductible could add at most (nil: no bound short of the cap).
        var unknownDeductible: Decimal?? = .none
        if !lines.isEmpty {
            let applies = lines.contains { $0.deductibleApplies == true }
            let unknown = lines.contains { $0.deductibleApplies == nil }
            if let deductible = planDeductible {
                // The deductible counts when it applies to a current medicine's tier.
                if deductible > 0, applies {
                    deductiblePart = deductible
                } else if deductible > 0, unknown {
                    deductiblePart = deductible
                    notes.append("Whether the deductible applies to these medicines' tiers is not in the data: it is counted in full (the estimate may be high).")
                }
            } else if kind == .partD {
                unknownDeductible = .some(maximumDeductible)
                notes.append("The plan's deductible is not in the data" + (maximumDeductible.map { ": a Part D deductible is at most \(TextFormat.money($0)) in \(year)" } ?? "") + ".")
            } else if applies || lines.contains(where: \.afterDeductible) {
                unknownDeductible = .some(nil)
                let names = lines.filter { $0.afterDeductible || $0.deductibleApplies == true }.map(\.drug)
                notes.append("The plan's deductible is not in the data, and \(names.joined(separator: ", ")) \(names.count == 1 ? "is" : "are") charged after it: until it is met, \(names.count == 1 ? "it costs" : "they cost") the full price, which the estimate cannot count.")
            }
        }
        drugPart = copays
        if let cap, deductiblePart + drugPart > cap {
            capReached = true
            deductiblePart = min(deductiblePart, cap)
            drugPart = cap - deductiblePart
        }
        // The year with every unknown at its limit.
        var upper: Decimal?
        if !unpriced.isEmpty {
            upper = cap
        } else if case .some(let bound) = unknownDeductible {
            upper = bound.map { deductiblePart + drugPart + $0 } ?? cap
            if let cap, let value = upper { upper = min(value, cap) }
        }
        if let upper, (premiums ?? 0) + upper > total { upperBound = (premiums ?? 0) + upper }
    }

    // MARK: Words

    /// "$1,048", or "$480–$2,580" when something is unpriced.
    var totalText: String {
        var text = TextFormat.money(total)
        if let upperBound, upperBound > total { text += "–" + TextFormat.money(upperBound) }
        if premiums == nil { text += " + premium" }
        return text
    }

    var premiumText: String {
        guard let premiums, let premiumMonthly else { return "not in the data" }
        if premiumMonthly == 0 { return "$0 (no premium)" }
        return "\(TextFormat.money(premiums)) (\(TextFormat.money(premiumMonthly)) × 12)"
    }

    var deductibleText: String {
        guard let planDeductible else {
            return lines.contains(where: { $0.afterDeductible || $0.deductibleApplies == true }) ? "not in the data (applies)" : "not in the data"
        }
        if planDeductible == 0 { return "$0 (none)" }
        if deductiblePart == 0 { return "\(TextFormat.money(0)) (the plan's \(TextFormat.money(planDeductible)) does not apply to these medicines)" }
        return TextFormat.money(deductiblePart)
    }

    var drugText: String {
        if lines.isEmpty { return "no current medicines" }
        var text = TextFormat.money(drugPart)
        if capReached { text += " (cap reached)" }
        if !unpriced.isEmpty { text += " + \(TextFormat.plural(unpriced.count, "medicine")) without a dollar estimate" }
        return text
    }
}
