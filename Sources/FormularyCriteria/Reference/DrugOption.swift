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

    /// The option's data. `DrugOption` keeps it in one shared box (see `Storage`).
    struct Fields: Hashable, Codable, Sendable {
        var id: String
        var name: String
        var brands: [String]
        var aliases: [String]
        var kind: Kind
        var ingredients: [IngredientCode]
        var components: [String]
        var productOf: String?
        var drugClass: DrugClass
        var countsAsAntidepressant: Bool
        var properties: Set<DrugProperty>
        var benefit: Benefit
        var route: Route
        var minTrdMgPerDay: Double?
        var genericAvailable: Bool?
        var trdOption: Bool
        var washoutBeforeMAOIDays: Int?
        var defaultWhenDiagnosis: [String]
        var products: ProductFilter
        var procedureCodes: [ProcedureCode]
        var relatedCodes: [IngredientCode]
        var notes: String?
    }

    /// One reference-counted box for all fields. The analysis copies options constantly (candidate
    /// lists, therapy items, results); as a plain struct of two dozen strings, arrays and sets each
    /// copy cost as many retains: copying and destroying options took about a tenth of a one-plan
    /// analysis in a profile. Copies share the box; a setter builds a new box, so value semantics hold.
    private final class Storage: Sendable {
        let fields: Fields
        /// `fields.properties` as bits (`DrugProperty.bit`): the safety rules ask `has` constantly.
        let propertyBits: UInt64
        /// The name people see (`displayName`), built once: every result and path step shows it.
        let displayName: String

        init(_ fields: Fields) {
            self.fields = fields
            propertyBits = fields.properties.reduce(0) { $0 | $1.bit }
            if fields.kind != .brandProduct, let brand = fields.brands.first, fields.genericAvailable == false {
                displayName = "\(brand) (\(fields.name))"
            } else {
                displayName = fields.name
            }
        }
    }

    private var storage: Storage

    /// Stable id used by criteria files and results (`vortioxetine`, `wellbutrin-xl`, `tms`).
    public var id: String {
        get { storage.fields.id }
        set { var copy = storage.fields; copy.id = newValue; storage = Storage(copy) }
    }
    /// The generic or common name.
    public var name: String {
        get { storage.fields.name }
        set { var copy = storage.fields; copy.name = newValue; storage = Storage(copy) }
    }
    public var brands: [String] {
        get { storage.fields.brands }
        set { var copy = storage.fields; copy.brands = newValue; storage = Storage(copy) }
    }
    /// Other names people type (`bupropion XL`, `rTMS`).
    public var aliases: [String] {
        get { storage.fields.aliases }
        set { var copy = storage.fields; copy.aliases = newValue; storage = Storage(copy) }
    }
    public var kind: Kind {
        get { storage.fields.kind }
        set { var copy = storage.fields; copy.kind = newValue; storage = Storage(copy) }
    }
    public var ingredients: [IngredientCode] {
        get { storage.fields.ingredients }
        set { var copy = storage.fields; copy.ingredients = newValue; storage = Storage(copy) }
    }
    /// For combinations: the component option ids, each counted as a trial of itself.
    public var components: [String] {
        get { storage.fields.components }
        set { var copy = storage.fields; copy.components = newValue; storage = Storage(copy) }
    }
    /// For brand products: the ingredient option it is a product of.
    public var productOf: String? {
        get { storage.fields.productOf }
        set { var copy = storage.fields; copy.productOf = newValue; storage = Storage(copy) }
    }
    public var drugClass: DrugClass {
        get { storage.fields.drugClass }
        set { var copy = storage.fields; copy.drugClass = newValue; storage = Storage(copy) }
    }
    /// §5.0 rule 10. Zuranolone is `false` even though it treats depression.
    public var countsAsAntidepressant: Bool {
        get { storage.fields.countsAsAntidepressant }
        set { var copy = storage.fields; copy.countsAsAntidepressant = newValue; storage = Storage(copy) }
    }
    public var properties: Set<DrugProperty> {
        get { storage.fields.properties }
        set { var copy = storage.fields; copy.properties = newValue; storage = Storage(copy) }
    }
    public var benefit: Benefit {
        get { storage.fields.benefit }
        set { var copy = storage.fields; copy.benefit = newValue; storage = Storage(copy) }
    }
    public var route: Route {
        get { storage.fields.route }
        set { var copy = storage.fields; copy.route = newValue; storage = Storage(copy) }
    }
    /// The synthetic ADQ-TRD threshold of DOMAIN.md §1 (mg/day; selegiline TD in mg/24 h).
    public var minTrdMgPerDay: Double? {
        get { storage.fields.minTrdMgPerDay }
        set { var copy = storage.fields; copy.minTrdMgPerDay = newValue; storage = Storage(copy) }
    }
    public var genericAvailable: Bool? {
        get { storage.fields.genericAvailable }
        set { var copy = storage.fields; copy.genericAvailable = newValue; storage = Storage(copy) }
    }
    /// True for the options the analyzer considers by default (DOMAIN.md §1 TRD options).
    public var trdOption: Bool {
        get { storage.fields.trdOption }
        set { var copy = storage.fields; copy.trdOption = newValue; storage = Storage(copy) }
    }
    /// S3: days to wait after stopping this drug before starting an MAOI.
    public var washoutBeforeMAOIDays: Int? {
        get { storage.fields.washoutBeforeMAOIDays }
        set { var copy = storage.fields; copy.washoutBeforeMAOIDays = newValue; storage = Storage(copy) }
    }
    /// For options outside the TRD default list that still matter for some patients: considered
    /// by default when the patient has a diagnosis starting with one of these ICD-10 prefixes
    /// (zuranolone: `F53`).
    public var defaultWhenDiagnosis: [String] {
        get { storage.fields.defaultWhenDiagnosis }
        set { var copy = storage.fields; copy.defaultWhenDiagnosis = newValue; storage = Storage(copy) }
    }
    /// How to find the option's formulary-level concepts in the RxNorm subset.
    public var products: ProductFilter {
        get { storage.fields.products }
        set { var copy = storage.fields; copy.products = newValue; storage = Storage(copy) }
    }
    /// CPT / HCPCS codes for procedures and medical-benefit drugs.
    public var procedureCodes: [ProcedureCode] {
        get { storage.fields.procedureCodes }
        set { var copy = storage.fields; copy.procedureCodes = newValue; storage = Storage(copy) }
    }
    /// Related RxNorm codes that are not ingredients (Spravato SCDF/SBDF), with their status.
    public var relatedCodes: [IngredientCode] {
        get { storage.fields.relatedCodes }
        set { var copy = storage.fields; copy.relatedCodes = newValue; storage = Storage(copy) }
    }
    public var notes: String? {
        get { storage.fields.notes }
        set { var copy = storage.fields; copy.notes = newValue; storage = Storage(copy) }
    }

    public init(id: String, name: String, brands: [String] = [], aliases: [String] = [], kind: Kind,
                ingredients: [IngredientCode] = [], components: [String] = [], productOf: String? = nil,
                drugClass: DrugClass, countsAsAntidepressant: Bool, properties: Set<DrugProperty> = [],
                benefit: Benefit = .pharmacy, route: Route = .oral, minTrdMgPerDay: Double? = nil,
                genericAvailable: Bool? = nil, trdOption: Bool = false, washoutBeforeMAOIDays: Int? = nil,
                defaultWhenDiagnosis: [String] = [],
                products: ProductFilter = ProductFilter(), procedureCodes: [ProcedureCode] = [],
                relatedCodes: [IngredientCode] = [], notes: String? = nil) {
        storage = Storage(Fields(id: id, name: name, brands: brands, aliases: aliases, kind: kind, ingredients: ingredients, components: components, productOf: productOf, drugClass: drugClass, countsAsAntidepressant: countsAsAntidepressant, properties: properties, benefit: benefit, route: route, minTrdMgPerDay: minTrdMgPerDay, genericAvailable: genericAvailable, trdOption: trdOption, washoutBeforeMAOIDays: washoutBeforeMAOIDays, defaultWhenDiagnosis: defaultWhenDiagnosis, products: products, procedureCodes: procedureCodes, relatedCodes: relatedCodes, notes: notes))
    }

    /// `Trintellix (vortioxetine)` for brand-led drugs, the name otherwise.
    public var displayName: String { storage.displayName }

    public func has(_ property: DrugProperty) -> Bool { storage.propertyBits & property.bit != 0 }

    public init(from decoder: any Decoder) throws { storage = Storage(try Fields(from: decoder)) }

    public func encode(to encoder: any Encoder) throws { try storage.fields.encode(to: encoder) }

    public static func == (lhs: DrugOption, rhs: DrugOption) -> Bool { lhs.storage === rhs.storage || lhs.storage.fields == rhs.storage.fields }

    public func hash(into hasher: inout Hasher) { hasher.combine(storage.fields) }
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
