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
    /// Equally good choices (ties: any one is correct).
    public var alternatives: [String]

    enum CodingKeys: String, CodingKey {
        case order, kind, optionID = "optionId", option, drugClass, description, start, earliestMet, durationDays, tierCode, costShare, safety,
             satisfies, alternatives
    }
}
