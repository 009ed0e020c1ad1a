import ArgumentParser
import Foundation
import FormularyAnalysis
import FormularyApp
import FormularyImport
import FormularyModel
import FormularyReports
import FormularyStore

/// `formulary demo`: the main job on the bundled data. Imports every bundled formulary and the
/// drug reference into the embedded database (replacing the demo's own earlier snapshots),
/// analyzes the bundled sample patients, and writes their coverage reports, one PA pre-check
/// sheet and one plan comparison.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Import the bundled data, analyze the sample patients and write their reports.",
        discussion: """
            The bundled data is found wherever the program runs (`formulary paths` shows where). Re-runnable: each bundled source is imported as a snapshot named demo-…, older demo snapshots are removed, and the reports (named by a hash of the patient label and the as-of date, mode 0600) are replaced.

            Examples:
              formulary demo
              formulary demo --db demo.sqlite --out demo-reports
            """
    )

    @Option(help: ArgumentHelp("The folder of bundled data (default: the copy shipped with the program).", valueName: "dir"))
    var formularies: String?

    @Option(help: ArgumentHelp("Where the reports go (created with mode 0700).", valueName: "dir"))
    var out = "Reports"

    @OptionGroup var store: StoreOptions

    func run() throws {
        try reportingFailures {
            // SIGINT and SIGTERM remove the import's temporary files; the transaction rolls back.
            ImportScratch.installInterruptCleanup()
            ImportScratch.removeStale()
            let root = URL(fileURLWithPath: try formularies ?? DataLocations().requireBundledRoot(for: "sample data"))
            let bundles = try BundledData.discover(in: root)
            guard !bundles.isEmpty else {
                throw ImportError.fileNotFound(path: root.path)
            }
            print("Bundled data: \(root.path)")
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
                let drug = "Trintellix"
                print("\n$ formulary lookup --plan \(example.plan.id) --drug \"\(drug)\"")
                let query = DrugQuery(parsing: drug)
                print(LookupText.render(planID: example.plan.id, query: query,
                                        lines: try database.lookup(plan: example.plan.id, drug: query), plan: example))
            }
            try writeReports(database: database, root: root)
        }
    }

    /// Analyzes every bundled patient and writes the reports a person would hold: a coverage
    /// report per patient and plan, a PA pre-check for S1's Spravato, and a plan comparison for
    /// the Medicare patient.
    private func writeReports(database: FormularyStore, root: URL) throws {
        let documents = try AnalysisDocuments.load(DocumentChoice(
            criteria: root.appendingPathComponent("criteria").path, reference: root.appendingPathComponent("reference").path))
        let service = AnalysisService(documents: documents, store: database)
        let output = try ReportOutputOptions.parse(["--format", "all", "--out", out])
        let nameKey = try ReportInputs.nameKey(database)
        let folder = root.appendingPathComponent("patients")
        let patients = try FileManager.default.contentsOfDirectory(atPath: folder.path)
            .filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".json") }.sorted()
        let references = try ReportInputs.references(folder: root.appendingPathComponent("reference").path)
        print("\nReports (in \(out), mode 0600; the names carry a hash of the patient label, never a name):")
        for file in patients {
            let path = folder.appendingPathComponent(file).path
            let analysis = try service.analyze(patientPath: path)
            for plan in analysis.plans {
                let report = try CoverageReport(analysis: analysis, plan: plan.planKey, appeals: references.appeals, metadata: try output.metadata(for: analysis))
                let paths = try output.write(report, patient: analysis.patient, qualifier: analysis.plans.count > 1 ? ReportCommand.fileToken(plan.planKey) : nil, key: nameKey)
                // The options people in this situation ask about first.
                let keyWords = ["Spravato", "TMS", "Rexulti", "Zurzuvae"]
                let key = plan.options.filter { option in keyWords.contains { option.name.contains($0) } }
                    .sorted { a, b in (keyWords.firstIndex { a.name.contains($0) } ?? 9) < (keyWords.firstIndex { b.name.contains($0) } ?? 9) }
                let top = key.map { "\($0.name.split(separator: " ").first ?? "") \($0.verdict.rawValue)" }.joined(separator: ", ")
                print("  coverage  \(file) · plan \(plan.planKey) · \(top)")
                for reportPath in paths { print("            \(reportPath)") }
            }
        }
        let s1 = try service.analyze(patientPath: folder.appendingPathComponent("s1-baseline.yaml").path,
                                     plans: ["A-2025-07"], options: ["Spravato"])
        if let plan = s1.plans.first, let option = plan.options.first {
            let sheet = try PreCheckSheet(analysis: s1, plan: plan.planID, option: option.optionID, metadata: try output.metadata(for: s1))
            print("  precheck  s1-baseline.yaml · \(option.name) · \(option.verdict.rawValue)")
            for reportPath in try output.write(sheet, patient: s1.patient, qualifier: option.optionID, key: nameKey) { print("            \(reportPath)") }
        }
        let compared = ["H9990-001-000", "H9990-002-000", "S5990-002-000"]
        let medicare = try service.analyze(patientPath: folder.appendingPathComponent("medicare-continuing.yaml").path, plans: compared)
        let comparison = try PlanComparison(analysis: medicare, plans: medicare.plans.map(\.planID), facts: try ReportInputs.planFacts(for: medicare, store: database),
                                            costModel: references.costModel, appeals: references.appeals, metadata: try output.metadata(for: medicare))
        print("  compare   medicare-continuing.yaml · plans \(compared.joined(separator: ", "))")
        for reportPath in try output.write(comparison, patient: medicare.patient, qualifier: nil, key: nameKey) { print("            \(reportPath)") }
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
