import FormularyCriteria
import FormularyModel

/// What is left before an option is covered: the cheapest, fewest-steps sequence of covered,
/// non-contraindicated steps, each with the earliest date it can be met.
public struct RemainingPath: Hashable, Codable, Sendable {
    /// False when no sequence of steps can make the option reachable (age, a blocked drug, …).
    public var reachable: Bool
    /// The first day every rule is met (then submit the PA, or the step edit passes).
    public var reachableOn: Day?
    public var stepCount: Int
    public var steps: [PathStep]
    /// Why it is unreachable.
    public var blockedReason: String?
    /// Sum of the steps' cost ranks (ordering only).
    public var costRank: Double
    /// Step drugs left out of the search and why (contraindicated, not covered, no path).
    public var prunedSteps: [PrunedStep]

    enum CodingKeys: String, CodingKey { case reachable, reachableOn, stepCount, steps, blockedReason, costRank, prunedSteps }
}

/// A drug that could have been a step but was left out.
public struct PrunedStep: Hashable, Codable, Sendable {
    public var optionID: String
    public var name: String
    public var reason: String
    /// True when a safety rule blocks it (an exception ground for step therapy).
    public var contraindicated: Bool

    enum CodingKeys: String, CodingKey { case optionID = "optionId", name, reason, contraindicated }
}

/// One step on a remaining path.
public struct PathStep: Hashable, Codable, Sendable {
    public enum Kind: String, Hashable, Codable, Sendable {
        /// Take a drug long enough for the rule's adequacy (new trial).
        case trial
        /// Keep taking a current drug until the date.
        case continueTrial = "continue-trial"
        /// A prerequisite for a step drug that has its own PA/ST.
        case prerequisite
        /// Something to document, attest or file (PDMP, MedWatch, a PHQ-9).
        case action
        /// Wait (washout, or "no Spravato within 28 days").
        case wait
    }

    /// How a trial step counts: what a clinic does and when the step is met.
    public enum Counting: String, Hashable, Codable, Sendable {
        /// A paid fill of `durationDays` days' supply counts on its fill date (`start`), even
        /// before the supply runs out (DOMAIN.md §5.0 rule 3): step-therapy supply rules.
        case fillDate = "fill-date"
        /// `durationDays` consecutive days on the drug (at `minimumMgPerDay` or more): met on
        /// start + durationDays − 1 (§5.0 rule 1): ADQ-TRD and other duration rules.
        case daysOnDrug = "days-on-drug"
    }

    public var order: Int
    public var kind: Kind
    public var optionID: String?
    public var option: String?
    public var drugClass: String?
    public var description: String
    public var start: Day?
    /// The earliest day the step counts (trial start + minimum days − 1).
    public var earliestMet: Day?
    public var durationDays: Int?
    public var tierCode: String?
    public var costShare: CostEstimate?
    /// Safety findings for taking this drug now (S7 half dose, S4 serotonin warning, washouts).
    public var safety: [SafetyFinding]
    /// The rule ids and criteria this step satisfies.
    public var satisfies: [String]
    /// Equally good choices (ties: any one is correct); never a drug that already counts
    /// toward what the step satisfies, nor one already on the path.
    public var alternatives: [String]
    /// For `trial` and `continue-trial` steps: how the step counts (`nil` for other kinds).
    public var counting: Counting? = nil
    /// For a trial that must reach a dose (ADQ-TRD): the minimum mg/day.
    public var minimumMgPerDay: Double? = nil

    enum CodingKeys: String, CodingKey {
        case order, kind, optionID = "optionId", option, drugClass, description, start, earliestMet, durationDays, tierCode, costShare, safety,
             satisfies, alternatives, counting, minimumMgPerDay
    }
}
