import Foundation

/// The error of the documents layer (criteria, patient profiles, drug reference): every case
/// says which file, and for content problems each issue names line, rule and field.
public enum DocumentError: Error, Hashable, Sendable {
    /// The file could not be read at all.
    case unreadable(file: String, reason: String)
    /// The document was read but is invalid; every problem found is listed (not just the first).
    case invalid(file: String, issues: [DocumentIssue])
    /// A criteria version id that no loaded criteria document defines.
    case unknownVersion(String, known: [String])
    /// A drug or option name the drug reference does not know.
    case unknownOption(String)
}

extension DocumentError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case let .unreadable(file, reason):
            return "cannot read \(file): \(reason)"
        case let .invalid(file, issues):
            let shown = issues.prefix(20).map { "  " + $0.description }
            var text = "\(file): \(issues.count) problem\(issues.count == 1 ? "" : "s")\n" + shown.joined(separator: "\n")
            if issues.count > 20 { text += "\n  … and \(issues.count - 20) more" }
            return text
        case let .unknownVersion(id, known):
            return "no criteria version \"\(id)\"; known versions: \(known.joined(separator: ", "))"
        case let .unknownOption(name):
            return "\"\(name)\" is not a drug, brand or procedure the drug reference knows"
        }
    }
}
