import Foundation
import Testing
import FormularyCriteria
import FormularyModel

/// The tests' copy of the shared acceptance scenarios stays equal to the shared file, and the
/// tests' adapter writes each scenario as a documented profile the product reads.
@Suite("Scenario file")
struct ScenarioFileTests {
    /// `shared/` sits beside the repository checkout (`<repo>/../shared`); a clean clone elsewhere
    /// may not have it.
    static let sharedFile = Fixtures.repositoryRoot.deletingLastPathComponent().appendingPathComponent("shared/scenarios/scenarios.json").path
    static let sharedPresent = FileManager.default.fileExists(atPath: sharedFile)

    /// Both files parsed, without the copy's `source` provenance line.
    static func comparable(_ path: String) throws -> JSONValue {
        guard case .object(var object) = try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: path))) else {
            throw ScenarioProfiles.AdapterError("\(path) is not a JSON object")
        }
        object["source"] = nil
        return .object(object)
    }

    @Test("the tests' copy equals ../shared/scenarios/scenarios.json (ignoring its source line)",
          .enabled(if: sharedPresent, "../shared/scenarios/scenarios.json is not beside this checkout; the copy cannot be compared here"))
    func copyMatchesShared() throws {
        let copy = try Self.comparable(Fixtures.scenariosFile)
        let shared = try Self.comparable(Self.sharedFile)
        guard copy != shared else { return }
        // Name what differs: the top-level keys, then each scenario by id.
        var differences: [String] = []
        let (copyObject, sharedObject) = (copy.object ?? [:], shared.object ?? [:])
        for key in Set(copyObject.keys).union(sharedObject.keys).sorted() where key != "scenarios" && copyObject[key] != sharedObject[key] {
            differences.append(key)
        }
        let copyScenarios = Dictionary((copyObject["scenarios"]?.array ?? []).map { ($0.object?["id"]?.string ?? "?", $0) }, uniquingKeysWith: { $1 })
        let sharedScenarios = Dictionary((sharedObject["scenarios"]?.array ?? []).map { ($0.object?["id"]?.string ?? "?", $0) }, uniquingKeysWith: { $1 })
        for id in Set(copyScenarios.keys).union(sharedScenarios.keys).sorted() where copyScenarios[id] != sharedScenarios[id] {
            let (mine, theirs) = (copyScenarios[id]?.object ?? [:], sharedScenarios[id]?.object ?? [:])
            let keys = Set(mine.keys).union(theirs.keys).filter { mine[$0] != theirs[$0] }.sorted()
            differences.append("\(id): \(keys.joined(separator: ", "))")
        }
        if differences.isEmpty { differences.append("scenario order") }
        Issue.record("Tests/FormularyAnalysisTests/Scenarios/scenarios.json differs from \(Self.sharedFile) in \(differences.joined(separator: "; ")); copy the shared file again (keep the source line)")
    }

    @Test("the copy says where it came from")
    func provenance() throws {
        let root = try JSONValue.parse(Data(contentsOf: URL(fileURLWithPath: Fixtures.scenariosFile)))
        #expect(root.object?["source"]?.string?.contains("shared/scenarios/scenarios.json") == true)
    }

    @Test("the comparison sees a changed expectation")
    func comparisonDetectsChange() throws {
        let copy = try Self.comparable(Fixtures.scenariosFile)
        guard case .object(var root) = copy, case .array(var scenarios)? = root["scenarios"], case .object(var first) = scenarios[0],
              case .object(var expected)? = first["expected"] else {
            Issue.record("unexpected scenario file shape")
            return
        }
        expected["Spravato"] = .string("PA_NOT_MET")
        first["expected"] = .object(expected)
        scenarios[0] = .object(first)
        root["scenarios"] = .array(scenarios)
        #expect(JSONValue.object(root) != copy)
        root["source"] = .string("anything")
        #expect(try Self.comparable(Fixtures.scenariosFile) == copy, "the source line is ignored")
    }

    @Test("the product reads the documented format only: the scenarios file itself is refused, naming the key")
    func scenariosFileIsNotAProfile() throws {
        do {
            _ = try PatientLoader.load(path: Fixtures.scenariosFile, reference: Fixtures.shared.reference)
            Issue.record("the scenarios file loaded as a profile")
        } catch DocumentError.invalid(let file, let issues) {
            #expect(file == Fixtures.scenariosFile)
            #expect(issues.map(\.fieldPath) == ["source", "scenarios"], "\(issues.map(\.description))")
            #expect(issues.allSatisfy { $0.kind == .unknownKey })
            #expect(issues.last?.line == 4)
        }
    }

    @Test("each scenario becomes a documented profile: schema, plans, trials, current without end")
    func generatedProfile() throws {
        let s1 = ScenarioCase.named("S1")
        #expect(s1.yaml.contains("schema: formulary-patient/1\nid: \"S1\"\n"))
        #expect(s1.yaml.contains("plans:\n  - \"A-2025-07\"\n"))
        #expect(s1.yaml.contains("trials:\n  - {drug: \"sertraline\", mgPerDay: 150, start: 2024-01-10, end: 2024-04-30, outcome: \"inadequate\"}\n"))
        #expect(s1.yaml.contains("current:\n  - {drug: \"duloxetine\", mgPerDay: 60, start: 2025-01-06, outcome: \"partial\"}\n"))
        #expect(!s1.yaml.contains("expected") && !s1.yaml.contains("history"))
        #expect(s1.profile.plans == ["A-2025-07"])
        #expect(s1.profile.trials.map(\.ref) == ["trials[0]", "trials[1]", "current[0]"])
        #expect(s1.profile.trials.last?.end == nil)
        #expect(s1.profile.flags.prescriberSpecialty == "psychiatry")
    }

    @Test("S7's fill pattern becomes 25 explicit monthly claims, labeler X through 2025-01-03, then Y")
    func s7Claims() throws {
        let claims = ScenarioCase.named("S7").profile.claims
        #expect(claims.count == 25)
        #expect(claims.first?.fillDate == Fixtures.day("2023-03-01"))
        #expect(claims.allSatisfy { $0.rxcui == RxCUI("993557") && $0.daysSupply == 30 && $0.drug == "bupropion XL 300 mg" })
        let x = claims.filter { $0.labeler == "90001" }
        let y = claims.filter { $0.labeler == "90002" }
        #expect(x.count == 23 && y.count == 2)
        #expect(x.last?.fillDate == Fixtures.day("2025-01-03"), "the last labeler-X fill moves to its through date")
        #expect(y.map(\.fillDate) == [Fixtures.day("2025-02-01"), Fixtures.day("2025-03-01")])
    }

    @Test("the adapter refuses what it does not understand")
    func adapterErrors() throws {
        let unknown: [String: JSONValue] = ["id": .string("X1"), "insurer": .string("?")]
        #expect(throws: ScenarioProfiles.AdapterError.self) { try ScenarioProfiles.yaml(unknown, lookup: { _ in nil }) }
        let badPattern: [String: JSONValue] = ["id": .string("X2"), "asOf": .string("2025-03-10"),
                                               "fills": .object(["drug": .string("bupropion XL 300 mg"), "scdRxcui": .string("LOOKUP"),
                                                                 "pattern": .string("weekly since 2023-03-01")])]
        do {
            _ = try ScenarioProfiles.yaml(badPattern, lookup: { _ in "993557" })
            Issue.record("expected an adapter error")
        } catch let error as ScenarioProfiles.AdapterError {
            #expect(error.description == "scenario X2: fills.pattern \"weekly since 2023-03-01\": expected \"monthly N-day fills since YYYY-MM-DD\"")
        }
        let noProduct: [String: JSONValue] = ["id": .string("X3"), "asOf": .string("2025-03-10"),
                                              "fills": .object(["drug": .string("unobtainium 5 mg"), "scdRxcui": .string("LOOKUP (same)"),
                                                                "pattern": .string("monthly 30-day fills since 2025-01-01")])]
        do {
            _ = try ScenarioProfiles.yaml(noProduct, lookup: ScenarioCase.lookup)
            Issue.record("expected an adapter error")
        } catch let error as ScenarioProfiles.AdapterError {
            #expect(error.description == "scenario X3: LOOKUP found no product named \"unobtainium 5 mg\"")
        }
    }
}
