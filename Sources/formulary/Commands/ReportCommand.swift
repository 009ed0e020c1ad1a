import ArgumentParser
import Foundation
import FormularyApp
import FormularyAnalysis
import FormularyCriteria
import FormularyModel
import FormularyReports
import FormularyStore

/// `formulary report`: reports for people, written as files (HTML, Markdown, JSON) with mode
/// 0600 and named without the patient's name. The analysis is run exactly as `formulary
/// analyze` runs it (same inputs, same shared loaders), or read from a saved `analyze --json`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a coverage report, a PA pre-check sheet or a plan comparison (HTML, Markdown, JSON).",
        discussion: """
            Each report is written into --out (default ./Reports) with file mode 0600, named <kind>-<hash>[-<plan or option>]-<as-of>.<ext>. The hash stands for the patient profile, so no name reaches a file name (--label chooses a token instead). The paths are printed; nothing about the patient is logged.

            The analysis runs as `formulary analyze` runs it (--patient, --criteria, --reference, --db), or comes from a file written by `formulary analyze --json` (--analysis).

            Examples:
              formulary report coverage --patient Formularies/patients/s1-baseline.yaml
              formulary report precheck --patient Formularies/patients/s1-baseline.yaml \\
                  --plan 99990AZ0010001 --option Spravato
              formulary report compare \\
                  --patient Formularies/patients/medicare-continuing.yaml \\
                  --plans H9990-001-000,S5990-002-000 --format all
              formulary report compare \\
                  --patient Formularies/patients/medicare-continuing.yaml \\
                  --all-in-state AZ --out Reports/compare
            """,
        subcommands: [Coverage.self, Precheck.self, Compare.self]
    )

    /// A plan key as a file-name part: `99990AZ0010001 (A-2025-07)` → `99990AZ0010001-A-2025-07`.
    static func fileToken(_ key: String) -> String {
        key.replacingOccurrences(of: " (", with: "-").replacingOccurrences(of: ")", with: "")
    }

    /// The version written into every report's metadata.
    static let toolVersion = FormularyVersion.number

    // MARK: Subcommands

    /// `formulary report coverage`.
    struct Coverage: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "coverage",
            abstract: "For the patient and their advocate: what the plan covers next, what stands in the way, safety, questions, appeals.",
            discussion: """
                Without --plan, one report per plan the patient file (or the analysis) names.

                Examples:
                  formulary report coverage --patient Formularies/patients/s1-baseline.yaml
                  formulary report coverage --patient Formularies/patients/s2-seizure.yaml \\
                      --format all --out Reports/s2
                """
        )

        @OptionGroup var source: ReportSourceOptions
        @Option(help: ArgumentHelp("The plan id or criteria version id.", valueName: "id"))
        var plan: String?
        @OptionGroup var output: ReportOutputOptions

        func run() throws {
            try ReportRun.perform {
                let analysis = try source.analysis(plans: plan.map { [$0] } ?? [])
                let metadata = try output.metadata(for: analysis)
                // Each result by its key: two criteria versions of one plan are two reports.
                let plans = try plan.map { [try planID($0, in: analysis)] } ?? analysis.plans.map(\.planKey)
                let key = try output.nameKey(source.store)
                let appeals = try ReportInputs.references(folder: source.inputs.reference).appeals
                var paths: [String] = []
                for planID in plans {
                    let report = try CoverageReport(analysis: analysis, plan: planID, appeals: appeals, metadata: metadata)
                    paths += try output.write(report, patient: analysis.patient, qualifier: plans.count > 1 ? ReportCommand.fileToken(planID) : nil, key: key)
                }
                return paths
            }
        }
    }

    /// `formulary report precheck`.
    struct Precheck: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "precheck",
            abstract: "For clinic staff: one plan and option's PA checklist with evidence, missing documents, and a draft letter.",
            discussion: """
                Example:
                  formulary report precheck --patient Formularies/patients/s1-baseline.yaml \\
                      --plan 99990AZ0010001 --option Spravato
                """
        )

        @OptionGroup var source: ReportSourceOptions
        @Option(help: ArgumentHelp("The plan id or criteria version id.", valueName: "id"))
        var plan: String
        @Option(help: ArgumentHelp("The option to check (Spravato, TMS, Rexulti, …).", valueName: "name"))
        var option: String
        @OptionGroup var output: ReportOutputOptions

        func run() throws {
            try ReportRun.perform {
                let analysis = try source.analysis(plans: [plan], options: source.analysisFile == nil ? [option] : [])
                let metadata = try output.metadata(for: analysis)
                let planKey = try planID(plan, in: analysis)
                // An analysis run for this one option holds just it, whatever alias named it.
                let only = analysis.plans.first { $0.planID == planKey }.flatMap { $0.options.count == 1 ? $0.options.first?.optionID : nil }
                let sheet = try PreCheckSheet(analysis: analysis, plan: planKey, option: source.analysisFile == nil ? only ?? option : option, metadata: metadata)
                return try output.write(sheet, patient: analysis.patient, qualifier: sheet.option.optionID, key: try output.nameKey(source.store))
            }
        }
    }

    /// `formulary report compare`.
    struct Compare: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "compare",
            abstract: "For open enrollment: the regimen's yearly cost and the key TRD options across plans.",
            discussion: """
                Without --plans or --all-in-state, the plans the patient file (or the analysis) names.

                Examples:
                  formulary report compare \\
                      --patient Formularies/patients/medicare-continuing.yaml
                  formulary report compare \\
                      --patient Formularies/patients/medicare-continuing.yaml \\
                      --all-in-state AZ --out Reports/compare
                """
        )

        @OptionGroup var source: ReportSourceOptions
        @Option(help: ArgumentHelp("Plan ids or criteria version ids, comma-separated.", valueName: "id,id,…"))
        var plans: String?
        @Option(name: .customLong("all-in-state"), help: ArgumentHelp("Every imported plan offered in this state (two letters).", valueName: "state"))
        var allInState: String?
        @OptionGroup var output: ReportOutputOptions

        func validate() throws {
            if plans != nil && allInState != nil { throw ValidationError("give --plans or --all-in-state, not both") }
            if let allInState, allInState.count != 2 || !allInState.allSatisfy(\.isLetter) {
                throw ValidationError("--all-in-state takes a two-letter state code, got \(allInState)")
            }
            if allInState != nil && source.analysisFile != nil {
                throw ValidationError("--all-in-state lists plans from the database; with --analysis use --plans")
            }
        }

        func run() throws {
            try ReportRun.perform {
                var wanted = plans.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } } ?? []
                if let state = allInState?.uppercased(), let patient = source.patient {
                    // Plans of the patient's kind (the markets of their own plans) offered in the state.
                    let service = try source.inputs.service(source.store)
                    let selection = try ReportInputs.plansOfPatientKind(state: state, patientPlans: try service.loadPatient(path: patient).plans,
                                                                         service: service)
                    wanted = selection.plans
                    guard !wanted.isEmpty else {
                        Terminal.error("no imported \(selection.markets.map(\.rawValue).joined(separator: " or ")) plan is offered in \(state): import the state's formularies first")
                        throw ExitCode(66)
                    }
                    if !selection.withoutState.isEmpty {
                        Terminal.note("included \(selection.withoutState.joined(separator: ", ")): Medicare plans sold by region, for which the data names no state; check that each serves \(state)")
                    }
                }
                let analysis = try source.analysis(plans: wanted)
                let metadata = try output.metadata(for: analysis)
                // The plan data the analysis does not carry (premiums, deductibles, plan years), and
                // the cost model and appeal routes of the reference folder in force.
                let database = FileManager.default.fileExists(atPath: source.store.path) ? try source.store.openExisting() : nil
                let facts = try database.map { try ReportInputs.planFacts(for: analysis, store: $0) } ?? []
                let references = try ReportInputs.references(folder: source.inputs.reference)
                let comparison = try PlanComparison(analysis: analysis, plans: wanted.isEmpty ? nil : try wanted.map { try planID($0, in: analysis) },
                                                    facts: facts, costModel: references.costModel, appeals: references.appeals, metadata: metadata)
                return try output.write(comparison, patient: analysis.patient, qualifier: nil, key: try output.nameKey(source.store))
            }
        }
    }
}

