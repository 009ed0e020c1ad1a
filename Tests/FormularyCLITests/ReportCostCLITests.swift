import Foundation
import Testing

/// `formulary report compare` on the bundled data: the true yearly cost (premiums, deductible,
/// drug costs) to the dollar, plans of the patient's kind in a state, and report file names
/// keyed with the database's secret.
@Suite("report compare: yearly cost, plan kinds, keyed names", .serialized)
struct ReportCostCLITests {
    // The same database and output reading as the other report tests.
    static func prepared() throws -> CLIHarness { try ReportCLITests.prepared() }
    static func paths(_ stdout: String) -> [String] { ReportCLITests.paths(stdout) }

    static func markdown(_ cli: borrowing CLIHarness, _ arguments: [String]) throws -> (text: String, path: String) {
        let out = cli.directory.appendingPathComponent("out-\(UUID().uuidString)").path
        let paths = Self.paths(try cli.succeed(["report", "compare"] + arguments + ["--format", "md", "--out", out]))
        let path = try #require(paths.first)
        return (try String(contentsOfFile: path, encoding: .utf8), path)
    }

    @Test("the bundled Part D plans' yearly totals for the Medicare patient, to the dollar, cheapest first")
    func partDTotals() throws {
        let cli = try Self.prepared()
        let (text, _) = try Self.markdown(cli, ["--patient", "Formularies/patients/medicare-continuing.yaml",
                                                "--plans", "H9990-001-000,H9990-002-000,S5990-001-000,S5990-002-000,R9993-001-000"])
        // Premiums | deductible | drug costs after it | total (plan year 2026, Part D cap $2,100).
        #expect(text.contains("| $0 (no premium) | $0 (none) | $564 | **$564** |"), "H9990-001-000")
        #expect(text.contains("| $294 ($24.50 × 12) | $250 | $504 | **$1,048** |"), "H9990-002-000: cheaper copays, dearer year")
        #expect(text.contains("| $180 ($15 × 12) | $300 | $540 | **$1,020** |"), "R9993-001-000")
        #expect(text.contains("| $1,040.40 ($86.70 × 12) | $0 (none) | $480 | **$1,520.40** |"), "S5990-002-000")
        #expect(text.contains("| $494.40 ($41.20 × 12) | $615 | $0 + 1 medicine without a dollar estimate | **$1,109.40–$2,594.40** |"), "S5990-001-000")
        let order = ["1. Reference MA-PD (HMO) (H9990-001-000)", "2. Regional Choice (Regional PPO) (R9993-001-000)",
                     "3. Reference MA-PD Plus (HMO-POS) (H9990-002-000)", "4. Sample Rx Enhanced (PDP) (S5990-002-000)",
                     "5. Sample Rx Standard (PDP) (S5990-001-000)"]
        let positions = order.map { text.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(text)")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "sorted by the yearly total")
        #expect(text.contains("Plan year 2026, as of 2025"), "the data's year is not the as-of year")
        #expect(text.contains("Medicare Prescription Payment Plan"))
    }

    @Test("Reference Formulary A for S1: $10 × 12 for duloxetine, the premium named as missing, the 2025 ACA maximum")
    func marketplaceTotal() throws {
        let cli = try Self.prepared()
        let (text, _) = try Self.markdown(cli, ["--patient", "Formularies/patients/s1-baseline.yaml"])
        #expect(text.contains("| not in the data | not in the data | $120 | **$120 + premium** |"), "\(text)")
        #expect(text.contains("the 2025 ACA maximum for one person, $9,200, is used"))
    }

    @Test("--all-in-state compares plans of the patient's kind: Medicare plans for a Medicare patient, marketplace plans for a marketplace patient")
    func allInState() throws {
        let cli = try Self.prepared()
        let out = cli.directory.appendingPathComponent("state").path
        let medicare = try cli.run(["report", "compare", "--patient", CLIHarness.repo("Formularies/patients/medicare-continuing.yaml"),
                                    "--all-in-state", "AZ", "--format", "md", "--out", out])
        #expect(medicare.status == 0, "\(medicare.stderr)")
        let text = try String(contentsOfFile: try #require(Self.paths(medicare.stdout).first), encoding: .utf8)
        for plan in ["H9990-001-000", "H9990-002-000", "S5990-001-000", "S5990-002-000", "R9993-001-000"] {
            #expect(text.contains(plan), "\(plan) is a Medicare plan offered in AZ or sold by region")
        }
        for plan in ["H9991-002-000", "H9992-003-000", "99990AZ0010001"] {
            #expect(!text.contains(plan), "\(plan) is not in AZ or not a Medicare plan")
        }
        #expect(medicare.stderr.contains("check that each serves AZ"), "regional plans are named as such")

        let marketplace = try Self.markdown(cli, ["--patient", "Formularies/patients/s1-baseline.yaml", "--all-in-state", "AZ"]).text
        #expect(marketplace.contains("99990AZ0010001"))
        #expect(!marketplace.contains("H9990-001-000"), "a marketplace patient is not shown Medicare plans")
    }

    @Test("file names are keyed with the database's secret: stable on one database, different on another")
    func keyedNames() throws {
        let one = try Self.prepared()
        let two = try Self.prepared()
        func name(_ cli: borrowing CLIHarness) throws -> String {
            let out = cli.directory.appendingPathComponent("named-\(UUID().uuidString)").path
            let path = try #require(Self.paths(try cli.succeed(["report", "coverage", "--patient", "Formularies/patients/s1-baseline.yaml",
                                                                "--format", "md", "--out", out])).first)
            return URL(fileURLWithPath: path).lastPathComponent
        }
        let first = try name(one)
        #expect(first.wholeMatch(of: /coverage-[0-9a-f]{10}-2025-03-20\.md/) != nil, "\(first)")
        #expect(try name(one) == first, "the same database names the same patient the same way")
        #expect(try name(two) != first, "another database's secret gives another name")
    }

    @Test("a saved analysis without a database is refused with a clear message; --label names the files instead")
    func analysisWithoutDatabase() throws {
        let cli = try Self.prepared()
        let saved = cli.directory.appendingPathComponent("analysis.json")
        try Data(try cli.succeed(["analyze", "--patient", "Formularies/patients/s1-baseline.yaml", "--json"]).utf8).write(to: saved)
        let out = cli.directory.appendingPathComponent("nodb").path
        let missing = cli.directory.appendingPathComponent("no-such.sqlite").path
        let refused = try cli.run(["report", "coverage", "--analysis", saved.path, "--db", missing, "--out", out], database: false)
        #expect(refused.status == 66)
        #expect(refused.stderr.contains("no database at \(missing)") && refused.stderr.contains("--label"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing), "no empty database is created to make a key")
        let labelled = try cli.run(["report", "coverage", "--analysis", saved.path, "--db", missing, "--label", "S1", "--out", out], database: false)
        #expect(labelled.status == 0, "\(labelled.stderr)")
        #expect(Self.paths(labelled.stdout).first?.hasSuffix("coverage-S1-2025-03-20.html") == true)
        // With the database the analysis came from, its secret keys the name.
        let keyed = try cli.run(["report", "coverage", "--analysis", saved.path, "--out", out])
        #expect(keyed.status == 0, "\(keyed.stderr)")
    }
}
