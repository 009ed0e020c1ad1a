import FormularyCriteria
import FormularyModel

/// What to analyze: one patient, on which plans, as of which date, for which options.
public struct AnalysisRequest: Hashable, Sendable {
    public var patient: PatientProfile
    /// Plan ids or policy version ids (`A-2025-07`); empty = the patient's own plans.
    public var plans: [String]
    public var asOf: Day
    /// Option names (generic, brand, alias or id); empty = the TRD options of DOMAIN.md §1.
    public var options: [String]
    /// Evaluate this policy version's rules whatever the as-of date (`A-2025-07`).
    public var pinnedVersion: String?

    public init(patient: PatientProfile, plans: [String] = [], asOf: Day, options: [String] = [], pinnedVersion: String? = nil) {
        self.patient = patient
        self.plans = plans
        self.asOf = asOf
        self.options = options
        self.pinnedVersion = pinnedVersion
    }
}
