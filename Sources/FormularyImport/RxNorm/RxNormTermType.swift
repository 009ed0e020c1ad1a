/// The RxNorm term types (TTY) the importer keeps from `RXNCONSO.RRF`.
///
/// Only the dispensable and ingredient levels become `DrugConcept`s; the rest are kept because
/// the relations that link a drug to its ingredients and brand pass through them (an SCD reaches
/// its ingredients only through its SCDC components, an SBD its brand only through a BN).
enum RxNormTermType: UInt8, CaseIterable, Hashable, Sendable {
    /// IN: an ingredient (sertraline).
    case ingredient
    /// PIN: a precise ingredient, usually a salt (paroxetine hydrochloride).
    case preciseIngredient
    /// MIN: several ingredients together (fluoxetine / olanzapine).
    case multipleIngredients
    /// SCDC: an ingredient with a strength (sertraline 50 MG); not dispensable.
    case clinicalDrugComponent
    /// SCD: a generic drug as dispensed (sertraline 50 MG Oral Tablet).
    case clinicalDrug
    /// SBD: a branded drug (sertraline 50 MG Oral Tablet [Zoloft]).
    case brandedDrug
    /// GPCK: a generic pack (a titration pack of SCDs).
    case genericPack
    /// BPCK: a branded pack.
    case brandedPack
    /// BN: a brand name (Zoloft).
    case brandName

    /// The code RxNorm writes in the TTY column.
    var code: String {
        switch self {
        case .ingredient: "IN"
        case .preciseIngredient: "PIN"
        case .multipleIngredients: "MIN"
        case .clinicalDrugComponent: "SCDC"
        case .clinicalDrug: "SCD"
        case .brandedDrug: "SBD"
        case .genericPack: "GPCK"
        case .brandedPack: "BPCK"
        case .brandName: "BN"
        }
    }

    /// True for the term types emitted as `DrugConcept`s: what formularies, claims and rules name.
    var isEmitted: Bool {
        switch self {
        case .ingredient, .multipleIngredients, .clinicalDrug, .brandedDrug, .genericPack, .brandedPack: true
        case .preciseIngredient, .clinicalDrugComponent, .brandName: false
        }
    }

    /// True when the concept's name is needed: for emitted concepts, ingredient names and
    /// brand names. SCDC and PIN names are never shown, so they are not kept in memory.
    var keepsName: Bool {
        self != .clinicalDrugComponent && self != .preciseIngredient
    }

    /// True for the dispensable drug levels, which should resolve to at least one ingredient.
    var isDrug: Bool {
        switch self {
        case .clinicalDrug, .brandedDrug, .genericPack, .brandedPack: true
        default: false
        }
    }

    /// The TTY codes packed with `RRFRow.code`, in case order.
    private static let packedCodes: [UInt64] = allCases.map { RRFRow.code($0.code) }

    /// The term type whose code is `packed`, or `nil` for one the importer does not keep.
    @inline(__always)
    init?(packed: UInt64) {
        guard let index = Self.packedCodes.firstIndex(of: packed) else { return nil }
        self = Self.allCases[index]
    }
}
