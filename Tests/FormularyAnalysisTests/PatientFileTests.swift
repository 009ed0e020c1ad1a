import Foundation
import Testing
import FormularyAnalysis
import FormularyCriteria
import FormularyModel

/// The documented patient files load, and each scenario's YAML twin gives the scenario's verdicts.
@Suite("Patient files")
struct PatientFileTests {
    static let files = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.patientsFolder))?.filter { $0.hasSuffix(".yaml") }.sorted() ?? []

    @Test("every bundled profile loads", arguments: files)
    func loads(file: String) throws {
        let profile = try PatientLoader.load(path: Fixtures.patientsFolder + "/" + file, reference: Fixtures.shared.reference)
        #expect(!profile.plans.isEmpty)
        #expect(profile.asOf != nil)
    }

    @Test("YAML twins match the scenario verdicts", arguments: [("S1", "s1-baseline"), ("S2", "s2-seizure"), ("S4", "s4-rexulti"), ("S6", "s6-postpartum"), ("S7", "s7-labeler-switch")])
    func twins(scenario id: String, file: String) throws {
        let scenario = ScenarioCase.named(id)
        let yaml = try PatientLoader.load(path: "\(Fixtures.patientsFolder)/\(file).yaml", reference: Fixtures.shared.reference)
        let names = scenario.expected.compactMap { ScenarioCase.optionName(forKey: $0.key) }
        let request = AnalysisRequest(patient: yaml, asOf: try #require(yaml.asOf), options: names)
        let plan = try #require(try Fixtures.shared.analyzer.analyze(request, coverage: Fixtures.shared.formularyA).plans.first)
        for (key, text) in scenario.expected {
            guard let name = ScenarioCase.optionName(forKey: key) else { continue }
            #expect(plan.option(name)?.verdict.rawValue == String(text.prefix { $0 != " " }), "\(file) \(key)")
        }
    }

    @Test("S7 fill pattern from the scenario equals the explicit YAML fills (dates and labeler change)")
    func s7Fills() throws {
        let json = ScenarioCase.named("S7").profile.claims
        let yaml = try PatientLoader.load(path: Fixtures.patientsFolder + "/s7-labeler-switch.yaml").claims
        #expect(json.map(\.fillDate) == yaml.map(\.fillDate))
        #expect(json.allSatisfy { $0.rxcui == RxCUI("993557") }, "LOOKUP resolves bupropion XL 300 mg to SCD 993557")
        #expect(Set(json.compactMap(\.labeler)).count == 2 && Set(yaml.compactMap(\.labeler)).count == 2)
        #expect(json.last { $0.labeler == json.first?.labeler }?.fillDate == Fixtures.day("2025-01-03"))
    }

    @Test("errors name file, field path and value")
    func errors() throws {
        let text = """
        schema: formulary-patient/1
        plans: [A-2025-07]
        trials:
          - {drug: sertraline, start: 2024-13-01}
          - {drug: sertraline, start: 2024-01-01, outcome: maybe}
        flags: {remsSite: perhaps, colour: blue}
        """
        do {
            _ = try PatientLoader.load(text: text, file: "bad-patient.yaml")
            Issue.record("expected an error")
        } catch DocumentError.invalid(let file, let issues) {
            #expect(file == "bad-patient.yaml")
            #expect(issues.contains { $0.fieldPath == "trials[0].start" && $0.value == "2024-13-01" && $0.line == 4 })
            #expect(issues.contains { $0.fieldPath == "trials[1].outcome" && $0.value == "maybe" })
            #expect(issues.contains { $0.fieldPath == "flags.remsSite" && $0.value == "perhaps" && $0.line == 6 })
            #expect(issues.contains { $0.kind == .unknownKey && $0.fieldPath == "flags.colour" })
        }
    }
}
