import ArgumentParser
import Foundation
import FormularyAnalysis
import FormularyCriteria
import FormularyModel
import FormularyStore

/// `formulary analyze`: what a patient's plan will cover next for TRD, what stands in the way,
/// the cheapest path to each option, and what is unsafe.
struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Rank a patient's next TRD options under their plan: verdicts, remaining steps, safety.",
        discussion: """
            The patient file is YAML or JSON (Formularies/patients/README.md); the shared
            scenarios file works too with --scenario ID. Coverage comes from the database; PA/ST
            criteria from --criteria (default Formularies/criteria) and the drug reference from
            --reference (default Formularies/reference), both relative to the current directory.

            --plan takes a plan id (99990AZ0010001, H9990-001-000) or a criteria version id
            (A-2025-07, which also pins that version). Without --plan the patient's plans are used.

            Examples:
              formulary analyze --patient Formularies/patients/s1-baseline.yaml
              formulary analyze --patient Formularies/patients/s2-seizure.yaml --option Spravato --option TMS
              formulary analyze --patient p.yaml --plan 99990AZ0010001 --as-of 2025-07-01 --json
            """
    )

    @Option(help: ArgumentHelp("The patient profile (YAML or JSON).", valueName: "file"))
    var patient: String

    @Option(help: ArgumentHelp("A scenario id, when the patient file is a scenarios file.", valueName: "id"))
    var scenario: String?

    @Option(name: .customLong("plan"), help: ArgumentHelp("A plan id or criteria version id (repeatable).", valueName: "id"))
    var plans: [String] = []

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The date to analyze as of (YYYY-MM-DD); default: the patient file's, else today.", valueName: "date"))
    var asOf: String?

    @Option(name: .customLong("option"), help: ArgumentHelp("An option to analyze (generic, brand, TMS, ECT…; repeatable). Default: the TRD options.", valueName: "name"))
    var options: [String] = []

    @OptionGroup var inputs: AnalysisInputOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let asOf, Day(asOf) == nil { throw ValidationError("--as-of must be a date YYYY-MM-DD, got \(asOf)") }
    }

    func run() throws {
        try reportingFailures {
            let result = try AnalysisInputs.analyze(
                inputs, patient: patient, scenario: scenario, asOf: asOf, plans: plans, options: options, database: try store.open())
            if output.json {
                try Terminal.printJSON(result)
            } else {
                print(AnalysisText.render(result))
            }
        }
    }
}

/// Where the criteria and the drug reference come from, shared by analyze, precheck and criteria.
struct AnalysisInputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The criteria folder (or one criteria file).", valueName: "path"))
    var criteria = "Formularies/criteria"

    @Option(help: ArgumentHelp("The drug reference folder (trd_drugs.yaml, rxnorm_subset.csv).", valueName: "path"))
    var reference = "Formularies/reference"

    @Option(name: .customLong("criteria-version"), help: ArgumentHelp("Pin a criteria version by id (e.g. A-2025-01).", valueName: "id"))
    var criteriaVersion: String?
}

/// Loading and error mapping shared by the analysis commands.
enum AnalysisInputs {
    struct Loaded {
        var reference: DrugReference
        var criteria: CriteriaSet
        var analyzer: TRDAnalyzer
    }

    /// Loads the documents, the patient and runs the analysis: what `analyze`, the reports and
    /// the demo all do.
    static func analyze(
        _ inputs: AnalysisInputOptions, patient: String, scenario: String? = nil, asOf: String?, plans: [String],
        options: [String] = [], database: FormularyStore
    ) throws -> AnalysisResult {
        let loaded = try load(inputs)
        let profile = try PatientLoader.load(path: patient, scenario: scenario, reference: loaded.reference)
        let day = try self.day(asOf, profile: profile)
        let request = AnalysisRequest(patient: profile, plans: plans, asOf: day, options: options, pinnedVersion: inputs.criteriaVersion)
        try requirePlansImported(request, criteria: loaded.criteria, provider: database)
        return try loaded.analyzer.analyze(request, coverage: database)
    }

    static func load(_ options: AnalysisInputOptions) throws -> Loaded {
        let reference = try DrugReferenceLoader.load(directory: options.reference)
        let loader = CriteriaLoader(reference: reference)
        var isDirectory: ObjCBool = false
        let criteria: CriteriaSet
        if FileManager.default.fileExists(atPath: options.criteria, isDirectory: &isDirectory), !isDirectory.boolValue {
            criteria = try loader.loadSet([(try String(contentsOfFile: options.criteria, encoding: .utf8), options.criteria)])
        } else {
            criteria = try loader.loadDirectory(options.criteria)
        }
        return Loaded(reference: reference, criteria: criteria, analyzer: TRDAnalyzer(reference: reference, criteria: criteria))
    }

    /// `--as-of`, else the patient file's date, else today (the local calendar date).
    static func day(_ text: String?, profile: PatientProfile) throws -> Day {
        if let text {
            guard let day = Day(text) else { throw ValidationError("--as-of must be a date YYYY-MM-DD") }
            return day
        }
        return profile.asOf ?? .today
    }

    /// Pharmacy coverage needs the plan's formulary in the database: say so plainly instead of
    /// reporting every drug as not covered.
    static func requirePlansImported(_ request: AnalysisRequest, criteria: CriteriaSet, provider: any CoverageProvider) throws {
        let references = request.plans.isEmpty ? request.patient.plans : request.plans
        guard !references.isEmpty else { throw AnalysisError.noPlan }
        for reference in references {
            for plan in criteria.resolvePlanReference(reference).plans where try provider.planListing(plan) == nil {
                Terminal.error("plan \(plan) is not in the formulary data: import its formulary first (Reference Formulary A: formulary import Formularies/qhp/reference-a; Formulary M: formulary import Formularies/partd/2026Q1)")
                throw ExitCode(66)
            }
        }
    }
}