/// A plan reference as the report should look it up: a plan id stays as is, a criteria version
/// id (`A-2025-07`) becomes the plan the analysis ran it under.
private func planID(_ reference: String, in analysis: AnalysisResult) throws -> String {
    if analysis.plans.contains(where: { $0.planID.lowercased() == reference.lowercased() }) { return reference }
    if let byVersion = analysis.plans.first(where: { $0.criteria.policyVersion?.lowercased() == reference.lowercased() }) { return byVersion.planID }
    return reference
}

/// Where the analysis comes from: a patient file run through the analyzer (as `analyze` runs
/// it), or a saved analysis JSON.
struct ReportSourceOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The patient profile (YAML or JSON), or patient records: FHIR claims and chart data, a monitoring log, or a folder of them (see `formulary patient import`).", valueName: "path"))
    var patient: String?

    @Option(name: .customLong("analysis"), help: ArgumentHelp("A saved analysis (`formulary analyze --json`) instead of --patient.", valueName: "file"))
    var analysisFile: String?

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The date to analyze as of (YYYY-MM-DD); default: the patient file's, else today.", valueName: "date"))
    var asOf: String?

    @OptionGroup var inputs: AnalysisInputOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        switch (patient, analysisFile) {
        case (nil, nil): throw ValidationError("give --patient FILE (or --analysis FILE from `formulary analyze --json`)")
        case (.some, .some): throw ValidationError("give --patient or --analysis, not both")
        default: break
        }
        if let asOf, Day(asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD, got \(asOf)") }
        if analysisFile != nil && asOf != nil { throw ValidationError("--as-of cannot change a saved analysis; run it again with --patient") }
    }

    /// The analysis for `plans` (empty: the patient's plans) and `options` (empty: the TRD
    /// options), through the same loaders and checks as `formulary analyze`.
    func analysis(plans: [String], options: [String] = []) throws -> AnalysisResult {
        if let analysisFile { return try Self.decode(analysisFile) }
        guard let patient else { throw ValidationError("give --patient FILE") }
        return try inputs.service(store).analyze(patientPath: patient, asOf: try AsOf.parse(asOf), plans: plans,
                                                 options: options)
    }

    static func decode(_ path: String) throws -> AnalysisResult {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            Terminal.error("cannot read the analysis \(path): \((error as NSError).localizedDescription)")
            throw ExitCode(66)
        }
        do {
            return try JSONDecoder().decode(AnalysisResult.self, from: data)
        } catch {
            Terminal.error("\(path) is not an analysis written by `formulary analyze --json`: \(ReportRun.describe(error))")
            throw ExitCode(65)
        }
    }
}

