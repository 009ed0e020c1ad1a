import FormularyModel

/// A pharmacy fill: what PBM step edits see (unless it was paid in cash). The NDC's labeler is
/// what reveals a generic manufacturer switch under an unchanged RxCUI.
public struct PharmacyClaim: Hashable, Codable, Sendable {
    /// Who paid: insurance claims are visible to the plan; cash (discount-card) fills are not.
    public enum Payer: String, Hashable, Codable, Sendable { case insurance, cash }

    public var fillDate: Day
    public var rxcui: RxCUI?
    public var ndc: NDC?
    /// The drug as written (`escitalopram`, `bupropion XL 300 mg`), when there is no code or as well.
    public var drug: String?
    public var daysSupply: Int
    public var quantity: Double?
    public var mgPerDay: Double?
    public var payer: Payer
    /// Filled under a previous plan: real, but not in this plan's claims history.
    public var previousPlan: Bool
    public var note: String?
    /// The records it was imported from (`source:`), empty for a fact typed by hand.
    public var sources: [FactSource]
    public var ref: String

    public init(fillDate: Day, rxcui: RxCUI? = nil, ndc: NDC? = nil, drug: String? = nil, daysSupply: Int, quantity: Double? = nil,
                mgPerDay: Double? = nil, payer: Payer = .insurance, previousPlan: Bool = false, note: String? = nil,
                sources: [FactSource] = [], ref: String = "") {
        self.fillDate = fillDate
        self.rxcui = rxcui
        self.ndc = ndc
        self.drug = drug
        self.daysSupply = daysSupply
        self.quantity = quantity
        self.mgPerDay = mgPerDay
        self.payer = payer
        self.previousPlan = previousPlan
        self.note = note
        self.sources = sources
        self.ref = ref
    }

    /// The last day the fill covers: fill date + days' supply − 1 (§5.0 rule 1).
    public var coverageEnd: Day { fillDate + (max(daysSupply, 1) - 1) }

    /// The NDC labeler (first five digits), when an NDC is known.
    public var labeler: String? { ndc?.labeler }
}
