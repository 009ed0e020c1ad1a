import FormularyAnalysis

/// The options an open-enrollment comparison looks for in every plan: Spravato, TMS, and the
/// best-ranked augmentation agent. Chosen by option id and drug class from the analysis; the
/// rank that picks the augmentation agent is the analyzer's.
enum KeyOption: CaseIterable {
    case spravato, tms, augmentation

    var title: String {
        switch self {
        case .spravato: "Spravato (esketamine)"
        case .tms: "TMS"
        case .augmentation: "Augmentation (best-ranked add-on drug)"
        }
    }

    /// Classes the analysis uses for augmentation agents (DOMAIN.md §1b).
    static let augmentationClasses: Set<String> = ["SGA", "lithium", "thyroid"]

    func find(in plan: PlanResult) -> OptionResult? {
        switch self {
        case .spravato: plan.options.first { $0.optionID == "esketamine" }
        case .tms: plan.options.first { $0.optionID == "tms" }
        case .augmentation:
            plan.options.filter { Self.augmentationClasses.contains($0.drugClass) && $0.verdict != .notCovered && $0.verdict != .contraindicated }
                .min { $0.rank < $1.rank }
        }
    }
}
