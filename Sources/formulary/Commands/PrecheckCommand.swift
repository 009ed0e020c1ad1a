import ArgumentParser
import Foundation
import FormularyAnalysis
import FormularyApp
import FormularyCriteria
import FormularyModel
import FormularyStore

/// `formulary precheck`: the PA checklist clinic staff fill in before submitting — each
/// criterion met / unmet / unknown with its evidence, and the documentation still needed.
struct PrecheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "precheck",
        abstract: "PA checklist for one option: met / unmet / unknown with evidence, and what to attach.",
        discussion: """
            Examples:
              formulary precheck --patient Formularies/patients/s1-baseline.yaml \\
                  --plan 99990AZ0010001 --option Spravato
              formulary precheck --patient Formularies/patients/s4-rexulti.yaml \\
                  --plan A-2025-07 --option Rexulti --json
            """
    )

    @Option(help: ArgumentHelp("The patient profile (YAML or JSON), or patient records: FHIR claims and chart data, a monitoring log, or a folder of them (see `formulary patient import`).", valueName: "path"))
    var patient: String

    @Option(help: ArgumentHelp("The plan id or criteria version id.", valueName: "id"))
    var plan: String

    @Option(help: ArgumentHelp("The option to check (Spravato, TMS, Rexulti, …).", valueName: "name"))
    var option: String

    @Option(name: .customLong("as-of"), help: ArgumentHelp("The date of the request (YYYY-MM-DD); default: the patient file's, else today.", valueName: "date"))
    var asOf: String?

    @Option(name: .customLong("as"), help: ArgumentHelp("How the option would be used: add-on (to the current regimen) or switch (replacing the current antidepressant). Default: the profile's request, else add-on for augmentation agents, esketamine and procedures, switch for antidepressants.", valueName: "use"))
    var use: OptionUse?

    @OptionGroup var inputs: AnalysisInputOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        _ = try AsOf.parse(asOf)
    }

    func run() throws {
        try reportingFailures {
            let result = try inputs.service(store).analyze(
                patientPath: patient, asOf: try AsOf.parse(asOf), plans: [plan], options: [option], use: use)
            if output.json {
                for shape in PrecheckJSON.from(result) { try Terminal.printJSON(shape) }
                return
            }
            for planResult in result.plans {
                guard let optionResult = planResult.options.first else { continue }
                print(AnalysisText.precheck(optionResult, plan: planResult, asOf: result.asOf))
            }
        }
    }
}
