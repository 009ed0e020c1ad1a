/// Where a fact in a profile came from: the file and the resource (or line) in it. `formulary
/// patient import` writes one on every fact it imports (`source: {file, resource}`), so a person
/// reviewing the profile can find each fill, trial, score or diagnosis in the records; a fact
/// seen in several records (a fill in a claim and in a pharmacy dispense) lists each.
///
/// It names a file and a resource id, never a person: names, member ids and Medicare
/// beneficiary identifiers are not copied.
public struct FactSource: Hashable, Codable, Sendable, CustomStringConvertible {
    /// The file as it was given (`eob.json`, `export.zip!/ExplanationOfBenefit.ndjson`).
    public var file: String
    /// The resource (`ExplanationOfBenefit/pde-89`, `ExplanationOfBenefit (record 3)`) or the
    /// place in a non-FHIR file (`line 4`, `entries[2]`, `claims[0]`).
    public var resource: String

    public init(file: String, resource: String) {
        self.file = file
        self.resource = resource
    }

    public var description: String { "\(file): \(resource)" }
}

/// A safety condition with where it came from, when a profile gives it as a mapping
/// (`conditions: [{condition: seizure-disorder, source: {…}}]`).
public struct ConditionRecord: Hashable, Codable, Sendable {
    public var condition: ClinicalCondition
    public var note: String?
    public var sources: [FactSource]

    public init(condition: ClinicalCondition, note: String? = nil, sources: [FactSource] = []) {
        self.condition = condition
        self.note = note
        self.sources = sources
    }
}
