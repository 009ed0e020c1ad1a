import ArgumentParser
import Foundation
import FormularyApp
import FormularyCriteria
import FormularyRecords
import FormularyStore

/// `formulary patient`: patient records in.
struct PatientCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patient",
        abstract: "Patient records in: claims and chart data from FHIR, score series and home-monitoring logs, as a profile.",
        subcommands: [Import.self]
    )

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Merge FHIR records, monitoring logs and profiles into one patient profile (YAML) to review and edit.",
            discussion: """
                PATH may be FHIR R4 JSON or XML (single resources, Bundles, NDJSON bulk exports: Blue Button 2.0 and CARIN Blue Button ExplanationOfBenefit claims, US Core MedicationDispense, MedicationRequest, MedicationStatement, Condition, Procedure, AllergyIntolerance, Observation and QuestionnaireResponse), a home-monitoring log (CSV or JSON), a patient profile (its plans, flags and requests are kept), or a folder or zip of them. The formats and the rules (fills into trials, duplicates, monitoring evidence) are in Formularies/patients/RECORDS.md.

                The profile is written to --out with mode 0600 (an existing file is kept unless --force), or to stdout. Every fact names its source file and resource; names, member ids and Medicare beneficiary identifiers are never copied. The command prints what it read, how many facts it skipped and why, and every warning (file, resource, field). NDCs map to RxCUIs through the RxNorm data in the database (`formulary import` an RxNorm release); an unmapped NDC is kept and reported. `analyze`, `precheck`, `report` and `watch add` read these files directly too.

                Exit codes: 0 written; 65 invalid input (malformed JSON or XML, no usable facts); 66 a file or the --db database does not exist; 73 --out exists.

                Examples:
                  formulary patient import Formularies/patients/records --out profile.yaml
                  formulary patient import Formularies/patients/records --label clinic-17 --json
                """)

        @Argument(help: ArgumentHelp("FHIR files, monitoring logs, profiles, folders or zip archives.", valueName: "path"))
        var paths: [String]

        @Option(help: ArgumentHelp("Where to write the profile (mode 0600); default: stdout.", valueName: "file"))
        var out: String?

        @Option(help: "The profile's id, a label for results (never a name); default: a profile input's id, else a hash.")
        var label: String?

        @Flag(help: "Replace --out when it exists.")
        var force = false

        @Option(help: ArgumentHelp("The drug reference folder (default: $FORMULARY_REFERENCE, ~/.config/formulary/reference, else the bundled reference).", valueName: "path"))
        var reference: String?

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            if let label, label.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--label must not be empty") }
        }

        func run() throws {
            // Records problems keep their own words and codes; everything else as every command reports it.
            var failure: (any Error)?
            try reportingFailures {
                do {
                    try importRecords()
                } catch let error as RecordsError {
                    failure = error
                } catch let error as PatientRecordsError {
                    failure = error
                }
            }
            switch failure {
            case let error as RecordsError:
                Terminal.error(error.localizedDescription)
                throw ExitCode(65)
            case let error as PatientRecordsError:
                Terminal.error(error.localizedDescription)
                throw ExitCode(73)
            default:
                break
            }
        }

        private func importRecords() throws {
            if let out, FileManager.default.fileExists(atPath: out), !force { throw PatientRecordsError.wouldOverwrite(path: out) }
            let referenceLocation = try DataLocations().reference(commandLine: reference)
            let drugs = try AnalysisDocuments.loadReference(at: referenceLocation)
            var database: FormularyStore?
            if FileManager.default.fileExists(atPath: store.path) {
                database = try store.openExisting()
            } else if store.db != nil {
                throw AppError.noDatabase(path: store.path)
            } else {
                Terminal.note("formulary: no database at \(store.path): NDCs are not mapped to RxCUIs (import an RxNorm release, or pass --db)")
            }
            let result = try PatientRecordsService(reference: drugs, store: database).importRecords(paths: paths, label: label)
            let yaml = result.yaml()
            if let out {
                try PatientRecordsService.write(yaml, to: out, replace: force)
            }
            if output.json {
                try Terminal.printJSON(Summary(result, out: out, profile: out == nil ? yaml : nil))
                return
            }
            if out == nil {
                // The profile is the output; what goes to stderr says what happened without the
                // findings' drugs, dates and scores (they are notes in the profile).
                FileHandle.standardOutput.write(Data(yaml.utf8))
                for line in Self.summary(result, out: nil, findings: false) { Terminal.note(line) }
            } else {
                print(Self.summary(result, out: out, findings: true).joined(separator: "\n"))
            }
        }

        /// What the import read, kept, skipped and warned about: counts, file names, resource ids, fields.
        static func summary(_ result: RecordsImport, out: String?, findings: Bool) -> [String] {
            var lines: [String] = []
            let facts = result.counts.values.reduce(0, +)
            lines.append("Imported \(result.files.count) file\(result.files.count == 1 ? "" : "s") into profile \(result.profile.id)"
                + (out.map { " (written to \($0), mode 0600)" } ?? "") + ": \(facts) fact\(facts == 1 ? "" : "s").")
            for (name, count) in result.counts.sorted(by: { $0.key < $1.key }) { lines.append("  \(name): \(count)") }
            lines.append("Files:")
            for file in result.files {
                switch file.status {
                case .read(let kind, let items):
                    lines.append("  \(file.name): \(kind), \(items) item\(items == 1 ? "" : "s"), \(file.facts) fact\(file.facts == 1 ? "" : "s") used")
                case .refused(let reason):
                    lines.append("  \(file.name): not read: \(reason)")
                }
            }
            let skipped = result.skippedCount
            lines.append("Skipped \(skipped) fact\(skipped == 1 ? "" : "s")" + (skipped == 0 ? "." : ":"))
            for (reason, count) in result.skipped.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) { lines.append("  \(count) \(reason)") }
            lines.append("Warnings: \(result.warnings.count)" + (result.warnings.isEmpty ? "" : " (each fact skipped or marked uncertain)"))
            for warning in result.warnings { lines.append("  \(warning)") }
            if !result.findings.isEmpty, findings {
                lines.append("Findings:")
                for finding in result.findings { lines.append("  \(finding)") }
            } else if !result.findings.isEmpty {
                lines.append("Findings: \(result.findings.count), written as notes in the profile")
            }
            return lines
        }

        struct Summary: Encodable {
            struct File: Encodable { var name: String; var status: String; var kind: String?; var items: Int?; var reason: String?; var facts: Int }
            struct Warning: Encodable { var file: String; var resource: String; var field: String; var message: String }
            var profileId: String
            var out: String?
            var counts: [String: Int]
            var files: [File]
            var skipped: [String: Int]
            var skippedTotal: Int
            var warnings: [Warning]
            var findings: [String]
            var profile: String?

            init(_ result: RecordsImport, out: String?, profile: String?) {
                profileId = result.profile.id
                self.out = out
                counts = result.counts
                files = result.files.map { file in
                    switch file.status {
                    case .read(let kind, let items): File(name: file.name, status: "read", kind: kind, items: items, facts: file.facts)
                    case .refused(let reason): File(name: file.name, status: "refused", reason: reason, facts: file.facts)
                    }
                }
                skipped = result.skipped
                skippedTotal = result.skippedCount
                warnings = result.warnings.map { Warning(file: $0.file, resource: $0.resource, field: $0.field, message: $0.message) }
                findings = result.findings
                self.profile = profile
            }
        }
    }
}
