/// One checkable condition of a PA or step rule. Every case is data from a criteria file; the
/// analyzer evaluates each to met / unmet / unknown with evidence.
public enum Criterion: Hashable, Codable, Sendable {
    /// Age on the as-of date.
    case age(min: Int?, max: Int?)
    case sex(Demographics.Sex)
    case diagnosis(DiagnosisCriterion)
    /// The most recent score of a scale on/before the as-of date (§5.0 rule 8).
    case score(ScoreCriterion)
    /// N adequate trials across ≥M classes under a named adequacy rule (TRD counting).
    case trials(TrialCountCriterion)
    /// A step: N distinct agents from a pool with an ADQ-ST trial inside a lookback.
    case step(StepCriterion)
    /// Concurrent therapy required: a trial or claim from the pool covering the as-of date.
    case concurrent(ConcurrentCriterion)
    /// Forbidden recent therapy: nothing from the pool within N days (no Spravato within 28 days for TMS).
    case absent(AbsentCriterion)
    /// A procedure course: ≥N sessions of CBT/IPT in the current episode without remission.
    case procedure(ProcedureCriterion)
    /// A yes/no fact only the clinic can attest (REMS site, PDMP, MedWatch filed).
    case flag(PatientFlags.Name)
    /// The prescriber's specialty (psychiatry), or "in consultation with" when allowed.
    case prescriber(specialties: [String])
    /// None of these safety rules (DOMAIN.md §3) blocks the option for this patient.
    case noContraindication(safetyRules: [String])
    /// A documented adverse outcome on a drug of the pool (brand "medically necessary").
    case adverseOutcome(AgentPool)
    /// Postpartum timing: onset in the 3rd trimester or ≤N days after delivery; request ≤M days after.
    case postpartum(PostpartumCriterion)
    /// At most N courses of the option per pregnancy.
    case coursesPerPregnancy(max: Int)
}

public struct DiagnosisCriterion: Hashable, Codable, Sendable {
    /// Code patterns: exact (`F53.0`), ranges (`F32.0-F32.3`), prefixes (`F33.*`).
    public var codes: [String] { didSet { patterns = codes.map(Pattern.init) } }
    /// The diagnosis must not be in remission on the as-of date.
    public var notInRemission: Bool
    /// `codes` parsed once: every rule evaluation matches every diagnosis against them.
    private var patterns: [Pattern]

    /// One code pattern, upper-cased.
    private enum Pattern: Hashable, Sendable {
        case prefix(String)
        /// Compared within the same category length: F32.0-F32.3 matches F32.1 and F32.19.
        case range(low: String, high: String, length: Int)
        case code(String)

        init(_ raw: String) {
            let pattern = raw.uppercased()
            if pattern.hasSuffix("*") {
                self = .prefix(String(pattern.dropLast()))
            } else if let dash = pattern.firstIndex(of: "-"), pattern.first?.isLetter == true {
                let low = String(pattern[..<dash])
                let high = String(pattern[pattern.index(after: dash)...])
                self = .range(low: low, high: high, length: max(low.count, high.count))
            } else {
                self = .code(pattern)
            }
        }

        func matches(_ upper: String) -> Bool {
            switch self {
            case .prefix(let prefix):
                return upper.hasPrefix(prefix)
            case let .range(low, high, length):
                let key = String(upper.prefix(length))
                return key >= low && key <= high
            case .code(let code):
                return upper == code || upper.hasPrefix(code + ".") || (code.contains(".") && upper.hasPrefix(code))
            }
        }
    }

    private enum CodingKeys: String, CodingKey { case codes, notInRemission }

    public init(codes: [String], notInRemission: Bool = false) {
        self.codes = codes
        self.notInRemission = notInRemission
        patterns = codes.map(Pattern.init)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(codes: try container.decode([String].self, forKey: .codes), notInRemission: try container.decode(Bool.self, forKey: .notInRemission))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(codes, forKey: .codes)
        try container.encode(notInRemission, forKey: .notInRemission)
    }

    public static func == (lhs: DiagnosisCriterion, rhs: DiagnosisCriterion) -> Bool {
        lhs.codes == rhs.codes && lhs.notInRemission == rhs.notInRemission
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(codes)
        hasher.combine(notInRemission)
    }

    /// True when a code falls under any pattern.
    public func matches(_ code: String) -> Bool {
        let upper = code.uppercased()
        return patterns.contains { $0.matches(upper) }
    }
}

