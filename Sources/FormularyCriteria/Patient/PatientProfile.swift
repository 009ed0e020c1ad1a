/// Everything the analysis knows about one person: who they are, which plan(s) cover them,
/// their depression history (diagnoses, pharmacy claims, chart trials, procedures, scores),
/// what else they take, and the facts a PA form asks (prescriber, REMS site, PDMP, MedWatch).
///
/// Synthetic in every bundled file. The analysis reads it; nothing logs it.
public struct PatientProfile: Hashable, Codable, Sendable {
    /// A label for the profile (never a real identifier): the file's `id`, else its file stem.
    public var id: String
    /// The file it was loaded from, for messages.
    public var sourceFile: String?
    /// The as-of date the file suggests (`asOf`); the caller may override it.
    public var asOf: Day?
    public var demographics: Demographics
    /// Plan references: plan ids (`99990AZ0010001`, `H9990-001-000`) or criteria version ids
    /// (`A-2025-07`) which the criteria set resolves to a plan and a pinned version.
    public var plans: [String]
    public var diagnoses: [Diagnosis]
    public var claims: [PharmacyClaim]
    public var trials: [ChartTrial]
    public var procedures: [ProcedureRecord]
    public var scores: [ScoreRecord]
    public var conditions: [ClinicalCondition]
    /// Where each condition came from, when the profile says (`conditions: [{condition, source}]`).
    public var conditionRecords: [ConditionRecord] = []
    public var medications: [Medication]
    public var flags: PatientFlags
    /// Options asked about, with their use (add-on or switch) and dose.
    public var requests: [OptionRequest] = []

    public init(id: String, sourceFile: String? = nil, asOf: Day? = nil, demographics: Demographics = Demographics(),
                plans: [String] = [], diagnoses: [Diagnosis] = [], claims: [PharmacyClaim] = [], trials: [ChartTrial] = [],
                procedures: [ProcedureRecord] = [], scores: [ScoreRecord] = [], conditions: [ClinicalCondition] = [],
                medications: [Medication] = [], flags: PatientFlags = PatientFlags(), requests: [OptionRequest] = []) {
        self.id = id
        self.sourceFile = sourceFile
        self.asOf = asOf
        self.demographics = demographics
        self.plans = plans
        self.diagnoses = diagnoses
        self.claims = claims
        self.trials = trials
        self.procedures = procedures
        self.scores = scores
        self.conditions = conditions
        self.medications = medications
        self.flags = flags
        self.requests = requests
    }
}

/// Age, sex, state and (for postpartum rules) the delivery date.
public struct Demographics: Hashable, Codable, Sendable {
    public enum Sex: String, Hashable, Codable, Sendable { case female = "F", male = "M", other = "X" }

    /// Age in whole years as stated; used when there is no birth date.
    public var age: Int?
    public var birthDate: Day?
    public var sex: Sex?
    /// Two-letter state of residence (drives state-law overlays).
    public var state: String?
    /// Most recent delivery (postpartum rules).
    public var deliveryDate: Day?
    /// The records these came from (`patient.source`), empty when typed by hand.
    public var sources: [FactSource] = []

    public init(age: Int? = nil, birthDate: Day? = nil, sex: Sex? = nil, state: String? = nil, deliveryDate: Day? = nil,
                sources: [FactSource] = []) {
        self.age = age
        self.birthDate = birthDate
        self.sex = sex
        self.state = state
        self.deliveryDate = deliveryDate
        self.sources = sources
    }

    /// Age on a date: from the birth date when known, else the stated age.
    public func age(on day: Day) -> Int? {
        guard let birthDate else { return age }
        var years = day.year - birthDate.year
        if (day.month, day.day) < (birthDate.month, birthDate.day) { years -= 1 }
        return years
    }
}
