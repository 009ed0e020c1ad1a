import Foundation
import FormularyModel

/// The one table that gives a tier *name* its meaning, shared by the QHP importer
/// (`GENERIC`, `NON-PREFERRED-BRAND`) and the FHIR importer (`generic`, `zero-cost-share-preventative`).
///
/// Tier names are issuer-defined strings, so the category always comes from this explicit table,
/// never from guessing. Lookups ignore case and treat `_`, spaces and `-` alike, because the
/// sources disagree (QHP upper-case kebab, FHIR lower-case kebab, hand-made files with underscores).
/// Names the table does not know return `nil`: the importer then records `.unknown` and a warning.
public enum TierNameMapping {
    /// Normalized name → category. Variants seen in the wild sit next to the spec spelling.
    public static let categories: [String: TierCategory] = [
        "GENERIC": .generic,
        "PREFERRED-GENERIC": .preferredGeneric,
        "NON-PREFERRED-GENERIC": .nonPreferredGeneric,
        "BRAND": .brand,
        "PREFERRED-BRAND": .preferredBrand,
        "NON-PREFERRED-BRAND": .nonPreferredBrand,
        "NON-PREFERRED-DRUG": .nonPreferredDrug,
        "SPECIALTY": .specialty,
        "PREFERRED-SPECIALTY": .specialty,
        "NON-PREFERRED-SPECIALTY": .specialty,
        // HL7's QHP converter maps this non-standard name to SPECIALTY.
        "NON-PREFERRED-BRAND-SPECIALTY": .specialty,
        // QHP spells "preventive", the FHIR IG "preventative".
        "ZERO-COST-SHARE-PREVENTIVE": .zeroCostPreventive,
        "ZERO-COST-SHARE-PREVENTATIVE": .zeroCostPreventive,
        // QHP's MEDICAL-SERVICE, FHIR's medical-service, and the non-standard MEDICAL-BENEFIT.
        "MEDICAL-SERVICE": .medicalBenefit,
        "MEDICAL-BENEFIT": .medicalBenefit,
        // FHIR STU 2.1 added these two; QHP issuers use them too.
        "PREFERRED": .preferred,
        "NON-PREFERRED": .nonPreferred,
    ]

    /// The category of a tier name, or nil when the table does not know it.
    public static func category(for name: String) -> TierCategory? {
        categories[normalizedKey(name)]
    }

    /// Upper case, trimmed, with runs of `_`, `-` and spaces as one `-`, and `NONPREFERRED` split.
    public static func normalizedKey(_ name: String) -> String {
        var key = ""
        var pendingDash = false
        for scalar in name.uppercased().unicodeScalars {
            if scalar == "-" || scalar == "_" || scalar == " " || scalar == "\t" {
                pendingDash = !key.isEmpty
                continue
            }
            if pendingDash {
                key.append("-")
                pendingDash = false
            }
            key.unicodeScalars.append(scalar)
        }
        return key.replacingNonPreferred()
    }
}

extension String {
    /// `NONPREFERRED-BRAND` → `NON-PREFERRED-BRAND`.
    fileprivate func replacingNonPreferred() -> String {
        guard let range = range(of: "NONPREFERRED") else { return self }
        return replacingCharacters(in: range, with: "NON-PREFERRED")
    }
}
