import ArgumentParser
import Foundation
import Logging
import FormularyRefresh
import FormularyStore

/// `formulary refresh`: keep every source of a manifest current, for cron.
struct RefreshCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Fetch and import every changed source of a sources manifest, for cron.",
        discussion: """
            Each changed source is imported atomically as a new snapshot; an unchanged one (HTTP 304,
            or the same SHA-256 as last time) costs no import. One failing source does not stop the
            others. Ends with one line per source on stdout; logs go to stderr.

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
            withExtendedLifetime(lock) {}
            for report in reports where !quiet || report.changed || report.failed {
                print(report.line)
            }
            if reports.contains(where: \.failed) { throw ExitCode(69) }
        }
    }
}

extension StderrLogHandler.Format: ExpressibleByArgument {}
