/// The normalized meaning of a tier, derived from a per-source mapping table and never from a
/// tier number alone.
public enum TierCategory: String, Hashable, Codable, Sendable, CaseIterable {
    case preferredGeneric = "preferred-generic"
    case generic
    case nonPreferredGeneric = "non-preferred-generic"
    case preferredBrand = "preferred-brand"
    case brand
    case nonPreferredBrand = "non-preferred-brand"
    case nonPreferredDrug = "non-preferred-drug"
    case specialty
    case preferred
    case nonPreferred = "non-preferred"
    case zeroCostPreventive = "zero-cost-preventive"
    case medicalBenefit = "medical-benefit"
    case other
    /// The source gives no meaning for the code (a bare Part D tier number, or an unmapped name).
    case unknown

    /// Plain words for people.
    public var displayName: String {
        switch self {
        case .preferredGeneric: "preferred generic"
        case .generic: "generic"
        case .nonPreferredGeneric: "non-preferred generic"
        case .preferredBrand: "preferred brand"
        case .brand: "brand"
        case .nonPreferredBrand: "non-preferred brand"
        case .nonPreferredDrug: "non-preferred drug"
        case .specialty: "specialty"
        case .preferred: "preferred"
        case .nonPreferred: "non-preferred"
        case .zeroCostPreventive: "zero-cost preventive"
        case .medicalBenefit: "medical benefit"
        case .other: "other"
        case .unknown: "unknown"
        }
    }
}

/// A tier as one formulary defines it: the verbatim source code plus its normalized category.
public struct TierDefinition: Hashable, Codable, Sendable {
    /// The formulary the tier belongs to.
    public var formulary: FormularyID
    /// The code exactly as the source writes it: `3`, `PREFERRED-BRAND`, `preferred-brand`.
    public var sourceCode: String
    /// The code system, where the source names one (FHIR).
    public var sourceSystem: String?
    public var category: TierCategory
    public var label: String?
    /// Tri-state: `nil` when the source does not say.
    public var isSpecialty: Bool?

    public init(formulary: FormularyID, sourceCode: String, sourceSystem: String? = nil, category: TierCategory, label: String? = nil, isSpecialty: Bool? = nil) {
        self.formulary = formulary
        self.sourceCode = sourceCode
        self.sourceSystem = sourceSystem
        self.category = category
        self.label = label
        self.isSpecialty = isSpecialty
    }
}
