import FormularyAnalysis
import Foundation

/// Estimates for treatments paid by the medical benefit (Spravato per session, a TMS course,
/// ECT): the plan's coinsurance from the analysis × an allowed amount from the cost model's
/// cited fee table, or the plan's copay per session. Each estimate names its numbers and their
/// source; none is a quote. A stand-alone Medicare drug plan covers none of these: Original
/// Medicare Part B's coinsurance is shown for it, marked as Part B's.
struct MedicalCost {
    struct Estimate {
        var label: String
        /// The allowed amount of the course, from the fee table.
        var allowed: Decimal
        /// The person's share, or nil when the plan's cost share is unknown.
        var share: Decimal?
        /// The cell text: "≈ $191 (20% of ≈ $953)".
        var text: String
    }

    /// Why no estimate applies ("not covered"), when none does.
    var status: String?
    var estimates: [Estimate] = []
    /// The basis of the estimates: whose coinsurance, which fee table, which cap.
    var basis: [String] = []

    /// "≈ $191": estimates in whole dollars, so they do not look like quotes.
    static func approx(_ amount: Decimal) -> String {
        var value = amount, rounded = Decimal()
        NSDecimalRound(&rounded, &value, 0, .plain)
        return "≈ " + TextFormat.money(rounded)
    }

    init(optionID: String, plan: PlanResult, model: CostModel, year: Int) {
        let option = plan.options.first { $0.optionID == optionID }
        let courses = model.courses(option: optionID)
        let standAlonePDP = plan.market == "medicare-part-d" && plan.planID.uppercased().hasPrefix("S")
        guard let table = model.fees(year: year) else {
            status = "no fee table in the cost model"
            return
        }
        var coinsurance: Decimal?
        var copay: Decimal?
        var cap: (amount: Decimal, label: String)?
        if standAlonePDP {
            // A PDP pays for pharmacy drugs only: Part B decides these treatments.
            guard let partB = model.partB(year: year) else { status = "not a Part D benefit"; return }
            coinsurance = partB.entry.coinsurance
            basis.append("Original Medicare Part B pays, not this drug plan: \(TextFormat.percent(partB.entry.coinsurance)) coinsurance after the \(TextFormat.money(partB.entry.deductible)) Part B deductible (\(partB.entry.year)), with no yearly cap unless you have a Medigap policy (\(partB.entry.citation)).")
        } else {
            guard let option else { status = "not in this plan's analysis"; return }
            switch option.verdict {
            case .notCovered: status = "not covered"; return
            case .contraindicated: status = "not safe for this patient"; return
            default: break
            }
            guard let share = option.coverage.costShare, share.coinsurance != nil || share.copay != nil else {
                status = "no cost-share data"
                return
            }
            coinsurance = share.coinsurance.flatMap { $0 > 0 ? $0 : nil }
            copay = share.copay.flatMap { $0 > 0 ? $0 : nil }
            if let coinsurance { basis.append("The plan's \(TextFormat.percent(coinsurance)) coinsurance for clinic treatments.") }
            if let copay { basis.append("The plan's \(TextFormat.money(copay)) copay per session.") }
            switch plan.market {
            case "medicare-part-d":
                if let found = model.advantage(year: year) {
                    cap = (found.entry.inNetworkOutOfPocketMaximum,
                           "the \(found.entry.year) Medicare Advantage in-network maximum (for medical services; Part D drugs have their own cap)")
                }
            case "marketplace", "commercial":
                if let found = model.aca(year: year) {
                    cap = (found.entry.selfOnly, "the \(found.entry.year) ACA out-of-pocket maximum for one person (drug costs count toward it too)")
                }
            default: break
            }
        }
        basis.append("Allowed amounts: \(table.entry.basis)\(table.exact ? "" : " (the cost model's nearest year to \(year))")\(table.entry.approximate ? ", approximate" : "") — \(table.entry.citation).")
        if let cap { basis.append("A year's share is at most \(TextFormat.money(cap.amount)), \(cap.label).") }

        for course in courses {
            let fees = course.items.map { item in table.entry.fee(item.code).map { (item, $0) } }
            guard fees.allSatisfy({ $0 != nil }) else { continue }
            let allowed = fees.compactMap { $0 }.reduce(Decimal(0)) { $0 + Decimal($1.0.count) * $1.1.amount }
            let sessions = course.items.reduce(0) { $0 + $1.count }
            var share: Decimal?
            var text: String
            if let copay {
                share = copay * Decimal(sessions)
                text = "\(Self.approx(share!)) (\(TextFormat.money(copay)) × \(sessions))"
            } else if let coinsurance {
                share = coinsurance * allowed
                text = "\(Self.approx(share!)) (\(TextFormat.percent(coinsurance)) of \(Self.approx(allowed)))"
            } else {
                text = "no cost-share data (allowed \(Self.approx(allowed)))"
            }
            if let value = share, let cap, value > cap.amount {
                share = cap.amount
                text = "\(Self.approx(cap.amount)) (the yearly maximum; \(Self.approx(value)) before it)"
            }
            estimates.append(Estimate(label: course.label, allowed: allowed, share: share, text: text))
        }
    }
}
