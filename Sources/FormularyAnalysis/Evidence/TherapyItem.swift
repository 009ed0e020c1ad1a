import FormularyCriteria
import FormularyModel

/// A claim, a chart trial or a planned (hypothetical) trial, resolved to the drug reference:
/// the unit every adequacy rule, concurrency check and safety rule reads.
///
/// An immutable final class: the path search copies lists of items for every "what if", and a
/// reference costs one retain where a struct of strings and arrays cost a dozen.
final class TherapyItem: Sendable {
    enum Source: String, Hashable, Sendable { case claim, chart, planned, medication }

    let ref: String
    let source: Source
    /// The drug as named (combination, brand product or ingredient), boxed (see `OptionHandle`).
    let handle: OptionHandle
    var option: DrugOption { handle.option }
    /// Ingredient option ids it counts as (Auvelity → bupropion, dextromethorphan).
    let counting: [String]
    let start: Day
    /// Chart end, claim coverage end; `nil` = ongoing.
    let end: Day?
    let daysSupply: Int?
    let mgPerDay: Double?
    /// The response outcome (inadequate, partial, response, confounded…).
    let outcome: TrialOutcome
    /// Every outcome documented, `outcome` first: `[inadequate, intolerance]` is an inadequate
    /// trial *and* documented intolerance of the drug.
    let outcomes: [TrialOutcome]
    let cash: Bool
    let previousPlan: Bool
    let clinicianConfirmed: Bool
    /// Set when a manufacturer switch falls inside the item's therapy episode.
    let confoundedBy: String?
    let rxcui: RxCUI?
    let labeler: String?
    let drugText: String

    init(ref: String, source: Source, option: OptionHandle, counting: [String], start: Day, end: Day?, daysSupply: Int?, mgPerDay: Double?,
         outcome: TrialOutcome, outcomes: [TrialOutcome]? = nil, cash: Bool, previousPlan: Bool, clinicianConfirmed: Bool,
         confoundedBy: String? = nil, rxcui: RxCUI?, labeler: String?, drugText: String) {
        self.ref = ref
        self.source = source
        self.handle = option
        self.counting = counting
        self.start = start
        self.end = end
        self.daysSupply = daysSupply
        self.mgPerDay = mgPerDay
        self.outcome = outcome
        self.outcomes = outcomes.map { $0.contains(outcome) ? $0 : [outcome] + $0 } ?? [outcome]
        self.cash = cash
        self.previousPlan = previousPlan
        self.clinicianConfirmed = clinicianConfirmed
        self.confoundedBy = confoundedBy
        self.rxcui = rxcui
        self.labeler = labeler
        self.drugText = drugText
    }

    /// The same item marked confounded (a manufacturer switch inside its episode).
    func confounded(by reason: String) -> TherapyItem {
        TherapyItem(ref: ref, source: source, option: handle, counting: counting, start: start, end: end, daysSupply: daysSupply, mgPerDay: mgPerDay,
                    outcome: outcome, outcomes: outcomes, cash: cash, previousPlan: previousPlan, clinicianConfirmed: clinicianConfirmed, confoundedBy: reason,
                    rxcui: rxcui, labeler: labeler, drugText: drugText)
    }

    /// The same item ending on `day` (a continued trial stopped for a switch).
    func ending(on day: Day) -> TherapyItem {
        TherapyItem(ref: ref, source: source, option: handle, counting: counting, start: start, end: day, daysSupply: daysSupply, mgPerDay: mgPerDay,
                    outcome: outcome, outcomes: outcomes, cash: cash, previousPlan: previousPlan, clinicianConfirmed: clinicianConfirmed,
                    confoundedBy: confoundedBy, rxcui: rxcui, labeler: labeler, drugText: drugText)
    }

    /// The last day the item covers when evaluated on `day` (ongoing items run to `day`).
    func coverageEnd(on day: Day) -> Day { end.map { min($0, day) } ?? day }

    /// True when the item covers `day` (started, not ended).
    func isActive(on day: Day) -> Bool { start <= day && (end.map { $0 >= day } ?? true) }

    /// The outcome rules use: confounded unless a clinician confirmed it.
    var effectiveOutcome: TrialOutcome {
        if confoundedBy != nil && !clinicianConfirmed { return .confounded }
        return outcome
    }

    /// Every outcome the rules may read: only `confounded` while a confounder is unconfirmed
    /// (an adverse effect after a labeler switch is part of what needs confirming).
    var effectiveOutcomes: [TrialOutcome] {
        if confoundedBy != nil && !clinicianConfirmed { return [.confounded] }
        return outcomes
    }

    /// The response outcome ADQ-TRD reads: the first recorded outcome that is not an adverse one
    /// (`[intolerance, inadequate]` and `[inadequate, intolerance]` both read `inadequate`);
    /// `nil` when the chart records only intolerance or a contraindication.
    var responseOutcome: TrialOutcome? {
        effectiveOutcomes.first { !$0.isAdverse }
    }

    /// Documented intolerance or contraindication of the drug, among any of the outcomes.
    var adverseOutcome: TrialOutcome? {
        effectiveOutcomes.first(where: \.isAdverse)
    }

    /// Visible to the plan's claims-based edits without documentation.
    var documentationOnly: Bool { cash || previousPlan }
}

extension TrialOutcome {
    /// Intolerance or a contraindication: evidence against the drug rather than a response.
    var isAdverse: Bool { self == .intolerance || self == .contraindication }
}
