import FormularyCriteria
/// The coverage verdict vocabulary (DOMAIN.md §5.0): exactly these eight words.
public enum Verdict: String, Hashable, Codable, Sendable, CaseIterable {
    case coveredNoUM = "COVERED_NO_UM"
    case coveredPAMet = "COVERED_PA_MET"
    case paNotMet = "PA_NOT_MET"
    case stMet = "ST_MET"
    case stNotMet = "ST_NOT_MET"
    case needsDocumentation = "NEEDS_DOCUMENTATION"
    case notCovered = "NOT_COVERED"
    case contraindicated = "CONTRAINDICATED"

    /// Covered today with nothing left to do (PA met, step met, or no UM).
    public var isReachableNow: Bool { self == .coveredNoUM || self == .coveredPAMet || self == .stMet }
}

/// The safety vocabulary: what a safety finding asks of the prescriber.
public enum SafetyVerdict: String, Hashable, Codable, Sendable {
    case warn = "SAFETY_WARN"
    case adjust = "SAFETY_ADJUST"
    case washout = "WASHOUT_REQUIRED"
    /// A block: the option itself becomes `CONTRAINDICATED`.
    case contraindicated = "CONTRAINDICATED"
}

/// met / unmet / unknown, plus "met, but only with documentation the plan cannot see".
public enum CriterionStatus: String, Hashable, Codable, Sendable {
    case met
    /// Met by evidence the plan's claims cannot show (cash fills, a previous plan, outside the
    /// lookback): attach receipts or chart notes.
    case needsDocumentation = "needs-documentation"
    case unmet
    case unknown
}
