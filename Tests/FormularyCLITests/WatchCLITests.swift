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
