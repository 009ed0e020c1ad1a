/// A drug as a formulary line names it. RxCUI and NDC stay text.
public struct DrugRef: Hashable, Codable, Sendable {
    public var rxcui: RxCUI?
    /// Part D gives one proxy NDC per RxCUI; it is not the dispensed NDC.
    public var ndc: NDC?
    public var name: String?

    public init(rxcui: RxCUI?, ndc: NDC? = nil, name: String? = nil) {
        self.rxcui = rxcui
        self.ndc = ndc
        self.name = name
    }
}

/// A utilization-management flag. `required == nil` means the source did not say: never `false`.
public struct UMFlag: Hashable, Codable, Sendable {
    public var required: Bool?
    /// Only new starts need it (FHIR `…NewStartsOnly`); `nil` when not stated.
    public var newStartsOnly: Bool?

    public init(required: Bool?, newStartsOnly: Bool? = nil) {
        self.required = required
        self.newStartsOnly = newStartsOnly
    }

    public static let unknown = UMFlag(required: nil)
}

/// A quantity limit: `amount` units per `days` days, and the other shapes sources use.
public struct QuantityLimit: Hashable, Codable, Sendable {
    public var required: Bool?
    public var amount: Double?
    public var days: Int?
    /// Maximum daily amount (FHIR `MaximumDaily`).
    public var maximumDaily: Double?
    public var description: String?

    public init(required: Bool?, amount: Double? = nil, days: Int? = nil, maximumDaily: Double? = nil, description: String? = nil) {
        self.required = required
        self.amount = amount
        self.days = days
        self.maximumDaily = maximumDaily
        self.description = description
    }

    public static let unknown = QuantityLimit(required: nil)
}

/// Whether and how a formulary covers a drug.
public enum CoverageStatus: String, Hashable, Codable, Sendable {
    case covered
    /// Covered as a supplemental benefit of an enhanced plan (the Part D excluded-drugs file).
    case coveredSupplemental = "covered-supplemental"
    case notCovered = "not-covered"
    case unknown
}

/// Who a formulary line applies to.
public enum EntryScope: Hashable, Codable, Sendable {
    /// Every plan that uses this formulary.
    case formulary(FormularyID)
    /// Every segment of a Part D contract-plan (`H0028-007`), as the excluded-drugs file keys it.
    case contractPlan(String)
}

/// One line of a formulary: a drug, its tier and its restrictions.
public struct FormularyEntry: Hashable, Codable, Sendable {
    public var scope: EntryScope
    public var drug: DrugRef
    /// The tier's verbatim source code.
    public var tierCode: String
    public var status: CoverageStatus
    public var priorAuthorization: UMFlag
    public var stepTherapy: UMFlag
    public var quantityLimit: QuantityLimit
    /// Part D `SELECTED_DRUG_YN`: a Medicare-negotiated drug.
    public var selectedDrug: Bool?
    /// Part D excluded-drugs `CAPPED_BENEFIT_YN`.
    public var cappedBenefit: Bool?
    /// The 1-based line (or record number) in the current source file, for provenance.
    public var sourceLine: Int?

    public init(
        scope: EntryScope, drug: DrugRef, tierCode: String, status: CoverageStatus = .covered,
        priorAuthorization: UMFlag = .unknown, stepTherapy: UMFlag = .unknown, quantityLimit: QuantityLimit = .unknown,
        selectedDrug: Bool? = nil, cappedBenefit: Bool? = nil, sourceLine: Int? = nil
    ) {
        self.scope = scope
        self.drug = drug
        self.tierCode = tierCode
        self.status = status
        self.priorAuthorization = priorAuthorization
        self.stepTherapy = stepTherapy
        self.quantityLimit = quantityLimit
        self.selectedDrug = selectedDrug
        self.cappedBenefit = cappedBenefit
        self.sourceLine = sourceLine
    }
}

/// A drug a plan covers only for listed indications (the Part D indication-based coverage file).
public struct IndicationRestriction: Hashable, Codable, Sendable {
    /// The Part D contract-plan (`H1994-001`): applies to every segment.
    public var contractPlan: String
    public var rxcui: RxCUI
    /// The disease as the source writes it (`SPONDYLITIS, ANKYLOSING`).
    public var disease: String

    public init(contractPlan: String, rxcui: RxCUI, disease: String) {
        self.contractPlan = contractPlan
        self.rxcui = rxcui
        self.disease = disease
    }
}
