/// A medication trial as the chart documents it: dose, dates and what happened. The chart's
/// stop date overrides the claims' days' supply for ADQ-TRD (§5.0 rule 5).
public struct ChartTrial: Hashable, Codable, Sendable {
    public var drug: String
    public var mgPerDay: Double?
    public var start: Day
    /// `nil` while ongoing: the trial then runs to the as-of date.
    public var end: Day?
    /// The response outcome (inadequate, partial, response, confounded…): what ADQ-TRD reads.
    public var outcome: TrialOutcome
    /// Every outcome the chart records, `outcome` first: a trial can end with an inadequate
    /// response *and* an adverse effect (`[inadequate, intolerance]`), which is then also
    /// intolerance evidence for that drug.
    public var outcomes: [TrialOutcome]
    /// The outcome text exactly as written (`n/a (hypnotic)`).
    public var outcomeText: String?
    public var note: String?
    /// Tried under a previous plan: needs documentation to count for this plan's step edits.
    public var previousPlan: Bool
    /// Paid in cash (discount card): invisible to claims-based edits.
    public var cashPaid: Bool
    /// A clinician confirmed the outcome despite a confounder (a labeler switch): count it.
    public var clinicianConfirmed: Bool
    /// The records it was imported from (`source:`), empty for a trial typed by hand.
    public var sources: [FactSource]
    public var ref: String

    public init(drug: String, mgPerDay: Double? = nil, start: Day, end: Day? = nil, outcome: TrialOutcome = .unknown,
                outcomes: [TrialOutcome]? = nil, outcomeText: String? = nil, note: String? = nil, previousPlan: Bool = false,
                cashPaid: Bool = false, clinicianConfirmed: Bool = false, sources: [FactSource] = [], ref: String = "") {
        self.drug = drug
        self.mgPerDay = mgPerDay
        self.start = start
        self.end = end
        self.outcome = outcome
        self.outcomes = outcomes ?? [outcome]
        self.outcomeText = outcomeText
        self.note = note
        self.previousPlan = previousPlan
        self.cashPaid = cashPaid
        self.clinicianConfirmed = clinicianConfirmed
        self.sources = sources
        self.ref = ref
    }

    /// True when any recorded outcome is `kind` (an adverse effect recorded beside the response).
    public func records(_ kind: TrialOutcome) -> Bool { outcome == kind || outcomes.contains(kind) }
}

/// How a trial ended, in the vocabulary of DOMAIN.md §6.
public enum TrialOutcome: String, Hashable, Codable, Sendable, CaseIterable {
    /// ≤25% improvement.
    case inadequate
    /// Partial response (still ≤25% improvement for ADQ-TRD).
    case partial
    case intolerance
    case contraindication
    case response
    /// A confounder (generic labeler switch) makes the outcome uninterpretable until a clinician confirms.
    case confounded
    /// Not a treatment trial (trazodone for sleep).
    case notApplicable = "not-applicable"
    case unknown

    /// Reads the words people write: `inadequate`, `partial response`, `intolerant`, `n/a (hypnotic)`.
    public init?(text: String) {
        let lower = text.lowercased().trimmingWhitespaceAndPunctuation()
        if lower.isEmpty { self = .unknown; return }
        let table: [(String, TrialOutcome)] = [
            ("inadequate", .inadequate), ("non-response", .inadequate), ("nonresponse", .inadequate), ("no response", .inadequate),
            ("no improvement", .inadequate), ("failed", .inadequate), ("failure", .inadequate),
            ("partial", .partial), ("intoleran", .intolerance), ("adverse", .intolerance), ("side effect", .intolerance),
            ("contraindicat", .contraindication), ("respon", .response), ("remission", .response), ("remitted", .response),
            ("confounded", .confounded), ("n/a", .notApplicable), ("not applicable", .notApplicable), ("na ", .notApplicable),
            ("unknown", .unknown), ("ongoing", .unknown),
        ]
        for (prefix, outcome) in table where lower.hasPrefix(prefix) {
            self = outcome
            return
        }
        return nil
    }
}

extension String {
    func trimmingWhitespaceAndPunctuation() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first == " " || first == "\t" || first == "\"" { scalars = scalars.dropFirst() }
        while let last = scalars.last, last == " " || last == "\t" || last == "\"" || last == "." { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
