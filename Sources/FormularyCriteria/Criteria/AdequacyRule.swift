/// A named rule for when a trial "counts", per purpose (DOMAIN.md §4.2 point 2): the same
/// escitalopram fills can satisfy a 30-day step edit (ADQ-ST) and fail a 6-week TRD criterion
/// (ADQ-TRD). Criteria name these by id; each criteria document defines the ones it uses.
public struct AdequacyRule: Hashable, Codable, Sendable {
    public enum Purpose: String, Hashable, Codable, Sendable {
        /// Treatment-resistance counting: dose, duration, episode, outcome (ADQ-TRD).
        case trd
        /// Step-therapy visibility: supply within a lookback (ADQ-ST).
        case step
    }

    /// Where evidence of a trial may come from.
    public enum Source: String, Hashable, Codable, Sendable { case claims, chart }

    public var id: String
    public var purpose: Purpose
    public var description: String?
    /// TRD: consecutive days on drug (≥42 → end ≥ start + 41). Step: total days' supply.
    public var minDays: Int
    /// TRD: the dose must reach the reference minimum mg/day (§1 table).
    public var requireMinimumDose: Bool
    /// Per-option overrides of the minimum dose (mg/day).
    public var minimumDoseOverrides: [String: Double]
    /// TRD: the trial must start on/after the current episode start.
    public var withinCurrentEpisode: Bool
    /// Outcomes that count; empty means any outcome except `excludedOutcomes`.
    public var outcomes: [TrialOutcome]
    /// Outcomes that never count (confounded: not a failure without clinician confirmation).
    public var excludedOutcomes: [TrialOutcome]
    /// Documented intolerance or contraindication satisfies the requirement (ADQ-ST: yes; ADQ-TRD: no).
    public var intoleranceCounts: Bool
    /// TRD: a chart stop date overrides the claims' days' supply.
    public var chartStopOverridesClaims: Bool
    /// Options that never count (zuranolone).
    public var excludedOptions: [String]
    /// Step: default lookback window in days (a step criterion may override it).
    public var lookbackDays: Int?
    public var sources: [Source]
    /// Items that count only with documentation (verdict NEEDS_DOCUMENTATION): cash-paid fills
    /// and trials under a previous plan.
    public var documentationOnly: [String]

    public init(id: String, purpose: Purpose, description: String? = nil, minDays: Int, requireMinimumDose: Bool = false,
                minimumDoseOverrides: [String: Double] = [:], withinCurrentEpisode: Bool = false, outcomes: [TrialOutcome] = [],
                excludedOutcomes: [TrialOutcome] = [.confounded], intoleranceCounts: Bool = false, chartStopOverridesClaims: Bool = true,
                excludedOptions: [String] = [], lookbackDays: Int? = nil, sources: [Source] = [.claims, .chart],
                documentationOnly: [String] = ["cash", "previous-plan"]) {
        self.id = id
        self.purpose = purpose
        self.description = description
        self.minDays = minDays
        self.requireMinimumDose = requireMinimumDose
        self.minimumDoseOverrides = minimumDoseOverrides
        self.withinCurrentEpisode = withinCurrentEpisode
        self.outcomes = outcomes
        self.excludedOutcomes = excludedOutcomes
        self.intoleranceCounts = intoleranceCounts
        self.chartStopOverridesClaims = chartStopOverridesClaims
        self.excludedOptions = excludedOptions
        self.lookbackDays = lookbackDays
        self.sources = sources
        self.documentationOnly = documentationOnly
    }
}
