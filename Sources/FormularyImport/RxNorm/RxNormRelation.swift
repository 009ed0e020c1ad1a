/// The RxNorm relations (RXNREL `RELA`) the importer follows from a drug to its ingredients and
/// brand, each with the term types it may join.
///
/// A row reads "RXCUI2 has RELA to RXCUI1", and every relation also appears inverted under
/// another name (`tradename_of` / `has_tradename`). Keeping one name of each pair, and only
/// between the term types below, makes a misread direction impossible to miss: an inverted row
/// joins the wrong term types and is dropped.
enum RxNormRelation: UInt8, CaseIterable, Hashable, Sendable {
    /// SCD consists_of SCDC.
    case consistsOf
    /// SCDC has_ingredient IN; SBD (and BPCK) has_ingredient BN.
    case hasIngredient
    /// SCD has_ingredients MIN, for combinations.
    case hasIngredients
    /// MIN has_part IN.
    case hasPart
    /// SBD tradename_of SCD; BPCK tradename_of GPCK; BN tradename_of IN.
    case tradenameOf
    /// GPCK contains SCD; BPCK contains SBD or SCD.
    case contains
    /// SCDC has_precise_ingredient PIN, for components whose IN link is missing.
    case hasPreciseIngredient
    /// PIN form_of IN.
    case formOf

    /// The RELA text.
    var rela: String {
        switch self {
        case .consistsOf: "consists_of"
        case .hasIngredient: "has_ingredient"
        case .hasIngredients: "has_ingredients"
        case .hasPart: "has_part"
        case .tradenameOf: "tradename_of"
        case .contains: "contains"
        case .hasPreciseIngredient: "has_precise_ingredient"
        case .formOf: "form_of"
        }
    }

    /// True when `source` (RXCUI2) may have this relation to `target` (RXCUI1).
    func joins(_ source: RxNormTermType, to target: RxNormTermType) -> Bool {
        switch (self, source, target) {
        case (.consistsOf, .clinicalDrug, .clinicalDrugComponent),
             (.hasIngredient, .clinicalDrugComponent, .ingredient),
             (.hasIngredient, .brandedDrug, .brandName),
             (.hasIngredient, .brandedPack, .brandName),
             (.hasIngredients, .clinicalDrug, .multipleIngredients),
             (.hasPart, .multipleIngredients, .ingredient),
             (.tradenameOf, .brandedDrug, .clinicalDrug),
             (.tradenameOf, .brandedPack, .genericPack),
             (.tradenameOf, .brandName, .ingredient),
             (.contains, .genericPack, .clinicalDrug),
             (.contains, .brandedPack, .brandedDrug),
             (.contains, .brandedPack, .clinicalDrug),
             (.hasPreciseIngredient, .clinicalDrugComponent, .preciseIngredient),
             (.formOf, .preciseIngredient, .ingredient):
            true
        default:
            false
        }
    }

    /// The RELA texts as bytes, in case order, for comparison in place.
    private static let relaBytes: [[UInt8]] = allCases.map { Array($0.rela.utf8) }

    /// The relation a RELA field names, or `nil` for one the importer does not follow.
    @inline(__always)
    init?(rela field: UnsafeBufferPointer<UInt8>) {
        for (index, bytes) in Self.relaBytes.enumerated() where bytes.count == field.count {
            if bytes.elementsEqual(field) {
                self = Self.allCases[index]
                return
            }
        }
        return nil
    }
}
