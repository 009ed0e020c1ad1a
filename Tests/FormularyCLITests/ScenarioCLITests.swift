import Foundation
import Testing

/// The shared acceptance scenarios through the built binary: the tests' adapter
/// (`ScenarioProfiles`, shared with the analysis tests) writes each scenario as a documented YAML
/// profile, and `formulary analyze --patient FILE --json` on it gives the expected verdict for
/// every option the scenario names. (The analyzer's own tests check the same scenarios, and the
/// step and safety details, through the API.)
@Suite("acceptance scenarios through the CLI", .serialized)
struct ScenarioCLITests {
    static let scenariosFile = CLIHarness.repo("Tests/FormularyAnalysisTests/Scenarios/scenarios.json")

    /// Scenario keys that are not option names: the option to ask for instead.
    static let optionNames = ["bupropionXLGeneric": "bupropion", "WellbutrinXLBrand": "Wellbutrin XL"]

    static let verdicts: Set<String> = ["COVERED_NO_UM", "COVERED_PA_MET", "PA_NOT_MET", "ST_MET", "ST_NOT_MET", "NEEDS_DOCUMENTATION",
                                        "NOT_COVERED", "CONTRAINDICATED"]

    /// Scenario id → (option name as the scenario writes it, expected verdict word).
    static func expectations(_ scenario: [String: JSONValue]) -> [(option: String, verdict: String)] {
        ScenarioProfiles.expected(scenario).compactMap { key, text in
            let word = String(text.prefix { $0 != " " })
            return verdicts.contains(word) ? (key, word) : nil
        }
    }

    /// `LOOKUP` for the CLI tests, which link no drug reference: the one SCD in the bundled RxNorm
    /// subset whose name has every word of the description, with `XL` read as RxNorm's `24 HR`
    /// and `300 mg` as `300 MG`.
    static func lookup(_ description: String) -> String? {
        guard let text = try? String(contentsOfFile: CLIHarness.repo("Formularies/reference/rxnorm_subset.csv"), encoding: .utf8) else { return nil }
        let words = description.lowercased().split(separator: " ").map(String.init)
        var needles: [String] = []
        for (index, word) in words.enumerated() {
            switch word {
            case "xl": needles.append("24 hr")
            case "sr": needles.append("12 hr")
            case "xr", "er": needles.append("extended release")
            case "mg": continue
            default:
                if let number = Double(word) {
                    needles.append(index + 1 < words.count && words[index + 1] == "mg" ? "\(word) mg" : "\(Int(number))")
                } else {
                    needles.append(word)
                }
            }
        }
        let matches = text.split(whereSeparator: \.isNewline).dropFirst().compactMap { line -> String? in
            let fields = line.split(separator: ",", maxSplits: 3, omittingEmptySubsequences: false)
            guard fields.count == 4, fields[1] == "SCD" else { return nil }
            let name = fields[2].lowercased()
            return needles.allSatisfy { name.contains($0) } ? String(fields[0]) : nil
        }
        return matches.count == 1 ? matches[0] : nil
    }

    @Test("the CLI's LOOKUP finds bupropion XL 300 mg as SCD 993557, and nothing for an unknown product")
    func lookupResolves() {
        #expect(Self.lookup("bupropion XL 300 mg") == "993557")
        #expect(Self.lookup("bupropion XL 999 mg") == nil)
    }

    @Test("every scenario's expected verdicts come out of formulary analyze --patient GENERATED.yaml --json")
    func scenarios() throws {
        let cli = try CLIHarness()
        _ = try cli.succeed(["import", "Formularies/reference/rxnorm_subset.csv"])
        _ = try cli.succeed(["import", "Formularies/qhp/reference-a"])
        let scenarios = try ScenarioProfiles.scenarios(file: Self.scenariosFile)
        #expect(scenarios.compactMap { $0["id"]?.string } == ["S1", "S2", "S4", "S6", "S7"])
        var checked = 0
        for scenario in scenarios {
            let id = try #require(scenario["id"]?.string)
            let yaml = try ScenarioProfiles.yaml(scenario, lookup: Self.lookup)
            if id == "S7" { #expect(yaml.contains("rxcui: \"993557\""), "LOOKUP resolved: \(yaml.prefix(600))") }
            let file = cli.directory.appendingPathComponent("scenario-\(id).yaml")
            try Data(yaml.utf8).write(to: file)
            // Ask for each named option alone, so the answer is that option's.
            for expectation in Self.expectations(scenario) {
                let name = Self.optionNames[expectation.option] ?? expectation.option
                let output = try cli.succeed(["analyze", "--patient", file.path, "--option", name, "--json"])
                let json = try #require(try CLIHarness.json(output) as? [String: Any])
                #expect(json["patient"] as? String == id)
                let plans = try #require(json["plans"] as? [[String: Any]])
                #expect(plans.count == 1, "\(id): one plan, \(plans.compactMap { $0["planLabel"] as? String })")
                let options = try #require(plans.first?["options"] as? [[String: Any]])
                #expect(options.count == 1, "\(id) \(name)")
                #expect(options.first?["verdict"] as? String == expectation.verdict, "\(id) \(expectation.option)")
                checked += 1
            }
        }
        #expect(checked >= 18)
    }

    @Test("--scenario is gone: the product reads profiles only")
    func noScenarioOption() throws {
        let cli = try CLIHarness()
        let result = try cli.run(["analyze", "--patient", Self.scenariosFile, "--scenario", "S1"], database: false)
        #expect(result.status == 64, "\(result.status) \(result.stderr)")
        #expect(result.stderr.contains("Unknown option '--scenario'"), "\(result.stderr)")
    }
}
