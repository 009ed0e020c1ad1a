import Foundation
import Testing

/// The `formulary` binary, end to end: what a person types, what they see, and the exit codes.
@Suite("formulary CLI end to end", .serialized)
struct CLIEndToEndTests {
    /// Imports the bundled drug reference and Part D sample into the harness database.
    static func importBundled(_ cli: borrowing CLIHarness) throws {
        _ = try cli.succeed(["import", "Formularies/reference/rxnorm_subset.csv"])
        let out = try cli.succeed(["import", "Formularies/partd/2026Q1"])
        #expect(out.contains("Imported snapshot 2 (source partd, Medicare Part D (CMS SPUF), contract year 2026)"))
    }

    @Test("import, then lookup by RxCUI shows tier, step therapy, quantity limit, cost and source")
    func lookupText() throws {
        let cli = try CLIHarness()
        try Self.importBundled(cli)
        let out = try cli.succeed(["lookup", "--plan", "H9990-001-000", "--drug", "1790892"])
        #expect(out.contains("vortioxetine"))
        #expect(out.contains("Tier 3 — unknown"))
        #expect(out.contains("Step therapy: required"))
        #expect(out.contains("Prior authorization: no"))
        #expect(out.contains("Quantity limit: yes, 30 units per 30 days"))
        #expect(out.contains("30-day preferred retail: $47.00 copay"))
        #expect(out.contains("basic drugs formulary file  PPUF_2026Q1.txt line"))
    }

    @Test("lookup --json is machine-readable and names the plan, tier and flags")
    func lookupJSON() throws {
        let cli = try CLIHarness()
        try Self.importBundled(cli)
        let json = try #require(try CLIHarness.json(cli.succeed(["lookup", "--plan", "H9990-001-000", "--drug", "Trintellix", "--json"])) as? [String: Any])
        #expect(json["covered"] as? Bool == true)
        let lines = try #require(json["lines"] as? [[String: Any]])
        #expect(lines.count >= 2)
        let first = try #require(lines.first?["line"] as? [String: Any])
        let entry = try #require(first["entry"] as? [String: Any])
        #expect(entry["tierCode"] as? String == "3")
        #expect((entry["stepTherapy"] as? [String: Any])?["required"] as? Bool == true)
        let plan = try #require(json["plan"] as? [String: Any])
        #expect((plan["plan"] as? [String: Any])?["id"] as? String == "H9990-001-000")
        #expect(lines.first?["cost30DayPreferredRetail"] != nil)
    }

    @Test("Part D and QHP plans sit in one store and answer the same plans and lookup commands, with their source")
    func crossFormat() throws {
        let cli = try CLIHarness()
        try Self.importBundled(cli)
        let qhp = "Tests/FormularyImportTests/Fixtures/qhp/cms-example"
        let out = try cli.succeed(["import", "\(qhp)/plans.json", "\(qhp)/drugs-1.json"])
        #expect(out.contains("(source qhp-12345, ACA marketplace (CMS QHP JSON)"))
        let plans = try #require(try CLIHarness.json(cli.succeed(["plans", "--json"])) as? [[String: Any]])
        let sources = Set(plans.compactMap { ($0["snapshot"] as? [String: Any])?["format"] as? String })
        #expect(sources == ["partd", "qhp"])
        let text = try cli.succeed(["plans"])
        #expect(text.contains("12345XX9876543") && text.contains("qhp-12345 #3") && text.contains("H9990-001-000") && text.contains("partd #2"))
        let lookup = try cli.succeed(["lookup", "--plan", "12345XX9876543", "--drug", "209459"])
        #expect(lookup.contains("Tier GENERIC — generic"))
        #expect(lookup.contains("source qhp-12345, snapshot 3"))
        #expect(lookup.contains("30-day standard retail: $20.00 copay, 10% coinsurance"))
    }

