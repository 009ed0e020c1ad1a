import Foundation

/// Which market a plan is sold in.
public enum Market: String, Hashable, Codable, Sendable {
    /// Medicare Part D: stand-alone PDPs and Medicare Advantage drug plans.
    case medicarePartD = "medicare-part-d"
    /// ACA marketplace qualified health plans.
    case marketplace
    case commercial
    case medicaid
    case other
}

/// A plan a person is enrolled in, with the formulary it uses.
public struct Plan: Hashable, Codable, Sendable {
    public var id: PlanID
    public var name: String?
    /// The organization that offers it (Part D contract name, QHP issuer).
    public var organizationName: String?
    public var market: Market
    public var formulary: FormularyID
    public var year: Int?
    /// Monthly premium in dollars.
    public var premiumMonthly: Decimal?
    /// Annual drug deductible in dollars.
    public var drugDeductible: Decimal?
    /// Two-letter state codes where the plan is offered (may be empty: regional or unknown).
    public var states: [String]
    /// Part D special needs plan type (`0` none, `1` chronic, `2` dual, `3` institutional).
    public var snpType: String?

    public init(
        id: PlanID, name: String?, organizationName: String? = nil, market: Market, formulary: FormularyID,
        year: Int? = nil, premiumMonthly: Decimal? = nil, drugDeductible: Decimal? = nil,
        states: [String] = [], snpType: String? = nil
    ) {
        self.id = id
        self.name = name
        self.organizationName = organizationName
        self.market = market
        self.formulary = formulary
        self.year = year
        self.premiumMonthly = premiumMonthly
        self.drugDeductible = drugDeductible
        self.states = states
        self.snpType = snpType
    }
}

/// A drug list: which drugs are covered, at which tier, under which restrictions.
public struct Formulary: Hashable, Codable, Sendable {
    public var id: FormularyID
    public var version: String?
    public var name: String?
    public var contractYear: Int?

    public init(id: FormularyID, version: String? = nil, name: String? = nil, contractYear: Int? = nil) {
        self.id = id
        self.version = version
        self.name = name
        self.contractYear = contractYear
    }
}

extension Plan {
    /// A stand-alone prescription drug plan (PDP): a Medicare Part D plan under an S contract. It
    /// covers pharmacy drugs only; Medicare Advantage drug plans (H and R contracts) also have a
    /// medical benefit.
    public var isStandAlonePDP: Bool {
        market == .medicarePartD && id.rawValue.uppercased().hasPrefix("S")
    }

    /// What a stand-alone drug plan says of a medical-benefit item (Spravato, TMS, ECT).
    public static let notPartDBenefit = "not a Part D benefit: Medicare Part B or the medical plan decides (a stand-alone drug plan covers pharmacy drugs only)"
}
