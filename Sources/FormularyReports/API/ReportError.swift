import Foundation

/// What can stop a report from being rendered or written. Answers such as "not covered" are
/// content, never errors.
public enum ReportError: Error, Hashable, Sendable {
    /// The analysis has no plan with this id.
    case planNotFound(String, available: [String])
    /// The plan's analysis has no option with this id, name or brand.
    case optionNotFound(String, plan: String, available: [String])
    /// The analysis holds no plan at all.
    case noPlans
    /// The analysis was written under a major schema version these renderers do not read.
    case unsupportedSchema(found: String, supported: String)
    /// The output folder or file could not be created or written.
    case cannotWrite(path: String, reason: String)
    /// The JSON encoder failed (it should not: every value is encodable).
    case encodingFailed(String)
}

extension ReportError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case let .planNotFound(plan, available):
            "the analysis has no plan \"\(plan)\"; it has \(available.isEmpty ? "none" : available.joined(separator: ", "))"
        case let .optionNotFound(option, plan, available):
            "plan \(plan) has no option \"\(option)\" in the analysis; try one of \(available.joined(separator: ", "))"
        case .noPlans:
            "the analysis holds no plan, so there is nothing to report"
        case let .unsupportedSchema(found, supported):
            "the analysis uses schema \(found); these reports read schema \(supported).x"
        case let .cannotWrite(path, reason):
            "cannot write \(path): \(reason)"
        case .encodingFailed(let reason):
            "cannot encode the report JSON: \(reason)"
        }
    }
}
