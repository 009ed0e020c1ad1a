import ArgumentParser
import Foundation
import FormularyAnalysis
import FormularyApp
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
            The patient file is YAML or JSON (Formularies/patients/README.md). Coverage comes from the database. The PA/ST criteria and the drug reference are --criteria and --reference, else $FORMULARY_CRITERIA and $FORMULARY_REFERENCE, else your own copies in ~/.config/formulary/ (`formulary criteria init`), else the copies bundled with the program; --verbose says which.

            --plan takes a plan id (99990AZ0010001, H9990-001-000) or a criteria version id (A-2025-07, which also pins that version). Without --plan the patient's plans are used.

            Examples:
              formulary analyze --patient Formularies/patients/s1-baseline.yaml
              formulary analyze --patient Formularies/patients/s2-seizure.yaml \\
                  --option Spravato --option TMS
              formulary analyze --patient Formularies/patients/s1-baseline.yaml \\
                  --plan 99990AZ0010001 --as-of 2025-07-01 --json
            """
    )

    @Option(help: ArgumentHelp("The patient profile (YAML or JSON), or patient records: FHIR claims and chart data, a monitoring log, or a folder of them (see `formulary patient import`).", valueName: "path"))
    var patient: String

    @Option(name: .customLong("plan"), help: ArgumentHelp("A plan id or criteria version id (repeatable).", valueName: "id"))
    var plans: [String] = []

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The date to analyze as of (YYYY-MM-DD); default: the patient file's, else today.", valueName: "date"))
    var asOf: String?

    @Option(name: .customLong("option"), help: ArgumentHelp("An option to analyze (generic, brand, TMS, ECT…; repeatable). Default: the TRD options.", valueName: "name"))
    var options: [String] = []

    @Option(name: .customLong("as"), help: ArgumentHelp("How the option would be used: add-on (to the current regimen) or switch (replacing the current antidepressant). Default: the profile's request, else add-on for augmentation agents, esketamine and procedures, switch for antidepressants.", valueName: "use"))
    var use: OptionUse?

    @OptionGroup var inputs: AnalysisInputOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        _ = try AsOf.parse(asOf)
        if use != nil && options.isEmpty { throw ValidationError("--as applies to the options named with --option; name at least one") }
    }

    func run() throws {
        try reportingFailures {
            let result = try inputs.service(store).analyze(
                patientPath: patient, asOf: try AsOf.parse(asOf), plans: plans, options: options, use: use)
            if output.json {
                try Terminal.printJSON(result)
            } else {
                print(AnalysisText.render(result))
            }
        }
    }
}

extension OptionUse: ExpressibleByArgument {}
