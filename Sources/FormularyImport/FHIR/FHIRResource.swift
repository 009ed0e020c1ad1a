/// What one resource means to the importer, decoded from its `FHIRElement` by
/// `FHIRResourceDecoder`, whatever the serialization. Only the fields the mapping needs.
enum FHIRResource: Hashable, Sendable {
    case formularyItem(FHIRFormularyItem)
    case formularyDrug(FHIRFormularyDrug)
    case payerPlan(FHIRPayerPlan)
    case formulary(FHIRFormularyDefinition)
    case coveragePlan(FHIRCoveragePlan)
    case planDrug(FHIRPlanDrug)
    /// A resource the importer does not use, under the name it is counted by
    /// (`GraphDefinition`, `Basic (not a FormularyItem)`).
    case skipped(String)

    /// The name the outcome counts it under.
    var countName: String {
        switch self {
        case .formularyItem: "FormularyItem"
        case .formularyDrug: "FormularyDrug"
        case .payerPlan: "PayerInsurancePlan"
        case .formulary: "Formulary"
        case .coveragePlan: "CoveragePlan"
        case .planDrug: "FormularyDrug (STU1)"
        case .skipped(let name): "skipped resources: \(name)"
        }
    }
}
