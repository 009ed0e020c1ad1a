import ArgumentParser
import Foundation
import FormularyApp

/// `formulary paths`: where the program finds its data and keeps each user's state.
struct PathsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "paths",
        abstract: "Show where the bundled data, the criteria and drug reference in force, the database and the alerts are.",
        discussion: """
            Examples:
              formulary paths
              formulary paths --json
              formulary analyze \\
                  --patient "$(formulary paths --data)/patients/s1-baseline.yaml"
            """
    )

    @Flag(help: "Print only the bundled data folder (sample formularies, patients, criteria, reference).")
    var data = false

    @OptionGroup var inputs: AnalysisInputOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var delivery: AlertOptions
    @OptionGroup var output: OutputOptions

    struct Shown: Encodable {
        var executable: String?
        var bundledData: String?
        var bundledSearched: [String]
        var criteria: DataLocations.Resolved?
        var reference: DataLocations.Resolved?
        var database: String
        var databaseExists: Bool
        var configuration: String
        var state: String
        var alerts: DataLocations.Resolved
    }

    func run() throws {
        try reportingFailures {
            let locations = DataLocations()
            if data {
                print(try locations.requireBundledRoot())
                return
            }
            let shown = Shown(
                executable: locations.executable?.path, bundledData: locations.bundledRoot, bundledSearched: locations.bundledCandidates,
                criteria: try? locations.criteria(commandLine: inputs.criteria), reference: try? locations.reference(commandLine: inputs.reference),
                database: store.path, databaseExists: FileManager.default.fileExists(atPath: store.path),
                configuration: locations.configDirectory, state: locations.stateDirectory, alerts: delivery.target().resolved)
            if output.json {
                try Terminal.printJSON(shown)
                return
            }
            print(Terminal.table(["WHAT", "WHERE"], [
                ["program", shown.executable ?? "unknown"],
                ["bundled data", shown.bundledData ?? "NOT FOUND (looked in \(shown.bundledSearched.joined(separator: ", ")))"],
                ["criteria", shown.criteria?.description ?? "not found"],
                ["drug reference", shown.reference?.description ?? "not found"],
                ["database", shown.database + (shown.databaseExists ? "" : " (not created yet)")],
                ["your configuration", shown.configuration],
                ["your state (logs)", shown.state],
                ["alerts", shown.alerts.description],
            ]))
        }
    }
}
