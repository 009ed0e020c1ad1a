import Foundation

/// What the application layer refuses, in words a person can act on. Each front end maps these
/// to its own codes (the CLI's exit codes, the server's HTTP statuses).
public enum AppError: Error, Sendable, Equatable {
    /// A read needs a database that does not exist yet.
    case noDatabase(path: String)
    /// The analysis names a plan whose formulary is not imported.
    case planNotImported(plan: String)
    /// A drug name matches nothing in the drug reference or the formulary data.
    case unknownDrug(name: String, suggestions: [String])
    /// A plan id that the current data does not have.
    case unknownPlan(plan: String, suggestions: [String])
    /// `criteria init` would overwrite the user's own criteria.
    case userCriteriaExist(path: String)
}

extension AppError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case .noDatabase(let path):
            return "no database at \(path); run `formulary demo` or `formulary import` first"
        case .planNotImported(let plan):
            return "plan \(plan) is not in the formulary data: import its formulary first "
                + "(Reference Formulary A: `formulary import <data>/qhp/reference-a`; Formulary M: `formulary import <data>/partd/2026Q1`; "
                + "`formulary demo` imports both)"
        case .unknownDrug(let name, let suggestions):
            var text = "no drug named \"\(name)\" in the drug reference or the formulary data"
            if !suggestions.isEmpty { text += "; did you mean " + Self.orList(suggestions) + "?" }
            return text
        case .unknownPlan(let plan, let suggestions):
            var text = "no plan \(plan) in the current data"
            if !suggestions.isEmpty { text += "; did you mean " + Self.orList(suggestions) + "?" }
            return text + " `formulary plans --search TEXT` lists plans"
        case .userCriteriaExist(let path):
            return "\(path) already exists; edit it there, or remove it (or pass --force) to start again from the bundled criteria"
        }
    }

    static func orList(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " or " + (items.last ?? "")
    }
}
