/// An RxNorm concept as the drug reference knows it: what a formulary's RxCUI means, and which
/// ingredient it contains. Step and PA rules speak of ingredients; formularies speak of SCD/SBD.
public struct DrugConcept: Hashable, Codable, Sendable {
    public var rxcui: RxCUI
    /// RxNorm term type: IN, MIN, SCD, SBD, GPCK, BPCK, …
    public var termType: String
    public var name: String
    /// The ingredient concepts (IN) this concept contains; several for combinations.
    public var ingredients: [RxCUI]
    /// Ingredient names in the same order as `ingredients`.
    public var ingredientNames: [String]
    /// The brand name for branded concepts (SBD/BPCK).
    public var brandName: String?

    public init(rxcui: RxCUI, termType: String, name: String, ingredients: [RxCUI], ingredientNames: [String], brandName: String? = nil) {
        self.rxcui = rxcui
        self.termType = termType
        self.name = name
        self.ingredients = ingredients
        self.ingredientNames = ingredientNames
        self.brandName = brandName
    }

    /// True for a branded product (SBD, BPCK).
    public var isBranded: Bool { termType == "SBD" || termType == "BPCK" || termType == "SBDG" }
}

/// An NDC and the RxNorm concept it is a package of (RxNorm's `RXNSAT` `NDC` attribute). Claims
/// name NDCs; rules and formularies name RxCUIs.
public struct NDCMapping: Hashable, Codable, Sendable {
    public var ndc: NDC
    public var rxcui: RxCUI
    /// False for an NDC RxNorm marks obsolete (kept so old claims still resolve).
    public var isCurrent: Bool

    public init(ndc: NDC, rxcui: RxCUI, isCurrent: Bool = true) {
        self.ndc = ndc
        self.rxcui = rxcui
        self.isCurrent = isCurrent
    }
}
