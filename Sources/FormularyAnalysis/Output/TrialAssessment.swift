import FormularyCriteria
import FormularyModel

/// A treatment episode as the analysis sees it (chart trial, or a run of claims), with its
/// effective outcome and how each adequacy rule judges it.
public struct TrialAssessment: Hashable, Codable, Sendable {
    public var ref: String
    public var drug: String
    public var optionID: String?
    public var drugClass: String?
    public var source: String
    public var start: Day
    /// `nil` while ongoing.
    public var end: Day?
    public var mgPerDay: Double?
    public var daysOnDrug: Int
    /// The outcome as documented.
    public var documentedOutcome: String
    /// The outcome the rules use (`confounded` after a labeler switch without clinician confirmation).
    public var effectiveOutcome: String
    public var confoundedBy: String?
    public var paidInCash: Bool
    public var previousPlan: Bool
    /// Adequacy rule id → "counts" or the reason it does not.
    public var adequacy: [String: String]

    enum CodingKeys: String, CodingKey {
        case ref, drug, optionID = "optionId", drugClass, source, start, end, mgPerDay, daysOnDrug, documentedOutcome, effectiveOutcome,
             confoundedBy, paidInCash, previousPlan, adequacy
    }
}

/// Something that happened on the patient timeline worth showing next to the scores.
public struct TimelineEvent: Hashable, Codable, Sendable {
    public enum Kind: String, Hashable, Codable, Sendable {
        /// Same RxCUI, new NDC labeler, inside one continuous therapy episode (DOMAIN.md §3.1).
        case manufacturerSwitch = "MANUFACTURER_SWITCH"
    }

    public var kind: Kind
    public var date: Day
    public var drug: String
    public var rxcui: RxCUI?
    public var fromLabeler: String?
    public var toLabeler: String?
    /// The nearest scores before and after, to show beside the event.
    public var scoreBefore: String?
    public var scoreAfter: String?
    public var detail: String
    public var context: String?

    enum CodingKeys: String, CodingKey { case kind, date, drug, rxcui, fromLabeler, toLabeler, scoreBefore, scoreAfter, detail, context }
}
