/// Whose criteria a verdict rests on. A person must never mistake typical criteria for their
/// plan's, so every verdict carries this.
public enum CriteriaBasis: String, Hashable, Codable, Sendable {
    /// The plan's own criteria file.
    case planSpecific = "plan-specific"
    /// The default TRD set: "typical criteria, not this plan's".
    case typical
    /// No criteria at all: the formulary's PA/ST flag is all that is known ("criteria unknown: flag only").
    case flagOnly = "flag-only"
    /// No UM applies.
    case none

    public var note: String? {
        switch self {
        case .typical: "typical criteria, not this plan's"
        case .flagOnly: "criteria unknown: flag only"
        default: nil
        }
    }
}
