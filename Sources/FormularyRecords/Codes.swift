import FormularyCriteria
import FormularyModel

/// The code systems patient records use, by the URIs FHIR, Blue Button, CARIN and US Core write.
enum CodeSystem: Hashable, Sendable {
    case ndc, rxnorm, icd10cm, icd10pcs, icd9, snomed, loinc, cpt, hcpcs
    /// Known, never read for a fact (CVX vaccines, CDT dental codes, absent-reason placeholders, CARIN literals).
    case ignored
    case other(String)

    init(_ uri: String?) {
        guard let uri else { self = .other("(no system)"); return }
        let lower = uri.lowercased()
        switch lower {
        case "http://hl7.org/fhir/sid/ndc", "urn:oid:2.16.840.1.113883.6.69": self = .ndc
        case "http://www.nlm.nih.gov/research/umls/rxnorm", "urn:oid:2.16.840.1.113883.6.88": self = .rxnorm
        case "http://hl7.org/fhir/sid/icd-10-cm", "http://hl7.org/fhir/sid/icd-10", "http://hl7.org/fhir/sid/icd-10-us",
             "urn:oid:2.16.840.1.113883.6.90", "urn:oid:2.16.840.1.113883.6.3": self = .icd10cm
        case "http://www.cms.gov/medicare/coding/icd10", "urn:oid:2.16.840.1.113883.6.4": self = .icd10pcs
        case "http://snomed.info/sct", "urn:oid:2.16.840.1.113883.6.96": self = .snomed
        case "http://loinc.org", "urn:oid:2.16.840.1.113883.6.1": self = .loinc
        case "http://www.ama-assn.org/go/cpt", "urn:oid:2.16.840.1.113883.6.12", "http://terminology.hl7.org/codesystem/cpt": self = .cpt
        case "https://bluebutton.cms.gov/resources/codesystem/hcpcs", "https://bluebutton.cms.gov/resources/variables/hcpcs_cd",
             "https://www.cms.gov/medicare/coding/hcpcsreleasecodesets", "http://www.cms.gov/medicare/coding/hcpcsreleasecodesets",
             "urn:oid:2.16.840.1.113883.6.285", "urn:oid:2.16.840.1.113883.6.14": self = .hcpcs
        case "http://hl7.org/fhir/sid/cvx", "http://www.ada.org/cdt", "http://terminology.hl7.org/codesystem/data-absent-reason",
             "http://hl7.org/fhir/us/carin-bb/codesystem/c4bbcompoundliteral": self = .ignored
        default:
            if lower.hasPrefix("http://hl7.org/fhir/sid/icd-9") || lower == "urn:oid:2.16.840.1.113883.6.103"
                || lower == "urn:oid:2.16.840.1.113883.6.104" { self = .icd9 }
            else { self = .other(uri) }
        }
    }

    var isKnown: Bool { if case .other = self { false } else { true } }

    var name: String {
        switch self {
        case .ndc: "NDC"
        case .rxnorm: "RxNorm"
        case .icd10cm: "ICD-10-CM"
        case .icd10pcs: "ICD-10-PCS"
        case .icd9: "ICD-9-CM"
        case .snomed: "SNOMED CT"
        case .loinc: "LOINC"
        case .cpt: "CPT"
        case .hcpcs: "HCPCS"
        case .ignored: "an unused code system"
        case .other(let uri): uri
        }
    }
}

enum Codes {
    // MARK: NDC

