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
        #expect(second.contains("alert #1 (W1): delivered to "), "\(second)")
        let files = try FileManager.default.contentsOfDirectory(atPath: alerts.path).sorted()
        #expect(files == ["alert-1-W1-2025-07-01.json", "alert-1-W1-2025-07-01.md"], "\(files)")
        #expect(try CLIHarness.mode(alerts.path) == 0o700)
        let markdown = try String(contentsOf: alerts.appendingPathComponent("alert-1-W1-2025-07-01.md"), encoding: .utf8)
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
        let setup = try Self.watchedSource(cli)
        let alerts = cli.directory.appendingPathComponent("alerts")
        let refresh = ["refresh", "--sources", setup.manifest, "--alerts", alerts.path]
        try Self.dropRexulti(setup.drugs)

        let result = try cli.run(refresh)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("plan-a: updated"))
        #expect(result.stdout.contains("watch W1: "), "\(result.stdout)")
        let files = try FileManager.default.contentsOfDirectory(atPath: alerts.path).filter { $0.hasSuffix(".md") }
        let alertFile = try #require(files.first)
        let markdown = try String(contentsOf: alerts.appendingPathComponent(alertFile), encoding: .utf8)
        #expect(markdown.contains("Rexulti"))
        #expect(markdown.contains("its formulary data changed, plan\\-a snapshot"), "\(markdown)")

        // Nothing changed: a quiet run prints nothing and writes no alert.
        let quiet = try cli.run(refresh + ["--quiet"])
        #expect(quiet.status == 0)
        #expect(quiet.stdout.isEmpty, "\(quiet.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: alerts.path).filter { $0.hasSuffix(".md") }.count == files.count)
    }

    @Test("a data change the last refresh did not check (an import, or a run killed after its import) is caught up by the next refresh")
    func caughtUp() throws {
        let cli = try CLIHarness()
        let setup = try Self.watchedSource(cli)
        let alerts = cli.directory.appendingPathComponent("alerts")
        // The next quarter arrives through a plain import: no watch check runs.
        let other = try Self.copyReferenceA(to: cli.directory.appendingPathComponent("next-quarter"))
        try Self.dropRexulti(other.appendingPathComponent("drugs.json"))
        _ = try cli.succeed(["import", other.path, "--source", "plan-a-next"])
        // The refresh's own source is unchanged, yet the watched patient's plan now reads other data.
        let result = try cli.run(["refresh", "--sources", setup.manifest, "--alerts", alerts.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("plan-a: unchanged"))
        #expect(result.stdout.contains("watch W1: "), "\(result.stdout)")
        let files = try Self.markdownFiles(alerts)
        #expect(files.count == 1)
        let markdown = try String(contentsOf: alerts.appendingPathComponent(try #require(files.first)), encoding: .utf8)
        #expect(markdown.contains("Rexulti") && markdown.contains("plan\\-a\\-next snapshot"), "\(markdown)")
    }

    /// A copy of Reference Formulary A as a refresh source, the drug reference imported, W1 on
    /// the watchlist, refreshed and checked once (the baseline analysis).
    static func watchedSource(_ cli: borrowing CLIHarness) throws -> (manifest: String, drugs: URL) {
        _ = try cli.succeed(["import", "Formularies/reference/rxnorm_subset.csv"])
        let copy = try copyReferenceA(to: cli.directory.appendingPathComponent("reference-a"))
        let manifest = cli.directory.appendingPathComponent("sources.yaml")
        try Data("sources:\n  - name: plan-a\n    format: qhp\n    location: \(copy.path)\n".utf8).write(to: manifest)
        let baseline = try cli.run(["refresh", "--sources", manifest.path, "--alerts", cli.directory.appendingPathComponent("baseline").path])
        #expect(baseline.status == 0, "\(baseline.stderr)")
        let profile = cli.directory.appendingPathComponent("w1.yaml")
        try Data(WatchCLITests.profile.utf8).write(to: profile)
        _ = try cli.succeed(["watch", "add", "--patient", profile.path])
        // The first check records the baseline analysis; nothing flips.
        let check = try cli.succeed(["watch", "check", "--alerts", cli.directory.appendingPathComponent("baseline").path])
        #expect(check.contains("watch W1: no change"), "\(check)")
        return (manifest.path, copy.appendingPathComponent("drugs.json"))
    }

    /// The bundled Reference Formulary A QHP files, copied to `folder`.
    static func copyReferenceA(to folder: URL) throws -> URL {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["plans.json", "drugs.json"] {
            try FileManager.default.copyItem(at: CLIHarness.repository.appendingPathComponent("Formularies/qhp/reference-a/\(name)"),
                                            to: folder.appendingPathComponent(name))
        }
        return folder
    }

    /// The next quarter drops brexpiprazole (Rexulti) from the formulary.
    static func dropRexulti(_ drugsFile: URL) throws {
        let drugs = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: drugsFile)) as? [[String: Any]])
        let kept = drugs.filter { !(($0["drug_name"] as? String) ?? "").lowercased().contains("brexpiprazole") }
        #expect(kept.count < drugs.count)
        try JSONSerialization.data(withJSONObject: kept).write(to: drugsFile)
    }

    static func markdownFiles(_ folder: URL) throws -> [String] {
        guard FileManager.default.fileExists(atPath: folder.path) else { return [] }
        return try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") }.sorted()
    }

    @Test("an alert that cannot be delivered stays pending (exit 73, no file); once the folder is fixed, the next run delivers it exactly once")
    func noAlertIsLost() throws {
        let cli = try CLIHarness()
        let setup = try Self.watchedSource(cli)
        // The alerts "folder" is a file: not writable, even for root.
        let alerts = cli.directory.appendingPathComponent("alerts")
        try Data("not a folder".utf8).write(to: alerts)
        let refresh = ["refresh", "--sources", setup.manifest, "--alerts", alerts.path]
        try Self.dropRexulti(setup.drugs)

        let failed = try cli.run(refresh)
        #expect(failed.status == 73, "\(failed.stdout)\(failed.stderr)")
        #expect(failed.stdout.contains("plan-a: updated"))
        #expect(failed.stdout.contains("alert #1 (W1): NOT delivered, still pending"), "\(failed.stdout)")
        #expect(failed.stderr.contains("could not be delivered to \(alerts.path)"), "\(failed.stderr)")
        #expect(failed.stderr.contains("exists and is not a folder"))
        #expect(!failed.stderr.contains("NSCocoaErrorDomain"))
        let pending = try #require(try CLIHarness.json(cli.succeed(["watch", "alerts", "--pending", "--json"])) as? [[String: Any]])
        #expect(pending.count == 1 && pending.first?["status"] as? String == "pending")
        #expect((pending.first?["lastError"] as? String)?.contains("not a folder") == true)

        // Fixed. The data is unchanged now, so only the delivery remains to be done.
        try FileManager.default.removeItem(at: alerts)
        let fixed = try cli.run(refresh)
        #expect(fixed.status == 0, "\(fixed.stdout)\(fixed.stderr)")
        #expect(fixed.stdout.contains("plan-a: unchanged"))
        #expect(fixed.stdout.contains("alert #1 (W1): delivered to "), "\(fixed.stdout)")
        #expect(try Self.markdownFiles(alerts) == ["alert-1-W1-\(Self.today).md"])
        let markdown = try String(contentsOf: alerts.appendingPathComponent("alert-1-W1-\(Self.today).md"), encoding: .utf8)
        #expect(markdown.contains("Rexulti"))
        // Once: a third run delivers nothing again.
        let third = try cli.run(refresh + ["--quiet"])
        #expect(third.status == 0)
        #expect(third.stdout.isEmpty, "\(third.stdout)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: alerts.path).count == 2)
        let all = try #require(try CLIHarness.json(cli.succeed(["watch", "alerts", "--json"])) as? [[String: Any]])
        #expect(all.count == 1 && all.first?["status"] as? String == "delivered")

        let history = try cli.succeed(["refresh", "--history"])
        #expect(history.contains("exit 73") && history.contains("exit 0"), "\(history)")
        #expect(history.contains("1 alert recorded, 1 pending at the end"), "\(history)")
        let runs = try #require(try CLIHarness.json(cli.succeed(["refresh", "--history", "--json"])) as? [[String: Any]])
        #expect(runs.map { $0["exitCode"] as? Int } == [0, 0, 73, 0])
    }

    @Test("--notify-command gets the alert JSON on stdin; a failing command keeps the alert pending, and the files are not written twice")
    func notifyCommand() throws {
        let cli = try CLIHarness()
        let setup = try Self.watchedSource(cli)
        let alerts = cli.directory.appendingPathComponent("alerts")
        let received = cli.directory.appendingPathComponent("received.json")
        try Self.dropRexulti(setup.drugs)
        let failing = try cli.run(["refresh", "--sources", setup.manifest, "--alerts", alerts.path, "--notify-command", "echo pager down >&2; exit 3"])
        #expect(failing.status == 73)
        #expect(failing.stdout.contains("exited with status 3: pager down"), "\(failing.stdout)")
        // The files were written; only the command is left to do.
        #expect(try Self.markdownFiles(alerts).count == 1)
        let modified = try FileManager.default.attributesOfItem(atPath: alerts.appendingPathComponent(try Self.markdownFiles(alerts)[0]).path)[.modificationDate] as? Date
        let command = "cat > '\(received.path)'"
        let check = try cli.run(["watch", "check", "--alerts", alerts.path, "--notify-command", command])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains("notify command accepted it"))
        let payload = try #require(try CLIHarness.json(String(contentsOf: received, encoding: .utf8)) as? [String: Any])
        #expect(payload["patient"] as? String == "W1")
        #expect((payload["flips"] as? [[String: Any]])?.isEmpty == false)
        let after = try FileManager.default.attributesOfItem(atPath: alerts.appendingPathComponent(try Self.markdownFiles(alerts)[0]).path)[.modificationDate] as? Date
        #expect(after == modified)
        try FileManager.default.removeItem(at: received)
        #expect(try cli.run(["watch", "check", "--alerts", alerts.path, "--notify-command", command]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: received.path), "a delivered alert was sent again")
    }

    /// Today as the binary sees it (refresh analyzes as of today).
    static var today: String {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }
}
