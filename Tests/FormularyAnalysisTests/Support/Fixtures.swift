import Foundation
import FormularyAnalysis
import FormularyCriteria
import FormularyModel

/// Paths and shared loaded values for the tests. The test target declares no resources, so
/// files are found relative to this source file: the repository's `Formularies/` folder and
/// the scenario copy next to the tests.
enum Fixtures {
    static let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    static let repositoryRoot = testsFolder.deletingLastPathComponent().deletingLastPathComponent()
    static let formularies = repositoryRoot.appendingPathComponent("Formularies")
    static let referenceFolder = formularies.appendingPathComponent("reference").path
    static let criteriaFolder = formularies.appendingPathComponent("criteria").path
    static let patientsFolder = formularies.appendingPathComponent("patients").path
    static let qhpFolder = formularies.appendingPathComponent("qhp/reference-a").path
    static let scenariosFile = testsFolder.appendingPathComponent("Scenarios/scenarios.json").path

    /// Loaded once: the reference, the criteria set and Formulary A's in-memory coverage.
    static let shared: Loaded = {
        do { return try Loaded() } catch { fatalError("fixtures failed to load: \(error)") }
    }()

    struct Loaded: Sendable {
        let reference: DrugReference
        let criteria: CriteriaSet
        let formularyA: InMemoryCoverageProvider
        let analyzer: TRDAnalyzer

        init() throws {
            reference = try DrugReferenceLoader.load(directory: Fixtures.referenceFolder)
            criteria = try CriteriaLoader(reference: reference).loadDirectory(Fixtures.criteriaFolder)
            formularyA = try QHPFixture.provider(folder: Fixtures.qhpFolder)
            analyzer = TRDAnalyzer(reference: reference, criteria: criteria)
        }
    }

    static func day(_ text: String) -> Day {
        guard let day = Day(text) else { fatalError("bad date \(text)") }
        return day
    }
}
