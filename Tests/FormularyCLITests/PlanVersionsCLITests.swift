import Foundation
import Testing

/// Several plans or policy versions through the binary (issue 13 §4): two `--plan` flags naming
/// versions of one plan, or a profile listing both, give one labelled result per version.
@Suite("plan versions through the CLI", .serialized)
struct PlanVersionsCLITests {
    /// S1's history without a current antidepressant: Spravato differs between A-2025-01 (needs
    /// an oral antidepressant claim covering the as-of date) and A-2025-07.
    static func profile(plans: String) -> String {
        """
        schema: formulary-patient/1
        id: V1
        asOf: 2025-03-20
        patient: {age: 42, sex: F, state: AZ}
        plans: \(plans)
        diagnoses:
          - {code: F33.2, episodeStart: 2023-12-01}
        scores:
          - {scale: PHQ-9, value: 19, date: 2025-03-10}
        flags: {prescriberSpecialty: psychiatry, remsSite: true, pdmpAttested: true}
        trials:
          - {drug: sertraline, mgPerDay: 150, start: 2024-01-10, end: 2024-04-30, outcome: inadequate}
          - {drug: venlafaxine, mgPerDay: 225, start: 2024-05-10, end: 2024-08-31, outcome: inadequate}
        """
    }

    static func labelsAndVerdicts(_ output: String) throws -> [String] {
        let json = try #require(try CLIHarness.json(output) as? [String: Any])
        let plans = try #require(json["plans"] as? [[String: Any]])
        return plans.map { plan in
            let verdict = (plan["options"] as? [[String: Any]])?.first?["verdict"] as? String ?? "none"
            return "\(plan["planLabel"] as? String ?? "no label"): \(verdict)"
        }
    }

    @Test("two --plan versions, or plans: [A-2025-01, A-2025-07], analyze and label each version")
    func twoVersions() throws {
        let cli = try CLIHarness()
        _ = try cli.succeed(["import", "Formularies/reference/rxnorm_subset.csv"])
        _ = try cli.succeed(["import", "Formularies/qhp/reference-a"])
        let single = cli.directory.appendingPathComponent("v1.yaml")
        try Data(Self.profile(plans: "[99990AZ0010001]").utf8).write(to: single)
        let flags = try cli.succeed(["analyze", "--patient", single.path, "--plan", "A-2025-01", "--plan", "A-2025-07", "--option", "Spravato", "--json"])
        #expect(try Self.labelsAndVerdicts(flags) == ["99990AZ0010001 (A-2025-01): PA_NOT_MET", "99990AZ0010001 (A-2025-07): COVERED_PA_MET"])

        let both = cli.directory.appendingPathComponent("v2.yaml")
        try Data(Self.profile(plans: "[A-2025-01, A-2025-07]").utf8).write(to: both)
        let listed = try cli.succeed(["analyze", "--patient", both.path, "--option", "Spravato", "--json"])
        #expect(try Self.labelsAndVerdicts(listed) == ["99990AZ0010001 (A-2025-01): PA_NOT_MET", "99990AZ0010001 (A-2025-07): COVERED_PA_MET"])
        let text = try cli.succeed(["analyze", "--patient", both.path, "--option", "Spravato"])
        #expect(text.contains("version A-2025-01 (pinned)") && text.contains("version A-2025-07 (pinned)"), "\(text)")

        let repeated = try cli.succeed(["analyze", "--patient", single.path, "--plan", "A-2025-07", "--plan", "A-2025-07", "--option", "Spravato", "--json"])
        let plans = try #require((try CLIHarness.json(repeated) as? [String: Any])?["plans"] as? [[String: Any]])
        #expect(plans.count == 1)
        #expect((plans.first?["notes"] as? [String])?.contains("99990AZ0010001 (A-2025-07) was named 2 times (A-2025-07, A-2025-07): analyzed once") == true)

        let out = cli.directory.appendingPathComponent("out").path
        let compare = try cli.succeed(["report", "compare", "--patient", both.path, "--plans", "A-2025-01,A-2025-07", "--format", "md", "--out", out])
        let path = try #require(compare.split(separator: "\n").first.map(String.init))
        let markdown = try String(contentsOfFile: path, encoding: .utf8)
        #expect(markdown.contains("criteria A\\-2025\\-01") || markdown.contains("criteria A-2025-01"), "\(markdown.prefix(3000))")
        #expect(markdown.contains("criteria A\\-2025\\-07") || markdown.contains("criteria A-2025-07"))
    }
}
