import FormularyCriteria
import FormularyModel

/// The analysis of one patient under one plan: options ranked, the trials as each adequacy
/// rule sees them, timeline events, and regimen-level safety.
public struct PlanResult: Hashable, Codable, Sendable {
    public var planID: String
    /// Tells results of one plan under different pinned criteria versions apart:
    /// `99990AZ0010001 (A-2025-01)`, or the plan id alone when no version is pinned. Always set
    /// by the analyzer; `nil` only in analyses saved before it existed.
    public var planLabel: String?
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
    /// At most five next options, readiest first, one per strategy before a second of any, each
    /// with a one-line reason: what text, JSON and reports lead with. Empty in analyses saved
    /// before schema 1.1.
    public var shortlist: [ShortlistItem] = []
    /// The patient's rating-scale scores on or before the as-of date, oldest first: the series a
    /// report draws on the timeline beside fills, switches and trials (a minor addition: absent
    /// when the profile has none, and from analyses saved before it).
    public var scores: [ScorePoint]?

    enum CodingKeys: String, CodingKey {
        case planID = "planId", planLabel, planName, market, formularyID = "formularyId", dataSource, criteria, shortlist, options, trials, events,
             regimenSafety, unrecognizedDrugs, notes, scores
    }

    /// `99990AZ0010001 (A-2025-01)` for a pinned version, else the plan id.
    public static func label(plan: String, pinnedVersion: String?) -> String {
        pinnedVersion.map { "\(plan) (\($0))" } ?? plan
    }

    /// What identifies this result among others of one analysis, also in analyses saved before
    /// `planLabel` existed: the plan id, plus the criteria version when one was pinned.
    /// Consumers that match results across analyses (the watchlist) key by it, so two versions
    /// of one plan are never compared with each other.
    public var planKey: String {
        PlanResult.label(plan: planID, pinnedVersion: criteria.pinned ? criteria.policyVersion : nil)
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

extension PlanResult {
    /// Reads schema 1.0 analyses too (no `planLabel`, no `shortlist`).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        planID = try c.decode(String.self, forKey: .planID)
        planLabel = try c.decodeIfPresent(String.self, forKey: .planLabel)
        planName = try c.decodeIfPresent(String.self, forKey: .planName)
        market = try c.decodeIfPresent(String.self, forKey: .market)
        formularyID = try c.decodeIfPresent(String.self, forKey: .formularyID)
        dataSource = try c.decodeIfPresent(String.self, forKey: .dataSource)
        criteria = try c.decode(CriteriaSummary.self, forKey: .criteria)
        shortlist = try c.decodeIfPresent([ShortlistItem].self, forKey: .shortlist) ?? []
        options = try c.decode([OptionResult].self, forKey: .options)
        trials = try c.decode([TrialAssessment].self, forKey: .trials)
        events = try c.decode([TimelineEvent].self, forKey: .events)
        regimenSafety = try c.decode([SafetyFinding].self, forKey: .regimenSafety)
        unrecognizedDrugs = try c.decode([UnrecognizedDrug].self, forKey: .unrecognizedDrugs)
        notes = try c.decode([String].self, forKey: .notes)
        scores = try c.decodeIfPresent([ScorePoint].self, forKey: .scores)
    }
}

/// One rating-scale score (PHQ-9, MADRS, GAD-7) as the profile records it.
public struct ScorePoint: Hashable, Codable, Sendable {
    public var scale: String
    public var value: Double
    public var date: Day
    /// Where it sits in the patient file (`scores[2]`).
    public var ref: String

    public init(scale: String, value: Double, date: Day, ref: String) {
        self.scale = scale
        self.value = value
        self.date = date
        self.ref = ref
    }
}
