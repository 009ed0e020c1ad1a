import Foundation
import Testing

/// The program as a user installs and runs it: `.ci/install` into a temporary prefix, then every
/// everyday command from an empty folder with a fresh HOME; the bare binary copied alone; and
/// the README's crontab line executed as cron would.
@Suite("install and run from anywhere", .serialized)
struct InstallTests {
    /// Installs the test build with the README's install script into `prefix`.
    static func install(_ cli: borrowing CLIHarness, prefix: URL) throws -> URL {
        let result = try cli.shell(
            "bash \"\(CLIHarness.repo(".ci/install"))\" --binary \"\(try CLIHarness.binary.path)\" --prefix \"\(prefix.path)\"",
            environment: cli.environment(), directory: cli.workingDirectory)
        #expect(result.status == 0, "install failed: \(result.stderr)")
        #expect(result.stdout.contains("Installed formulary "), "\(result.stdout)")
        let binary = prefix.appendingPathComponent("bin/formulary")
        #expect(FileManager.default.isExecutableFile(atPath: binary.path))
        #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent("share/formulary/criteria/reference-a.yaml").path))
        #expect(FileManager.default.fileExists(atPath: prefix.appendingPathComponent("share/formulary/reference/trd_drugs.yaml").path))
        #expect(!FileManager.default.fileExists(atPath: prefix.appendingPathComponent("share/formulary/partd/make_sample.py").path))
        return binary
    }

