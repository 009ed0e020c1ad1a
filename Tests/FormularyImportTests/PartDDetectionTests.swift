import Foundation
import FormularyImport
import Testing

@Suite("Part D importer: detection")
struct PartDDetectionTests {
    @Test("A release folder, the CMS zip of zips and a single table are Part D")
    func recognized() throws {
        let scratch = try ScratchFolder()
        let release = try PartDFixtures.release()
        #expect(PartDImporter.recognizes(release))
        #expect(PartDImporter.recognizes(try PartDInputTests.releaseZip(in: scratch)))
        #expect(PartDImporter.recognizes(release.appendingPathComponent(PartDFixtures.basicName)))
        #expect(PartDImporter.recognizes(release.appendingPathComponent("geographic locator file PPUF_2026Q1.txt")))
    }

    @Test("A renamed table is recognized by its pipe-delimited header", arguments: [
        "partd_bad_tier.txt", "partd_basic_11_columns.txt", "partd_plan_undefined_cp1252_byte.txt",
    ])
    func renamedTable(fixture: String) throws {
        #expect(PartDImporter.recognizes(try PartDFixtures.url(fixture)))
    }

    @Test("Other files are not Part D")
    func notRecognized() throws {
        let scratch = try ScratchFolder()
        let csv = try scratch.write(lines: ["rxcui,name", "1551300,x"], as: "drugs.csv")
        let json = try scratch.write(Data("[{\"plan_id\": \"12345XX9876543\"}]".utf8), as: "plans.json")
        let other = try scratch.zip([("plans.json", Data("[]".utf8))], as: "qhp.zip")
        #expect(!PartDImporter.recognizes(csv))
        #expect(!PartDImporter.recognizes(json))
        #expect(!PartDImporter.recognizes(other))
        #expect(!PartDImporter.recognizes(try PartDFixtures.url("partd_empty.txt")))
        #expect(!PartDImporter.recognizes(try PartDFixtures.url("partd_not_a_zip.zip")))
        #expect(!PartDImporter.recognizes(URL(fileURLWithPath: "/nonexistent/basic drugs formulary file.txt")))
        #expect(!PartDImporter.recognizes(scratch.url.appendingPathComponent("missing")))
    }
}
