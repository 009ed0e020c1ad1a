/// An STU1 FormularyDrug (MedicationKnowledge with `usdf-PlanID-extension`): one drug on one plan's
/// formulary, with its tier and restrictions.
struct FHIRPlanDrug: Hashable, Sendable {
    var id: String?
    var planID: String
    var rxcui: String?
    var name: String?
    var tier: FHIRCoding
    var priorAuthorization: Bool?
    var stepTherapy: Bool?
    var quantityLimit: Bool?
}
