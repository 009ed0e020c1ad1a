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
    /// Whether the option replaces the current antidepressant or joins the current regimen.
    public var use: OptionUse
    /// The group it is ranked in (switch within class, switch class, augment, esketamine,
    /// neuromodulation, psychotherapy).
    public var strategy: Strategy
    /// Tried in the current episode, or taken now (nil: new to the patient).
    public var history: OptionHistory?
    /// Covered now, criteria met, and no washout pending.
    public var reachableNow: Bool
    /// The first day the option can start: the later of its path's date and every washout's end
    /// (nil when it cannot be reached).
    public var earliestStart: Day?
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
        case optionID = "optionId", name, brands, drugClass, rank, verdict, use, strategy, history, reachableNow, earliestStart, basis, summary, coverage, rules, remaining,
             lookbackExpiries, exceptionGrounds, safety, notes, approval, quantityLimit
    }
}

extension OptionResult {
    /// Reads schema 1.0 analyses too: `use`, `strategy`, `history` and `earliestStart` came in 1.1
    /// (an old analysis reads as a switch to another class, with no history).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        optionID = try c.decode(String.self, forKey: .optionID)
        name = try c.decode(String.self, forKey: .name)
        brands = try c.decode([String].self, forKey: .brands)
        drugClass = try c.decode(String.self, forKey: .drugClass)
        rank = try c.decode(Int.self, forKey: .rank)
        verdict = try c.decode(Verdict.self, forKey: .verdict)
        use = try c.decodeIfPresent(OptionUse.self, forKey: .use) ?? .switch
        strategy = try c.decodeIfPresent(Strategy.self, forKey: .strategy) ?? .switchClass
        history = try c.decodeIfPresent(OptionHistory.self, forKey: .history)
        reachableNow = try c.decode(Bool.self, forKey: .reachableNow)
        earliestStart = try c.decodeIfPresent(Day.self, forKey: .earliestStart)
        basis = try c.decode(CriteriaBasis.self, forKey: .basis)
        summary = try c.decode(String.self, forKey: .summary)
        coverage = try c.decode(CoverageSummary.self, forKey: .coverage)
        rules = try c.decode([RuleResult].self, forKey: .rules)
        remaining = try c.decodeIfPresent(RemainingPath.self, forKey: .remaining)
        lookbackExpiries = try c.decode([LookbackExpiry].self, forKey: .lookbackExpiries)
        exceptionGrounds = try c.decode([ExceptionGround].self, forKey: .exceptionGrounds)
        safety = try c.decode([SafetyFinding].self, forKey: .safety)
        notes = try c.decode([String].self, forKey: .notes)
        approval = try c.decodeIfPresent(String.self, forKey: .approval)
        quantityLimit = try c.decodeIfPresent(String.self, forKey: .quantityLimit)
    }
}

/// When an item that counts toward a criterion with a lookback leaves the window (coverage end
/// + N, DOMAIN.md §5.0 rule 4) so that its drug no longer counts: days' supply, an adequate
/// trial, or documented intolerance or contraindication. Listed for met criteria and for
/// partly met ones (one of two needed drugs counts today).
public struct LookbackExpiry: Hashable, Codable, Sendable {
    /// What the expiring evidence is.
    public enum Basis: String, Hashable, Codable, Sendable {
        /// Days' supply of claims and chart trials (ADQ-ST).
        case daysSupply = "days-supply"
        /// An adequate trial counted by a trial count with a window.
        case adequateTrial = "adequate-trial"
        case intolerance
        case contraindication
    }

    public var ruleID: String
    public var criterionID: String
    public var ref: String?
    public var drug: String
    public var coverageEnd: Day
    public var expiresOn: Day
    /// `nil` in documents written before it was added (read as days' supply).
    public var basis: Basis?
    /// False when the criterion is only partly met today; `nil` in older documents.
    public var criterionMet: Bool?

    public init(ruleID: String, criterionID: String, ref: String?, drug: String, coverageEnd: Day, expiresOn: Day, basis: Basis? = nil,
                criterionMet: Bool? = nil) {
        self.ruleID = ruleID
        self.criterionID = criterionID
        self.ref = ref
        self.drug = drug
        self.coverageEnd = coverageEnd
        self.expiresOn = expiresOn
        self.basis = basis
        self.criterionMet = criterionMet
    }

    enum CodingKeys: String, CodingKey { case ruleID = "ruleId", criterionID = "criterionId", ref, drug, coverageEnd, expiresOn, basis, criterionMet }
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
