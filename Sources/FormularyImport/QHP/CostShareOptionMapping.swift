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

    /// Reads an option, noting an unknown one (read as `.unknown`) in `notes`.
    static func qualifier(_ option: String?, notes: inout ImportNotes, place: String) -> CostShareQualifier? {
        guard let option else { return nil }
        if let known = qualifier(for: option) { return known }
        notes.note("cost-sharing option \(RowProblem.quoted(option)) is not a known option; read as unknown", at: place)
        return .unknown
    }

    /// The one qualifier a cost-share row carries (the model has one per row): that of the
    /// amount in effect (non-zero and not no-charge), the copay's when both are. `conflict` is
    /// true when both are in effect with different options, so the coinsurance's was dropped.
    static func effectiveQualifier(
        copay: Decimal?, copayQualifier: CostShareQualifier?, coinsurance: Decimal?, coinsuranceQualifier: CostShareQualifier?
    ) -> (qualifier: CostShareQualifier?, conflict: Bool) {
        let copayInEffect = (copay ?? 0) > 0 && copayQualifier != .noCharge
        let coinsuranceInEffect = (coinsurance ?? 0) > 0 && coinsuranceQualifier != .noCharge
        switch (copayInEffect, coinsuranceInEffect) {
        case (true, false): return (copayQualifier, false)
        case (false, true): return (coinsuranceQualifier, false)
        case (true, true):
            let conflict = copayQualifier != nil && coinsuranceQualifier != nil && copayQualifier != coinsuranceQualifier
            return (copayQualifier ?? coinsuranceQualifier, conflict)
        case (false, false): return (copayQualifier ?? coinsuranceQualifier, false)
        }
    }
}
