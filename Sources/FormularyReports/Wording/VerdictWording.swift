import FormularyAnalysis
import FormularyCriteria
import Foundation

/// Plain words for the analyzer's verdicts and statuses. Wording only: the verdict itself is
/// always the analyzer's, shown beside these words as its code.
enum VerdictWording {
    /// The badge for an option's verdict.
    static func badge(_ verdict: Verdict) -> Badge {
        switch verdict {
        case .coveredNoUM: Badge(tone: .good, symbol: "✓", text: "Covered, no approval needed")
        case .coveredPAMet: Badge(tone: .good, symbol: "✓", text: "Criteria met: submit the prior authorization")
        case .stMet: Badge(tone: .good, symbol: "✓", text: "Covered: step therapy already met")
        case .paNotMet: Badge(tone: .caution, symbol: "◐", text: "Prior authorization criteria not met yet")
        case .stNotMet: Badge(tone: .caution, symbol: "◐", text: "Step therapy not met yet")
        case .needsDocumentation: Badge(tone: .info, symbol: "✎", text: "Can be met with records the plan cannot see")
        case .notCovered: Badge(tone: .bad, symbol: "✗", text: "Not covered")
        case .contraindicated: Badge(tone: .bad, symbol: "⊘", text: "Not safe for this patient (contraindicated)")
        }
    }

    /// A shorter badge for narrow table cells.
    static func shortBadge(_ verdict: Verdict) -> Badge {
        switch verdict {
        case .coveredNoUM: Badge(tone: .good, symbol: "✓", text: "Covered")
        case .coveredPAMet: Badge(tone: .good, symbol: "✓", text: "PA criteria met")
        case .stMet: Badge(tone: .good, symbol: "✓", text: "Step met")
        case .paNotMet: Badge(tone: .caution, symbol: "◐", text: "PA not met yet")
        case .stNotMet: Badge(tone: .caution, symbol: "◐", text: "Step not met yet")
        case .needsDocumentation: Badge(tone: .info, symbol: "✎", text: "Needs records")
        case .notCovered: Badge(tone: .bad, symbol: "✗", text: "Not covered")
        case .contraindicated: Badge(tone: .bad, symbol: "⊘", text: "Contraindicated")
        }
    }

    /// One sentence on what the verdict means for the person, beside the analyzer's summary.
    static func meaning(_ verdict: Verdict) -> String {
        switch verdict {
        case .coveredNoUM: "The plan pays for it at the listed tier; the pharmacy or clinic can go ahead."
        case .coveredPAMet: "The plan requires prior approval, and the records show every requirement is met: the prescriber can submit the request now."
        case .stMet: "The plan requires other drugs to be tried first, and the records show they were."
        case .paNotMet: "The plan requires prior approval, and some requirements are not met yet (see what remains)."
        case .stNotMet: "The plan requires other drugs to be tried first, and not all of them have been (see what remains)."
        case .needsDocumentation: "The requirements look met, but partly by treatment the plan cannot see in its own claims: the prescriber must attach records."
        case .notCovered: "The plan does not pay for it; an exception request may still be possible."
        case .contraindicated: "A safety rule rules it out for this patient; it is not a next option."
        }
    }

    static func criterion(_ status: CriterionStatus) -> Badge {
        switch status {
        case .met: Badge(tone: .good, symbol: "✓", text: "Met")
        case .needsDocumentation: Badge(tone: .info, symbol: "✎", text: "Met, attach records")
        case .unmet: Badge(tone: .caution, symbol: "✗", text: "Not met")
        case .unknown: Badge(tone: .neutral, symbol: "?", text: "Unknown")
        }
    }

    static func safety(_ verdict: SafetyVerdict) -> Badge {
        switch verdict {
        case .warn: Badge(tone: .caution, symbol: "⚠", text: "Warning")
        case .adjust: Badge(tone: .caution, symbol: "⚖", text: "Dose change")
        case .washout: Badge(tone: .caution, symbol: "◷", text: "Wait before starting")
        case .contraindicated: Badge(tone: .bad, symbol: "⊘", text: "Do not use")
        }
    }

    /// The analyzer's display name ("Trintellix (vortioxetine)" for brand-led drugs), with the
    /// best-known brand added for generics ("sertraline (Zoloft)") so people recognize it.
    static func optionName(_ option: OptionResult) -> String {
        guard let brand = option.brands.first, !option.name.localizedCaseInsensitiveContains(brand) else { return option.name }
        return "\(option.name) (\(brand))"
    }

    /// The kind of requirement in words: "prior authorization", "step therapy".
    static func ruleKind(_ rule: RuleResult) -> String {
        switch rule.kind {
        case .priorAuthorization: "Prior authorization"
        case .stepTherapy: "Step therapy"
        }
    }

    /// The warning a person must see whenever a verdict does not rest on the plan's own criteria.
    static func basisNote(_ basis: CriteriaBasis) -> String? {
        switch basis {
        case .typical: "These are typical criteria, not this plan's own: ask the plan for its criteria."
        case .flagOnly: "The plan flags a requirement but its criteria are unknown here: ask the plan for them."
        case .planSpecific, .none: nil
        }
    }
}
