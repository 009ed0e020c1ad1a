import Foundation
import FormularyAnalysis
import FormularyCriteria
import FormularyModel
import FormularyRecords

/// Paths and loaded documents for the records tests. The shared samples are read in place from
/// `<repository>/../shared/samples/patient-records`; tests that need them are skipped, with a
/// message, when that folder is missing.
enum RecordsFixtures {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let repositoryRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
    static let formularies = repositoryRoot.appendingPathComponent("Formularies")
    static let samplesFolder = repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/samples/patient-records")
    /// The copy of the shared acceptance scenarios the analyzer tests keep.
    static let scenariosFile = repositoryRoot.appendingPathComponent("Tests/FormularyAnalysisTests/Scenarios/scenarios.json").path

    static var samplesPresent: Bool { FileManager.default.fileExists(atPath: samplesFolder.path) }
    static let missingSamples = "the shared samples are not at ../shared/samples/patient-records next to the repository"

    /// Every sample data file (not PROVENANCE.md), sorted.
    static var sampleFiles: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: samplesFolder.path)) ?? []).filter { $0 != "PROVENANCE.md" }.sorted()
    }

    static func sample(_ name: String) -> URL { samplesFolder.appendingPathComponent(name) }

    static let shared: Loaded = {
        do { return try Loaded() } catch { fatalError("records fixtures failed to load: \(error)") }
    }()

    struct Loaded: Sendable {
        let reference: DrugReference
        let criteria: CriteriaSet
        let analyzer: TRDAnalyzer

        init() throws {
            reference = try DrugReferenceLoader.load(directory: RecordsFixtures.formularies.appendingPathComponent("reference").path)
            criteria = try CriteriaLoader(reference: reference).loadDirectory(RecordsFixtures.formularies.appendingPathComponent("criteria").path)
            analyzer = TRDAnalyzer(reference: reference, criteria: criteria)
        }
    }

    /// An importer over the bundled drug reference, with an optional NDC map.
    static func importer(ndcs: [String: String] = [:], label: String? = nil) -> RecordsImporter {
        RecordsImporter(reference: shared.reference, ndcLookup: { wanted in ndcs.filter { wanted.contains($0.key) } }, label: label)
    }

    /// A scratch folder, removed by the caller.
    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("records-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func write(_ text: String, to folder: URL, name: String) throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }

    static func day(_ text: String) -> Day {
        guard let day = Day(text) else { fatalError("bad date \(text)") }
        return day
    }
}
