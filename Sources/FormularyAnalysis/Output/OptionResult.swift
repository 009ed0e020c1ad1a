import FormularyCriteria

/// Everything the analysis says about one treatment option under one plan.
public struct OptionResult: Hashable, Codable, Sendable {
    public var optionID: String
    public var name: String
    public var brands: [String]
    public var drugClass: String
    /// 1 = best next option.
    public var rank: Int
    public var verdict: Verdict
    public var reachableNow: Bool
    /// Whose criteria the verdict rests on; `typical` and `flag-only` carry a note.
    public var basis: CriteriaBasis
    /// One or two sentences for people.
    public var summary: String
    public var coverage: CoverageSummary
    public var rules: [RuleResult]
    public var remaining: RemainingPath?
    public var lookbackExpiries: [LookbackExpiry]
    public var exceptionGrounds: [ExceptionGround]
    public var safety: [SafetyFinding]
    public var notes: [String]
    public var approval: String?
    public var quantityLimit: String?

    enum CodingKeys: String, CodingKey {
        case optionID = "optionId", name, brands, drugClass, rank, verdict, reachableNow, basis, summary, coverage, rules, remaining,
             lookbackExpiries, exceptionGrounds, safety, notes, approval, quantityLimit
    }
}

/// When a counted step trial leaves its lookback window (coverage end + N days).
public struct LookbackExpiry: Hashable, Codable, Sendable {
    public var ruleID: String
    public var criterionID: String
    public var ref: String?
    public var drug: String
    public var coverageEnd: Day
    public var expiresOn: Day

    enum CodingKeys: String, CodingKey { case ruleID = "ruleId", criterionID = "criterionId", ref, drug, coverageEnd, expiresOn }
}

/// A legal or documented route around a step or an exclusion.
public struct ExceptionGround: Hashable, Codable, Sendable {
    /// `step-contraindicated`, `tried-under-current-or-previous-plan`, `non-formulary-medical-necessity`, …
    public var ground: String
    public var description: String
    public var overlayID: String?
    public var citation: String?
    public var decisionHours: Int?
    public var exigentHours: Int?
    public var deemedApprovedIfLate: Bool?

    enum CodingKeys: String, CodingKey { case ground, description, overlayID = "overlayId", citation, decisionHours, exigentHours, deemedApprovedIfLate }
}
