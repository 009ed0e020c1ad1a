import Foundation
import Testing

/// What a person meets first: errors they can act on, the version, their own criteria, and the
/// examples `--help` gives, every one of them run.
@Suite("user-facing behaviour", .serialized)
struct UserFacingTests {
    @Test("read commands refuse a database that does not exist, and create nothing", arguments: [
        ["plans"], ["lookup", "--plan", "H9990-001-000", "--drug", "sertraline"], ["snapshots"], ["diff", "--source", "partd"],
        ["analyze", "--patient", "Formularies/patients/s1-baseline.yaml"], ["watch", "list"], ["watch", "alerts"], ["refresh", "--history"],
        ["report", "coverage", "--patient", "Formularies/patients/s1-baseline.yaml"],
    ])
    func missingDatabase(arguments: [String]) throws {
        let cli = try CLIHarness()
        let result = try cli.run(arguments)
        #expect(result.status == 66, "\(result.stderr)")
        #expect(result.stderr.contains("no database at \(cli.database); run `formulary demo` or `formulary import` first"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: cli.database))
    }

    @Test("a misspelt drug name exits 66 and offers the nearest names; a known drug the plan lacks is an answer")
    func misspeltDrug() throws {
        let cli = try CLIHarness()
        try CLIEndToEndTests.importBundled(cli)
        let result = try cli.run(["lookup", "--plan", "H9990-001-000", "--drug", "Trintelix"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("no drug named \"Trintelix\""), "\(result.stderr)")
        #expect(result.stderr.contains("did you mean Trintellix (vortioxetine)"), "\(result.stderr)")
        let far = try cli.run(["lookup", "--plan", "H9990-001-000", "--drug", "zzqqxx"])
        #expect(far.status == 66 && !far.stderr.contains("did you mean"))
        // Known (in the reference) but not on this formulary: exit 0, "not on this formulary".
        let known = try cli.run(["lookup", "--plan", "H9990-001-000", "--drug", "Auvelity"])
        #expect(known.status == 0, "\(known.stderr)")
    }

    @Test("a wrong plan id suggests the nearest ids and `formulary plans --search`")
    func wrongPlan() throws {
        let cli = try CLIHarness()
        try CLIEndToEndTests.importBundled(cli)
        let result = try cli.run(["lookup", "--plan", "H9990-001-00", "--drug", "sertraline"])
        #expect(result.status == 66)
        #expect(result.stderr.contains("no plan H9990-001-00 in the current data; did you mean H9990-001-000"), "\(result.stderr)")
        #expect(result.stderr.contains("formulary plans --search"))
    }

    @Test("--version prints the version and the build's git revision")
    func version() throws {
        let cli = try CLIHarness()
        let result = try cli.run(["--version"], database: false)
        #expect(result.status == 0)
        let text = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(text.hasPrefix("formulary 0.") && text.contains(" (git "), "\(text)")
        let git = try cli.shell("git -C '\(CLIHarness.repository.path)' rev-parse --short=12 HEAD", environment: cli.environment(),
                                directory: cli.workingDirectory)
        if git.status == 0 {
            let head = git.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(text.contains("(git \(head)"), "\(text) vs HEAD \(head)")
        }
    }

    @Test("file errors name the path and the cause in words, never a Foundation error text")
    func fileErrors() throws {
        let cli = try CLIHarness()
        try CLIEndToEndTests.importBundled(cli)
        let missing = try cli.run(["watch", "add", "--patient", "/no/such/profile.yaml"])
        #expect(missing.status == 66, "\(missing.stderr)")
        #expect(missing.stderr.contains("/no/such/profile.yaml") && missing.stderr.contains("no such file"), "\(missing.stderr)")
        let manifest = try cli.run(["refresh", "--sources", "/no/such/sources.yaml"])
        #expect(manifest.status == 78)
        for result in [missing, manifest] {
            #expect(!result.stderr.contains("NSCocoaErrorDomain") && !result.stderr.contains("Error Domain"), "\(result.stderr)")
        }
        let unknownKey = cli.directory.appendingPathComponent("sources.yaml")
        try Data("sources:\n  - name: a\n    location: x\nalert: typo\n".utf8).write(to: unknownKey)
        let typo = try cli.run(["refresh", "--sources", unknownKey.path])
        #expect(typo.status == 78)
        #expect(typo.stderr.contains("sources.yaml:4: unknown key `alert`"), "\(typo.stderr)")
    }

    @Test("criteria init copies the bundled criteria to the user's folder, which is then in force; a broken edit names file, line and rule")
    func criteriaInit() throws {
        let cli = try CLIHarness()
        let result = try cli.run(["criteria", "init"], database: false)
        #expect(result.status == 0, "\(result.stderr)")
        let folder = cli.home.appendingPathComponent(".config/formulary/criteria")
        #expect(result.stdout.contains(folder.path))
        #expect(try CLIHarness.mode(folder.path) == 0o700)
        #expect(try CLIHarness.mode(folder.appendingPathComponent("reference-a.yaml").path) == 0o600)
        #expect(try cli.run(["criteria", "init"], database: false).status == 73)
        let show = try cli.run(["criteria", "show"], database: false)
        #expect(show.stdout.contains("criteria: \(folder.path) (the user's own copy)"), "\(show.stdout)")
        #expect(show.stdout.contains("3. user folder: \(folder.path) (in use)"))
        // Environment beats the user's folder; the command line beats both.
        let env = try cli.run(["criteria", "show"], database: false, environment: ["FORMULARY_CRITERIA": CLIHarness.repo("Formularies/criteria")])
        #expect(env.stdout.contains("(from the environment, $FORMULARY_CRITERIA)"))
        let flag = try cli.run(["criteria", "show", "--criteria", CLIHarness.repo("Formularies/criteria")], database: false,
                               environment: ["FORMULARY_CRITERIA": "/nowhere"])
        #expect(flag.stdout.contains("(from the command line)"))

        let file = folder.appendingPathComponent("reference-a.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "citation:", with: "citaton:", options: [], range: text.range(of: "citation:")).utf8).write(to: file)
        let invalid = try cli.run(["criteria", "validate"], database: false)
        #expect(invalid.status == 65)
        #expect(invalid.stderr.contains(file.path), "\(invalid.stderr)")
        #expect(invalid.stderr.contains("citaton"))
        #expect(invalid.stderr.range(of: #"line \d+"#, options: .regularExpression) != nil || invalid.stderr.range(of: #":\d+"#, options: .regularExpression) != nil)
    }

    /// Examples that name files a user downloads (a CMS release, marketplace files, an RxNorm
    /// release): here they must fail only because the file is not here.
    static let downloadExamples: Set<String> = [
        "formulary import SPUF_2026_20260115.zip --source partd-2026",
        "formulary import plans.json drugs.json --source marketplace-az",
        "formulary import RxNorm_full_prescribe_03022026.zip",
    ]

    /// Starts a `formulary serve` example, waits for it to listen, asks it for /openapi.json, stops it.
    static func serves(_ example: String, environment: [String: String], directory: URL) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec " + example]
        process.environment = environment
        process.currentDirectoryURL = directory
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        var seen = Data()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
            let text = String(decoding: seen, as: UTF8.self)
            if let range = text.range(of: #"http://127\.0\.0\.1:(\d+)/"#, options: .regularExpression) {
                let url = URL(string: String(text[range]) + "openapi.json")!
                let fetched = try? Data(contentsOf: url)
                return fetched.map { String(decoding: $0, as: UTF8.self).contains("\"openapi\"") } ?? false
            }
        }
        return false
    }

