import ArgumentParser
import FormularyApp

/// The `formulary` command: what an insurance plan covers, and what stands in the way.
@main
struct FormularyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formulary",
        abstract: "What a patient's insurance covers next for treatment-resistant depression, and what stands in the way.",
        discussion: """
            Data lives in an embedded SQLite database: --db, else $FORMULARY_DB, else $XDG_DATA_HOME/formulary/formulary.sqlite (~/.local/share/formulary/formulary.sqlite). Criteria and the drug reference: --criteria/--reference, else $FORMULARY_CRITERIA/ $FORMULARY_REFERENCE, else ~/.config/formulary/{criteria,reference}, else the copies bundled with the program. Alerts: --alerts, else $XDG_STATE_HOME/formulary/alerts.

            Exit codes: 0 success; 64 usage error; 65 invalid input data (nothing imported); 66 a file, database, plan, drug or snapshot that does not exist; 69 a refresh source or a watched patient's check failed; 70 internal error; 72 the data bundled with formulary is missing; 73 an alert could not be delivered (it stays pending) or a file would be overwritten; 74 database or I/O error; 75 another refresh holds the lock; 78 invalid sources manifest.

            Example:
              formulary demo
            """,
        version: "formulary \(FormularyVersion.number) (git \(BuildInfo.gitRevision))",
        subcommands: [
            DemoCommand.self, ImportCommand.self, PlansCommand.self, LookupCommand.self, SnapshotsCommand.self, DiffCommand.self,
            AnalyzeCommand.self, PrecheckCommand.self, CriteriaCommand.self, ReportCommand.self, RefreshCommand.self, WatchCommand.self,
            PathsCommand.self, PatientCommand.self, ServeCommand.self,
        ]
    )
}
