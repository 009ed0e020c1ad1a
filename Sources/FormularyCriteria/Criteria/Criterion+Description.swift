/// Checklist wording for criteria that have no `label` in the file.
extension Criterion {
    public func describe(_ reference: DrugReference?, adequacy: (String) -> AdequacyRule? = { _ in nil }) -> String {
        switch self {
        case let .age(min, max):
            switch (min, max) {
            case let (min?, max?): return "age \(min)–\(max)"
            case let (min?, nil): return "age ≥ \(min)"
            case let (nil, max?): return "age ≤ \(max)"
            default: return "age"
            }
        case .sex(let sex): return "sex \(sex.rawValue)"
        case .diagnosis(let dx):
            return "diagnosis \(dx.codes.joined(separator: ", "))" + (dx.notInRemission ? ", not in remission" : "")
        case .score(let score):
            var text = "most recent \(score.scale)"
            if let min = score.min { text += " ≥ \(min.clean)" }
            if let max = score.max { text += " ≤ \(max.clean)" }
            return text
        case .trials(let trials):
            var text = "≥ \(trials.count) \(trials.adequacy) trial\(trials.count == 1 ? "" : "s") of \(trials.pool.describe(reference))"
            if trials.distinctClasses > 1 { text += " across ≥ \(trials.distinctClasses) classes" }
            if trials.intoleranceCountsPerClass { text += " (or documented intolerance per class)" }
            if let rule = adequacy(trials.adequacy) { text += " (≥ \(rule.minDays) days" + (rule.requireMinimumDose ? " at ≥ minimum dose" : "") + ")" }
            return text
        case .step(let step):
            let rule = adequacy(step.adequacy)
            let days = step.minDays ?? rule?.minDays
            let lookback = step.lookbackDays ?? rule?.lookbackDays
            var text = "\(step.adequacy): \(step.count) of \(step.pool.describe(reference))"
            if let days { text += ", ≥ \(days) days' supply" }
            if let lookback { text += " within \(lookback) days" }
            if rule?.intoleranceCounts == true { text += " (or documented intolerance/contraindication)" }
            return text
        case .concurrent(let concurrent):
            return "concurrent \(concurrent.oralOnly ? "oral " : "")\(concurrent.pool.describe(reference)) covering the as-of date"
        case .absent(let absent):
            return "no \(absent.pool.describe(reference)) within \(absent.withinDays) days"
        case .procedure(let procedure):
            return "≥ \(procedure.minSessions) sessions of \(procedure.types.joined(separator: "/"))"
                + (procedure.withinCurrentEpisode ? " in the current episode" : "") + (procedure.withoutRemission ? " without remission" : "")
        case .flag(let name):
            switch name {
            case .remsSite: return "REMS-certified treatment site"
            case .pdmpAttested: return "PDMP check attested"
            case .medWatchFiled: return "FDA MedWatch 3500 report filed"
            case .highSuicideRisk: return "high suicide risk documented"
            case .catatonia: return "catatonia documented"
            case .inanition: return "inanition documented"
            case .priorECTResponse: return "prior response to ECT"
            case .documentationAttached: return "receipts or chart notes attached"
            }
        case .prescriber(let specialties): return "prescriber: \(specialties.joined(separator: " or "))"
        case .noContraindication(let rules): return "no contraindication (\(rules.joined(separator: ", ")))"
        case .adverseOutcome(let pool): return "documented adverse outcome on generic \(pool.describe(reference))"
        case .postpartum(let postpartum):
            return "onset \(postpartum.onsetInThirdTrimester ? "in the 3rd trimester or " : "")≤ \(postpartum.onsetMaxDaysAfterDelivery) days after delivery; request ≤ \(postpartum.requestMaxDaysAfterDelivery) days after delivery"
        case .coursesPerPregnancy(let max): return "at most \(max) course\(max == 1 ? "" : "s") per pregnancy"
        }
    }

    /// A short id for the criterion kind, used when the file gives none.
    public var kindID: String {
        switch self {
        case .age: "age"
        case .sex: "sex"
        case .diagnosis: "diagnosis"
        case .score: "score"
        case .trials: "trials"
        case .step: "step"
        case .concurrent: "concurrent"
        case .absent: "absent"
        case .procedure: "procedure"
        case .flag(let name): name.rawValue
        case .prescriber: "prescriber"
        case .noContraindication: "noContraindication"
        case .adverseOutcome: "adverseOutcome"
        case .postpartum: "postpartum"
        case .coursesPerPregnancy: "coursesPerPregnancy"
        }
    }
}

extension Double {
    /// `15` instead of `15.0`; `0.025` stays.
    public var clean: String {
        rounded() == self && abs(self) < 1e15 ? String(Int(self)) : String(self)
    }
}
