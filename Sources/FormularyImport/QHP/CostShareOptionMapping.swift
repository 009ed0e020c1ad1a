import Foundation
import FormularyModel

/// Reads a cost-share option (QHP `copay_opt`/`coinsurance_opt`, FHIR CostShareOption codes) as a
/// `CostShareQualifier`, and says what it implies for the deductible.
///
/// Shared with the FHIR importer because the IG adopted the QHP codes verbatim and added four.
public enum CostShareOptionMapping {
    public static let qualifiers: [String: CostShareQualifier] = [
        "AFTER-DEDUCTIBLE": .afterDeductible,
        "BEFORE-DEDUCTIBLE": .beforeDeductible,
        "NO-CHARGE": .noCharge,
        "NO-CHARGE-AFTER-DEDUCTIBLE": .noChargeAfterDeductible,
        "CHARGE": .charge,
        "DEDUCTIBLE-WAIVED": .deductibleWaived,
        "COINSURANCE-NOT-APPLICABLE": .notApplicable,
        "COPAY-NOT-APPLICABLE": .notApplicable,
    ]

    /// The qualifier for a code in any case, with `-` or `_`; nil when unknown.
    public static func qualifier(for code: String) -> CostShareQualifier? {
        qualifiers[code.uppercased().replacingOccurrences(of: "_", with: "-").trimmingCharacters(in: .whitespaces)]
    }

    /// Whether the member meets the deductible before this cost share applies: true for the
    /// after-deductible options, false where the cost share applies first or nothing is charged
    /// before the deductible, nil where the option does not say.
    public static func deductibleApplies(_ qualifier: CostShareQualifier?) -> Bool? {
        switch qualifier {
        case .afterDeductible, .noChargeAfterDeductible: true
        case .beforeDeductible, .noCharge, .deductibleWaived: false
        case .charge, .notApplicable, .unknown, nil: nil
        }
    }
}
