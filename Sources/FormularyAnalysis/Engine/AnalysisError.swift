import Foundation

/// The analysis layer's error: inputs that make an analysis impossible (as opposed to answers
/// such as NOT_COVERED, which are results).
public enum AnalysisError: Error, Hashable, Sendable {
    /// An option name the drug reference does not know.
    case unknownOption(String)
    /// Neither the request nor the patient names a plan.
    case noPlan
    /// The coverage provider failed (database error); the message says how.
    case coverageUnavailable(plan: String, reason: String)
}

extension AnalysisError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case .unknownOption(let name):
            "\"\(name)\" is not a drug, brand or procedure the drug reference knows (try a generic name, a brand such as Trintellix, TMS or ECT)"
        case .noPlan:
            "no plan to analyze: pass --plan, or list plans in the patient file"
        case let .coverageUnavailable(plan, reason):
            "cannot read coverage for plan \(plan): \(reason)"
        }
    }
}
