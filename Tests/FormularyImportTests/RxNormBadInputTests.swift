import Foundation
import FormularyImport
import FormularyModel
import Testing

/// Broken RRF input: each problem names file, line, field and value, and nothing half-imports.
@Suite("RxNorm importer: bad input")
struct RxNormBadInputTests {
    /// Imports the fixture release with `name` replaced by a `bad/` fixture, expecting failure.
    static func failure(_ fixture: String, as name: String, maxRejects: Int = 0) throws -> (problems: [RowProblem], total: Int) {
        let scratch = try ScratchFolder()
        let release = try RxNormFixtures.stage(in: scratch, replacing: [name: try RxNormFixtures.bad(fixture)])
        return try invalidRows { _ = try importRxNorm([release], maxRejects: maxRejects) }
    }

    @Test("A line with a field missing is a problem naming the file, line and layout")
    func wrongFieldCount() throws {
        let (problems, total) = try Self.failure("rxnconso_wrong_field_count.RRF", as: "RXNCONSO.RRF")
        #expect(total == 1)
        let problem = try #require(problems.first)
        #expect(problem.file == "release/rrf/RXNCONSO.RRF")
        #expect(problem.line == 2)
        #expect(problem.field == nil)
        #expect(problem.value?.hasPrefix("312941|ENG|") == true)
        #expect(problem.expected.contains("18 fields, each followed by |"))
        #expect(problem.expected.contains("splits into 18"))
    }

    @Test("A line without its trailing | is a problem, not a row read one field short")
    func missingTrailingPipe() throws {
        let (problems, total) = try Self.failure("rxnconso_no_trailing_pipe.RRF", as: "RXNCONSO.RRF")
        #expect(total == 1)
        #expect(problems.first?.line == 2)
        #expect(problems.first?.expected.contains("the trailing | is missing") == true)
    }

    @Test("Text after the last | is a problem too")
    func textAfterTrailingPipe() throws {
        let scratch = try ScratchFolder()
        var text = String(decoding: try RxNormFixtures.data("RXNSAT.RRF"), as: UTF8.self)
        text += "312941|||90000011|AUI|312941|||NDC|RXNORM|99999000052|N|4096|extra\n"
        let release = try RxNormFixtures.stage(in: scratch, replacing: ["RXNSAT.RRF": Data(text.utf8)])
        let (problems, _) = try invalidRows { _ = try importRxNorm([release]) }
        #expect(problems.first?.file == "release/rrf/RXNSAT.RRF")
        #expect(problems.first?.line == 12)
        #expect(problems.first?.expected.contains("13 fields, each followed by |") == true)
        #expect(problems.first?.expected.contains("text after its last |") == true)
    }

    @Test("An RXCUI that is not digits is a problem with the RXCUI field and value", arguments: [
        ("rxnconso_non_digit_rxcui.RRF", "RXNCONSO.RRF", 2, "RXCUI", "31294I"),
        ("rxnrel_non_digit_rxcui.RRF", "RXNREL.RRF", 2, "RXCUI2", "90000O1"),
    ])
    func nonDigitRxCUI(fixture: String, name: String, line: Int, field: String, value: String) throws {
        let (problems, total) = try Self.failure(fixture, as: name)
        #expect(total == 1)
        let problem = try #require(problems.first)
        #expect(problem.file == "release/rrf/\(name)")
        #expect(problem.line == line)
        #expect(problem.field == field)
        #expect(problem.value == value)
        #expect(problem.expected == "an RxCUI of 1 to 8 digits")
    }

    @Test("An NDC that is not 11 digits is a problem with the ATV field and value")
    func badNDC() throws {
        let (problems, total) = try Self.failure("rxnsat_bad_ndc.RRF", as: "RXNSAT.RRF")
        #expect(total == 2)
        #expect(problems.map(\.line) == [2, 3])
        #expect(problems.map(\.field) == ["ATV", "ATV"])
        #expect(problems.map(\.value) == ["9999-0000-50", "9999900005"])
        #expect(problems.first?.description.contains("RXNSAT.RRF:2: ATV = \"9999-0000-50\": expected an NDC of 11 digits") == true)
    }

    @Test("Under --max-rejects bad rows are skipped and reported, and the rest imports")
    func maxRejects() throws {
        let scratch = try ScratchFolder()
        let release = try RxNormFixtures.stage(in: scratch, replacing: ["RXNSAT.RRF": try RxNormFixtures.bad("rxnsat_bad_ndc.RRF")])
        let (outcome, sink) = try importRxNorm([release], maxRejects: 2)
        #expect(outcome.rejects.map(\.line) == [2, 3])
        #expect(outcome.rejects.first?.reason == "ATV = \"9999-0000-50\": expected an NDC of 11 digits without dashes (RxNorm's normalized form)")
        #expect(outcome.rejects.first?.raw.hasPrefix("312941|||90000011|AUI|") == true)
        #expect(sink.ndcMappings == [NDCMapping(ndc: NDC("99999000050"), rxcui: RxCUI("312941"), isCurrent: true)])
        #expect(sink.concepts.count == 24)

        _ = try invalidRows { _ = try importRxNorm([release], maxRejects: 1) }
    }

