import FormularyAnalysis
import FormularyCriteria
import Foundation

/// The person's current regimen (the trials still running on the as-of date) and what it would
/// cost for a year under one plan: each medicine's 30-day estimate from the analysis × 12.
/// Coinsurance and missing lines are listed as unpriced rather than guessed.
struct RegimenCost {
    struct Item: Hashable {
        var optionID: String?
        var drug: String
        var mgPerDay: Double?
        var since: Day
    }

    struct Line {
        var item: Item
        var option: OptionResult?
        var monthly: Decimal?
    }

    var lines: [Line]

    /// Months in a year of 30-day fills, as the estimate counts them.
    static let monthsPerYear: Decimal = 12

    /// The regimen from the analysis: trials with no end date, once per drug.
    static func regimen(_ analysis: AnalysisResult) -> [Item] {
        var seen = Set<String>()
        var items: [Item] = []
        for plan in analysis.plans {
            for trial in plan.trials.sorted(by: { $0.start < $1.start }) where trial.end == nil {
                let key = trial.optionID ?? trial.drug.lowercased()
                guard seen.insert(key).inserted else { continue }
                items.append(Item(optionID: trial.optionID, drug: trial.drug, mgPerDay: trial.mgPerDay, since: trial.start))
            }
        }
        return items
    }

    init(regimen: [Item], plan: PlanResult) {
        lines = regimen.map { item in
            let option = item.optionID.flatMap { id in plan.options.first { $0.optionID == id } }
            return Line(item: item, option: option, monthly: option?.coverage.costShare?.estimatedMonthly)
        }
    }

    /// The yearly total of the priced lines.
    var annualPriced: Decimal { lines.compactMap(\.monthly).reduce(0, +) * Self.monthsPerYear }

    var unpriced: [Line] { lines.filter { $0.monthly == nil } }

    /// "$120 a year", or "$60 a year + 1 medicine without a dollar estimate".
    var annualText: String {
        if lines.isEmpty { return "no current medicines" }
        if unpriced.count == lines.count { return "no dollar estimate" }
        var text = "\(TextFormat.money(annualPriced)) a year"
        if !unpriced.isEmpty { text += " + \(TextFormat.plural(unpriced.count, "medicine")) without a dollar estimate" }
        return text
    }
}
