import FormularyCriteria
import FormularyModel

/// The analysis of one patient under one plan: options ranked, the trials as each adequacy
/// rule sees them, timeline events, and regimen-level safety.
public struct PlanResult: Hashable, Codable, Sendable {
    public var planID: String
    public var planName: String?
    public var market: String?
    public var formularyID: String?
    /// Where the formulary data came from (source name and snapshot), or why there is none.
    public var dataSource: String?
    public var criteria: CriteriaSummary
    public var options: [OptionResult]
    public var trials: [TrialAssessment]
    public var events: [TimelineEvent]
    public var regimenSafety: [SafetyFinding]
    /// Drugs in the patient file the reference does not know: shown, never counted.
    public var unrecognizedDrugs: [UnrecognizedDrug]
    public var notes: [String]

    enum CodingKeys: String, CodingKey {
        case planID = "planId", planName, market, formularyID = "formularyId", dataSource, criteria, options, trials, events, regimenSafety,
             unrecognizedDrugs, notes
    }
}

/// Which criteria document and version the plan was analyzed under.
public struct CriteriaSummary: Hashable, Codable, Sendable {
    public var documentID: String?
    public var title: String?
    public var file: String?
    public var policyVersion: String?
    public var pinned: Bool
    /// The date rules were chosen by (the pinned version's start, else the as-of date).
    public var rulesAsOf: Day
    public var basis: CriteriaBasis
    public var note: String?

    enum CodingKeys: String, CodingKey { case documentID = "documentId", title, file, policyVersion, pinned, rulesAsOf, basis, note }
}

/// A drug the patient file names that the drug reference does not know.
public struct UnrecognizedDrug: Hashable, Codable, Sendable {
    public var ref: String
    public var text: String
}