    @Test("At most 20 problems are listed; the total counts them all")
    func problemLimit() throws {
        let scratch = try ScratchFolder()
        var text = String(decoding: try RxNormFixtures.data("RXNCONSO.RRF"), as: UTF8.self)
        for index in 0 ..< 25 {
            text += "X\(index)|ENG||||||1|1|X||RXNORM|IN|X|broken||N|4096|\n"
        }
        let release = try RxNormFixtures.stage(in: scratch, replacing: ["RXNCONSO.RRF": Data(text.utf8)])
        let (problems, total) = try invalidRows { _ = try importRxNorm([release]) }
        #expect(total == 25)
        #expect(problems.count == ImportError.listedProblemLimit)
        #expect(problems.first?.line == 46)
    }

    @Test("A name that is not UTF-8 is a problem with the STR field")
    func invalidUTF8() throws {
        let scratch = try ScratchFolder()
        var data = try RxNormFixtures.data("RXNCONSO.RRF")
        data += Data("9000099|ENG||||||90000199|90000199|9000099||RXNORM|IN|9000099|caf".utf8) + Data([0xE9]) + Data("ine||N|4096|\n".utf8)
        let release = try RxNormFixtures.stage(in: scratch, replacing: ["RXNCONSO.RRF": data])
        let (problems, _) = try invalidRows { _ = try importRxNorm([release]) }
        #expect(problems.first?.field == "STR")
        #expect(problems.first?.line == 46)
    }

    @Test("Without RXNCONSO.RRF the import fails with missingFile")
    func missingConcepts() throws {
        let scratch = try ScratchFolder()
        let release = try RxNormFixtures.stage(in: scratch, omitting: ["RXNCONSO.RRF"])
        do {
            _ = try importRxNorm([release])
            Issue.record("expected ImportError.missingFile")
        } catch let ImportError.missingFile(format, role, looked) {
            #expect(format == SourceFormat.rxnorm.displayName)
            #expect(role == "RXNCONSO.RRF")
            #expect(looked == [release.path])
        }
        #expect(throws: ImportError.self) { try importRxNorm([try RxNormFixtures.rrf("RXNSAT.RRF")]) }
    }

    @Test("RXNCONSO without RxNorm's own atoms is refused: it would empty the drug reference")
    func noRxNormAtoms() throws {
        let (problems, _) = try Self.failure("rxnconso_other_sources_only.RRF", as: "RXNCONSO.RRF")
        #expect(problems.first?.line == 0)
        #expect(problems.first?.expected.contains("SAB = RXNORM") == true)
    }

    @Test("RXNREL and RXNSAT are optional; the outcome warns about what is missing")
    func optionalFiles() throws {
        let scratch = try ScratchFolder()
        let release = try RxNormFixtures.stage(in: scratch, omitting: ["RXNREL.RRF", "RXNSAT.RRF"])
        let (outcome, sink) = try importRxNorm([release])
        #expect(sink.concepts.count == 24)
        #expect(sink.ndcMappings.isEmpty)
        #expect(outcome.counts["NDC mappings"] == 0)
        #expect(outcome.counts["relations read"] == 0)
        #expect(outcome.counts["RXNREL rows"] == nil)
        #expect(outcome.warnings.contains { $0.contains("no RXNREL.RRF") })
        #expect(outcome.warnings.contains { $0.contains("no RXNSAT.RRF") })
        // Ingredients need relations; brands fall back to the name's [Brand] ending.
        #expect(try sink.concept("312941").ingredients.isEmpty)
        #expect(try sink.concept("36437").ingredients == [RxCUI("36437")])
        #expect(try sink.concept("208161").brandName == "Zoloft")
        #expect(sink.files.map(\.name) == ["release/rrf/RXNCONSO.RRF"])
    }

    @Test("Two RXNCONSO files mean two releases were mixed")
    func twoReleases() throws {
        let scratch = try ScratchFolder()
        let first = try RxNormFixtures.stage(in: scratch)
        let second = try scratch.write(try RxNormFixtures.data("RXNCONSO.RRF"), as: "other/RXNCONSO.RRF")
        #expect(throws: ImportError.self) { try importRxNorm([first, second]) }
    }
}
