import Foundation
import FormularyImport
import FormularyModel
import Testing

/// The shapes a Part D release arrives in: the CMS zip of zips, a folder, single files.
@Suite("Part D importer: inputs")
struct PartDInputTests {
    /// Builds the release as CMS ships it: an outer zip holding one inner zip per table.
    static func releaseZip(in scratch: ScratchFolder) throws -> URL {
        let release = try PartDFixtures.release()
        let names = try FileManager.default.contentsOfDirectory(atPath: release.path).filter { !$0.hasPrefix(".") }.sorted()
        var outer: [(path: String, data: Data)] = []
        for name in names {
            let data = try Data(contentsOf: release.appendingPathComponent(name))
            guard name.hasSuffix(".txt") else {
                outer.append((name, data))
                continue
            }
            let innerName = String(name.dropLast(4)) + ".zip"
            let inner = try scratch.zip([(name, data)], as: "inner/\(innerName)")
            outer.append((innerName, try Data(contentsOf: inner)))
        }
        // A table the importer skips: it must not even be extracted.
        let network = try scratch.zip(
            [("pharmacy networks file  PPUF_2026Q1 part 1.txt", Data("CONTRACT_ID|PHARMACY_NUMBER\r\n".utf8))],
            as: "inner/pharmacy networks file  PPUF_2026Q1 part 1.zip"
        )
        outer.append(("pharmacy networks file  PPUF_2026Q1 part 1.zip", try Data(contentsOf: network)))
        return try scratch.zip(outer, as: "SPUF_2026_20260101.zip")
    }

