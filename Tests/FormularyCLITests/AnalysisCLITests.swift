import Foundation
import Testing

/// Issue 13 through the binary: add-on or switch, the shortlist first, safety flags in the
/// ranked table, and medical-benefit items under a stand-alone Part D plan.
@Suite("analysis through the binary", .serialized)
struct AnalysisCLITests {
    static func prepared() throws -> CLIHarness {
        let cli = try CLIHarness()
        _ = try cli.succeed(["import", "Formularies/reference/rxnorm_subset.csv"])
        _ = try cli.succeed(["import", "Formularies/qhp/reference-a"])
        _ = try cli.succeed(["import", "Formularies/partd/2026Q1"])
        return cli
    }

    static let phenelzine = """
        schema: formulary-patient/1
        id: M1
        asOf: 2025-03-20
        patient: {age: 50, sex: F, state: AZ}
        plans: [99990AZ0010001]
        diagnoses: [{code: F33.2, episodeStart: 2024-01-01}]
        current:
          - {drug: phenelzine, mgPerDay: 45, start: 2025-01-06, outcome: partial}
        """

    @Test("sertraline with phenelzine: --as add-on is CONTRAINDICATED (S1); the default switch waits 14 days")
    func addOnOrSwitch() throws {
        let cli = try Self.prepared()
        let file = cli.directory.appendingPathComponent("m1.yaml")
        try Data(Self.phenelzine.utf8).write(to: file)
        let addOn = try #require(try CLIHarness.json(cli.succeed(["analyze", "--patient", file.path, "--option", "sertraline", "--as", "add-on", "--json"])) as? [String: Any])
        let added = try #require(((addOn["plans"] as? [[String: Any]])?.first?["options"] as? [[String: Any]])?.first)
        #expect(added["verdict"] as? String == "CONTRAINDICATED")
        #expect(added["use"] as? String == "add-on")
        #expect(added["reachableNow"] as? Bool == false)
        let switched = try #require(try CLIHarness.json(cli.succeed(["analyze", "--patient", file.path, "--option", "sertraline", "--json"])) as? [String: Any])
        let option = try #require(((switched["plans"] as? [[String: Any]])?.first?["options"] as? [[String: Any]])?.first)
        #expect(option["use"] as? String == "switch")
        #expect(option["earliestStart"] as? String == "2025-04-03")
        #expect(option["reachableNow"] as? Bool == false)
        let text = try cli.succeed(["analyze", "--patient", file.path, "--option", "sertraline"])
        #expect(text.contains("(switch) ⚠ S1 WASHOUT_REQUIRED"), "\(text)")
        #expect(try cli.run(["analyze", "--patient", file.path, "--as", "add-on"]).status == 64)
    }

    @Test("S1's text and JSON lead with a shortlist of at most five, Spravato and TMS with their reasons; tried drugs are marked")
    func shortlist() throws {
        let cli = try Self.prepared()
        let text = try cli.succeed(["analyze", "--patient", "Formularies/patients/s1-baseline.yaml"])
        let shortlist = try #require(text.components(separatedBy: "Next options (shortlist):").dropFirst().first?.components(separatedBy: "──").first)
        #expect(shortlist.contains("Spravato (esketamine) — COVERED_PA_MET, add-on"))
        #expect(shortlist.contains("TMS — COVERED_PA_MET, add-on"))
        #expect(shortlist.contains("PA criteria met: 3 qualifying"), "\(shortlist)")
        #expect(!shortlist.contains("duloxetine") && !shortlist.contains("sertraline"), "tried or current drugs are not next options")
        #expect(text.contains("── tried in this episode ──") && text.contains("── taken now ──"))
        #expect(text.contains("tried 2024-01-10 → 2024-04-30 150 mg/day, inadequate [trials[0]]"), "\(text)")
        let json = try #require(try CLIHarness.json(cli.succeed(["analyze", "--patient", "Formularies/patients/s1-baseline.yaml", "--json"])) as? [String: Any])
        #expect(json["schemaVersion"] as? String == "1.1")
        let plan = try #require((json["plans"] as? [[String: Any]])?.first)
        let items = try #require(plan["shortlist"] as? [[String: Any]])
        #expect((1...5).contains(items.count))
        #expect(items.allSatisfy { ($0["reason"] as? String)?.isEmpty == false })
        let options = try #require(plan["options"] as? [[String: Any]])
        let duloxetine = try #require(options.first { $0["optionId"] as? String == "duloxetine" })
        #expect((duloxetine["history"] as? [String: Any])?["status"] as? String == "current")
    }

    @Test("under a stand-alone PDP, Spravato and TMS are not Part D benefits, in analyze and in lookup alike")
    func pdpMedicalBenefit() throws {
        let cli = try Self.prepared()
        let json = try #require(try CLIHarness.json(cli.succeed(["analyze", "--patient", "Formularies/patients/medicare-continuing.yaml", "--plan", "S5990-002-000",
                                                                "--option", "Spravato", "--option", "TMS", "--json"])) as? [String: Any])
        let options = try #require((json["plans"] as? [[String: Any]])?.first?["options"] as? [[String: Any]])
        for option in options {
            #expect(option["verdict"] as? String == "NOT_COVERED")
            #expect(((option["coverage"] as? [String: Any])?["reason"] as? String)?.hasPrefix("not a Part D benefit: Medicare Part B or the medical plan decides") == true)
        }
        let lookup = try cli.succeed(["lookup", "--plan", "S5990-002-000", "--drug", "Spravato"])
        #expect(lookup.contains("\"Spravato\": not a Part D benefit: Medicare Part B or the medical plan decides"), "\(lookup)")
        let notes = try #require((json["plans"] as? [[String: Any]])?.first?["notes"] as? [String])
        #expect(notes.contains { $0.contains("contract year 2026") && $0.contains("2025") }, "\(notes)")
    }
}
