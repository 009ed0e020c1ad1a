/// The one place that recognizes Da Vinci US Drug Formulary URLs: extensions, code systems and
/// profiles, in every spelling the published versions use.
///
/// The IG's canonical base changed case (`Davinci-drug-formulary` in 1.0.0, `davinci-drug-formulary`
/// after), code systems gained and lost a `-TEMPORARY-TRIAL-USE` suffix between the package and the
/// reference implementation, and STU1 named the pharmacy benefit code system `PharmacyTypeCS`. So a
/// URL is matched deliberately by its last path segment, case-insensitively, without the suffix, and
/// only under a `…/davinci-drug-formulary/StructureDefinition/` or `…/CodeSystem/` path. Lookups
/// are cached per distinct URL: a file repeats a handful of URLs millions of times.
struct FHIRCanonical {
    /// Extensions the importer knows: read, or deliberately ignored (never reported as unknown).
    enum Extension: String, CaseIterable, Sendable {
        case formularyReference = "usdf-formularyreference-extension"
        case availabilityStatus = "usdf-availabilitystatus-extension"
        case availabilityPeriod = "usdf-availabilityperiod-extension"
        case pharmacyBenefitType = "usdf-pharmacybenefittype-extension"
        case drugTierID = "usdf-drugtierid-extension"
        case priorAuthorization = "usdf-priorauthorization-extension"
        case priorAuthorizationNewStartsOnly = "usdf-priorauthorizationnewstartsonly-extension"
        case stepTherapyLimit = "usdf-steptherapylimit-extension"
        case stepTherapyLimitNewStartsOnly = "usdf-steptherapylimitnewstartsonly-extension"
        case quantityLimit = "usdf-quantitylimit-extension"
        case quantityLimitDetail = "usdf-quantitylimitdetail-extension"
        case additionalCoverageInformation = "usdf-additionalcoverageinformation-extension"
        // STU1
        case planID = "usdf-planid-extension"
        case drugTierDefinition = "usdf-drugtierdefinition-extension"
        case mailOrder = "usdf-mailorder-extension"
        case drugAlternatives = "usdf-drugalternatives-extension"
        case network = "usdf-network-extension"
        case summaryURL = "usdf-summaryurl-extension"
        case formularyURL = "usdf-formularyurl-extension"
        case marketingURL = "usdf-marketingurl-extension"
        case emailPlanContact = "usdf-emailplancontact-extension"
        case planIDType = "usdf-planidtype-extension"
    }

    /// Code systems whose codes the importer interprets.
    enum CodeSystem: Sendable {
        case drugTier
        /// 2.x `PharmacyBenefitTypeCS` and STU1 `PharmacyTypeCS`: the same codes.
        case pharmacyBenefitType
        case benefitCostType
        /// 2.x `CostShareOptionCS` and STU1 `CopayOptionCS` / `CoinsuranceOptionCS`.
        case costShareOption
        case insuranceItemType
        case rxNorm
        /// Plan-Net `InsuranceProductTypeCS` (`mediadv`, `commppo`, `qhp`, …).
        case insuranceProductType
        /// HL7 v3 ActCode (`DRUGPOL`).
        case actCode
    }

    /// Profiles that decide what a resource is.
    enum Profile: String, Sendable {
        case formularyItem = "usdf-formularyitem"
        case formularyDrug = "usdf-formularydrug"
        case payerInsurancePlan = "usdf-payerinsuranceplan"
        case formulary = "usdf-formulary"
        case coveragePlan = "usdf-coverageplan"
    }

    private static let codeSystems: [String: CodeSystem] = [
        "usdf-drugtiercs": .drugTier,
        "usdf-pharmacybenefittypecs": .pharmacyBenefitType,
        "usdf-pharmacytypecs": .pharmacyBenefitType,
        "usdf-benefitcosttypecs": .benefitCostType,
        "usdf-costshareoptioncs": .costShareOption,
        "usdf-copayoptioncs": .costShareOption,
        "usdf-coinsuranceoptioncs": .costShareOption,
        "usdf-insuranceitemtypecs": .insuranceItemType,
    ]

    private var extensions: [String: Extension?] = [:]
    private var systems: [String: CodeSystem?] = [:]

    /// The known extension `url` names, or nil for one the importer does not know.
    mutating func extensionKind(_ url: String) -> Extension? {
        if let cached = extensions[url] { return cached }
        let kind = Self.igName(url, kind: "structuredefinition").flatMap(Extension.init(rawValue:))
        extensions[url] = kind
        return kind
    }

    /// The code system `system` names, or nil.
    mutating func codeSystem(_ system: String?) -> CodeSystem? {
        guard let system else { return nil }
        if let cached = systems[system] { return cached }
        let lower = system.lowercased()
        let kind: CodeSystem?
        if lower == "http://www.nlm.nih.gov/research/umls/rxnorm" {
            kind = .rxNorm
        } else if lower.hasSuffix("/codesystem/insuranceproducttypecs") {
            kind = .insuranceProductType
        } else if lower.hasSuffix("/codesystem/v3-actcode") {
            kind = .actCode
        } else {
            kind = Self.igName(system, kind: "codesystem").flatMap { Self.codeSystems[$0] }
        }
        systems[system] = kind
        return kind
    }

    /// The profile a `meta.profile` canonical names (a version after `|` is ignored).
    static func profile(_ canonical: String) -> Profile? {
        let url = canonical.split(separator: "|", maxSplits: 1).first.map(String.init) ?? canonical
        return igName(url, kind: "structuredefinition").flatMap(Profile.init(rawValue:))
    }

    /// The last path segment of an IG URL, lower-cased, without `-temporary-trial-use`; nil when
    /// the URL is not under the IG's `StructureDefinition/` or `CodeSystem/` path.
    static func igName(_ url: String, kind: String) -> String? {
        let lower = Array(url.lowercased().utf8)
        let marker = Array("davinci-drug-formulary/\(kind)/".utf8)
        guard lower.count > marker.count,
              (0...(lower.count - marker.count)).contains(where: { lower[$0..<$0 + marker.count].elementsEqual(marker) }),
              let slash = lower.lastIndex(of: UInt8(ascii: "/"))
        else { return nil }
        var name = lower[(slash + 1)...]
        let suffix = Array("-temporary-trial-use".utf8)
        if name.count >= suffix.count, name.suffix(suffix.count).elementsEqual(suffix) { name = name.dropLast(suffix.count) }
        return name.isEmpty ? nil : String(decoding: name, as: UTF8.self)
    }
}