public struct ScoreCriterion: Hashable, Codable, Sendable {
    public var scale: String
    public var min: Double?
    public var max: Double?
    /// The score must be no older than this many days (optional).
    public var withinDays: Int?

    public init(scale: String, min: Double? = nil, max: Double? = nil, withinDays: Int? = nil) {
        self.scale = scale
        self.min = min
        self.max = max
        self.withinDays = withinDays
    }
}

public struct TrialCountCriterion: Hashable, Codable, Sendable {
    public var count: Int
    /// Distinct classes the counted trials must span.
    public var distinctClasses: Int
    /// Adequacy rule id (`ADQ-TRD`).
    public var adequacy: String
    public var pool: AgentPool
    /// §5.0 rule 9: each class may be satisfied by an adequate trial or a documented intolerance.
    public var intoleranceCountsPerClass: Bool
    /// Only trials ending within this many days count (e.g. "within the past 5 years").
    public var withinDays: Int?

    public init(count: Int, distinctClasses: Int = 1, adequacy: String, pool: AgentPool, intoleranceCountsPerClass: Bool = false, withinDays: Int? = nil) {
        self.count = count
        self.distinctClasses = distinctClasses
        self.adequacy = adequacy
        self.pool = pool
        self.intoleranceCountsPerClass = intoleranceCountsPerClass
        self.withinDays = withinDays
    }
}

public struct StepCriterion: Hashable, Codable, Sendable {
    public var pool: AgentPool
    /// Distinct agents needed from the pool.
    public var count: Int
    /// Adequacy rule id (`ADQ-ST`).
    public var adequacy: String
    /// Overrides the adequacy rule's lookback.
    public var lookbackDays: Int?
    /// Overrides the adequacy rule's minimum supply.
    public var minDays: Int?

    public init(pool: AgentPool, count: Int = 1, adequacy: String, lookbackDays: Int? = nil, minDays: Int? = nil) {
        self.pool = pool
        self.count = count
        self.adequacy = adequacy
        self.lookbackDays = lookbackDays
        self.minDays = minDays
    }
}

public struct ConcurrentCriterion: Hashable, Codable, Sendable {
    public var pool: AgentPool
    /// Only oral products count (A-2025-01: "an oral AD claim").
    public var oralOnly: Bool
    /// Where the evidence may come from (claims only, or claims and chart).
    public var sources: [AdequacyRule.Source]

    public init(pool: AgentPool, oralOnly: Bool = false, sources: [AdequacyRule.Source] = [.claims, .chart]) {
        self.pool = pool
        self.oralOnly = oralOnly
        self.sources = sources
    }
}

public struct AbsentCriterion: Hashable, Codable, Sendable {
    public var pool: AgentPool
    /// Nothing from the pool (claims, trials, procedure sessions) within this many days.
    public var withinDays: Int

    public init(pool: AgentPool, withinDays: Int) {
        self.pool = pool
        self.withinDays = withinDays
    }
}

public struct ProcedureCriterion: Hashable, Codable, Sendable {
    /// Procedure types (`CBT`, `IPT`), case-insensitive.
    public var types: [String]
    public var minSessions: Int
    public var withinCurrentEpisode: Bool
    /// The course must have ended without remission.
    public var withoutRemission: Bool

    public init(types: [String], minSessions: Int, withinCurrentEpisode: Bool = true, withoutRemission: Bool = true) {
        self.types = types
        self.minSessions = minSessions
        self.withinCurrentEpisode = withinCurrentEpisode
        self.withoutRemission = withoutRemission
    }
}

public struct PostpartumCriterion: Hashable, Codable, Sendable {
    /// Diagnosis codes whose onset is checked (`F53.0`).
    public var codes: [String]
    /// Onset may be in the third trimester (up to 91 days before delivery).
    public var onsetInThirdTrimester: Bool
    /// Onset at most this many days after delivery.
    public var onsetMaxDaysAfterDelivery: Int
    /// The request (as-of date) at most this many days after delivery.
    public var requestMaxDaysAfterDelivery: Int

    public init(codes: [String], onsetInThirdTrimester: Bool = true, onsetMaxDaysAfterDelivery: Int, requestMaxDaysAfterDelivery: Int) {
        self.codes = codes
        self.onsetInThirdTrimester = onsetInThirdTrimester
        self.onsetMaxDaysAfterDelivery = onsetMaxDaysAfterDelivery
        self.requestMaxDaysAfterDelivery = requestMaxDaysAfterDelivery
    }
}
