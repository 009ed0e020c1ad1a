import FormularyCriteria
/// The analyzer's answer: the contract reports and other programs read. Key names are stable;
/// additions bump the minor `schemaVersion`, removals or renames the major one.
/// Schema: `Sources/FormularyAnalysis/README.md`.
public struct AnalysisResult: Hashable, Codable, Sendable {
    public static let currentSchemaVersion = "1.1"

    public var schemaVersion: String
    /// The profile's label (never a real identifier).
    public var patient: String
    public var asOf: Day
    public var plans: [PlanResult]

    public init(patient: String, asOf: Day, plans: [PlanResult]) {
        self.schemaVersion = Self.currentSchemaVersion
        self.patient = patient
        self.asOf = asOf
        self.plans = plans
    }

    enum CodingKeys: String, CodingKey { case schemaVersion, patient, asOf, plans }
}
