import FormularyModel

/// Reads a PayerInsurancePlan's `type` (Plan-Net `InsuranceProductTypeCS`) as the plan's market.
///
/// Only product types that carry a drug benefit the model knows get a market of their own:
/// Medicare Advantage and Part D plans are `.medicarePartD` (the model's Part D market includes MA-PD
/// plans), QHPs `.marketplace`, commercial products `.commercial`, Medicaid `.medicaid`. Everything
/// else (Medicare A/B, dental, vision, TRICARE, VA, FEP, IHS, a code from another system) is `.other`
/// rather than a guess.
enum FHIRMarketMapping {
    static let markets: [String: Market] = [
        "mediadv": .medicarePartD, "mediadvhmo": .medicarePartD, "medid": .medicarePartD,
        "qhp": .marketplace,
        "commppo": .commercial, "commhmo": .commercial, "commepo": .commercial, "commpos": .commercial, "commhdhp": .commercial,
        "medi": .medicaid, "medihmo": .medicaid,
    ]

    /// The market of a product type code; nil when the code is not one the table knows.
    static func market(for code: String) -> Market? {
        markets[code.lowercased()]
    }
}