/// Where and how reports are written.
struct ReportOutputOptions: ParsableArguments {
    enum FormatChoice: String, ExpressibleByArgument, CaseIterable {
        case html, md, json, all

        var formats: [ReportFormat] {
            switch self {
            case .html: [.html]
            case .md: [.markdown]
            case .json: [.json]
            case .all: ReportFormat.allCases
            }
        }
    }

    @Option(help: ArgumentHelp("html, md, json or all.", valueName: "format"))
    var format: FormatChoice = .html

    @Option(help: ArgumentHelp("The folder to write into (created with mode 0700 when missing).", valueName: "dir"))
    var out = "Reports"

    @Option(help: ArgumentHelp("A token for file names instead of the profile hash (letters, digits, - and _ are kept).", valueName: "text"))
    var label: String?

    @Option(name: .customLong("generated-at"), help: ArgumentHelp("The generation time to record (ISO 8601), for reproducible reports; default: now.", valueName: "time"))
    var generatedAt: String?

    func validate() throws {
        if let generatedAt, Self.parse(generatedAt) == nil { throw ValidationError("--generated-at must be an ISO 8601 time such as 2025-03-20T15:30:00Z") }
    }

    static func parse(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    func metadata(for analysis: AnalysisResult) throws -> ReportMetadata {
        ReportMetadata(generatedAt: generatedAt.flatMap(Self.parse) ?? Date(), asOf: analysis.asOf, toolVersion: ReportCommand.toolVersion,
                       analysisSchemaVersion: analysis.schemaVersion)
    }

    /// The key of the hash that stands for the patient in file names: the secret kept in the
    /// database (`--db`, else the default one), or nil with --label, which names the files
    /// itself. Without a database there is no secret to key the hash with: refused.
    func nameKey(_ store: StoreOptions) throws -> ReportNameKey? {
        guard label == nil else { return nil }
        guard let key = try ReportInputs.nameKey(databasePath: store.path) else {
            Terminal.error("report file names hide the patient behind a hash keyed with a secret kept in the database, and there is no database at \(store.path): give --db FILE (your formulary database), or --label TEXT to name the files yourself")
            throw ExitCode(66)
        }
        return key
    }

    /// Writes `report` in the chosen formats; returns the paths. `key` (from `nameKey`) keys the
    /// hash of the patient label; with --label it is not needed.
    func write(_ report: any RenderableReport, patient: String, qualifier: String?, key: ReportNameKey?) throws -> [String] {
        let subject: ReportFileName.Subject
        if let label {
            subject = .label(label)
        } else if let key {
            subject = .hashed(patient, key: key)
        } else {
            Terminal.error("no key for the report file names: give --label TEXT")
            throw ExitCode(70)
        }
        let name = ReportFileName(kind: report.kind, subject: subject, qualifier: qualifier, asOf: report.metadata.asOf)
        return try ReportWriter(directory: out).write(report, formats: format.formats, name: name)
    }
}

/// Runs a report subcommand: prints the written paths on stdout, maps report errors to exit
/// codes with a one-line message, and says nothing else.
enum ReportRun {
    static func perform(_ body: () throws -> [String]) throws {
        do {
            for path in try body() { print(path) }
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ValidationError {
            throw error
        } catch {
            throw Failure.exit(for: error)
        }
    }

    /// A decoding error as a short path-and-reason line, never a type dump.
    static func describe(_ error: any Error) -> String {
        guard let decoding = error as? DecodingError else { return (error as NSError).localizedDescription }
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        }
        switch decoding {
        case .keyNotFound(let key, let context):
            return "missing \(path(context).isEmpty ? key.stringValue : path(context) + "." + key.stringValue)"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return path(context).isEmpty ? context.debugDescription : "\(path(context)): \(context.debugDescription)"
        @unknown default: return "not valid JSON"
        }
    }
}
