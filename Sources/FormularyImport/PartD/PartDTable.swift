/// The Part D SPUF tables this importer reads, with the role, encoding and reading order each has.
enum PartDTable: String, CaseIterable, Hashable, Sendable {
    case basicFormulary = "basic drugs formulary"
    case planInformation = "plan information"
    case beneficiaryCost = "beneficiary cost"
    case insulinCost = "insulin beneficiary cost"
    case excludedDrugs = "excluded drugs formulary"
    case indicationCoverage = "indication-based coverage"

    /// The role recorded with the file in provenance.
    var role: String { rawValue }

    /// Every table is ASCII except plan information, which carries names such as "Óptimo" in Windows-1252.
    var encoding: TextEncoding {
        self == .planInformation ? .windows1252 : .ascii
    }

    /// The order tables are read in. The basic formulary comes first because it fixes the contract
    /// year (plans carry it) and the formularies; plan information comes before the cost tables
    /// so their rows for suppressed plans can be skipped.
    static let readingOrder: [PartDTable] = [
        .basicFormulary, .planInformation, .beneficiaryCost, .insulinCost, .excludedDrugs, .indicationCoverage,
    ]
}
