import Foundation
import FormularyImport
import FormularyModel
import Testing

/// Fixture access and one-call imports for the QHP tests.
enum QHPFixtures {
    /// `Fixtures/qhp`.
    static func folder() throws -> URL {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return fixtures.appendingPathComponent("qhp", isDirectory: true)
    }

    /// A fixture by its path under `Fixtures/qhp` (`cms-example/plans.json`).
    static func url(_ path: String) throws -> URL {
        try folder().appendingPathComponent(path)
    }

    static func data(_ path: String) throws -> Data {
        try Data(contentsOf: url(path))
    }

    /// Imports `inputs` into a fresh in-memory sink.
    static func run(_ inputs: [URL], maxRejects: Int = 0) throws -> (sink: InMemoryImportSink, outcome: ImportOutcome) {
        let sink = InMemoryImportSink()
        let outcome = try QHPImporter(options: ImportOptions(maxRejects: maxRejects)).importFiles(inputs, into: sink, progress: nil)
        return (sink, outcome)
    }

    static func run(_ paths: String..., maxRejects: Int = 0) throws -> (sink: InMemoryImportSink, outcome: ImportOutcome) {
        try run(paths.map { try url($0) }, maxRejects: maxRejects)
    }

    /// The problems of the `ImportError.invalidRows` that importing `inputs` must throw, and the
    /// sink as the failed import left it.
    static func problems(_ inputs: [URL], maxRejects: Int = 0) throws -> (problems: [RowProblem], sink: InMemoryImportSink) {
        let sink = InMemoryImportSink()
        let importer = QHPImporter(options: ImportOptions(maxRejects: maxRejects))
        let error = try #require(throws: ImportError.self) { try importer.importFiles(inputs, into: sink, progress: nil) }
        guard case .invalidRows(let problems, _) = error else {
            Issue.record("expected invalid rows, got \(error.localizedDescription)")
            throw error
        }
        return (problems, sink)
    }
}

extension InMemoryImportSink {
    /// The cost share of `plan`, `tier`, `channel` and days' supply.
    func costShare(_ plan: String, _ tier: String, _ channel: PharmacyChannel, days: Int?) -> CostShare? {
        costShares.first { $0.plan.rawValue == plan && $0.tierCode == tier && $0.channel == channel && $0.daysSupply == days }
    }

    /// The entry of `plan` for `rxcui`.
    func entry(_ plan: String, rxcui: String?) -> FormularyEntry? {
        entries.first { $0.scope == .formulary(FormularyID(plan)) && $0.drug.rxcui?.rawValue == rxcui }
    }

    func tier(_ plan: String, _ code: String) -> TierDefinition? {
        tiers.first { $0.formulary.rawValue == plan && $0.sourceCode == code }
    }
}
