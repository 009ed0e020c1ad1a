import Foundation
import Testing
import FormularyAnalysis
import FormularyCriteria

/// The JSON output is a contract for reports and other programs: stable keys, a schema version,
/// and it round-trips.
@Suite("Output contract")
struct OutputContractTests {
    @Test("JSON has schemaVersion and the documented keys, and decodes back to the same value")
    func json() throws {
        let scenario = ScenarioCase.named("S7")
        let request = AnalysisRequest(patient: scenario.profile, asOf: try #require(scenario.profile.asOf), options: ["Wellbutrin XL", "bupropion", "Spravato"])
        let result = try Fixtures.shared.analyzer.analyze(request, coverage: Fixtures.shared.formularyA)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(result)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["schemaVersion"] as? String == "1.1")
        #expect(object["asOf"] as? String == "2025-03-10")
        let plan = try #require((object["plans"] as? [[String: Any]])?.first)
        for key in ["planId", "criteria", "options", "trials", "events", "regimenSafety", "unrecognizedDrugs", "notes"] {
            #expect(plan[key] != nil, "plan key \(key)")
        }
        let option = try #require((plan["options"] as? [[String: Any]])?.first)
        for key in ["optionId", "verdict", "reachableNow", "basis", "coverage", "rules", "safety", "exceptionGrounds", "lookbackExpiries", "rank", "summary"] {
            #expect(option[key] != nil, "option key \(key)")
        }
        let event = try #require((plan["events"] as? [[String: Any]])?.first)
        #expect(event["kind"] as? String == "MANUFACTURER_SWITCH")
        #expect(event["date"] as? String == "2025-02-01")
        let decoded = try JSONDecoder().decode(AnalysisResult.self, from: data)
        #expect(decoded == result)
    }

    @Test("the precheck checklist lists each criterion with a mark and the documentation still needed")
    func precheckText() throws {
        let plan = try ScenarioCase.named("S6").run(options: ["Spravato"])
        let option = try #require(plan.option("Spravato"))
        let text = AnalysisText.precheck(option, plan: plan, asOf: Fixtures.day("2025-07-01"))
        #expect(text.contains("verdict: PA_NOT_MET"))
        #expect(text.contains("[✗] ≥ 2 ADQ-TRD trials"))
        #expect(text.contains("[?] PDMP check attested"))
        #expect(text.contains("documentation still needed:"))
    }
}
