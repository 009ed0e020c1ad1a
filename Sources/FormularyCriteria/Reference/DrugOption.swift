import FormularyModel

/// One thing a person can be treated with, as the TRD analysis reasons about it: an
/// ingredient (sertraline), a fixed combination (Auvelity), a brand product whose coverage
/// differs from its generic (Wellbutrin XL), a procedure (TMS), or a drug the reference knows
/// only for interaction checks (ibuprofen, psyllium).
///
/// Step and PA rules speak of options and classes; formularies speak of SCD/SBD RxCUIs. The
/// `products` filter is the bridge: it picks the option's formulary-level concepts out of the
/// RxNorm subset.
public struct DrugOption: Hashable, Codable, Sendable, Identifiable {
    /// What kind of thing the option is.
    public enum Kind: String, Hashable, Codable, Sendable {
        case ingredient
        case combination
        /// A brand product listed separately from its generic (Wellbutrin XL vs bupropion XL).
        case brandProduct = "brand-product"
        case procedure
        /// Known for safety checks and OTC lines only; never a TRD option.
        case interactionAgent = "interaction-agent"
    }

    /// Which benefit pays for it.
    public enum Benefit: String, Hashable, Codable, Sendable {
        case pharmacy
        case medical
        case behavioralHealth = "behavioral-health"
    }

    public enum Route: String, Hashable, Codable, Sendable {
        case oral, transdermal, nasal, intravenous, procedure
    }

    /// Stable id used by criteria files and results (`vortioxetine`, `wellbutrin-xl`, `tms`).
    public var id: String
    /// The generic or common name.
    public var name: String
    public var brands: [String]
    /// Other names people type (`bupropion XL`, `rTMS`).
    public var aliases: [String]
    public var kind: Kind
    public var ingredients: [IngredientCode]
    /// For combinations: the component option ids, each counted as a trial of itself.
    public var components: [String]
    /// For brand products: the ingredient option it is a product of.
    public var productOf: String?
    public var drugClass: DrugClass
    /// §5.0 rule 10. Zuranolone is `false` even though it treats depression.
    public var countsAsAntidepressant: Bool
    public var properties: Set<DrugProperty>
    public var benefit: Benefit
    public var route: Route
    /// The synthetic ADQ-TRD threshold of DOMAIN.md §1 (mg/day; selegiline TD in mg/24 h).
    public var minTrdMgPerDay: Double?
    public var genericAvailable: Bool?
    /// True for the options the analyzer considers by default (DOMAIN.md §1 TRD options).
    public var trdOption: Bool
    /// S3: days to wait after stopping this drug before starting an MAOI.
    public var washoutBeforeMAOIDays: Int?
    /// For options outside the TRD default list that still matter for some patients: considered
    /// by default when the patient has a diagnosis starting with one of these ICD-10 prefixes
    /// (zuranolone: `F53`).
    public var defaultWhenDiagnosis: [String]
    /// How to find the option's formulary-level concepts in the RxNorm subset.
    public var products: ProductFilter
    /// CPT / HCPCS codes for procedures and medical-benefit drugs.
    public var procedureCodes: [ProcedureCode]
    /// Related RxNorm codes that are not ingredients (Spravato SCDF/SBDF), with their status.
    public var relatedCodes: [IngredientCode]
    public var notes: String?

    public init(id: String, name: String, brands: [String] = [], aliases: [String] = [], kind: Kind,
                ingredients: [IngredientCode] = [], components: [String] = [], productOf: String? = nil,
                drugClass: DrugClass, countsAsAntidepressant: Bool, properties: Set<DrugProperty> = [],
                benefit: Benefit = .pharmacy, route: Route = .oral, minTrdMgPerDay: Double? = nil,
                genericAvailable: Bool? = nil, trdOption: Bool = false, washoutBeforeMAOIDays: Int? = nil,
                defaultWhenDiagnosis: [String] = [],
                products: ProductFilter = ProductFilter(), procedureCodes: [ProcedureCode] = [],
                relatedCodes: [IngredientCode] = [], notes: String? = nil) {
        self.id = id
        self.name = name
        self.brands = brands
        self.aliases = aliases
        self.kind = kind
        self.ingredients = ingredients
        self.components = components
        self.productOf = productOf
        self.drugClass = drugClass
        self.countsAsAntidepressant = countsAsAntidepressant
        self.properties = properties
        self.benefit = benefit
        self.route = route
        self.minTrdMgPerDay = minTrdMgPerDay
        self.genericAvailable = genericAvailable
        self.trdOption = trdOption
        self.washoutBeforeMAOIDays = washoutBeforeMAOIDays
        self.defaultWhenDiagnosis = defaultWhenDiagnosis
        self.products = products
        self.procedureCodes = procedureCodes
        self.relatedCodes = relatedCodes
        self.notes = notes
    }

    /// `Trintellix (vortioxetine)` for brand-led drugs, the name otherwise.
    public var displayName: String {
        if kind == .brandProduct { return name }
        if let brand = brands.first, genericAvailable == false { return "\(brand) (\(name))" }
        return name
    }

    public func has(_ property: DrugProperty) -> Bool { properties.contains(property) }
}

/// An RxNorm code as the reference holds it, with how far it has been verified
/// (DOMAIN.md §0 tags). `rxcui == nil` means no code is known: never invent one.
public struct IngredientCode: Hashable, Codable, Sendable {
    public var name: String
    public var rxcui: RxCUI?
    /// `V2`, `V1`, `V1+I`, `I`, `U`, or `subset-confirmed` (seen in rxnorm_subset.csv with `confirmed=Y`).
    public var status: String
    /// RxNorm term type where known (IN, PIN, SCDF, SBDF).
    public var termType: String?

    public init(name: String, rxcui: RxCUI?, status: String, termType: String? = nil) {
        self.name = name
        self.rxcui = rxcui
        self.status = status
        self.termType = termType
    }

    /// False for inferred (I) or unverified (U) codes: they must be confirmed with RxNav first.
    public var isVerified: Bool { !(status == "I" || status == "U" || status.hasPrefix("unverified")) }
}

/// Which RxNorm concepts of the subset belong to an option on a formulary.
public struct ProductFilter: Hashable, Codable, Sendable {
    /// Term types to include (`SCD`, `SBD`, `GPCK`, `BPCK`); empty means all dispensable ones.
    public var termTypes: [String]
    /// Only concepts with one of these brand names (case-insensitive).
    public var brands: [String]
    /// Only concepts whose name contains this text (case-insensitive), e.g. `24 HR` for XL.
    public var nameContains: String?
    /// Explicit RxCUIs, in addition to (or, with no ingredients, instead of) the filter.
    public var rxcuis: [RxCUI]

    public init(termTypes: [String] = [], brands: [String] = [], nameContains: String? = nil, rxcuis: [RxCUI] = []) {
        self.termTypes = termTypes
        self.brands = brands
        self.nameContains = nameContains
        self.rxcuis = rxcuis
    }
}

/// A billing code for a procedure or a medical-benefit drug.
public struct ProcedureCode: Hashable, Codable, Sendable {
    /// `CPT` or `HCPCS`.
    public var system: String
    public var code: String
    public var meaning: String?

    public init(system: String, code: String, meaning: String? = nil) {
        self.system = system
        self.code = code
        self.meaning = meaning
    }
}
