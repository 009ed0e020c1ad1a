import ArgumentParser
import Foundation
import FormularyImport
import FormularyModel
import FormularyStore

/// `formulary import`: read formulary files into a new snapshot, atomically.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import formulary files as a new snapshot.",
        discussion: """
            PATH may be a Part D release zip (zips nested in a zip), a folder, or single table files; QHP marketplace plans.json and drugs.json (or a folder, or a cms-data-index.json next to them); FHIR US Drug Formulary resources (JSON, NDJSON bulk export or XML: single resources, Bundles, or folders of them); the bundled drug reference CSV; or an RxNorm release (the NLM zip, its folder, or RXNCONSO.RRF with RXNREL.RRF and RXNSAT.RRF). The import lands whole or not at all: on any bad row nothing is stored and the previous snapshot stays current.

            Examples:
              formulary import Formularies/partd/2026Q1
              formulary import SPUF_2026_20260115.zip --source partd-2026
              formulary import plans.json drugs.json --source marketplace-az
              formulary import Formularies/reference/rxnorm_subset.csv
              formulary import RxNorm_full_prescribe_03022026.zip
              formulary import Formularies/fhir/davinci-d1002
            """
    )

    @Argument(help: ArgumentHelp("Files, folders or zip archives to import.", valueName: "path"))
    var paths: [String]

    @Option(help: "The format: auto, partd, qhp, fhir, reference or rxnorm.")
    var format: FormatChoice = .auto

    @Option(help: "The source name; the latest snapshot of each source is current. Defaults to the format's name.")
    var source: String?

    @Option(name: .customLong("max-rejects"), help: "Skip up to N bad rows, writing them to a rejects file next to the database.")
    var maxRejects = 0

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard maxRejects >= 0 else { throw ValidationError("--max-rejects must be 0 or more") }
        if let source, source.trimmingCharacters(in: .whitespaces).isEmpty { throw ValidationError("--source must not be empty") }
    }

    func run() throws {
        try reportingFailures {
            let urls = paths.map { URL(fileURLWithPath: $0) }
            let sourceFormat = try format.resolved(for: urls)
            let importer = try FormatDetector.importer(for: sourceFormat, options: ImportOptions(maxRejects: maxRejects))
            let database = try store.open()
            let progress = ProgressLine.forTerminal()
            let clock = ContinuousClock()
            let started = clock.now
            var outcome = ImportOutcome()
            let snapshot = try database.importSnapshot(sourceName: source ?? sourceFormat.rawValue, format: sourceFormat) { sink in
                outcome = try importer.importFiles(urls, into: sink, progress: progress)
                return outcome
            }
            progress?.finish()
            let elapsed = clock.now - started
            let rejectsFile = try writeRejects(outcome.rejects, snapshot: snapshot.ref.id, databasePath: database.path)
            let summary = ImportSummary(snapshot: snapshot, seconds: elapsed.seconds, rejects: outcome.rejects.count, rejectsFile: rejectsFile)
            if output.json {
                try Terminal.printJSON(summary)
            } else {
                print(summary.text)
            }
        }
    }

    /// Writes skipped rows as tab-separated `file, line, reason, raw`; returns the path.
    private func writeRejects(_ rejects: [RejectedRow], snapshot: Int64, databasePath: String) throws -> String? {
        guard !rejects.isEmpty else { return nil }
        let path = databasePath + ".rejects-\(snapshot).tsv"
        var text = "file\tline\treason\traw\n"
        for reject in rejects {
            let fields = [reject.file, String(reject.line), reject.reason, reject.raw]
            text += fields.map { $0.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ") }.joined(separator: "\t") + "\n"
        }
        try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        return path
    }
}

/// `--format` values.
enum FormatChoice: String, ExpressibleByArgument, CaseIterable {
    case auto
    case partd
    case qhp
    case fhir
    case reference
    case rxnorm

    func resolved(for urls: [URL]) throws -> SourceFormat {
        switch self {
        case .auto: try FormatDetector.detect(urls)
        case .partd: .partD
        case .qhp: .qhp
        case .fhir: .fhir
        case .reference: .drugReference
        case .rxnorm: .rxnorm
        }
    }
}

/// What `formulary import` reports.
struct ImportSummary: Encodable {
    var snapshot: SnapshotInfo
    var seconds: Double
    var rejects: Int
    var rejectsFile: String?

    var text: String {
        let counts = snapshot.counts
        var lines = ["Imported snapshot \(snapshot.ref.id) (source \(snapshot.ref.sourceName), \(snapshot.ref.format.displayName)"
            + (snapshot.contractYear.map { ", contract year \($0)" } ?? "") + ") in \(String(format: "%.2f", seconds)) s."]
        for key in counts.keys.sorted() {
            lines.append("  \(key): \(counts[key, default: 0].formatted())")
        }
        for file in snapshot.files {
            lines.append("  file: \(file.name) (\(file.byteCount.formatted()) bytes, sha256 \(file.sha256.prefix(16))…)")
        }
        for warning in snapshot.warnings {
            lines.append("  warning: \(warning)")
        }
        if let rejectsFile {
            lines.append("  \(rejects) rejected row\(rejects == 1 ? "" : "s") skipped; see \(rejectsFile)")
        }
        return lines.joined(separator: "\n")
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
