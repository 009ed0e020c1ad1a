/// A 2.x FormularyDrug (MedicationKnowledge): what an item's `subject` names.
struct FHIRFormularyDrug: Hashable, Sendable {
    var id: String?
    /// The first RxNorm coding's code (the `semantic-drug` slice comes first).
    var rxcui: String?
    /// `code.text`, else the RxNorm coding's display, else any coding's display.
    var name: String?
}