    @Test("every example in every --help runs: exit 0, or, for a downloaded file, 66 naming it")
    func helpExamples() throws {
        let cli = try CLIHarness()
        // The examples name repository paths (Formularies/…) relative to the folder they run in.
        try FileManager.default.createSymbolicLink(at: cli.workingDirectory.appendingPathComponent("Formularies"),
                                                   withDestinationURL: CLIHarness.repository.appendingPathComponent("Formularies"))
        let commands = [
            "", "demo", "import", "plans", "lookup", "snapshots", "diff", "analyze", "precheck", "criteria", "criteria validate", "criteria show",
            "criteria init", "report coverage", "report precheck", "report compare", "refresh", "watch add", "watch list", "watch remove",
            "watch check", "watch alerts", "paths", "patient import", "serve",
        ]
        let binaryFolder = try CLIHarness.binary.deletingLastPathComponent().path
        let environment = cli.environment(["FORMULARY_DB": cli.database, "PATH": binaryFolder + ":" + (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin")])
        var ran = 0
        for command in commands {
            if command == "diff" {
                // A diff compares two snapshots of a source: the next quarter's import, here the same release again.
                _ = try cli.succeed(["import", "Formularies/partd/2026Q1"])
            }
            let help = try cli.run(command.split(separator: " ").map(String.init) + ["--help"], database: false)
            #expect(help.status == 0)
            // An example longer than the help's width continues on the next line after " \\".
            var examples: [String] = []
            var continuing = false
            var inExamples = false
            for line in help.stdout.components(separatedBy: "\n").map({ $0.trimmingCharacters(in: .whitespaces) }) {
                if line == "Examples:" || line == "Example:" {
                    inExamples = true
                    continue
                }
                guard inExamples else { continue }
                if line.isEmpty { inExamples = false }
                if continuing, let last = examples.popLast() {
                    examples.append(String(last.dropLast()) + line)
                } else if line.hasPrefix("formulary ") {
                    examples.append(line)
                } else {
                    continuing = false
                    continue
                }
                continuing = line.hasSuffix("\\")
                #expect(line.count <= 78, "an example line wraps in an 80-column terminal: \(line)")
            }
            #expect(!examples.isEmpty, "formulary \(command) --help has no example")
            for example in examples {
                #expect(!example.contains("…") && !example.contains("p.yaml"), "not a complete command: \(example)")
                if example.hasPrefix("formulary serve") {
                    // A server runs until stopped: it must come up and answer, then it is stopped.
                    #expect(try Self.serves(example, environment: environment, directory: cli.workingDirectory), "\(example) did not start")
                    ran += 1
                    continue
                }
                let result = try cli.shell(example, environment: environment, directory: cli.workingDirectory)
                if Self.downloadExamples.contains(example) {
                    #expect(result.status == 66 && result.stderr.contains("no such file"), "\(example): \(result.status) \(result.stderr)")
                } else {
                    #expect(result.status == 0, "\(example) exited \(result.status): \(result.stderr)")
                }
                ran += 1
            }
        }
        #expect(ran >= 40)
    }
}