    @Test("a drug not on the formulary is an answer, not an error")
    func notCovered() throws {
        let cli = try CLIHarness()
        try Self.importBundled(cli)
        let result = try cli.run(["lookup", "--plan", "H9990-001-000", "--drug", "99999999"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("not on this formulary"))
        let json = try #require(try CLIHarness.json(cli.succeed(["lookup", "--plan", "H9990-001-000", "--drug", "99999999", "--json"])) as? [String: Any])
        #expect(json["covered"] as? Bool == false)
    }

    @Test("plans and snapshots list what was imported, as text and JSON")
    func plansAndSnapshots() throws {
        let cli = try CLIHarness()
        try Self.importBundled(cli)
        let plans = try #require(try CLIHarness.json(cli.succeed(["plans", "--json"])) as? [[String: Any]])
        #expect(plans.count >= 5)
        #expect(plans.allSatisfy { ($0["snapshot"] as? [String: Any])?["sourceName"] as? String == "partd" })
        #expect(try cli.succeed(["plans", "--search", "Óptimo"]).contains("H9992-003-000"))
        let snapshots = try #require(try CLIHarness.json(cli.succeed(["snapshots", "--json"])) as? [[String: Any]])
        #expect(snapshots.count == 2)
        #expect(snapshots.allSatisfy { $0["isCurrent"] as? Bool == true })
        let text = try cli.succeed(["snapshots"])
        #expect(text.contains("partd") && text.contains("reference"))
    }

    @Test("bad input fails with the file, line and column, exit 65, and leaves the previous snapshot current")
    func badInputIsAtomic() throws {
        let cli = try CLIHarness()
        try Self.importBundled(cli)
        let bad = cli.directory.appendingPathComponent("basic drugs formulary file  PPUF_2026Q1.txt")
        let text = "FORMULARY_ID|FORMULARY_VERSION|CONTRACT_YEAR|RXCUI|NDC|TIER_LEVEL_VALUE|QUANTITY_LIMIT_YN|QUANTITY_LIMIT_AMOUNT|QUANTITY_LIMIT_DAYS|PRIOR_AUTHORIZATION_YN|STEP_THERAPY_YN|SELECTED_DRUG_YN\r\n"
            + "00026901|17|2026|1790892|09990000101|9|N| | |N|X|N\r\n"
        try Data(text.utf8).write(to: bad)
        let result = try cli.run(["import", bad.path])
        #expect(result.status == 65)
        #expect(result.stderr.contains("PPUF_2026Q1.txt:2"))
        #expect(result.stderr.contains("STEP_THERAPY_YN"))
        #expect(result.stderr.contains("\"X\""))
        let snapshots = try #require(try CLIHarness.json(cli.succeed(["snapshots", "--json"])) as? [[String: Any]])
        #expect(snapshots.count == 2)
        #expect(try cli.succeed(["lookup", "--plan", "H9990-001-000", "--drug", "1790892"]).contains("Tier 3"))
    }

    @Test("--max-rejects lands the good rows and writes the rejects file next to the database")
    func maxRejects() throws {
        let cli = try CLIHarness()
        let file = cli.directory.appendingPathComponent("basic drugs formulary file  PPUF_2026Q1.txt")
        let text = "FORMULARY_ID|FORMULARY_VERSION|CONTRACT_YEAR|RXCUI|NDC|TIER_LEVEL_VALUE|QUANTITY_LIMIT_YN|QUANTITY_LIMIT_AMOUNT|QUANTITY_LIMIT_DAYS|PRIOR_AUTHORIZATION_YN|STEP_THERAPY_YN|SELECTED_DRUG_YN\r\n"
            + "00026901|17|2026|1790892|09990000101|3|N| | |N|Y|N\r\n"
            + "00026901|17|2026|312941|09990000102|one|N| | |N|N|N\r\n"
        try Data(text.utf8).write(to: file)
        #expect(try cli.run(["import", file.path]).status == 65)
        let result = try cli.run(["import", file.path, "--max-rejects", "5"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("1 rejected row skipped"))
        let rejects = try String(contentsOfFile: cli.database + ".rejects-1.tsv", encoding: .utf8)
        #expect(rejects.contains("TIER_LEVEL_VALUE"))
    }

    @Test("diff shows a tier move between two imports of the same source, as text, Markdown and JSON")
    func diff() throws {
        let cli = try CLIHarness()
        try Self.importBundled(cli)
        let copy = cli.directory.appendingPathComponent("2026Q1-next")
        try FileManager.default.copyItem(at: CLIHarness.repository.appendingPathComponent("Formularies/partd/2026Q1"), to: copy)
        let basic = copy.appendingPathComponent("basic drugs formulary file  PPUF_2026Q1.txt")
        let text = try String(contentsOf: basic, encoding: .utf8)
        let lines = text.components(separatedBy: "\r\n").map { line -> String in
            guard line.hasPrefix("00026901|"), line.split(separator: "|")[3] == "1790892" else { return line }
            var fields = line.components(separatedBy: "|")
            fields[5] = "4"
            return fields.joined(separator: "|")
        }
        try Data(lines.joined(separator: "\r\n").utf8).write(to: basic)
        _ = try cli.succeed(["import", copy.path])
        let out = try cli.succeed(["diff", "--source", "partd", "--drug", "1790892"])
        #expect(out.contains("Formulary 00026901 — plans H9990-001-000, H9990-002-000"))
        #expect(out.contains("vortioxetine 5 MG Oral Tablet [Trintellix] (RxCUI 1790892): tier 3 → 4"))
        #expect(try cli.succeed(["diff", "--source", "partd", "--md"]).contains("### Formulary 00026901"))
        let json = try #require(try CLIHarness.json(cli.succeed(["diff", "--source", "partd", "--json"])) as? [String: Any])
        let formularies = try #require(json["formularies"] as? [[String: Any]])
        #expect(formularies.count == 1)
        #expect(try cli.run(["diff", "--source", "nope"]).status == 66)
    }

    @Test("diff --criteria lists the rule changes between two policy versions")
    func criteriaDiff() throws {
        let cli = try CLIHarness()
        let out = try cli.succeed(["diff", "--criteria", "Formularies/criteria", "--from", "A-2025-01", "--to", "A-2025-07"])
        #expect(out.contains("rule PA-ESK (esketamine) changed:"))
        #expect(out.contains("requirement removed: an oral antidepressant claim covering the as-of date"))
        let json = try #require(try CLIHarness.json(cli.succeed(["diff", "--criteria", "Formularies/criteria", "--from", "A-2025-01", "--to", "A-2025-07", "--json"])) as? [String: Any])
        let changed = try #require(json["rulesChanged"] as? [[String: Any]])
        #expect(changed.map { $0["ruleId"] as? String } == ["PA-ESK"])
        #expect(try cli.run(["diff", "--criteria", "Formularies/criteria", "--from", "A-2025-01", "--to", "Z-9"]).status == 64)
        #expect(try cli.run(["diff", "--criteria", "Formularies/criteria", "--source", "partd"]).status == 64)
    }

    @Test("missing files and unknown plans exit 66 with a plain message")
    func notFound() throws {
        let cli = try CLIHarness()
        let missing = try cli.run(["import", "no/such/folder"])
        #expect(missing.status == 66)
        #expect(missing.stderr.contains("no such file or folder: "))
        #expect(!missing.stderr.contains("ImportError"))
        try Self.importBundled(cli)
        let plan = try cli.run(["lookup", "--plan", "X0000-000-000", "--drug", "sertraline"])
        #expect(plan.status == 66)
        #expect(plan.stderr.contains("no plan X0000-000-000"))
    }

    @Test("usage errors exit 64", arguments: [["lookup", "--plan", "H9990-001-000"], ["import", "x", "--max-rejects", "-1"], ["no-such-command"]])
    func usage(arguments: [String]) throws {
        let cli = try CLIHarness()
        #expect(try cli.run(arguments).status == 64)
    }

    @Test("every command's --help works", arguments: [
        "demo", "import", "plans", "lookup", "snapshots", "diff", "analyze", "precheck", "criteria", "criteria validate",
        "criteria show", "criteria init", "report", "report coverage", "report precheck", "report compare", "refresh", "watch", "watch add",
        "watch list", "watch remove", "watch check", "watch alerts", "paths", "patient", "patient import", "serve",
    ])
    func help(command: String) throws {
        let cli = try CLIHarness()
        let result = try cli.run(command.split(separator: " ").map(String.init) + ["--help"], database: false)
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: formulary \(command)"))
    }

    @Test("FORMULARY_DB chooses the database when --db is absent")
    func environmentDatabase() throws {
        let cli = try CLIHarness()
        let path = cli.directory.appendingPathComponent("env.sqlite").path
        let result = try cli.run(["import", "Formularies/reference/rxnorm_subset.csv"], database: false, environment: ["FORMULARY_DB": path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: path))
    }

    @Test("the demo imports every bundled source, writes the reports with mode 0600, and is re-runnable")
    func demo() throws {
        let cli = try CLIHarness()
        let reports = cli.directory.appendingPathComponent("reports")
        let first = try cli.succeed(["demo", "--out", reports.path])
        #expect(first.contains("H9990-001-000"))
        #expect(first.contains("Step therapy: required"))
        #expect(first.contains("s1-baseline.yaml · plan 99990AZ0010001 (A-2025-07) · Spravato COVERED_PA_MET, TMS COVERED_PA_MET"))
        #expect(first.contains("s2-seizure.yaml · plan 99990AZ0010001 (A-2025-07) · Spravato PA_NOT_MET") && first.contains("TMS CONTRAINDICATED"))
        #expect(first.contains("precheck  s1-baseline.yaml · Spravato (esketamine) · COVERED_PA_MET"))
        let written = try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted()
        #expect(written.filter { $0.hasPrefix("coverage-") }.count == 21)
        #expect(written.filter { $0.hasPrefix("precheck-") }.count == 3)
        #expect(written.filter { $0.hasPrefix("compare-") }.count == 3)
        #expect(!written.contains { $0.lowercased().contains("s1") })
        for name in written {
            let mode = try FileManager.default.attributesOfItem(atPath: reports.appendingPathComponent(name).path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600, "\(name)")
        }
        _ = try cli.succeed(["demo", "--out", reports.path])
        #expect(try FileManager.default.contentsOfDirectory(atPath: reports.path).sorted() == written)
        let snapshots = try #require(try CLIHarness.json(cli.succeed(["snapshots", "--json"])) as? [[String: Any]])
        let sources = snapshots.compactMap { ($0["ref"] as? [String: Any])?["sourceName"] as? String }
        #expect(Set(sources).count == sources.count, "each demo source keeps one snapshot: \(sources)")
    }
}
