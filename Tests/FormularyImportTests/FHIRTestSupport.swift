import Foundation
import FormularyImport
import FormularyModel
import Testing

/// Fixture access and one-call imports for the FHIR tests.
enum FHIRFixtures {
    /// `Fixtures/fhir`.
    static func folder() throws -> URL {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return fixtures.appendingPathComponent("fhir", isDirectory: true)
    }

    /// A fixture by its path under `Fixtures/fhir` (`stu2.0.1/json/Basic-FormularyItem-D1002-1049640.json`).
    static func url(_ path: String) throws -> URL {
        try folder().appendingPathComponent(path)
    }

    /// Every JSON sample, as paths under `Fixtures/fhir` (`stu2.0.1/json/…`), sorted. The XML twin of
    /// each is the same path with `xml` for `json`.
    static let jsonSamples: [String] = {
        guard let base = Bundle.module.url(forResource: "Fixtures", withExtension: nil)?.appendingPathComponent("fhir"),
              let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil) else { return [] }
        var found: [String] = []
        for case let url as URL in walker where url.pathExtension == "json" {
            found.append(url.pathComponents.suffix(3).joined(separator: "/"))
        }
        return found.sorted()
    }()

    static func xmlTwin(of json: String) -> String {
        json.replacingOccurrences(of: "/json/", with: "/xml/").replacingOccurrences(of: ".json", with: ".xml")
    }

    /// Imports `inputs` into a fresh in-memory sink.
    static func run(_ inputs: [URL], maxRejects: Int = 0) throws -> (sink: InMemoryImportSink, outcome: ImportOutcome) {
        let sink = InMemoryImportSink()
        let outcome = try FHIRImporter(options: ImportOptions(maxRejects: maxRejects)).importFiles(inputs, into: sink, progress: nil)
        return (sink, outcome)
    }

    static func run(_ paths: String..., maxRejects: Int = 0) throws -> (sink: InMemoryImportSink, outcome: ImportOutcome) {
        try run(paths.map { try url($0) }, maxRejects: maxRejects)
    }

    /// The problems of the `ImportError.invalidRows` that importing `inputs` must throw, and the sink
    /// as the failed import left it.
    static func problems(_ inputs: [URL], maxRejects: Int = 0) throws -> (problems: [RowProblem], sink: InMemoryImportSink) {
        let sink = InMemoryImportSink()
        let importer = FHIRImporter(options: ImportOptions(maxRejects: maxRejects))
        let error = try #require(throws: ImportError.self) { try importer.importFiles(inputs, into: sink, progress: nil) }
        guard case .invalidRows(let problems, _) = error else {
            Issue.record("expected invalid rows, got \(error.localizedDescription)")
            throw error
        }
        return (problems, sink)
    }

    /// Writes `text` to a new file named `name` in a new temporary folder.
    static func temporaryFile(_ name: String, _ bytes: [UInt8]) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("fhir-test-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let url = folder.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url
    }

    static func temporaryFile(_ name: String, _ text: String) throws -> URL {
        try temporaryFile(name, Array(text.utf8))
    }
}

extension InMemoryImportSink {
    /// The entry of `formulary` for `rxcui`.
    func fhirEntry(_ formulary: String, rxcui: String) -> FormularyEntry? {
        entries.first { $0.scope == .formulary(FormularyID(formulary)) && $0.drug.rxcui?.rawValue == rxcui }
    }

    func fhirCost(_ plan: String, _ tier: String, _ channel: PharmacyChannel, days: Int?) -> CostShare? {
        costShares.first { $0.plan.rawValue == plan && $0.tierCode == tier && $0.channel == channel && $0.daysSupply == days }
    }
}
