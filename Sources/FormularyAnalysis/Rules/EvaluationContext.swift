import FormularyCriteria

/// What one rule evaluation needs: the facts (possibly with planned trials), the day to judge
/// on, the option requested, and where adequacy rules come from.
struct EvaluationContext {
    let facts: PatientFacts
    let day: Day
    let option: DrugOption
    let reference: DrugReference
    let table: OptionTable
    let adequacy: (String) -> AdequacyRule?
    /// The safety rules over these facts (only `noContraindication` criteria ask): built when
    /// asked, not with every context.
    var safety: SafetyEngine { SafetyEngine(facts: facts, reference: reference) }
    /// For path search: treat criteria a person can act on (attest, document, file) as met,
    /// and optionally trial criteria too (to tell "needs trials" from "cannot be met").
    var assumption: Assumption = .none

    enum Assumption { case none, actionable, actionableAndTrials }

    /// The analysis date's own evaluation (no assumptions, no other day): the one whose lookback
    /// expiries the output shows. The path search's "what if" evaluations skip that work.
    var wantsExpiries: Bool { assumption == .none && day == facts.asOf }

    /// False for the path search's goal checks (`.actionable`), which read only the status:
    /// trial and step criteria then skip their evidence and wording.
    var wantsDetail: Bool { assumption != .actionable }

    init(facts: PatientFacts, day: Day, option: DrugOption, reference: DrugReference, table: OptionTable, adequacy: @escaping (String) -> AdequacyRule?,
         assumption: Assumption = .none) {
        self.assumption = assumption
        self.facts = facts
        self.day = day
        self.option = option
        self.reference = reference
        self.table = table
        self.adequacy = adequacy
    }
}

/// A rule's combined status and its criteria, flattened for checklists.
struct RuleEvaluation {
    var status: CriterionStatus
    var criteria: [CriterionResult]
    /// When counted items of criteria with a lookback leave it, when evaluated without
    /// assumptions (the analysis date): the lookback expiries of the output.
    var expiries: [Expiry] = []

    struct Expiry {
        var id: String
        var line: Int?
        /// The criterion is met today (else only partly: the expiry of what counts so far).
        var criterionMet: Bool
        var expiry: AdequacyJudge.Expiry
    }
}
