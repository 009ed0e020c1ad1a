import Foundation
import FormularyCriteria

/// A fact skipped or marked uncertain, and where: the file, the resource (or line) and the field.
public struct RecordWarning: Hashable, Sendable, CustomStringConvertible {
    public var file: String
    /// `ExplanationOfBenefit/pde-89`, `MedicationDispense (record 1)`, `line 4`.
    public var resource: String
    /// The field inside it (`item[0].productOrService.coding[0].code`, `supportingInfo(dayssupply)`),
    /// empty when the warning is about the whole resource.
    public var field: String
    public var message: String

    public init(file: String, resource: String, field: String, message: String) {
        self.file = file
        self.resource = resource
        self.field = field
        self.message = message
    }

    public var description: String {
        "\(file): \(resource)" + (field.isEmpty ? "" : " \(field)") + ": \(message)"
    }
}

/// What happened to one input file.
public struct RecordFile: Hashable, Sendable {
    public enum Status: Hashable, Sendable {
        /// Read: what it was (`FHIR JSON Bundle (searchset)`, `monitoring log (CSV)`, `patient profile`)
        /// and how many resources or entries it held.
        case read(kind: String, items: Int)
        /// Not read, and why (`FHIR Shorthand (FSH) source, not a FHIR instance: …`).
        case refused(reason: String)
    }

    public var name: String
    public var status: Status
    /// Facts this file contributed.
    public var facts: Int

    public init(name: String, status: Status, facts: Int = 0) {
        self.name = name
        self.status = status
        self.facts = facts
    }
}

/// The result of an import: the merged profile, and every word about what was not taken as is.
public struct RecordsImport: Sendable {
    /// The merged profile. `ref`s are the places `yaml()` writes each fact at (`claims[3]`).
    public var profile: PatientProfile
    public var files: [RecordFile]
    /// Facts in the profile, by kind (`pharmacy fills`, `trials`, `scores`, …).
    public var counts: [String: Int]
    /// Facts skipped, by reason (`diagnosis codes the analysis does not use`: 12).
    public var skipped: [String: Int]
    /// Every fact skipped or marked uncertain for a problem with the input, with file, resource and field.
    public var warnings: [RecordWarning]
    /// What the records show together: a score rise after a labeler switch, intolerance or
    /// response from monitoring, trials whose response needs documentation.
    public var findings: [String]

    /// The profile in the documented YAML format, with a header a person reads first.
    public func yaml() -> String {
        var header = [
            "Patient profile imported by `formulary patient import` (Formularies/patients/README.md, RECORDS.md).",
            "Review it before use: every fact names its source file and resource; notes say what is uncertain.",
        ]
        let total = skipped.values.reduce(0, +)
        if total > 0 || !warnings.isEmpty {
            header.append("\(total) fact\(total == 1 ? "" : "s") skipped, \(warnings.count) warning\(warnings.count == 1 ? "" : "s"): see the import's output.")
        }
        return PatientProfileWriter.yaml(profile, header: header)
    }

    /// Total facts skipped.
    public var skippedCount: Int { skipped.values.reduce(0, +) }
}

/// Why an import produced no profile.
public enum RecordsError: Error, Sendable, Equatable {
    /// Nothing in the inputs is a fact the analysis can use; `files` says what each file was.
    case noFacts(files: [RecordFile], reasons: [String])
    /// A file is not FHIR, a monitoring log or a profile (a single input refused).
    case refused(file: String, reason: String)
    /// A monitoring log or an embedded profile is invalid: each problem names the file, line and field.
    case invalidLog(problems: [String])
}

extension RecordsError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case .noFacts(let files, let reasons):
            let what = files.map { file -> String in
                switch file.status {
                case .read(let kind, let items): "\(file.name) (\(kind), \(items) item\(items == 1 ? "" : "s"))"
                case .refused(let reason): "\(file.name) (refused: \(reason))"
                }
            }.joined(separator: "; ")
            let why = reasons.isEmpty ? "" : "; " + reasons.joined(separator: "; ")
            return "no patient facts the analysis can use in \(what)\(why); nothing was written"
        case .refused(let file, let reason):
            return "cannot import \(file): \(reason); nothing was written"
        case .invalidLog(let problems):
            let listed = problems.prefix(20).map { "  " + $0 }
            return (["invalid input; nothing was written:"] + listed + (problems.count > 20 ? ["  … and \(problems.count - 20) more"] : []))
                .joined(separator: "\n")
        }
    }
}
