import Foundation
import Testing

/// An import never hides good data: content that is not a formulary is refused, each publisher's
/// data is its own source, a snapshot that loses most of its source is refused, and a damaged
/// database is named as such.
@Suite("import safety", .serialized)
struct ImportSafetyTests {
    static let sample = CLIHarness.repo("Formularies/fhir/davinci-d1002")

    /// A FormularyItem for formulary D1002 whose drug is in no file of the import.
    static let orphanItem = """
        {"resourceType":"Basic","id":"FormularyItem-D1002-999","code":{"coding":[{"system":"http://hl7.org/fhir/us/davinci-drug-formulary/CodeSystem/usdf-InsuranceItemTypeCS","code":"formulary-item"}]},
         "extension":[{"url":"http://hl7.org/fhir/us/davinci-drug-formulary/StructureDefinition/usdf-FormularyReference-extension","valueReference":{"reference":"InsurancePlan/FormularyD1002"}},
                      {"url":"http://hl7.org/fhir/us/davinci-drug-formulary/StructureDefinition/usdf-DrugTierID-extension","valueCodeableConcept":{"coding":[{"code":"generic"}]}}],
         "subject":{"reference":"MedicationKnowledge/FormularyDrug-999"}}
        """

    @Test("a file with no formulary content is refused with exit 65 and the previous data stays current", arguments: [
        ("Location-StateOfCTLocation.json", nil as String?, "found: 1 Location"),
        ("patient.json", #"{"resourceType":"Patient","id":"p1","name":[{"family":"Doe"}]}"#, "found: 1 Patient"),
        ("bundle.json", #"{"resourceType":"Bundle","type":"collection","entry":[]}"#, "no formulary content in bundle.json"),
        ("item.json", orphanItem, "no formulary content in item.json"),
    ])
    func noContent(name: String, text: String?, message: String) throws {
        let cli = try CLIHarness()
        _ = try cli.succeed(["import", Self.sample])
        let file: String
        if let text {
            file = cli.directory.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
        } else {
            file = "/work/shared/samples/fhir/stu2.0.1/json/\(name)"
            try #require(FileManager.default.fileExists(atPath: file), "the shared sample is missing")
        }
        let result = try cli.run(["import", file])
        #expect(result.status == 65, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("no formulary content in \(name)"), "\(result.stderr)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        let lookup = try cli.run(["lookup", "--plan", "A1002", "--drug", "1000091"])
        #expect(lookup.status == 0, "\(lookup.stderr)")
        #expect(lookup.stdout.contains("source fhir-FormularyD1002, snapshot 1"))
        let snapshots = try #require(try CLIHarness.json(cli.succeed(["snapshots", "--json"])) as? [[String: Any]])
        #expect(snapshots.count == 1)
    }

    @Test("a refresh whose feed starts serving a non-formulary file reports the source failed and keeps its snapshot")
    func refreshNoContent() throws {
        let cli = try CLIHarness()
        let feed = cli.directory.appendingPathComponent("feed")
        try FileManager.default.createDirectory(at: feed, withIntermediateDirectories: true)
        let served = feed.appendingPathComponent("formulary.xml")
        try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.sample + "/Bundle-collection-FormularyD1002-constructed.xml"), to: served)
        let manifest = cli.directory.appendingPathComponent("sources.yaml")
        try Data("sources:\n  - name: d1002\n    format: fhir\n    location: \(served.path)\n".utf8).write(to: manifest)
        #expect(try cli.run(["refresh", "--sources", manifest.path]).status == 0)
        try FileManager.default.removeItem(at: served)
        try Data(#"<Location xmlns="http://hl7.org/fhir"><id value="x"/></Location>"#.utf8).write(to: served)
        let result = try cli.run(["refresh", "--sources", manifest.path])
        #expect(result.status == 69, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("d1002: failed: no formulary content in"), "\(result.stdout)")
        #expect(try cli.succeed(["lookup", "--plan", "A1002", "--drug", "1000091"]).contains("source d1002, snapshot 1"))
    }

    @Test("the default source comes from the content: publishers do not replace each other, and the summary says what is replaced")
    func sourceIdentity() throws {
        let cli = try CLIHarness()
        let fhir = try cli.succeed(["import", Self.sample])
        #expect(fhir.contains("(source fhir-FormularyD1002, FHIR US Drug Formulary"), "\(fhir)")
        #expect(fhir.contains("a new source: no earlier snapshot of fhir-FormularyD1002"))
        let qhp = try cli.succeed(["import", "Formularies/qhp/reference-a"])
        #expect(qhp.contains("(source qhp-99990,"), "\(qhp)")
        let partd = try cli.succeed(["import", "Formularies/partd/2026Q1"])
        #expect(partd.contains("(source partd,"))
        // Another FHIR publisher: its own source; the first stays current.
        let other = cli.directory.appendingPathComponent("d3001")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        for name in ["InsurancePlan-FormularyD3001.json", "Basic-FormularyItem-D3001-1000091.json", "MedicationKnowledge-FormularyDrug-1000091.json",
                     "InsurancePlan-PayerInsurancePlanA3001.json"] {
            try FileManager.default.copyItem(at: URL(fileURLWithPath: "/work/shared/samples/fhir/stu2.0.1/json/\(name)"),
                                            to: other.appendingPathComponent(name))
        }
        #expect(try cli.succeed(["import", other.path]).contains("(source fhir-FormularyD3001,"))
        #expect(try cli.run(["lookup", "--plan", "A1002", "--drug", "1000091"]).status == 0)
        #expect(try cli.run(["lookup", "--plan", "A3001", "--drug", "1000091"]).status == 0)
        // The same publisher again replaces its own snapshot, and says so.
        let again = try cli.succeed(["import", Self.sample])
        #expect(again.contains("replaces snapshot 1 ("), "\(again)")
        #expect(again.contains("as the current data of source fhir-FormularyD1002"))
        #expect(try cli.run(["import", Self.sample, "--source", "bad name"]).status == 64)
    }

    @Test("a snapshot that drops most of its source is refused, listing what would disappear; --allow-shrink accepts it")
    func shrinkGuard() throws {
        let cli = try CLIHarness()
        let folder = try RefreshAlertTests.copyReferenceA(to: cli.directory.appendingPathComponent("reference-a"))
        _ = try cli.succeed(["import", folder.path])
        let drugsFile = folder.appendingPathComponent("drugs.json")
        let drugs = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: drugsFile)) as? [[String: Any]])
        try JSONSerialization.data(withJSONObject: Array(drugs.prefix(drugs.count / 4))).write(to: drugsFile)
        let refused = try cli.run(["import", folder.path])
        #expect(refused.status == 65, "\(refused.stderr)")
        #expect(refused.stderr.contains("refusing the new snapshot of source qhp-99990: it would drop formulary lines from \(drugs.count.formatted()) to"),
                "\(refused.stderr)")
        #expect(refused.stderr.contains("gone: formulary"), "\(refused.stderr)")
        #expect(refused.stderr.contains("Snapshot 1 stays current") && refused.stderr.contains("--allow-shrink"))
        #expect(try cli.succeed(["snapshots", "--json"]).components(separatedBy: "\"id\"").count - 1 == 1)
        let allowed = try cli.run(["import", folder.path, "--allow-shrink"])
        #expect(allowed.status == 0, "\(allowed.stderr)")
        #expect(allowed.stdout.contains("replaces snapshot 1"))
    }

    @Test("refresh honours the guard per source, and a manifest's allowShrink: true lets the source shrink")
    func refreshShrink() throws {
        let cli = try CLIHarness()
        let folder = try RefreshAlertTests.copyReferenceA(to: cli.directory.appendingPathComponent("reference-a"))
        let manifest = cli.directory.appendingPathComponent("sources.yaml")
        try Data("sources:\n  - name: plan-a\n    location: \(folder.path)\n".utf8).write(to: manifest)
        #expect(try cli.run(["refresh", "--sources", manifest.path]).status == 0)
        let drugsFile = folder.appendingPathComponent("drugs.json")
        let drugs = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: drugsFile)) as? [[String: Any]])
        try JSONSerialization.data(withJSONObject: Array(drugs.prefix(3))).write(to: drugsFile)
        let refused = try cli.run(["refresh", "--sources", manifest.path])
        #expect(refused.status == 69)
        #expect(refused.stdout.contains("plan-a: failed: refusing the new snapshot of source plan-a"), "\(refused.stdout)")
        try Data("sources:\n  - name: plan-a\n    location: \(folder.path)\n    allowShrink: true\n".utf8).write(to: manifest)
        let accepted = try cli.run(["refresh", "--sources", manifest.path])
        #expect(accepted.status == 0, "\(accepted.stdout)\(accepted.stderr)")
        #expect(accepted.stdout.contains("plan-a: updated"))
    }

    @Test("a damaged database exits 74 naming the file and the integrity check, never 70")
    func damagedDatabase() throws {
        let cli = try CLIHarness()
        try CLIEndToEndTests.importBundled(cli)
        // Overwrite the middle of the file: page headers and b-tree cells become garbage.
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: cli.database))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: 8192)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: Int(min(size - 8192, 64 * 1024))))
        try handle.close()
        for arguments in [["lookup", "--plan", "H9990-001-000", "--drug", "sertraline"], ["plans"], ["snapshots"]] {
            let result = try cli.run(arguments)
            #expect(result.status == 74, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.contains("database \(cli.database) is damaged (integrity check: "), "\(result.stderr)")
            #expect(result.stderr.contains("restore it"))
        }
        let notDatabase = cli.directory.appendingPathComponent("notes.sqlite")
        try Data(String(repeating: "not a database\n", count: 400).utf8).write(to: notDatabase)
        let result = try cli.run(["plans", "--db", notDatabase.path], database: false)
        #expect(result.status == 74)
        #expect(result.stderr.contains("database \(notDatabase.path) is damaged"), "\(result.stderr)")
    }
}
