import Foundation
import Testing

/// `formulary import` of an RxNorm release, end to end: detection, the summary a person sees,
/// and NDC and name lookups that resolve through the imported reference.
@Suite("formulary CLI: RxNorm release", .serialized)
struct RxNormCLITests {
    static let release = "Tests/FormularyImportTests/Fixtures/rxnorm/release"

    @Test("import detects the release and reports concepts, NDC mappings, relations and files")
    func importRelease() throws {
        let cli = try CLIHarness()
        let out = try cli.succeed(["import", Self.release])
        #expect(out.contains("Imported snapshot 1 (source rxnorm, RxNorm release (RRF))"))
        #expect(out.contains("  concepts: 24"))
        #expect(out.contains("  NDC mappings: 5"))
        #expect(out.contains("  relations read: 28"))
        #expect(out.contains("  RXNCONSO rows: 45"))
        #expect(out.contains("file: release/rrf/RXNCONSO.RRF"))
        #expect(out.contains("file: release/rrf/RXNSAT.RRF"))
        #expect(out.contains("warning: skipped 1 RxNorm NDC whose RXCUI"))

        let json = try #require(try CLIHarness.json(cli.succeed(["import", "--format", "rxnorm", "--json", Self.release])) as? [String: Any])
        let snapshot = try #require(json["snapshot"] as? [String: Any])
        #expect((snapshot["counts"] as? [String: Any])?["concepts"] as? Int == 24)
    }

    @Test("after a Part D import, an NDC from RXNSAT and a brand from RXNCONSO find the formulary line")
    func lookupThroughRxNorm() throws {
        let cli = try CLIHarness()
        _ = try cli.succeed(["import", Self.release])
        _ = try cli.succeed(["import", "Formularies/partd/2026Q1"])
        // 99999000050 is the fixture's NDC for sertraline 50 MG Oral Tablet (312941), tier 1 on H9990-001-000.
        let byNDC = try cli.succeed(["lookup", "--plan", "H9990-001-000", "--drug", "99999000050"])
        #expect(byNDC.contains("sertraline 50 MG Oral Tablet"))
        #expect(byNDC.contains("Tier 1"))
        let byIngredient = try cli.succeed(["lookup", "--plan", "H9990-001-000", "--drug", "olanzapine"])
        #expect(byIngredient.contains("fluoxetine 25 MG / olanzapine 12 MG Oral Capsule"))
    }

    @Test("a bad row fails the import with file, line and field, and stores nothing")
    func badRow() throws {
        let cli = try CLIHarness()
        let folder = cli.directory.appendingPathComponent("bad/rrf")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let fixtures = CLIHarness.repository.appendingPathComponent("Tests/FormularyImportTests/Fixtures/rxnorm")
        try FileManager.default.copyItem(
            at: fixtures.appendingPathComponent("bad/rxnconso_non_digit_rxcui.RRF"), to: folder.appendingPathComponent("RXNCONSO.RRF"))
        let result = try cli.run(["import", folder.deletingLastPathComponent().path])
        #expect(result.status != 0)
        #expect(result.stderr.contains("RXNCONSO.RRF:2: RXCUI = \"31294I\": expected an RxCUI of 1 to 8 digits"))
        let snapshots = try cli.run(["snapshots", "--json"])
        #expect(!snapshots.stdout.contains("rxnorm"))
    }
}
