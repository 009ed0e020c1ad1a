import ArgumentParser

/// The `formulary` command: what an insurance plan covers, and what stands in the way.
@main
struct FormularyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "formulary",
        abstract: "Import insurance formularies and look up what a plan covers.",
        discussion: """
            Data lives in an embedded SQLite database: --db, else $FORMULARY_DB, else
            $XDG_DATA_HOME/formulary/formulary.sqlite (~/.local/share/formulary/formulary.sqlite).

            Exit codes: 0 success; 64 usage error; 65 invalid input data (nothing imported);
            66 a file, plan or snapshot that does not exist; 69 a refresh source failed; 70 internal
            error; 74 database or I/O error; 75 another refresh holds the lock; 78 invalid sources manifest.
            """,
        subcommands: [
            DemoCommand.self, ImportCommand.self, PlansCommand.self, LookupCommand.self, SnapshotsCommand.self, DiffCommand.self,
            AnalyzeCommand.self, PrecheckCommand.self, CriteriaCommand.self, ReportCommand.self, RefreshCommand.self, WatchCommand.self,
        ]
    )
}
