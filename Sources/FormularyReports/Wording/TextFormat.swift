import FormularyAnalysis
import FormularyCriteria
import FormularyModel
import Foundation

/// Dates, money, tiers and costs as people read them. Locale-independent, so reports are the
/// same on every machine and their golden files are stable.
enum TextFormat {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// "Mar 20, 2025".
    static func day(_ day: Day) -> String {
        "\(months[max(0, min(11, day.month - 1))]) \(day.day), \(day.year)"
    }

    /// "Mar 24", for chart axes over a few weeks.
    static func shortDay(_ day: Day) -> String {
        "\(months[max(0, min(11, day.month - 1))]) \(day.day)"
    }

    /// "Mar 2025", for chart axes.
    static func month(_ day: Day) -> String {
        "\(months[max(0, min(11, day.month - 1))]) \(day.year)"
    }

    /// "Jan 10, 2024 – Apr 30, 2024", "since Jan 6, 2025".
    static func range(_ from: Day?, _ through: Day?) -> String {
        switch (from, through) {
        case let (from?, through?): from == through ? day(from) : "\(day(from)) – \(day(through))"
        case let (from?, nil): "since \(day(from))"
        case let (nil, through?): "through \(day(through))"
        case (nil, nil): ""
        }
    }

    /// "in 27 days", "today", "27 days ago".
    static func relative(_ target: Day, from asOf: Day) -> String {
        let days = target - asOf
        switch days {
        case 0: return "on the as-of date"
        case 1: return "1 day after the as-of date"
        case 2...: return "\(days) days after the as-of date"
        case -1: return "1 day before the as-of date"
        default: return "\(-days) days before the as-of date"
        }
    }

