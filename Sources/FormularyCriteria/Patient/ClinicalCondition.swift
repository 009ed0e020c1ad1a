/// A condition the safety rules (DOMAIN.md §3) key on. Some are also derived from ICD-10 codes
/// (G40 → seizure disorder, I71.4 → aneurysm, Q28.2 → AVM, I61 → intracerebral hemorrhage,
/// F50 → eating disorder).
public enum ClinicalCondition: String, Hashable, Codable, Sendable, CaseIterable {
    case seizureDisorder = "seizure-disorder"
    case eatingDisorder = "eating-disorder"
    /// Abrupt withdrawal of alcohol, benzodiazepines, barbiturates or antiepileptics (S5).
    case abruptSedativeWithdrawal = "abrupt-sedative-withdrawal"
    case aneurysmalVascularDisease = "aneurysmal-vascular-disease"
    case arteriovenousMalformation = "arteriovenous-malformation"
    case intracerebralHemorrhage = "intracerebral-hemorrhage"
    /// A magnetic-sensitive implant or metal within 30 cm of the TMS coil (S14).
    case headImplant = "head-implant"
    case qtProlongation = "qt-prolongation"
    case congenitalLongQT = "congenital-long-qt"
    case hepaticImpairment = "hepatic-impairment"
    case severeHepaticImpairment = "severe-hepatic-impairment"
    case cyp2d6PoorMetabolizer = "cyp2d6-poor-metabolizer"
    case cyp2c19PoorMetabolizer = "cyp2c19-poor-metabolizer"
    case psychosis
    case bipolarDisorder = "bipolar-disorder"
    case substanceUseDisorder = "substance-use-disorder"
    case pregnancy

    /// Reads `seizure disorder`, `seizure_disorder`, `epilepsy`, `QT`.
    public init?(text: String) {
        let key = text.lowercased().replacingSpacesWithDashes()
        if let direct = ClinicalCondition(rawValue: key) { self = direct; return }
        switch key {
        case "seizures", "seizure", "epilepsy": self = .seizureDisorder
        case "bulimia", "anorexia", "anorexia-nervosa", "bulimia-nervosa": self = .eatingDisorder
        case "aneurysm", "aortic-aneurysm", "intracranial-aneurysm": self = .aneurysmalVascularDisease
        case "avm": self = .arteriovenousMalformation
        case "ich", "brain-hemorrhage": self = .intracerebralHemorrhage
        case "implant", "implants-near-the-head", "metal-near-head", "cochlear-implant", "aneurysm-clip", "deep-brain-stimulator":
            self = .headImplant
        case "qt", "long-qt", "qtc-prolongation": self = .qtProlongation
        case "hepatic", "liver-impairment": self = .hepaticImpairment
        case "cyp2d6-pm", "cyp2d6-poor": self = .cyp2d6PoorMetabolizer
        case "cyp2c19-pm": self = .cyp2c19PoorMetabolizer
        case "bipolar": self = .bipolarDisorder
        case "sud": self = .substanceUseDisorder
        default: return nil
        }
    }

    /// The conditions an ICD-10-CM code implies.
    public static func implied(byICD10 code: String) -> [ClinicalCondition] {
        let upper = code.uppercased()
        if upper.hasPrefix("G40") { return [.seizureDisorder] }
        if upper.hasPrefix("F50") { return [.eatingDisorder] }
        if upper.hasPrefix("I71") || upper.hasPrefix("I67.1") || upper.hasPrefix("I72") { return [.aneurysmalVascularDisease] }
        if upper.hasPrefix("Q28.2") || upper.hasPrefix("Q28.3") { return [.arteriovenousMalformation] }
        if upper.hasPrefix("I61") { return [.intracerebralHemorrhage] }
        if upper.hasPrefix("I45.81") { return [.congenitalLongQT] }
        if upper.hasPrefix("F31") { return [.bipolarDisorder] }
        if upper.hasPrefix("O") || upper.hasPrefix("Z33") { return [.pregnancy] }
        return []
    }
}

extension String {
    func replacingSpacesWithDashes() -> String {
        String(map { $0 == " " || $0 == "_" ? "-" : $0 })
    }
}
