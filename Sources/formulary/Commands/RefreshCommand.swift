import ArgumentParser
import Foundation
import Logging
import FormularyApp
import FormularyImport
import FormularyModel
import FormularyRefresh
import FormularyStore

/// `formulary refresh`: keep every source of a manifest current, for cron.
struct RefreshCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Fetch and import every changed source of a sources manifest, for cron; re-check the watchlist and deliver alerts.",
        discussion: """
            Each changed source is imported atomically as a new snapshot; an unchanged one (HTTP 304, or the same SHA-256 as last time) costs no import. One failing source does not stop the others. Ends with one line per source on stdout; logs go to stderr, or to --log-file.

            Then watched patients (`formulary watch add`) whose plans' data changed since their last analysis (everyone, when the criteria or the drug reference changed) are re-analyzed as of today. Each flipped verdict is recorded as a pending alert in the same transaction, then delivered to the alerts folder (--alerts, else the manifest's `alerts:`, else ~/.local/state/formulary/alerts) and to --notify-command. Every run is recorded: `formulary refresh --history` lists them.

            Exit codes: 0 every source is current and every alert delivered; 69 a source or a watched patient's check failed; 73 an alert could not be delivered (it stays pending, and the next run delivers it); 75 another refresh holds the lock; 78 the manifest is invalid.

            Examples:
              formulary refresh --sources Formularies/sources.example.yaml
              formulary refresh --sources Formularies/sources.example.yaml --quiet \\
                  --log-format json --keep 8
              formulary refresh --history
            """
    )

    @Option(help: ArgumentHelp("The sources manifest (YAML or JSON).", valueName: "file"))
    var sources: String?

    @Flag(help: "List the recorded refresh runs instead of running one.")
    var history = false

    @Option(help: "With --history: how many runs to list.")
    var limit = 20

    @Option(help: "Snapshots to keep per source, the current one included.")
    var keep = 4

    @Flag(help: "Print nothing on stdout unless a source changed or failed, or an alert was recorded or not delivered.")
    var quiet = false

    @Option(name: .customLong("log-format"), help: "Log lines as text or json.")
    var logFormat: StderrLogHandler.Format = .text

    @Option(name: .customLong("log-file"), help: ArgumentHelp("Append log lines to this file (created 0600, its folder 0700) instead of stderr.", valueName: "file"))
    var logFile: String?

    @Option(help: "Seconds to wait for a server before retrying.")
    var timeout: Double = 30

    @Option(help: "Attempts per URL for 5xx answers and timeouts (4xx is never retried).")
    var attempts = 3

    @OptionGroup var delivery: AlertOptions
    @OptionGroup var inputs: AnalysisInputOptions
    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if history {
            guard sources == nil else { throw ValidationError("--history lists past runs; leave out --sources") }
            guard limit >= 1 else { throw ValidationError("--limit must be at least 1") }
            return
        }
        guard sources != nil else { throw ValidationError("give --sources FILE (a sources manifest), or --history") }
        guard keep >= 1 else { throw ValidationError("--keep must be at least 1") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard attempts >= 1 else { throw ValidationError("--attempts must be at least 1") }
    }

    func run() throws {
        if history {
            try reportingFailures { try showHistory() }
            return
        }
        let format = logFormat
        // SIGINT and SIGTERM remove the import's temporary files; the transaction rolls back.
        ImportScratch.installInterruptCleanup()
        ImportScratch.removeStale()
        let sink = try reportingFailuresReturning { try logFile.map { try LogFile(path: $0) } }
        LoggingSystem.bootstrap { StderrLogHandler(label: $0, format: format, write: sink?.write) }
        let logger = Logger(label: "formulary.refresh")
        try reportingFailures {
            let database = try store.open()
            let settings = RefreshJob.Settings(
                manifest: sources ?? "", keep: keep, http: .init(readTimeout: timeout, attempts: attempts),
                alerts: delivery.alerts, notifyCommand: delivery.notifyCommand, documents: inputs.choice)
            let result = try RefreshJob(store: database, settings: settings, logger: logger).run()
            if let error = result.error { throw error }
            for report in result.reports where !quiet || report.changed || report.failed {
                print(report.line)
            }
            if let watchError = result.watchError { Terminal.error(watchError) }
            if let watch = result.watch, let alerts = result.alertsDirectory {
                WatchCommand.printOutcomes(watch, quiet: quiet, alerts: alerts)
            }
            if result.status != .success { throw ExitCode(result.status.rawValue) }
        }
    }

    private func showHistory() throws {
        let runs = try store.openExisting().refreshRuns(limit: limit)
        if output.json {
            try Terminal.printJSON(runs)
            return
        }
        guard !runs.isEmpty else {
            print("No refresh has run with this database yet.")
            return
        }
        for run in runs.reversed() {
            let end = run.finishedAt.map { "finished \($0.formatted(.iso8601))" } ?? "did not finish (killed, or still running)"
            let exit = run.exitCode.map { "exit \($0)" } ?? "no exit code"
            print("run \(run.id): started \(run.startedAt.formatted(.iso8601)), \(end), \(exit)")
            print("  manifest \(run.manifest)")
            for source in run.sources {
                print("  \(source.source): \(source.status.rawValue)" + (source.status == .updated ? "" : " (\(source.detail))")
                      + (source.snapshotID.map { ", snapshot \($0)" } ?? ""))
            }
            print("  watchlist: \(run.patientsChecked) patient\(run.patientsChecked == 1 ? "" : "s") checked, "
                  + "\(run.alertsCreated) alert\(run.alertsCreated == 1 ? "" : "s") recorded, \(run.alertsPending) pending at the end")
            if let error = run.error { print("  error: \(error)") }
        }
    }
}

extension StderrLogHandler.Format: ExpressibleByArgument {}

extension ParsableCommand {
    /// `reportingFailures` for a body that returns a value.
    func reportingFailuresReturning<T>(_ body: () throws -> T) throws -> T {
        var value: T?
        try reportingFailures { value = try body() }
        guard let value else { throw ExitCode(70) }
        return value
    }
}
