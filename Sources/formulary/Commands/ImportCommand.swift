import ArgumentParser
import Foundation
import FormularyApp
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

    @Option(help: "The source name; the latest snapshot of each source is current. Default: from the content (partd, qhp-ISSUER, fhir-FORMULARY, reference, rxnorm).")
    var source: String?

    @Option(name: .customLong("max-rejects"), help: "Skip up to N bad rows, writing them to a rejects file next to the database.")
    var maxRejects = 0

    @Option(name: .customLong("max-expanded-bytes"), help: ArgumentHelp("Refuse zip archives that expand to more than this many bytes (default: 100 × the archive, at least 64 MiB).", valueName: "bytes"))
    var maxExpandedBytes: Int64?

    @Flag(name: .customLong("allow-shrink"), help: "Accept a snapshot that drops more than half of its source's plans, formularies or formulary lines.")
    var allowShrink = false

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard maxRejects >= 0 else { throw ValidationError("--max-rejects must be 0 or more") }
        if let maxExpandedBytes, maxExpandedBytes <= 0 { throw ValidationError("--max-expanded-bytes must be positive") }
        if let source, !SourceIdentity.isValid(source) {
            throw ValidationError("--source takes letters, digits, '.', '_' or '-' (at most 64), not \"\(source)\"")
        }
    }

    func run() throws {
        try reportingFailures {
            // SIGINT and SIGTERM remove the import's temporary files; the transaction rolls back.
            ImportScratch.installInterruptCleanup()
            let urls = paths.map { URL(fileURLWithPath: $0) }
            let settings = ImportJob.Settings(inputs: urls, format: try format.resolved(), sourceName: source, allowShrink: allowShrink,
                                              options: ImportOptions(maxRejects: maxRejects, maxExpandedBytes: maxExpandedBytes))
            let progress = ProgressLine.forTerminal()
            defer { progress?.finish() }
            let result = try ImportJob(store: try store.open()).run(settings, progress: progress)
            progress?.finish()
            let summary = ImportSummary(snapshot: result.imported.snapshot, replaces: result.imported.replaces.map(\.ref),
                                        seconds: result.seconds, rejects: result.rejects.count, rejectsFile: result.rejectsFile)
            if output.json {
                try Terminal.printJSON(summary)
            } else {
                print(summary.text)
            }
        }
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

    /// The format named, or nil for auto (detected from the content).
    func resolved() throws -> SourceFormat? {
        switch self {
        case .auto: nil
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
    /// The snapshot of the same source that was current until now (nil: a new source).
    var replaces: SnapshotRef?
    var seconds: Double
    var rejects: Int
    var rejectsFile: String?

    var text: String {
        let counts = snapshot.counts
        var lines = ["Imported snapshot \(snapshot.ref.id) (source \(snapshot.ref.sourceName), \(snapshot.ref.format.displayName)"
            + (snapshot.contractYear.map { ", contract year \($0)" } ?? "") + ") in \(String(format: "%.2f", seconds)) s."]
        if let replaces {
            lines.append("  replaces snapshot \(replaces.id) (imported \(replaces.importedAt.formatted(.iso8601))) as the current data of source \(snapshot.ref.sourceName)")
        } else {
            lines.append("  a new source: no earlier snapshot of \(snapshot.ref.sourceName)")
        }
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