    /// "$45" or "$12.50"; rounded to cents, half up.
    static func money(_ amount: Decimal) -> String {
        var value = amount
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 2, .plain)
        let negative = rounded < 0
        if negative { rounded = -rounded }
        let cents = NSDecimalNumber(decimal: rounded * 100).int64Value
        let dollars = cents / 100, remainder = cents % 100
        var digits = String(dollars)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        let text = "$" + digits + grouped + (remainder == 0 ? "" : "." + (remainder < 10 ? "0" : "") + String(remainder))
        return negative ? "−" + text : text
    }

    /// "20%".
    static func percent(_ fraction: Decimal) -> String {
        var value = fraction * 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 1, .plain)
        return "\(rounded)%"
    }

    /// "Tier 3 (preferred brand)", "Tier MB (medical benefit)", "Tier 2 (the plan does not say
    /// what kind of tier)".
    static func tier(_ coverage: CoverageSummary) -> String? {
        guard let code = coverage.tierCode else { return nil }
        guard let category = coverage.tierCategory, category != .unknown else { return "Tier \(code)" }
        // "GENERIC" and "generic" say the same thing once.
        func plain(_ text: String) -> String { text.lowercased().filter(\.isLetter) }
        if plain(code) == plain(category.displayName) { return "Tier \(code)" }
        return "Tier \(code) (\(category.displayName))"
    }

    /// The cost share in words: "$45 a month (estimate)", "40% coinsurance of the drug's price
    /// after the deductible; dollar amount unknown". Never a guess at a price the data does not
    /// hold, and never "$0" for a coinsurance drug whose copay field is 0.
    static func cost(_ estimate: CostEstimate?, benefit: String? = nil) -> String {
        guard let estimate else { return "no cost information" }
        let perSession = estimate.channel == "medical" || benefit == "medical"
        if let monthly = estimate.estimatedMonthly {
            return "\(money(monthly)) a month (estimate)" + qualifierText(estimate.qualifier)
        }
        var parts: [String] = []
        if let copay = estimate.copay, copay > 0 {
            let unit = perSession ? "per visit" : estimate.daysSupply.map { "per \($0)-day fill" } ?? "per fill"
            parts.append("\(money(copay)) \(unit)")
        }
        if let coinsurance = estimate.coinsurance, coinsurance > 0 {
            var text = "\(percent(coinsurance)) coinsurance \(perSession ? "per session" : "of the drug's price")"
            if let minimum = estimate.minimum, let maximum = estimate.maximum, maximum > 0 {
                text += " (\(money(minimum))–\(money(maximum)))"
            } else if let maximum = estimate.maximum, maximum > 0 {
                text += " (up to \(money(maximum)))"
            }
            parts.append(text)
        }
        if parts.isEmpty {
            if estimate.copay != nil || estimate.coinsurance != nil { return "$0" + qualifierText(estimate.qualifier) }
            return estimate.note ?? "no cost information"
        }
        var text = parts.joined(separator: " + ") + qualifierText(estimate.qualifier)
        if estimate.coinsurance.map({ $0 > 0 }) == true { text += "; dollar amount unknown" }
        return text
    }

    /// " after the deductible", from the plan's cost-share qualifier.
    static func qualifierText(_ qualifier: String?) -> String {
        switch qualifier {
        case "after-deductible": " after the deductible"
        case "no-charge-after-deductible": " (no charge after the deductible)"
        case "deductible-waived": " (deductible waived)"
        default: ""
        }
    }

    /// A short cost for table cells: "$45/mo", "40% coinsurance", "$10 + 20%", "—".
    static func shortCost(_ estimate: CostEstimate?) -> String {
        guard let estimate else { return "—" }
        if let monthly = estimate.estimatedMonthly { return "\(money(monthly))/mo" }
        let copay = estimate.copay.flatMap { $0 > 0 ? $0 : nil }
        let coinsurance = estimate.coinsurance.flatMap { $0 > 0 ? $0 : nil }
        switch (copay, coinsurance) {
        case let (copay?, coinsurance?): return "\(money(copay)) + \(percent(coinsurance))"
        case let (copay?, nil): return money(copay)
        case let (nil, coinsurance?): return "\(percent(coinsurance)) coinsurance"
        case (nil, nil): return estimate.copay != nil || estimate.coinsurance != nil ? "$0" : "—"
        }
    }

    /// "PA · ST · QL" from the formulary flags and the rules, or "none".
    static func restrictions(_ option: OptionResult) -> String {
        var parts: [String] = []
        let hasPA = option.coverage.priorAuthorization == true || option.rules.contains { $0.kind == .priorAuthorization && $0.applied }
        let hasST = option.coverage.stepTherapy == true || option.rules.contains { $0.kind == .stepTherapy && $0.applied }
        if hasPA { parts.append("PA") }
        if hasST { parts.append("ST") }
        if option.quantityLimit != nil || option.coverage.quantityLimit != nil { parts.append("QL") }
        return parts.isEmpty ? "none" : parts.joined(separator: " · ")
    }

    /// "72 hours (3 days)".
    static func hours(_ hours: Int) -> String {
        hours % 24 == 0 && hours >= 48 ? "\(hours) hours (\(hours / 24) days)" : "\(hours) hours"
    }

    /// Text to embed mid-sentence: trimmed, without a final period (the sentence adds its own).
    static func clause(_ text: String) -> String {
        var out = text.trimmingCharacters(in: .whitespacesAndNewlines)
        while out.hasSuffix(".") { out.removeLast() }
        return out
    }

    static func plural(_ count: Int, _ word: String, _ plural: String? = nil) -> String {
        "\(count) \(count == 1 ? word : plural ?? word + "s")"
    }

    /// "150 mg/day" without trailing zeros; nil when the drug's own text already names a dose
    /// ("bupropion XL 300 mg"), so a label never says it twice.
    /// A score or count: `19`, `7.5` (no trailing `.0`).
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func dose(_ mgPerDay: Double?, drug: String? = nil) -> String? {
        guard let mg = mgPerDay else { return nil }
        if let drug, drug.range(of: #"\d\s*(mg|mcg)\b"#, options: [.regularExpression, .caseInsensitive]) != nil { return nil }
        let text = mg == mg.rounded() ? String(Int(mg)) : String(mg)
        return "\(text) mg/day"
    }
}
