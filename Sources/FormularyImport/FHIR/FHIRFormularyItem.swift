import FormularyModel

/// A 2.x FormularyItem (Basic): one drug on one formulary, with its tier and restrictions.
struct FHIRFormularyItem: Hashable, Sendable {
    var id: String?
    /// `usdf-FormularyReference-extension` as written (`InsurancePlan/FormularyD1002`).
    var formularyReference: String
    /// `subject.reference` as written (`MedicationKnowledge/FormularyDrug-1049640`).
    var drugReference: String
    var tier: FHIRCoding
    /// `usdf-AvailabilityStatus-extension` (`active`, `retired`, `draft`, `unknown`).
    var availabilityStatus: String?
    var availabilityStart: String?
    var availabilityEnd: String?
    /// `usdf-PharmacyBenefitType-extension` codes, in order.
    var pharmacyBenefitTypes: [String]
    var priorAuthorization: UMFlag
    var stepTherapy: UMFlag
    var quantityLimit: QuantityLimit
}
