import Foundation
import FormularyImport
import FormularyModel
import Testing

/// The shapes an RxNorm release arrives in (NLM's zip, the unpacked folder, the RRF files) and
/// how they are recognized.
@Suite("RxNorm importer: inputs and detection")
struct RxNormInputTests {
    /// Builds a release zip laid out as NLM ships it: RRF files under `rrf/`, with load scripts
    /// and a readme beside them.
    static func releaseZip(in scratch: ScratchFolder, name: String = "RxNorm_full_prescribe_03022026.zip") throws -> URL {
        var entries: [(path: String, data: Data)] = [
            ("Readme_full_prescribe_03022026.txt", Data("RxNorm Current Prescribable Content (test fixture)\n".utf8)),
            ("scripts/mysql/Load_scripts_mysql_rxn_unix.sql", Data("-- load scripts\n".utf8)),
        ]
        for file in ["RXNSAT.RRF", "RXNCONSO.RRF", "RXNREL.RRF"] {
            entries.append(("rrf/\(file)", try RxNormFixtures.data(file)))
        }
        entries.append(("rrf/RXNCUI.RRF", Data("1|20260302|CUI|1|\n".utf8)))
        return try scratch.zip(entries, as: name)
    }

    @Test("NLM's release zip imports the same rows as the unpacked folder, skipping the other files with one warning")
    func zipInput() throws {
        let scratch = try ScratchFolder()
        let zip = try Self.releaseZip(in: scratch)
        let (zipped, zipSink) = try importRxNorm([zip])
        let (unpacked, folderSink) = try importRxNorm([try RxNormFixtures.release()])
        #expect(zipped.counts == unpacked.counts)
        #expect(zipSink.concepts == folderSink.concepts)
        #expect(zipSink.ndcMappings == folderSink.ndcMappings)
        #expect(zipSink.files.map(\.sha256) == folderSink.files.map(\.sha256))
        #expect(zipSink.files.map(\.name) == [
            "RxNorm_full_prescribe_03022026.zip!/rrf/RXNCONSO.RRF",
            "RxNorm_full_prescribe_03022026.zip!/rrf/RXNREL.RRF",
            "RxNorm_full_prescribe_03022026.zip!/rrf/RXNSAT.RRF",
        ])
        let skipped = try #require(zipped.warnings.first { $0.hasPrefix("skipped 3 files") })
        #expect(skipped.contains("RXNCUI.RRF") && skipped.contains("Load_scripts_mysql_rxn_unix.sql"))
    }

    @Test("A damaged zip is a badArchive error")
    func damagedZip() throws {
        let scratch = try ScratchFolder()
        let zip = try Self.releaseZip(in: scratch)
        var data = try Data(contentsOf: zip)
        data.removeLast(data.count / 2)
        try data.write(to: zip)
        #expect(throws: ImportError.self) { try importRxNorm([zip]) }
    }

    @Test("Recognized: a folder or zip holding RXNCONSO.RRF (at the top or under rrf/), a folder holding such a zip, or an RRF file itself")
    func recognizes() throws {
        let scratch = try ScratchFolder()
        let zip = try Self.releaseZip(in: scratch)
        let flat = try scratch.write(try RxNormFixtures.data("RXNCONSO.RRF"), as: "flat/rxnconso.rrf")
        let flatZip = try scratch.zip([("RXNCONSO.RRF", try RxNormFixtures.data("RXNCONSO.RRF"))], as: "flat.zip")
        let wrapped = try scratch.zip([("RxNorm_full_03022026/rrf/RXNCONSO.RRF", try RxNormFixtures.data("RXNCONSO.RRF"))], as: "wrapped.zip")
        let downloads = try Self.releaseZip(in: scratch, name: "downloads/RxNorm_full_prescribe_03022026.zip").deletingLastPathComponent()
        for url in [try RxNormFixtures.release(), try RxNormFixtures.release().appendingPathComponent("rrf"), zip, flat,
                    flat.deletingLastPathComponent(), flatZip, wrapped, downloads, try RxNormFixtures.rrf("RXNREL.RRF")] {
            #expect(RxNormImporter.recognizes(url), "\(url.path)")
        }
        let other = try scratch.write(Data("a|b|\n".utf8), as: "other/notes.txt")
        let partD = try PartDFixtures.release()
        let elsewhere = try scratch.zip([("docs/RXNCONSO.txt", Data())], as: "elsewhere.zip")
        for url in [other, other.deletingLastPathComponent(), partD, elsewhere, scratch.url.appendingPathComponent("missing")] {
            #expect(!RxNormImporter.recognizes(url), "\(url.path)")
        }
    }

    @Test("FormatDetector picks the RxNorm importer for a release and makes it")
    func formatDetector() throws {
        let scratch = try ScratchFolder()
        let zip = try Self.releaseZip(in: scratch)
        #expect(try FormatDetector.detect([try RxNormFixtures.release()]) == .rxnorm)
        #expect(try FormatDetector.detect([zip]) == .rxnorm)
        #expect(try FormatDetector.detect(try ["RXNCONSO.RRF", "RXNREL.RRF", "RXNSAT.RRF"].map(RxNormFixtures.rrf)) == .rxnorm)
        #expect(try FormatDetector.detect([try PartDFixtures.release()]) == .partD)
        let importer = try FormatDetector.importer(for: .rxnorm, options: ImportOptions(maxRejects: 3))
        #expect(importer.format == .rxnorm)
        #expect((importer as? RxNormImporter)?.options.maxRejects == 3)
    }
}
