import FormularyCriteria
import FormularyModel

/// What a record says a drug is, before resolution: codes as written and the name.
struct DrugCode: Hashable, Sendable {
    var ndc: NDC?
    var rxcui: RxCUI?
    /// The display or text (`Prozac, 100 CAPSULE in 1 BOTTLE`, `Fluoxetine 25MG`).
    var text: String?
    /// A reference still to resolve (`Medication/uscore-med2`, `urn:uuid:…`).
    var reference: String?

    var isEmpty: Bool { ndc == nil && rxcui == nil && (text ?? "").isEmpty && reference == nil }
}

/// A dispensed fill: a pharmacy claim (ExplanationOfBenefit) or a MedicationDispense.
struct RawFill {
    var date: Day
    var drug: DrugCode
    var daysSupply: Int?
    var quantity: Double?
    var payer: PharmacyClaim.Payer
    /// A claim the plan adjudicated (an ExplanationOfBenefit or a profile's claim); false for a dispense record.
    var isClaim: Bool
    var previousPlan = false
    var mgPerDay: Double?
    var notes: [String] = []
    var sources: [FactSource]
    /// The warning context, for problems found while resolving.
    var resource: String
    var file: String
}

/// A prescription or a statement of use (MedicationRequest, MedicationStatement).
struct RawUse {
    enum Kind { case request, statement }
    var kind: Kind
    var drug: DrugCode
    var start: Day
    var end: Day?
    /// Still taken (active, on hold): runs on past `end` unknown.
    var ongoing: Bool
    /// Stopped or completed without a stop date.
    var endUnknown: Bool
    var status: String
    /// Dose per administration and the unit (`mg`, `TAB`, nil).
    var dose: Double?
    var doseUnit: String?
    var dosesPerDay: Double?
    var frequencyText: String?
    var outcomes: [TrialOutcome] = []
    var outcomeText: String?
    var note: String?
    /// Only for interaction checks (self-reported, a plan): never a trial.
    var medicationOnly = false
    var sources: [FactSource]
    var resource: String
    var file: String
}

/// One session (or a run of sessions on one line) of a procedure.
struct RawSession {
    var type: String
    var date: Day
    var count: Int
    var outcome: ProcedureOutcome
    var outcomeText: String?
    var fromClaim: Bool
    var sources: [FactSource]
}

struct RawDiagnosis {
    var code: String
    var description: String?
    var onset: Day?
    var abatement: Day?
    /// clinicalStatus remission/resolved/inactive.
    var remitted: Bool
    /// The claim's date, for codes seen on claims.
    var seenOn: Day?
    var fromClaim: Bool
    var note: String?
    var sources: [FactSource]
}

struct RawCondition {
    var condition: ClinicalCondition
    var note: String?
    var sources: [FactSource]
}

struct RawScore {
    var scale: String
    var value: Double
    var date: Day
    var note: String?
    var sources: [FactSource]
}

/// A side effect reported between visits (a monitoring log row, a FHIR side-effect Observation).
struct RawSideEffect {
    enum Severity: Int, Comparable {
        case none = 0, mild, moderate, severe
        static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }

        init?(text: String) {
            switch text.lowercased().trimmingWhitespace() {
            case "none", "0", "absent": self = .none
            case "mild", "1", "minimal", "slight": self = .mild
            case "moderate", "2", "medium": self = .moderate
            case "severe", "3", "serious", "extreme", "very severe": self = .severe
            default: return nil
            }
        }

        var word: String { ["none", "mild", "moderate", "severe"][rawValue] }
    }

    var date: Day
    var symptom: String
    var severity: Severity
    var drug: String?
    /// The log says it led to stopping the drug (nil: not said).
    var stopped: Bool?
    var note: String?
    var sources: [FactSource]
}

/// An AllergyIntolerance to a medicine: intolerance evidence for that drug.
struct RawIntolerance {
    var drug: DrugCode
    var date: Day
    var note: String?
    var sources: [FactSource]
}

struct RawDemographics {
    var birthDate: Day?
    var sex: Demographics.Sex?
    var state: String?
    var deceased: Day?
    var sources: [FactSource]
}

struct RawDelivery {
    var date: Day
    var sources: [FactSource]
}

/// The items of a PHQ-9 administration as separate Observations, joined by the panel.
struct ScoredItem {
    var code: String
    var date: Day?
    var value: Double?
    var sources: [FactSource]
    var file: String
}

struct ScorePanel {
    var scale: String
    var date: Day
    var members: [String]
    var sources: [FactSource]
    var resource: String
    var file: String
}
