import Foundation
import Testing
import FormularyAnalysis
import FormularyCriteria
import FormularyModel
import FormularyRecords

/// Every shared acceptance scenario, written out as a profile (the tests' adapter), then as FHIR
/// records (`FHIRBundleWriter`: claims, chart trials, conditions, procedures, scores, the patient)
/// plus a small overlay for what FHIR has no place for, imported back: the analysis gives the
/// same verdict for every option as from the profile.
@Suite("Round trip: scenario profiles → FHIR → import")
struct RoundTripTests {
    struct Scenario: Sendable, CustomStringConvertible {
        var id: String
        var yaml: String
        var description: String { id }
    }

    static let scenarios: [Scenario] = {
        let reference = RecordsFixtures.shared.reference
        let lookup: (String) -> String? = { reference.product(named: $0)?.rxcui.rawValue }
        guard let list = try? ScenarioProfiles.scenarios(file: RecordsFixtures.scenariosFile) else { return [] }
        return list.compactMap { scenario in
            guard let yaml = try? ScenarioProfiles.yaml(scenario, lookup: lookup) else { return nil }
            return Scenario(id: scenario["id"]?.string ?? "?", yaml: yaml)
        }
    }()

    static let coverage: InMemoryCoverageProvider? = try? QHPFixture.provider(folder: RecordsFixtures.formularies.appendingPathComponent("qhp/reference-a").path)

    enum Serialization: String, CaseIterable, Sendable { case json, ndjson, xml }

    @Test("the five shared scenarios are here")
    func scenariosLoad() {
        #expect(Self.scenarios.map(\.id) == ["S1", "S2", "S4", "S6", "S7"])
    }

    @Test("same verdicts from the imported FHIR records as from the profile", arguments: scenarios, Serialization.allCases)
    func sameVerdicts(scenario: Scenario, serialization: Serialization) throws {
        let reference = RecordsFixtures.shared.reference
        let original = try PatientLoader.load(text: scenario.yaml, file: "scenario-\(scenario.id).yaml", reference: reference)
        let folder = try RecordsFixtures.scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let resources = FHIRBundleWriter.resources(for: original)
        let records: URL
        switch serialization {
        case .json:
            records = folder.appendingPathComponent("bundle.json")
            try FHIRBundleWriter.bundleJSON(resources).write(to: records)
        case .ndjson:
            records = folder.appendingPathComponent("export.ndjson")
            try FHIRBundleWriter.ndjson(resources).write(to: records)
        case .xml:
            records = folder.appendingPathComponent("bundle.xml")
            try Data(FHIRBundleWriter.bundleXML(resources).utf8).write(to: records)
        }
        let overlay = try RecordsFixtures.write(FHIRBundleWriter.overlay(for: original), to: folder, name: "overlay.yaml")
        let imported = try RecordsFixtures.importer().importRecords([records, overlay])
        // The profile written for review reads back to the same facts.
        let reloaded = try PatientLoader.load(text: imported.yaml(), file: "imported-\(scenario.id).yaml", reference: reference)
        #expect(reloaded.claims.count == original.claims.count, "\(scenario.id): fills")
        #expect(reloaded.scores.count == original.scores.count, "\(scenario.id): scores")
        #expect(Set(reloaded.diagnoses.map(\.code)) == Set(original.diagnoses.map(\.code)), "\(scenario.id): diagnoses")
        #expect(reloaded.demographics.deliveryDate == original.demographics.deliveryDate)
        #expect(reloaded.claims.allSatisfy { !$0.sources.isEmpty } && reloaded.scores.allSatisfy { !$0.sources.isEmpty }, "every fact names its source")

        let coverage = try #require(Self.coverage)
        let asOf = try #require(original.asOf)
        let options = reference.defaultOptions.map(\.id) + ["bupropion", "Wellbutrin XL", "vilazodone", "Zurzuvae"]
        func verdicts(_ profile: PatientProfile) throws -> [String: String] {
            let request = AnalysisRequest(patient: profile, plans: original.plans, asOf: asOf, options: options)
            let result = try RecordsFixtures.shared.analyzer.analyze(request, coverage: coverage)
            let plan = try #require(result.plans.first)
            return Dictionary(plan.options.map { ($0.optionID, $0.verdict.rawValue) }, uniquingKeysWith: { first, _ in first })
        }
        let expected = try verdicts(original)
        let actual = try verdicts(reloaded)
        // The score series reaches the analysis output, for the report's timeline.
        let analyzed = try RecordsFixtures.shared.analyzer.analyze(AnalysisRequest(patient: reloaded, plans: original.plans, asOf: asOf), coverage: coverage)
        let series = analyzed.plans.first?.scores ?? []
        #expect(series.map(\.value) == original.scores.filter { $0.date <= asOf }.sorted { ($0.date, $0.scale) < ($1.date, $1.scale) }.map(\.value))
        #expect(!expected.isEmpty)
        for (option, verdict) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(actual[option] == verdict, "\(scenario.id) (\(serialization.rawValue)) \(option): \(actual[option] ?? "missing") from the records, \(verdict) from the profile")
        }
    }
}
