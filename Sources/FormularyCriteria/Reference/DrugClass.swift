import Foundation

/// The pharmacologic class a step or PA rule means by "a different class" (DOMAIN.md §1 and
/// §5.0 "Classes"). Criteria files name classes by `rawValue` or an alias (`bupropion` → NDRI).
public enum DrugClass: String, Hashable, Codable, Sendable, CaseIterable {
    case ssri = "SSRI"
    case snri = "SNRI"
    /// Bupropion: payer lists treat it as its own class.
    case ndri = "NDRI"
    /// Mirtazapine (NaSSA / tetracyclic).
    case nassa = "NaSSA"
    /// Trazodone (SARI); counts toward TRD only at ≥150 mg/day.
    case sari = "SARI"
    case tca = "TCA"
    case maoi = "MAOI"
    /// Vilazodone, vortioxetine.
    case serotoninModulator = "serotonin-modulator"
    /// Second-generation antipsychotics used as augmentation.
    case sga = "SGA"
    case lithium
    case thyroid
    /// Esketamine, dextromethorphan, ketamine.
    case nmdaAntagonist = "NMDA-antagonist"
    /// Zuranolone: never a TRD trial.
    case neurosteroid
    /// Gepirone.
    case serotonin1AAgonist = "5-HT1A-agonist"
    case procedure
    case psychotherapy
    /// Drugs the reference knows only for interaction checks (NSAIDs, fiber, antiepileptics, …).
    case other

    /// The antidepressant classes of §5.0 rule 10: only these count for "≥N antidepressants".
    public var isAntidepressantClass: Bool {
        switch self {
        case .ssri, .snri, .ndri, .nassa, .sari, .tca, .maoi, .serotoninModulator: true
        default: false
        }
    }

    public var displayName: String {
        switch self {
        case .ssri: "SSRI"
        case .snri: "SNRI"
        case .ndri: "bupropion (NDRI)"
        case .nassa: "mirtazapine (NaSSA)"
        case .sari: "trazodone (SARI)"
        case .tca: "TCA"
        case .maoi: "MAOI"
        case .serotoninModulator: "serotonin modulator"
        case .sga: "second-generation antipsychotic"
        case .lithium: "lithium"
        case .thyroid: "thyroid hormone"
        case .nmdaAntagonist: "NMDA antagonist"
        case .neurosteroid: "neuroactive steroid"
        case .serotonin1AAgonist: "5-HT1A agonist"
        case .procedure: "procedure"
        case .psychotherapy: "psychotherapy"
        case .other: "other"
        }
    }

    /// Reads a class name as people write it: `SSRI`, `ssri`, `bupropion`, `mirtazapine`,
    /// `serotonin modulator`, `antipsychotic`. `nil` for names it does not know.
    public init?(name: String) {
        let key = name.lowercased().replacingOccurrences(of: "_", with: "-").replacingOccurrences(of: " ", with: "-")
        if let direct = DrugClass.allCases.first(where: { $0.rawValue.lowercased() == key }) {
            self = direct
            return
        }
        switch key {
        case "bupropion", "atypical-ndri": self = .ndri
        case "mirtazapine", "tetracyclic": self = .nassa
        case "trazodone": self = .sari
        case "tricyclic": self = .tca
        case "antipsychotic", "atypical-antipsychotic", "sga-antipsychotic": self = .sga
        case "thyroid-hormone", "liothyronine": self = .thyroid
        case "nmda", "nmda-antagonist": self = .nmdaAntagonist
        case "neuroactive-steroid": self = .neurosteroid
        case "5ht1a-agonist", "serotonin-1a-agonist": self = .serotonin1AAgonist
        default: return nil
        }
    }
}
