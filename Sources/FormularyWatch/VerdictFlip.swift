import FormularyAnalysis
import FormularyCriteria

/// One change in what a watched patient can get, between two analyses.
public struct VerdictFlip: Hashable, Codable, Sendable {
    public enum Kind: String, Hashable, Codable, Sendable {
        /// The verdict word changed (e.g. `PA_NOT_MET` → `COVERED_PA_MET`).
        case verdictChanged = "verdict-changed"
        /// The option left the plan's results (off the formulary or the criteria).
        case optionRemoved = "option-removed"
        case optionAdded = "option-added"
        /// The remaining path got longer: a new step stands in the way.
        case newStep = "new-step"
        /// A step trial that counts today leaves its lookback window within 30 days.
        case lookbackExpiring = "lookback-expiring"
    }

    public var kind: Kind
    /// The plan id, with the pinned criteria version when one is pinned (`PlanResult.planKey`).
    public var plan: String
    public var option: String
    public var before: String?
    public var after: String?
    /// One sentence for people.
    public var detail: String

    public init(kind: Kind, plan: String, option: String, before: String?, after: String?, detail: String) {
        self.kind = kind
        self.plan = plan
        self.option = option
        self.before = before
        self.after = after
        self.detail = detail
    }

    /// Compares two analyses of the same patient. `before` is nil on the first check, which
    /// reports only lookback expiries.
    public static func compare(before: AnalysisResult?, after: AnalysisResult, soonDays: Int = 30) -> [VerdictFlip] {
        var flips: [VerdictFlip] = []
        // Keyed by plan and pinned criteria version: an analysis may hold one plan under two
        // versions (A-2025-01 and A-2025-07), and each is compared only with itself.
        let previousPlans = Dictionary((before?.plans ?? []).map { ($0.planKey, $0) }, uniquingKeysWith: { first, _ in first })
        for plan in after.plans {
            let previous = previousPlans[plan.planKey]
            let old = Dictionary((previous?.options ?? []).map { ($0.optionID, $0) }, uniquingKeysWith: { first, _ in first })
            let new = Dictionary(plan.options.map { ($0.optionID, $0) }, uniquingKeysWith: { first, _ in first })
            if previous != nil {
                for option in plan.options {
                    guard let was = old[option.optionID] else {
                        flips.append(VerdictFlip(kind: .optionAdded, plan: plan.planKey, option: option.name, before: nil, after: option.verdict.rawValue,
                                                 detail: "\(option.name) now appears for this plan: \(option.verdict.rawValue)"))
                        continue
                    }
                    if was.verdict != option.verdict {
                        flips.append(VerdictFlip(kind: .verdictChanged, plan: plan.planKey, option: option.name,
                                                 before: was.verdict.rawValue, after: option.verdict.rawValue,
                                                 detail: "\(option.name): \(was.verdict.rawValue) → \(option.verdict.rawValue). \(option.summary)"))
                    } else if let now = option.remaining?.stepCount, now > (was.remaining?.stepCount ?? 0) {
                        flips.append(VerdictFlip(kind: .newStep, plan: plan.planKey, option: option.name,
                                                 before: "\(was.remaining?.stepCount ?? 0) step(s)", after: "\(now) step(s)",
                                                 detail: "\(option.name) needs more steps than before: \(option.remaining?.steps.map(\.description).joined(separator: "; ") ?? "")"))
                    }
                }
                for option in previous?.options ?? [] where new[option.optionID] == nil {
                    flips.append(VerdictFlip(kind: .optionRemoved, plan: plan.planKey, option: option.name, before: option.verdict.rawValue, after: nil,
                                             detail: "\(option.name) is no longer listed for this plan"))
                }
            }
            for option in plan.options {
                for expiry in option.lookbackExpiries where expiry.expiresOn >= after.asOf && expiry.expiresOn - after.asOf <= soonDays {
                    let alreadyTold = old[option.optionID]?.lookbackExpiries.contains {
                        $0.expiresOn == expiry.expiresOn && $0.drug == expiry.drug && $0.expiresOn - (before?.asOf ?? after.asOf) <= soonDays
                    } ?? false
                    guard !alreadyTold else { continue }
                    flips.append(VerdictFlip(kind: .lookbackExpiring, plan: plan.planKey, option: option.name, before: nil, after: "\(expiry.expiresOn)",
                                             detail: "The \(expiry.drug) trial that meets \(option.name)'s step leaves the lookback window on \(expiry.expiresOn); file the request before then"))
                }
            }
        }
        return flips
    }
}