    /// An NDC as claims write it: 11 digits, or hyphenated 4-4-2, 5-3-2 or 5-4-1 (padded to the
    /// 11-digit 5-4-2 form). Anything else (a 9-digit placeholder, an RxCUI under the NDC system)
    /// is nil.
    static func ndc(_ text: String) -> NDC? {
        let trimmed = text.trimmingWhitespace()
        if NDC.isWellFormed(trimmed) { return NDC(trimmed) }
        let parts = trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }) else { return nil }
        let shape = parts.map(\.count)
        guard [[4, 4, 2], [5, 3, 2], [5, 4, 1], [5, 4, 2]].contains(shape) else { return nil }
        let padded = zip(parts, [5, 4, 2]).map { String(repeating: "0", count: $1 - $0.count) + $0 }.joined()
        return NDC.isWellFormed(padded) ? NDC(padded) : nil
    }

    // MARK: ICD-10-CM

    /// `F332` → `F33.2`; `f33.2` → `F33.2`. Nil when it is not shaped like an ICD-10-CM code.
    static func icd10(_ text: String) -> String? {
        let compact = text.trimmingWhitespace().uppercased().filter { $0 != "." }
        guard (3...7).contains(compact.count), let first = compact.first, first.isLetter, first.isASCII,
              compact.dropFirst().first?.isNumber == true, compact.allSatisfy({ ($0.isLetter || $0.isNumber) && $0.isASCII }) else { return nil }
        return compact.count == 3 ? compact : String(compact.prefix(3)) + "." + String(compact.dropFirst(3))
    }

    /// Depression diagnoses the analysis reads (its episode rules key on F32, F33, F53).
    static func isDepression(_ icd10: String) -> Bool {
        ["F32", "F33", "F53"].contains(String(icd10.prefix(3)))
    }

    /// Pregnancy codes: the analysis reads any of them as a current pregnancy.
    static func isPregnancy(_ icd10: String) -> Bool {
        icd10.hasPrefix("O") || icd10.hasPrefix("Z33")
    }

    /// Codes that mean a delivery on the claim's date (an outcome of delivery, a delivery encounter).
    static func isDelivery(_ icd10: String) -> Bool {
        icd10.hasPrefix("Z37") || icd10.hasPrefix("O80")
    }

    /// Safety conditions an ICD-10-CM code implies beyond the analysis's own mapping
    /// (`ClinicalCondition.implied`): psychotic disorders and substance use disorders (not nicotine).
    static func extraConditions(icd10: String) -> [ClinicalCondition] {
        let head = String(icd10.prefix(3))
        if ("F20"..."F29").contains(head) { return [.psychosis] }
        if ("F10"..."F19").contains(head), head != "F17" { return [.substanceUseDisorder] }
        return []
    }

    // MARK: SNOMED CT

    /// Depression concepts and the ICD-10-CM code written for them (the analysis reads ICD-10).
    static let snomedDepression: [String: (icd10: String, meaning: String)] = [
        "370143000": ("F32.9", "major depressive disorder"),
        "36923009": ("F32.9", "major depression, single episode"),
        "66344007": ("F33.9", "recurrent major depression"),
        "35489007": ("F32.A", "depressive disorder"),
        "58703003": ("F53.0", "postpartum depression"),
    ]

    /// Safety-relevant concepts.
    static let snomedConditions: [String: (condition: ClinicalCondition, meaning: String)] = [
        "84757009": (.seizureDisorder, "epilepsy"),
        "91175000": (.seizureDisorder, "seizure"),
        "13746004": (.bipolarDisorder, "bipolar disorder"),
        "72366004": (.eatingDisorder, "eating disorder"),
        "56882008": (.eatingDisorder, "anorexia nervosa"),
        "78004001": (.eatingDisorder, "bulimia nervosa"),
        "69322001": (.psychosis, "psychotic disorder"),
        "5602001": (.substanceUseDisorder, "opioid abuse"),
        "7200002": (.substanceUseDisorder, "alcoholism"),
        "66590003": (.substanceUseDisorder, "alcohol dependence"),
        "77386006": (.pregnancy, "pregnancy"),
        "72892002": (.pregnancy, "normal pregnancy"),
        "9651007": (.qtProlongation, "long QT syndrome"),
        "432119003": (.aneurysmalVascularDisease, "aneurysm"),
    ]

    // MARK: Procedures

    /// The profile's procedure type for a CPT or HCPCS code: TMS 90867–90869, ECT 90870,
    /// esketamine administration and observation G2082/G2083 (and its drug codes S0013/J0013),
    /// psychotherapy 90832–90837 and 90853. Other codes are not read.
    static func procedureType(cptOrHCPCS code: String) -> String? {
        switch code.trimmingWhitespace().uppercased() {
        case "90867", "90868", "90869": "TMS"
        case "90870": "ECT"
        case "G2082", "G2083", "S0013", "J0013": "esketamine"
        case "90832", "90833", "90834", "90836", "90837", "90853": "psychotherapy"
        default: nil
        }
    }

    /// Delivery codes on a Procedure or a claim line: obstetric care with delivery (CPT 59400–59622).
    static func isDeliveryProcedure(cpt code: String) -> Bool {
        guard let number = Int(code.trimmingWhitespace()) else { return false }
        return (59400...59622).contains(number)
    }

    /// SNOMED CT procedures: cognitive behavioural therapy, electroconvulsive therapy, delivery.
    static let snomedProcedures: [String: String] = ["228557008": "CBT", "23835007": "ECT", "236973005": "delivery"]

    /// The procedure type a description names (`Cognitive behavioral therapy`, `rTMS session`).
    static func procedureType(text: String) -> String? {
        let lower = " " + text.lowercased() + " "
        let words = lower.map { $0.isLetter || $0.isNumber ? $0 : " " }
        let padded = String(words)
        func has(_ word: String) -> Bool { padded.contains(" \(word) ") }
        if lower.contains("cognitive behavio") || lower.contains("cognitive-behavio") || has("cbt") { return "CBT" }
        if lower.contains("interpersonal psychotherapy") || lower.contains("interpersonal therapy") || has("ipt") { return "IPT" }
        if lower.contains("dialectical behavio") || has("dbt") { return "DBT" }
        if lower.contains("transcranial magnetic") || has("tms") || has("rtms") { return "TMS" }
        if lower.contains("electroconvulsive") || has("ect") { return "ECT" }
        if lower.contains("esketamine") || lower.contains("spravato") { return "esketamine" }
        if lower.contains("psychotherapy") { return "psychotherapy" }
        return nil
    }

    // MARK: Scores (LOINC)

    /// Total-score LOINC codes and the scale the profile names.
    static let loincTotals: [String: String] = [
        "44261-6": "PHQ-9", "55758-7": "PHQ-2", "70274-6": "GAD-7",
    ]

    /// The PHQ-9 panel and its nine scored items (the difficulty question 69722-7 is not scored).
    static let phq9Panel = "44249-1"
    static let phq9Items: Set<String> = ["44250-9", "44251-7", "44252-5", "44253-3", "44254-1", "44255-8", "44258-2", "44259-0", "44260-8"]

    /// LOINC answer codes of the PHQ and GAD frequency scale: not at all 0 … nearly every day 3.
    static let answerScores: [String: Double] = ["LA6568-5": 0, "LA6569-3": 1, "LA6570-1": 2, "LA6571-9": 3]

    /// The scale a code's text names, when it has no LOINC code (`MADRS total score`).
    static func scale(text: String) -> String? {
        let key = text.lowercased().filter { $0.isLetter || $0.isNumber }
        if key.contains("phq9") || key.contains("patienthealthquestionnaire9") { return "PHQ-9" }
        if key.contains("phq2") { return "PHQ-2" }
        if key.contains("gad7") { return "GAD-7" }
        if key.contains("madrs") || key.contains("montgomery") { return "MADRS" }
        if key.contains("hamd") || key.contains("hamilton") || key.contains("hdrs") || key.contains("hrsd") { return "HAM-D" }
        if key.contains("bdi") || key.contains("beckdepression") { return "BDI" }
        if key.contains("qids") { return "QIDS" }
        return nil
    }

    /// The instrument names a monitoring log may use, as the profile writes them.
    static func instrument(_ text: String) -> String? {
        scale(text: text)
    }

    // MARK: Places

    /// A two-letter state code from a code or a full name (`Massachusetts` → `MA`).
    static func state(_ text: String) -> String? {
        let trimmed = text.trimmingWhitespace()
        if trimmed.count == 2, trimmed.allSatisfy({ $0.isLetter && $0.isASCII }) { return trimmed.uppercased() }
        return stateNames[trimmed.lowercased()]
    }

    static let stateNames: [String: String] = [
        "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO", "connecticut": "CT",
        "delaware": "DE", "district of columbia": "DC", "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID", "illinois": "IL",
        "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD",
        "massachusetts": "MA", "michigan": "MI", "minnesota": "MN", "mississippi": "MS", "missouri": "MO", "montana": "MT",
        "nebraska": "NE", "nevada": "NV", "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY",
        "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
        "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN", "texas": "TX", "utah": "UT",
        "vermont": "VT", "virginia": "VA", "washington": "WA", "west virginia": "WV", "wisconsin": "WI", "wyoming": "WY",
        "puerto rico": "PR", "guam": "GU", "virgin islands": "VI", "american samoa": "AS", "northern mariana islands": "MP",
    ]
}

extension String {
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}