    @Test("installed into a prefix, demo, analyze, report, watch add, refresh and watch check work from an empty folder with a fresh HOME")
    func installedEverydayCommands() throws {
        let cli = try CLIHarness()
        let prefix = cli.directory.appendingPathComponent("prefix")
        let binary = try Self.install(cli, prefix: prefix)
        // The default database, in the scratch XDG data folder: no --db anywhere below.
        func run(_ arguments: [String]) throws -> CLIHarness.Result {
            try cli.run(arguments, database: false, executable: binary)
        }
        let share = prefix.appendingPathComponent("share/formulary").path
        let paths = try run(["paths"])
        #expect(paths.stdout.contains(share + "/criteria (bundled with the program)"), "\(paths.stdout)")

        let demo = try run(["demo"])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("Bundled data: \(share)"))
        let database = cli.home.appendingPathComponent(".local/share/formulary/formulary.sqlite").path
        #expect(demo.stdout.contains("Database: \(database)"))
        #expect(try CLIHarness.mode(database) == 0o600)
        #expect(try CLIHarness.mode((database as NSString).deletingLastPathComponent) == 0o700)
        let reports = cli.workingDirectory.appendingPathComponent("Reports")
        let written = try FileManager.default.contentsOfDirectory(atPath: reports.path)
        #expect(written.count >= 10)
        for name in written { #expect(try CLIHarness.mode(reports.appendingPathComponent(name).path) == 0o600) }

        let patient = share + "/patients/s1-baseline.yaml"
        let analyze = try run(["analyze", "--patient", patient, "--verbose"])
        #expect(analyze.status == 0, "\(analyze.stderr)")
        #expect(analyze.stdout.contains("Spravato"))
        #expect(analyze.stderr.contains("criteria: \(share)/criteria (bundled with the program)"))
        #expect(analyze.stderr.contains("database: \(database)"))

        let report = try run(["report", "coverage", "--patient", patient, "--out", "my-reports"])
        #expect(report.status == 0, "\(report.stderr)")
        #expect(report.stdout.contains(cli.workingDirectory.appendingPathComponent("my-reports").path) || report.stdout.hasPrefix("my-reports/"))

        let profile = cli.directory.appendingPathComponent("w1.yaml")
        try Data(WatchCLITests.profile.utf8).write(to: profile)
        #expect(try run(["watch", "add", "--patient", profile.path]).status == 0)
        let manifest = cli.directory.appendingPathComponent("sources.yaml")
        try Data("sources:\n  - name: plan-a\n    format: qhp\n    location: \(share)/qhp/reference-a\n".utf8).write(to: manifest)
        let refresh = try run(["refresh", "--sources", manifest.path])
        #expect(refresh.status == 0, "\(refresh.stderr)")
        #expect(refresh.stdout.contains("plan-a: updated"))
        #expect(refresh.stdout.contains("watch W1"), "\(refresh.stdout)")
        let check = try run(["watch", "check", "--as-of", "2025-07-01"])
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stdout.contains("watch W1"))
        // Alerts, if any, land in the XDG state folder, private.
        let alerts = cli.home.appendingPathComponent(".local/state/formulary/alerts").path
        if FileManager.default.fileExists(atPath: alerts) {
            #expect(try CLIHarness.mode(alerts) == 0o700)
            for name in try FileManager.default.contentsOfDirectory(atPath: alerts) {
                #expect(try CLIHarness.mode(alerts + "/" + name) == 0o600)
            }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: cli.workingDirectory.path).sorted() == ["Reports", "my-reports"])
    }

    @Test("the binary copied alone says what is missing and where it looked; --version still works")
    func bareBinary() throws {
        let cli = try CLIHarness()
        let folder = cli.directory.appendingPathComponent("lonely/bin")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let binary = folder.appendingPathComponent("formulary")
        try FileManager.default.copyItem(at: try CLIHarness.binary, to: binary)
        let version = try cli.run(["--version"], database: false, executable: binary)
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("formulary "))
        for arguments in [["analyze", "--patient", "Formularies/patients/s1-baseline.yaml"], ["demo"], ["criteria", "validate"]] {
            let result = try cli.run(arguments, database: false, executable: binary)
            #expect(result.status == 72, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains("bundled with formulary; looked in:"), "\(result.stderr)")
            #expect(result.stderr.contains(cli.directory.appendingPathComponent("lonely/share/formulary").path))
            #expect(result.stderr.contains(".ci/install"))
        }
        // Named explicitly, the documents still load from anywhere.
        _ = try cli.succeed(["import", "Formularies/reference/rxnorm_subset.csv"])
        _ = try cli.succeed(["import", "Formularies/qhp/reference-a"])
        let explicit = try cli.run(["analyze", "--patient", "Formularies/patients/s1-baseline.yaml", "--criteria", "Formularies/criteria"],
                                   environment: ["FORMULARY_REFERENCE": CLIHarness.repo("Formularies/reference")], executable: binary)
        #expect(explicit.status == 0, "\(explicit.stderr)")
    }

    @Test("the README's crontab line, run twice as cron runs it, refreshes, stays quiet the second time, and is recorded")
    func readmeCrontabLine() throws {
        let cli = try CLIHarness()
        let prefix = cli.directory.appendingPathComponent("prefix")
        _ = try Self.install(cli, prefix: prefix)
        let readme = try String(contentsOfFile: CLIHarness.repo("README.md"), encoding: .utf8)
        let block = try #require(readme.components(separatedBy: "```cron\n").dropFirst().first?.components(separatedBy: "```").first)
        let lines = block.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
        // Cron: NAME=value lines set the environment; the job's command is what follows the five time fields.
        var environment = ["HOME": cli.home.path, "SHELL": "/bin/sh", "LOGNAME": "formulary"]
        var command: String?
        for line in lines {
            if let equals = line.firstIndex(of: "="), !line.prefix(upTo: equals).contains(" ") {
                environment[String(line[..<equals])] = String(line[line.index(after: equals)...])
            } else {
                command = line.split(separator: " ", maxSplits: 5, omittingEmptySubsequences: true).dropFirst(5).first.map(String.init)
            }
        }
        let job = try #require(command, "no job line in the README's cron block")
        #expect(job.hasPrefix("formulary refresh"))
        // The test cannot install into /usr/local; its prefix comes first on cron's PATH.
        environment["PATH"] = prefix.appendingPathComponent("bin").path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        // The manifest where the line expects it.
        let config = cli.home.appendingPathComponent(".config/formulary")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        let share = prefix.appendingPathComponent("share/formulary").path
        try Data("""
            sources:
              - name: reference
                format: reference
                location: \(share)/reference/rxnorm_subset.csv
              - name: plan-a
                format: qhp
                location: \(share)/qhp/reference-a
            """.utf8).write(to: config.appendingPathComponent("sources.yaml"))

        let first = try cli.shell(job, environment: environment, directory: cli.home)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("plan-a: updated") && first.stdout.contains("reference: updated"), "\(first.stdout)")
        #expect(first.stderr.isEmpty, "cron would mail this: \(first.stderr)")
        let second = try cli.shell(job, environment: environment, directory: cli.home)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.isEmpty && second.stderr.isEmpty, "cron mails any output; nothing changed: \(second.stdout)\(second.stderr)")
        let log = cli.home.appendingPathComponent(".local/state/formulary/refresh.log").path
        #expect(try CLIHarness.mode(log) == 0o600)
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("\"message\":\"imported\""))
        let database = cli.home.appendingPathComponent(".local/share/formulary/formulary.sqlite").path
        let history = try cli.run(["refresh", "--history", "--json", "--db", database], database: false)
        let runs = try #require(try CLIHarness.json(history.stdout) as? [[String: Any]])
        #expect(runs.count == 2)
        #expect(runs.allSatisfy { $0["exitCode"] as? Int == 0 && $0["finishedAt"] != nil })
        let statuses = runs.map { (($0["sources"] as? [[String: Any]]) ?? []).compactMap { $0["status"] as? String } }
        #expect(statuses == [["unchanged", "unchanged"], ["updated", "updated"]])
    }
}