    @Test("The CMS zip of zips imports the same rows as the unpacked folder")
    func nestedZip() throws {
        let scratch = try ScratchFolder()
        let zip = try Self.releaseZip(in: scratch)
        let (zipped, zipSink) = try importPartD([zip])
        let (unpacked, folderSink) = try importPartD([try PartDFixtures.release()])

        #expect(zipped.counts == unpacked.counts)
        #expect(zipSink.entries == folderSink.entries)
        #expect(zipSink.plans == folderSink.plans)
        #expect(zipSink.costShares == folderSink.costShares)
        #expect(zipSink.tiers == folderSink.tiers)
        #expect(zipSink.indications == folderSink.indications)
        #expect(zipSink.files.map(\.sha256) == folderSink.files.map(\.sha256))
        #expect(zipSink.files.first?.name
            == "SPUF_2026_20260101.zip!/basic drugs formulary file  PPUF_2026Q1.zip!/basic drugs formulary file  PPUF_2026Q1.txt")
        #expect(zipped.warnings.contains {
            $0.contains("SPUF_2026_20260101.zip!/pharmacy networks file  PPUF_2026Q1 part 1.zip") && $0.contains("pharmacy networks")
        })
    }

    @Test("A single basic formulary file imports alone, with warnings for the missing tables")
    func singleFile() throws {
        let file = try PartDFixtures.release().appendingPathComponent(PartDFixtures.basicName)
        let (outcome, sink) = try importPartD([file])
        #expect(sink.entries.count == 7)
        #expect(sink.plans.isEmpty)
        #expect(sink.tiers.allSatisfy { $0.isSpecialty == nil && $0.category == .unknown })
        #expect(sink.files.map(\.name) == [PartDFixtures.basicName])
        #expect(outcome.warnings.count == 5)
        #expect(outcome.warnings.contains { $0.hasPrefix("no plan information table") })
    }

    @Test("Several inputs combine: a basic file and a plan file given separately")
    func severalInputs() throws {
        let release = try PartDFixtures.release()
        let (outcome, sink) = try importPartD([
            release.appendingPathComponent(PartDFixtures.planName), release.appendingPathComponent(PartDFixtures.basicName),
        ])
        #expect(outcome.counts["plans"] == 4)
        #expect(sink.files.map(\.role) == ["basic drugs formulary", "plan information"])
        #expect(sink.plans.allSatisfy { $0.year == 2026 })
    }

    @Test("Without a basic drugs formulary the import fails with missingFile")
    func missingBasic() throws {
        let plan = try PartDFixtures.release().appendingPathComponent(PartDFixtures.planName)
        do {
            _ = try importPartD([plan])
            Issue.record("expected missingFile")
        } catch let ImportError.missingFile(format, role, looked) {
            #expect(format == SourceFormat.partD.displayName)
            #expect(role == "basic drugs formulary")
            #expect(looked == [plan.path])
        }
    }

    @Test("Two basic formulary files mean two releases were mixed: refused")
    func twoBasicFiles() throws {
        let scratch = try ScratchFolder()
        try scratch.stage("partd_basic_11_columns.txt", as: "a/basic drugs formulary file  PPUF_2024Q1.txt")
        try scratch.stage("partd_bad_tier.txt", as: "b/basic drugs formulary file  PPUF_2026Q1.txt")
        do {
            _ = try importPartD([scratch.url])
            Issue.record("expected unrecognizedFormat")
        } catch let ImportError.unrecognizedFormat(path, reason) {
            #expect(path.hasSuffix("b/basic drugs formulary file  PPUF_2026Q1.txt"))
            #expect(reason.contains("second basic drugs formulary table"))
        }
    }

    @Test("An unknown text file is a warning, not a failure")
    func unknownFile() throws {
        let scratch = try ScratchFolder()
        try scratch.stage(releaseFile: PartDFixtures.basicName, as: "r/\(PartDFixtures.basicName)")
        try scratch.write(lines: ["CONTRACT_ID|PLAN_ID|SEGMENT_ID|RXCUI|COPAY"], as: "r/senior savings model file PPUF_2022Q1.txt")
        let (outcome, sink) = try importPartD([scratch.url.appendingPathComponent("r")])
        #expect(sink.entries.count == 7)
        #expect(outcome.warnings.contains {
            $0.contains("r/senior savings model file PPUF_2022Q1.txt") && $0.contains("not a Part D table")
        })
    }

    @Test("A missing path is fileNotFound; a text file named .zip is badArchive")
    func badPaths() throws {
        let missing = URL(fileURLWithPath: "/nonexistent/SPUF_2026.zip")
        do {
            _ = try importPartD([missing])
            Issue.record("expected fileNotFound")
        } catch let ImportError.fileNotFound(path) {
            #expect(path == missing.path)
        }
        do {
            _ = try importPartD([try PartDFixtures.url("partd_not_a_zip.zip")])
            Issue.record("expected badArchive")
        } catch let ImportError.badArchive(path, reason) {
            #expect(path == "partd_not_a_zip.zip")
            #expect(!reason.isEmpty)
        }
    }
}

extension ScratchFolder {
    /// Copies a file of the happy-path release.
    @discardableResult
    func stage(releaseFile name: String, as target: String) throws -> URL {
        try write(Data(contentsOf: PartDFixtures.release().appendingPathComponent(name)), as: target)
    }
}

extension PartDInputTests {
    @Test("Cost rows of a suppressed plan are skipped and counted")
    func suppressedPlanCostRows() throws {
        let scratch = try ScratchFolder()
        for name in [PartDFixtures.basicName, PartDFixtures.planName] {
            try scratch.stage(releaseFile: name, as: "r/\(name)")
        }
        try scratch.write(lines: [
            PartDTableRowCase.costHeader,
            "S9999|001|000|1|1|1|1|0|0|0|1|5|0|0|1|0|0|0|0|0|0|0|N|N",
            "S5601|012|000|1|1|1|1|0|0|0|1|5|0|0|1|0|0|0|0|0|0|0|N|N",
        ], as: "r/\(PartDTableRowCase.cost)")
        let (outcome, sink) = try importPartD([scratch.url.appendingPathComponent("r")])
        #expect(outcome.counts["cost share rows"] == 1)
        #expect(outcome.counts["cost rows of suppressed plans skipped"] == 1)
        #expect(Set(sink.costShares.map(\.plan)) == [PlanID("S5601-012-000")])
    }
}
