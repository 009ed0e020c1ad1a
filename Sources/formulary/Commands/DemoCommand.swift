import ArgumentParser
import Foundation
import FormularyImport
import FormularyModel
import FormularyStore

/// `formulary demo`: the main job on the bundled data. Imports every bundled formulary and the
/// drug reference into the embedded database, replacing the demo's own earlier snapshots, and
/// shows what a person would look up.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Import the bundled sample data and show what it answers.",
        discussion: """
            Re-runnable: each bundled source is imported as a snapshot named demo-…, and older
            demo snapshots are removed.

            Example:
              formulary demo
              formulary demo --db /tmp/demo.sqlite --formularies Formularies
            """
    )

    @Option(help: ArgumentHelp("The folder of bundled data.", valueName: "dir"))
    var formularies = "Formularies"

    @OptionGroup var store: StoreOptions

    func run() throws {
        try reportingFailures {
            let root = URL(fileURLWithPath: formularies)
            let bundles = try BundledData.discover(in: root)
            guard !bundles.isEmpty else {
                throw ValidationError("no bundled data under \(root.path); run from the repository root or pass --formularies")
            }
            let database = try store.open()
            print("Database: \(database.path)")
            for bundle in bundles {
                let importer = try FormatDetector.importer(for: bundle.format, options: ImportOptions())
                let clock = ContinuousClock()
                let started = clock.now
                let info = try database.importSnapshot(sourceName: bundle.sourceName, format: bundle.format) { sink in
                    try importer.importFiles([bundle.path], into: sink, progress: nil)
                }
                try database.pruneSnapshots(sourceName: bundle.sourceName, keep: 1)
                let rows = info.counts.values.reduce(0, +)
                print("Imported \(bundle.path.path) as snapshot \(info.ref.id) (\(bundle.sourceName)): "
                    + "\(rows.formatted()) rows in \(String(format: "%.2f", (clock.now - started).seconds)) s")
            }
            let plans = try database.plans()
            print("\n\(plans.count) plans in the current data:")
            for listing in plans {
                print("  \(listing.plan.id)  \(listing.plan.name ?? "")  [\(listing.snapshot.sourceName)]")
            }
            if let example = plans.first(where: { $0.plan.id.rawValue == "H9990-001-000" }) ?? plans.first {
                for drug in ["Trintellix", "sertraline 50 MG"] {
                    print("\n$ formulary lookup --plan \(example.plan.id) --drug \"\(drug)\"")
                    let query = DrugQuery(parsing: drug)
                    print(LookupText.render(planID: example.plan.id, query: query,
                                            lines: try database.lookup(plan: example.plan.id, drug: query), plan: example))
                }
            }
        }
    }
}

/// The bundled data under `Formularies/`, found by layout: `reference/rxnorm_subset.csv` first (so
/// names resolve), then each folder under `partd/` (a Part D release), `qhp/` (an issuer's
/// marketplace files) and `fhir/` (FHIR formulary resources).
struct BundledData {
    var sourceName: String
    var format: SourceFormat
    var path: URL

    static func discover(in root: URL) throws -> [BundledData] {
        var found: [BundledData] = []
        let reference = root.appendingPathComponent("reference/rxnorm_subset.csv")
        if FileManager.default.fileExists(atPath: reference.path) {
            found.append(BundledData(sourceName: "demo-reference", format: .drugReference, path: reference))
        }
        for (folder, format) in [("partd", SourceFormat.partD), ("qhp", .qhp), ("fhir", .fhir)] {
            let directory = root.appendingPathComponent(folder)
            let children = (try? FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: [.isDirectoryKey])) ?? []
            for child in children.sorted(by: { $0.lastPathComponent < $1.lastPathComponent })
            where (try? child.resourceValues(forKeys: [.isDirectoryKey]).isDirectory) == true {
                found.append(BundledData(sourceName: "demo-\(folder)-\(child.lastPathComponent)", format: format, path: child))
            }
        }
        return found
    }
}
