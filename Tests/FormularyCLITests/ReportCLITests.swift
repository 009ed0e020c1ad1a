import Foundation
import Testing

/// `formulary report` through the binary: files written with mode 0600, named without the
/// patient's name, escaped, and the paths printed.
@Suite("report commands end to end", .serialized)
struct ReportCLITests {
    static func prepared() throws -> CLIHarness {
        let cli = try CLIHarness()
        _ = try cli.succeed(["import", "Formularies/reference/rxnorm_subset.csv"])
        _ = try cli.succeed(["import", "Formularies/qhp/reference-a"])
        _ = try cli.succeed(["import", "Formularies/partd/2026Q1"])
        return cli
    }

    static func paths(_ stdout: String) -> [String] {
        stdout.split(separator: "\n").map(String.init).filter { !$0.isEmpty }
    }

    @Test("report coverage writes HTML, Markdown and JSON with mode 0600 and prints their paths")
    func coverage() throws {
        let cli = try Self.prepared()
        let out = cli.directory.appendingPathComponent("out").path
        let paths = Self.paths(try cli.succeed(["report", "coverage", "--patient", "Formularies/patients/s1-baseline.yaml", "--format", "all", "--out", out]))
        #expect(paths.count == 3)
        #expect(Set(paths.map { URL(fileURLWithPath: $0).pathExtension }) == ["html", "md", "json"])
        for path in paths {
            #expect(path.hasPrefix(out) && path.contains("2025-03-20"))
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
            #expect(mode?.intValue == 0o600)
        }
        let htmlPath = try #require(paths.first { $0.hasSuffix(".html") })
        let html = try String(contentsOfFile: htmlPath, encoding: .utf8)
        #expect(html.contains("Spravato"))
        #expect(html.contains("<svg"))
        let jsonPath = try #require(paths.first { $0.hasSuffix(".json") })
        let json = try #require(try CLIHarness.json(String(contentsOfFile: jsonPath, encoding: .utf8)) as? [String: Any])
        #expect((json["analysis"] as? [String: Any])?["schemaVersion"] as? String == "1.1")
    }

    @Test("report precheck and report compare write their files")
    func precheckAndCompare() throws {
        let cli = try Self.prepared()
        let out = cli.directory.appendingPathComponent("out").path
        let sheet = Self.paths(try cli.succeed(["report", "precheck", "--patient", "Formularies/patients/s4-rexulti.yaml", "--plan", "99990AZ0010001",
                                                 "--option", "Rexulti", "--format", "md", "--out", out]))
        let sheetPath = try #require(sheet.first)
        let markdown = try String(contentsOfFile: sheetPath, encoding: .utf8)
        #expect(markdown.contains("Rexulti") && markdown.lowercased().contains("draft"))
        let compare = Self.paths(try cli.succeed(["report", "compare", "--patient", "Formularies/patients/medicare-continuing.yaml",
                                                   "--plans", "H9990-001-000,S5990-002-000", "--out", out]))
        #expect(compare.count == 1 && compare[0].hasSuffix(".html"))
        let html = try String(contentsOfFile: compare[0], encoding: .utf8)
        #expect(html.contains("H9990-001-000") && html.contains("S5990-002-000"))
    }

    @Test("markup in a patient file's drug name reaches the HTML escaped")
    func escaping() throws {
        let cli = try Self.prepared()
        let profile = try String(contentsOfFile: CLIHarness.repository.appendingPathComponent("Formularies/patients/s1-baseline.yaml").path, encoding: .utf8)
            + "medications:\n  - {drug: \"<script>alert(1)</script> \\\"onload=alert(1)\", otc: true}\n"
        let file = cli.directory.appendingPathComponent("hostile.yaml")
        try Data(profile.utf8).write(to: file)
        let out = cli.directory.appendingPathComponent("out").path
        let paths = Self.paths(try cli.succeed(["report", "coverage", "--patient", file.path, "--out", out]))
        let reportPath = try #require(paths.first)
        let html = try String(contentsOfFile: reportPath, encoding: .utf8)
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &quot;onload=alert(1)"), "the name must be shown, escaped")
        #expect(!html.contains("<script>alert(1)</script>"))
        #expect(!html.contains("\"onload=alert(1)"))
    }

    @Test("an unknown plan or option exits 66 with a message")
    func notFound() throws {
        let cli = try Self.prepared()
        let out = cli.directory.appendingPathComponent("out").path
        let result = try cli.run(["report", "precheck", "--patient", "Formularies/patients/s1-baseline.yaml", "--plan", "99990AZ0010001",
                                  "--option", "NoSuchDrug", "--out", out])
        #expect(result.status != 0)
        #expect(!result.stderr.isEmpty && !result.stderr.contains("Error("))
    }
}
