import Foundation
import Testing

/// `formulary patient import` through the binary, and patient records given straight to
/// `analyze`, `report` and `watch add`: the profile written 0600, the counts and every warning
/// printed, the documented exit codes, and nothing about the patient on stderr.
@Suite("patient import end to end", .serialized)
struct PatientImportCLITests {
    static let records = "Formularies/patients/records"
    static let samples = CLIHarness.repository.deletingLastPathComponent().appendingPathComponent("shared/samples/patient-records")

    static func prepared() throws -> CLIHarness {
        let cli = try CLIHarness()
        _ = try cli.succeed(["import", "Formularies/reference/rxnorm_subset.csv"])
        _ = try cli.succeed(["import", "Formularies/qhp/reference-a"])
        return cli
    }

    @Test("imports the example records into a 0600 profile, printing what it read, skipped and found")
    func importExample() throws {
        let cli = try Self.prepared()
        let out = cli.directory.appendingPathComponent("r1.yaml").path
        let result = try cli.run(["patient", "import", Self.records, "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(try CLIHarness.mode(out) == 0o600)
        #expect(result.stdout.contains("Imported 4 files into profile R1-records (written to \(out), mode 0600)"), "\(result.stdout)")
        #expect(result.stdout.contains("  pharmacy fills: 14"))
        #expect(result.stdout.contains("  trials: 3"))
        #expect(result.stdout.contains("records/monitoring.csv: monitoring log (CSV), 7 items, 7 facts used"))
        #expect(result.stdout.contains("PHQ-9 rose 9 (2025-02-10) → 16 (2025-03-24) after the switch"))
        #expect(result.stdout.contains("needs documentation of the response"))
        #expect(result.stderr.isEmpty, "stderr: \(result.stderr)")
        let yaml = try String(contentsOfFile: out, encoding: .utf8)
        #expect(yaml.contains("schema: formulary-patient/1") && yaml.contains("source: {file: \"records/claims.ndjson\""))
        // The written profile is a profile: analyze reads it.
        let analysis = try cli.run(["analyze", "--patient", out, "--json"])
        #expect(analysis.status == 0, "\(analysis.stderr)")
        // An existing --out is kept unless --force.
        let again = try cli.run(["patient", "import", Self.records, "--out", out])
        #expect(again.status == 73 && again.stderr.contains("already exists"), "\(again.stderr)")
        #expect(try cli.run(["patient", "import", Self.records, "--out", out, "--force"]).status == 0)
    }

    @Test("without --out the profile goes to stdout and the summary to stderr; --json gives the summary as JSON")
    func stdoutAndJSON() throws {
        let cli = try Self.prepared()
        let plain = try cli.run(["patient", "import", Self.records + "/claims.ndjson", "--label", "clinic-17"])
        #expect(plain.status == 0)
        #expect(plain.stdout.hasPrefix("# Patient profile imported") && plain.stdout.contains("id: \"clinic-17\""))
        #expect(plain.stderr.contains("Imported 1 file into profile clinic-17"))
        let json = try #require(try CLIHarness.json(try cli.succeed(["patient", "import", Self.records, "--json"])) as? [String: Any])
        #expect(json["profileId"] as? String == "R1-records")
        #expect((json["counts"] as? [String: Any])?["pharmacy fills"] as? Int == 14)
        #expect((json["profile"] as? String)?.contains("schema: formulary-patient/1") == true)
        #expect((json["findings"] as? [String])?.isEmpty == false)
    }

    @Test("analyze, report and watch add read the records directly")
    func directUse() throws {
        let cli = try Self.prepared()
        let analysis = try cli.run(["analyze", "--patient", Self.records, "--option", "TMS", "--json"])
        #expect(analysis.status == 0, "\(analysis.stderr)")
        let json = try #require(try CLIHarness.json(analysis.stdout) as? [String: Any])
        #expect(json["patient"] as? String == "R1-records")
        let plan = try #require((json["plans"] as? [[String: Any]])?.first)
        let scores = try #require(plan["scores"] as? [[String: Any]], "the score series reaches the analysis output")
        #expect(scores.count == 7 && scores.last?["value"] as? Double == 17)
        let tms = try #require((plan["options"] as? [[String: Any]])?.first { $0["optionId"] as? String == "tms" })
        #expect(tms["verdict"] as? String == "COVERED_PA_MET", "\(tms["summary"] ?? "")")
        let events = try #require(plan["events"] as? [[String: Any]])
        #expect(events.first?["scoreAfter"] as? String == "PHQ-9 16 on 2025-03-24")

        let out = cli.directory.appendingPathComponent("reports").path
        let report = try cli.run(["report", "coverage", "--patient", Self.records, "--format", "all", "--out", out])
        #expect(report.status == 0, "\(report.stderr)")
        // The score series is drawn on the timeline beside the trials and the maker switch, and listed in its table.
        let files = try FileManager.default.contentsOfDirectory(atPath: out)
        let markdown = try String(contentsOfFile: out + "/" + #require(files.first { $0.hasSuffix(".md") }), encoding: .utf8)
        #expect(markdown.contains("| PHQ-9 scores | treatment so far |") && markdown.contains("16 on Mar 24, 2025"))
        let html = try String(contentsOfFile: out + "/" + #require(files.first { $0.hasSuffix(".html") }), encoding: .utf8)
        let history = try #require(html.range(of: "history-chart-title").map { String(html[$0.lowerBound...].prefix(20_000)) })
        #expect(history.components(separatedBy: "<circle").count - 1 >= 7, "a dot per PHQ-9 score")

        let watch = try cli.run(["watch", "add", "--patient", Self.records, "--label", "r1"])
        #expect(watch.status == 0, "\(watch.stderr)")
        #expect(watch.stdout.contains("Watching r1"))
        #expect(try cli.run(["watch", "check", "--as-of", "2025-06-02"]).status == 0)
    }

    @Test("an NDC maps to its RxCUI through an imported RxNorm release; without one it is kept and reported")
    func ndcThroughRxNorm() throws {
        let cli = try Self.prepared()
        // 99999000050 is the RxNorm fixture's NDC for sertraline 50 MG Oral Tablet (312941).
        let claim = #"{"resourceType":"ExplanationOfBenefit","id":"c1","type":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/claim-type","code":"pharmacy"}]},"supportingInfo":[{"sequence":1,"category":{"coding":[{"system":"http://hl7.org/fhir/us/carin-bb/CodeSystem/C4BBSupportingInfoType","code":"dayssupply"}]},"valueQuantity":{"value":30}}],"item":[{"sequence":1,"productOrService":{"coding":[{"system":"http://hl7.org/fhir/sid/ndc","code":"99999-0000-50"}]},"servicedDate":"2025-01-06","quantity":{"value":30}}]}"#
        let file = cli.directory.appendingPathComponent("eob.json")
        try Data(claim.utf8).write(to: file)
        let before = try cli.run(["patient", "import", file.path])
        #expect(before.status == 0)
        #expect(before.stderr.contains("NDC 99999000050 has no RxNorm mapping loaded (import RxNorm)"), "\(before.stderr)")
        _ = try cli.succeed(["import", "Tests/FormularyImportTests/Fixtures/rxnorm/release"])
        let after = try cli.run(["patient", "import", file.path])
        #expect(after.status == 0)
        #expect(after.stdout.contains("rxcui: \"312941\"") && after.stdout.contains("mgPerDay: 50"), "\(after.stdout)")
        #expect(!after.stderr.contains("no RxNorm mapping"))
    }

    @Test("exit codes: 66 for a missing file or --db, 65 for malformed JSON (with its line) or nothing usable")
    func exitCodes() throws {
        let cli = try Self.prepared()
        let missing = try cli.run(["patient", "import", "/no/such/records.json"])
        #expect(missing.status == 66 && missing.stderr.contains("/no/such/records.json"), "\(missing.stderr)")
        let noDatabase = try cli.run(["patient", "import", Self.records, "--db", cli.directory.appendingPathComponent("none.sqlite").path], database: false)
        #expect(noDatabase.status == 66 && noDatabase.stderr.contains("no database at"), "\(noDatabase.stderr)")
        let broken = cli.directory.appendingPathComponent("broken.json")
        try Data("{\"resourceType\": \"Observation\",\n \"code\": [,]\n}\n".utf8).write(to: broken)
        let malformed = try cli.run(["patient", "import", broken.path])
        #expect(malformed.status == 65 && malformed.stderr.contains("broken.json:2"), "\(malformed.stderr)")
        let empty = cli.directory.appendingPathComponent("questionnaire.json")
        try Data(#"{"resourceType": "Questionnaire", "id": "q", "status": "active"}"#.utf8).write(to: empty)
        let nothing = try cli.run(["patient", "import", empty.path])
        #expect(nothing.status == 65 && nothing.stderr.contains("no patient facts the analysis can use"), "\(nothing.stderr)")
        let fsh = cli.directory.appendingPathComponent("EOB.fsh")
        try Data("Instance: EOBPharmacy1\nInstanceOf: C4BBExplanationOfBenefitPharmacy\n".utf8).write(to: fsh)
        let shorthand = try cli.run(["patient", "import", fsh.path])
        #expect(shorthand.status == 65 && shorthand.stderr.contains("FHIR Shorthand"), "\(shorthand.stderr)")
        // analyze reports a records problem as invalid input too, not an internal error.
        let analyze = try cli.run(["analyze", "--patient", empty.path])
        #expect(analyze.status == 65, "\(analyze.stderr)")
    }

    @Test("the shared samples: every warning is printed with file, resource and field; no name reaches stdout or stderr",
          .enabled(if: FileManager.default.fileExists(atPath: samples.path)))
    func sharedSamples() throws {
        let cli = try Self.prepared()
        let out = cli.directory.appendingPathComponent("all.yaml").path
        let result = try cli.run(["patient", "import", Self.samples.path, "--out", out])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ExplanationOfBenefit/pde-89 item[0].productOrService.coding[0].code: \"000000000\" is not an NDC"), "\(result.stdout)")
        #expect(result.stdout.contains("NDC 00777310502 has no RxNorm mapping loaded (import RxNorm)"))
        #expect(result.stdout.contains("HL7_carin-bb__input_fsh_examples_EOBPharmacy1.fsh: not read: FHIR Shorthand"))
        #expect(result.stdout.range(of: #"Skipped \d+ facts:"#, options: .regularExpression) != nil)
        let yaml = try String(contentsOfFile: out, encoding: .utf8)
        for name in ["Beatty", "Orosco", "Shaw", "Baxter", "John", "9AB2WW3GR44", "Johnny"] {
            #expect(!yaml.contains(name) && !result.stdout.contains(name) && !result.stderr.contains(name), "\(name) was copied")
        }
    }
}
