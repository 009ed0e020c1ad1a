import ArgumentParser
import Foundation
import Logging
import FormularyCriteria
import FormularyModel
import FormularyRefresh
import FormularyStore
import FormularyWatch

/// `formulary refresh`: keep every source of a manifest current, for cron.
struct RefreshCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Fetch and import every changed source of a sources manifest, for cron.",
        discussion: """
            Each changed source is imported atomically as a new snapshot; an unchanged one (HTTP 304,
            or the same SHA-256 as last time) costs no import. One failing source does not stop the
            others. Ends with one line per source on stdout; logs go to stderr.

            Then, if patients are on the watchlist (`formulary watch add`), those whose plans changed
            (everyone, when the criteria folder changed) are re-analyzed as of today, and an alert
            is written to --alerts for every flipped verdict.

            Exit codes: 0 every source is current; 69 at least one source failed; 75 another
            refresh holds the lock; 78 the manifest is invalid.

            Examples:
              formulary refresh --sources Formularies/sources.example.yaml
              formulary refresh --sources /etc/formulary/sources.yaml --quiet --log-format json --keep 8
            """
    )

    @Option(help: ArgumentHelp("The sources manifest (YAML or JSON).", valueName: "file"))
    var sources: String

    @Option(help: "Snapshots to keep per source, the current one included.")
    var keep = 4

    @Flag(help: "Print nothing on stdout unless a source changed or failed.")
    var quiet = false

    @Option(name: .customLong("log-format"), help: "Log lines on stderr as text or json.")
    var logFormat: StderrLogHandler.Format = .text

    @Option(help: "Seconds to wait for a server before retrying.")
    var timeout: Double = 30

    @Option(help: "Attempts per URL for 5xx answers and timeouts (4xx is never retried).")
    var attempts = 3

    @Option(help: ArgumentHelp("Where watchlist alerts are written.", valueName: "dir"))
    var alerts = "Reports/alerts"

    @OptionGroup var inputs: AnalysisInputOptions
    @OptionGroup var store: StoreOptions

    func validate() throws {
        guard keep >= 1 else { throw ValidationError("--keep must be at least 1") }
        guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        guard attempts >= 1 else { throw ValidationError("--attempts must be at least 1") }
    }

    func run() throws {
        let format = logFormat
        LoggingSystem.bootstrap { StderrLogHandler(label: $0, format: format) }
        let logger = Logger(label: "formulary.refresh")
        try reportingFailures {
            let manifest = try SourceManifest.load(from: URL(fileURLWithPath: sources))
            let database = try store.open()
            let lock = try RefreshLock(path: database.path + ".refresh.lock")
            let runner = RefreshRunner(
                store: database,
                options: .init(keep: keep, http: .init(readTimeout: timeout, attempts: attempts)),
                logger: logger)
            let reports = runner.run(manifest)
            for report in reports where !quiet || report.changed || report.failed {
                print(report.line)
            }
            let watchFailed = try checkWatchlist(database, reports: reports, logger: logger)
            withExtendedLifetime(lock) {}
            if reports.contains(where: \.failed) || watchFailed { throw ExitCode(69) }
        }
    }
}

extension RefreshCommand {
    /// Re-analyzes watched patients whose plans changed (everyone when the criteria changed);
    /// returns true when a profile could not be analyzed.
    private func checkWatchlist(_ database: FormularyStore, reports: [RefreshRunner.Report], logger: Logger) throws -> Bool {
        guard !(try database.watches().isEmpty) else { return false }
        let criteriaKey = "@criteria"
        let criteriaHash = try RefreshRunner.contentHash(of: URL(fileURLWithPath: inputs.criteria))
        let criteriaChanged = try database.fetchState(sourceName: criteriaKey)?.contentSHA256 != criteriaHash
        var changedPlans: Set<String> = []
        var causes: [String] = []
        for report in reports {
            guard case .updated(let snapshot, _, _) = report.result else { continue }
            changedPlans.formUnion(try database.planIDs(snapshot: snapshot.ref.id).map(\.rawValue))
            causes.append("source \(report.source) was updated (snapshot \(snapshot.ref.id))")
        }
        if criteriaChanged { causes.append("the criteria in \(inputs.criteria) changed") }
        guard criteriaChanged || !changedPlans.isEmpty else { return false }
        let loaded = try AnalysisInputs.load(inputs)
        let checker = WatchChecker(store: database, reference: loaded.reference, criteria: loaded.criteria,
                                   alertsDirectory: URL(fileURLWithPath: alerts))
        let outcomes = try checker.check(asOf: .today, changedPlans: criteriaChanged ? nil : changedPlans, causes: causes)
        try database.recordFetchState(FetchState(sourceName: criteriaKey, location: inputs.criteria, contentSHA256: criteriaHash, checkedAt: Date()))
        logger.info("watchlist checked", metadata: ["patients": .stringConvertible(outcomes.count)])
        if !quiet || outcomes.contains(where: { !$0.flips.isEmpty || $0.failure != nil }) {
            WatchCommand.printOutcomes(outcomes.filter { !quiet || !$0.flips.isEmpty || $0.failure != nil })
        }
        return outcomes.contains { $0.failure != nil }
    }
}

extension StderrLogHandler.Format: ExpressibleByArgument {}
