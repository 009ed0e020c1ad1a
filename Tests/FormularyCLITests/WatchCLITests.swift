import Foundation
import Testing

/// The watchlist through the binary: a saved patient, re-analyzed, and an alert when a verdict flips.
@Suite("watchlist and alerts", .serialized)
struct WatchCLITests {
    /// S1's history without a current antidepressant: under A-2025-01 Spravato needs an oral AD
    /// claim covering the as-of date; A-2025-07 (from 2025-07-01) dropped that requirement.
    static let profile = """
        schema: formulary-patient/1
        id: W1
        patient: {age: 42, sex: F, state: AZ}
        plans: [99990AZ0010001]
        diagnoses:
          - {code: F33.2, episodeStart: 2023-12-01}
        scores:
          - {scale: PHQ-9, value: 19, date: 2025-03-10}
        flags: {prescriberSpecialty: psychiatry, remsSite: true, pdmpAttested: true}
        trials:
          - {drug: sertraline, mgPerDay: 150, start: 2024-01-10, end: 2024-04-30, outcome: inadequate}
          - {drug: venlafaxine, mgPerDay: 225, start: 2024-05-10, end: 2024-08-31, outcome: inadequate}
        """

    @Test("a criteria version switch flips Spravato and writes a Markdown and JSON alert with mode 0600, naming no patient")
    func criteriaSwitchAlert() throws {
        let cli = try CLIHarness()
        _ = try cli.succeed(["demo", "--out", cli.directory.appendingPathComponent("reports").path])
        let file = cli.directory.appendingPathComponent("w1.yaml")
        try Data(Self.profile.utf8).write(to: file)
        #expect(try cli.succeed(["watch", "add", "--patient", file.path]).contains("Watching W1"))
        let alerts = cli.directory.appendingPathComponent("alerts")
        let first = try cli.succeed(["watch", "check", "--as-of", "2025-06-30", "--alerts", alerts.path])
        #expect(first.contains("watch W1"))
        let second = try cli.succeed(["watch", "check", "--as-of", "2025-07-01", "--alerts", alerts.path])
        #expect(second.contains("watch W1: "), "\(second)")
        let files = try FileManager.default.contentsOfDirectory(atPath: alerts.path).sorted()
        #expect(files == ["alert-W1-2025-07-01.json", "alert-W1-2025-07-01.md"], "\(files)")
        let markdown = try String(contentsOf: alerts.appendingPathComponent("alert-W1-2025-07-01.md"), encoding: .utf8)
        #expect(markdown.contains("`PA_NOT_MET` → `COVERED_PA_MET`"))
        #expect(markdown.contains("A\\-2025\\-01") && markdown.contains("A\\-2025\\-07"))
        for name in files {
            let mode = try FileManager.default.attributesOfItem(atPath: alerts.appendingPathComponent(name).path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
        }
        let list = try cli.succeed(["watch", "list"])
        #expect(list.contains("W1") && !list.contains("sertraline"))
        #expect(try cli.succeed(["watch", "remove", "W1"]).contains("Removed W1"))
        #expect(try cli.run(["watch", "remove", "W1"]).status == 66)
    }
}

/// The refresh → watchlist path: a formulary change in a refreshed source flips a watched
/// patient's verdict and writes an alert naming the source that changed.
@Suite("refresh alerts", .serialized)
struct RefreshAlertTests {
    @Test("a drug leaving a refreshed formulary produces an alert with its cause")
    func formularyChangeAlert() throws {
        let cli = try CLIHarness()
        _ = try cli.succeed(["import", "Formularies/reference/rxnorm_subset.csv"])
        let copy = cli.directory.appendingPathComponent("reference-a")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        let original = CLIHarness.repository.appendingPathComponent("Formularies/qhp/reference-a")
        for name in ["plans.json", "drugs.json"] {
            try FileManager.default.copyItem(at: original.appendingPathComponent(name), to: copy.appendingPathComponent(name))
        }
        let manifest = cli.directory.appendingPathComponent("sources.yaml")
        try Data("sources:\n  - name: plan-a\n    format: qhp\n    location: \(copy.path)\n".utf8).write(to: manifest)
        let alerts = cli.directory.appendingPathComponent("alerts")
        let refresh = ["refresh", "--sources", manifest.path, "--alerts", alerts.path]

        #expect(try cli.run(refresh).status == 0)
        let profile = cli.directory.appendingPathComponent("w1.yaml")
        try Data(WatchCLITests.profile.utf8).write(to: profile)
        _ = try cli.succeed(["watch", "add", "--patient", profile.path])
        // The first check after a change records the baseline analysis.
        _ = try cli.succeed(["watch", "check", "--alerts", alerts.path])

        // The next quarter drops brexpiprazole (Rexulti) from the formulary.
        let drugsFile = copy.appendingPathComponent("drugs.json")
        let drugs = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: drugsFile)) as? [[String: Any]])
        let kept = drugs.filter { !(($0["drug_name"] as? String) ?? "").lowercased().contains("brexpiprazole") }
        #expect(kept.count < drugs.count)
        try JSONSerialization.data(withJSONObject: kept).write(to: drugsFile)

        let result = try cli.run(refresh)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("plan-a: updated"))
        #expect(result.stdout.contains("watch W1: "), "\(result.stdout)")
        let files = try FileManager.default.contentsOfDirectory(atPath: alerts.path).filter { $0.hasSuffix(".md") }
        let alertFile = try #require(files.first)
        let markdown = try String(contentsOf: alerts.appendingPathComponent(alertFile), encoding: .utf8)
        #expect(markdown.contains("Rexulti"))
        #expect(markdown.contains("source plan\\-a was updated"))

        // Nothing changed: a quiet run prints nothing and writes no alert.
        let quiet = try cli.run(refresh + ["--quiet"])
        #expect(quiet.status == 0)
        #expect(quiet.stdout.isEmpty, "\(quiet.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: alerts.path).filter { $0.hasSuffix(".md") }.count == files.count)
    }
}
