import Foundation
import Testing

/// The shared acceptance scenarios through the built binary: `formulary analyze --json` on each
/// bundled scenario patient gives the expected verdict for every option the scenario names.
/// (The analyzer's own tests check the same scenarios, and the step and safety details, through
/// the API.)
@Suite("acceptance scenarios through the CLI", .serialized)
struct ScenarioCLITests {
    /// Scenario keys that are not option names: the option to ask for instead.
    static let optionNames = ["bupropionXLGeneric": "bupropion", "WellbutrinXLBrand": "Wellbutrin XL"]

    static let patients = ["S1": "s1-baseline.yaml", "S2": "s2-seizure.yaml", "S4": "s4-rexulti.yaml", "S6": "s6-postpartum.yaml",
                           "S7": "s7-labeler-switch.yaml"]

    /// Scenario id → (option name as the scenario writes it, expected verdict word).
    static func expectations() throws -> [(scenario: String, option: String, verdict: String)] {
        let url = CLIHarness.repository.appendingPathComponent("Tests/FormularyAnalysisTests/Scenarios/scenarios.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let scenarios = try #require(root["scenarios"] as? [[String: Any]])
        var result: [(String, String, String)] = []
        for scenario in scenarios {
            guard let id = scenario["id"] as? String, let expected = scenario["expected"] as? [String: Any] else { continue }
            for (option, value) in expected {
                guard let text = value as? String, let word = text.split(separator: " ").first,
                      ["COVERED_NO_UM", "COVERED_PA_MET", "PA_NOT_MET", "ST_MET", "ST_NOT_MET", "NEEDS_DOCUMENTATION", "NOT_COVERED",
                       "CONTRAINDICATED"].contains(String(word)) else { continue }
                result.append((id, option, String(word)))
            }
        }
        return result
    }

    @Test("every scenario's expected verdicts come out of formulary analyze --json")
    func scenarios() throws {
        let cli = try CLIHarness()
        _ = try cli.succeed(["import", "Formularies/reference/rxnorm_subset.csv"])
        _ = try cli.succeed(["import", "Formularies/qhp/reference-a"])
        let expectations = try Self.expectations()
        #expect(expectations.count >= 18)
        var checked = 0
        for (scenario, file) in Self.patients.sorted(by: { $0.key < $1.key }) {
            // Ask for each named option alone, so the answer is that option's.
            for expectation in expectations where expectation.scenario == scenario {
                let name = Self.optionNames[expectation.option] ?? expectation.option
                let output = try cli.succeed(["analyze", "--patient", "Formularies/patients/\(file)", "--option", name, "--json"])
                let json = try #require(try CLIHarness.json(output) as? [String: Any])
                let options = try #require((json["plans"] as? [[String: Any]])?.first?["options"] as? [[String: Any]])
                #expect(options.count == 1, "\(scenario) \(name)")
                #expect(options.first?["verdict"] as? String == expectation.verdict, "\(scenario) \(expectation.option)")
                checked += 1
            }
        }
        #expect(checked == expectations.count)
    }
}
