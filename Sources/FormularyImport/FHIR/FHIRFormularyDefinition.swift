/// A 2.x Formulary (InsurancePlan with type DRUGPOL): the drug list items point at.
struct FHIRFormularyDefinition: Hashable, Sendable {
    var id: String?
    var identifier: String?
    var name: String?
    var periodStart: String?
}
