import Crypto
import Foundation
import FormularyImport
import FormularyModel
import Testing

/// What the RxNorm importer makes of a release: concepts, ingredients, brands, NDCs and counts.
@Suite("RxNorm importer: release")
struct RxNormImporterTests {
    @Test("One concept per RXCUI of an emitted term type, with the current atom's name")
    func concepts() throws {
        let (outcome, sink) = try importRxNorm([try RxNormFixtures.release()])
        let rxcuis = sink.concepts.map(\.rxcui.rawValue)
        #expect(rxcuis.count == Set(rxcuis).count)
        #expect(sink.concepts.count == 24)
        #expect(outcome.counts["concepts"] == 24)
        #expect(Set(sink.concepts.map(\.termType)) == ["IN", "MIN", "SCD", "SBD", "GPCK", "BPCK"])
        // SCDC, BN and PIN are walked through, never emitted; synonyms never become concepts.
        for hidden in ["9000001", "9000002", "9000020", "2665426"] {
            #expect(!rxcuis.contains(hidden))
        }
        // The suppressed atom with the old capitalised name comes first in the file; the current one wins.
        #expect(try sink.concept("312941").name == "sertraline 50 MG Oral Tablet")
        // SCD/SBD names are the TTY row's STR, not a PSN or SY.
        #expect(try sink.concept("2665428").name == "cholecalciferol 0.075 MG / folic acid 1 MG Oral Capsule")
        #expect(try sink.concept("44") == DrugConcept(rxcui: RxCUI("44"), termType: "IN", name: "mesna", ingredients: [RxCUI("44")], ingredientNames: ["mesna"]))
        // A concept with only suppressed atoms is still emitted, so old codes resolve.
        #expect(try sink.concept("9000050").name == "sertraline 25 MG Oral Capsule")
        #expect(outcome.counts["suppressed concepts"] == 1)
    }

    @Test("An SCD's ingredients come through its SCDC; an SBD's through its SCD, with the brand from the BN")
    func sertraline() throws {
        let (_, sink) = try importRxNorm([try RxNormFixtures.release()])
        #expect(try sink.concept("312941") == DrugConcept(
            rxcui: RxCUI("312941"), termType: "SCD", name: "sertraline 50 MG Oral Tablet",
            ingredients: [RxCUI("36437")], ingredientNames: ["sertraline"]))
        let zoloft = try sink.concept("208161")
        #expect(zoloft.termType == "SBD")
        #expect(zoloft.name == "sertraline 50 MG Oral Tablet [Zoloft]")
        #expect(zoloft.ingredients == [RxCUI("36437")])
        #expect(zoloft.ingredientNames == ["sertraline"])
        #expect(zoloft.brandName == "Zoloft")
        #expect(zoloft.isBranded)
    }

    @Test("Combinations resolve to every ingredient, in name order, through SCDCs and the MIN")
    func combination() throws {
        let (_, sink) = try importRxNorm([try RxNormFixtures.release()])
        let expected = (ingredients: [RxCUI("4493"), RxCUI("61381")], names: ["fluoxetine", "olanzapine"])
        for rxcui in ["9000003", "403970", "725076"] {
            let concept = try sink.concept(rxcui)
            #expect(concept.ingredients == expected.ingredients, "\(rxcui)")
            #expect(concept.ingredientNames == expected.names, "\(rxcui)")
        }
        #expect(try sink.concept("9000003").termType == "MIN")
        #expect(try sink.concept("725076").brandName == "Symbyax")
        #expect(try sink.concept("403970").brandName == nil)
    }

    @Test("Ingredients resolve to the IN, through the PIN when the SCDC names only the salt")
    func preciseIngredient() throws {
        let (_, sink) = try importRxNorm([try RxNormFixtures.release()])
        let paroxetine = try sink.concept("9000022")
        #expect(paroxetine.ingredients == [RxCUI("32937")])
        #expect(paroxetine.ingredientNames == ["paroxetine"])
    }

    @Test("Without a BN relation the brand comes from the name's [Brand] ending")
    func bracketBrand() throws {
        let (_, sink) = try importRxNorm([try RxNormFixtures.release()])
        let trintellix = try sink.concept("1790886")
        #expect(trintellix.brandName == "Trintellix")
        #expect(trintellix.ingredients == [RxCUI("1455099")])
        #expect(try sink.concept("92758").brandName == "Fulvicin P/G")
        #expect(try sink.concept("1439808").brandName == nil)
    }

    @Test("Packs resolve through contains and tradename_of; a BPCK's brand is its BN")
    func packs() throws {
        let (_, sink) = try importRxNorm([try RxNormFixtures.release()])
        let generic = try sink.concept("1433249")
        #expect(generic.termType == "GPCK")
        #expect(generic.ingredients == [RxCUI("1433212")])
        #expect(generic.ingredientNames == ["levomilnacipran"])
        #expect(generic.brandName == nil)
        let branded = try sink.concept("9000045")
        #expect(branded.termType == "BPCK")
        #expect(branded.ingredients == [RxCUI("1433212")])
        #expect(branded.brandName == "Fetzima")
    }

    @Test("Other sources' atoms and relations are ignored")
    func otherSources() throws {
        let (_, sink) = try importRxNorm([try RxNormFixtures.release()])
        // A VANDF has_ingredient would give sertraline's component fluoxetine; a VANDF IN atom would rename it.
        #expect(try sink.concept("312941").ingredients == [RxCUI("36437")])
        #expect(try sink.concept("36437").name == "sertraline")
    }

    @Test("NDCs come from RXNORM rows only, one per NDC and concept, current unless every row is suppressed")
    func ndcMappings() throws {
        let (outcome, sink) = try importRxNorm([try RxNormFixtures.release()])
        let mappings = Set(sink.ndcMappings)
        #expect(sink.ndcMappings.count == mappings.count)
        #expect(mappings == [
            NDCMapping(ndc: NDC("99999000061"), rxcui: RxCUI("208161"), isCurrent: true),
            NDCMapping(ndc: NDC("99999000050"), rxcui: RxCUI("312941"), isCurrent: true),
            NDCMapping(ndc: NDC("99999000051"), rxcui: RxCUI("312941"), isCurrent: false),
            NDCMapping(ndc: NDC("00093111310"), rxcui: RxCUI("314076"), isCurrent: true),
            NDCMapping(ndc: NDC("99999000071"), rxcui: RxCUI("1433249"), isCurrent: true),
        ])
        #expect(!sink.ndcMappings.contains { $0.ndc.rawValue == "67544015958" })
        #expect(outcome.counts["NDC mappings"] == 5)
        #expect(outcome.counts["NDC mappings not current"] == 1)
        // 197589's NDC names a concept this RXNCONSO does not have.
        #expect(outcome.counts["NDC mappings for concepts not imported"] == 1)
        #expect(outcome.warnings.contains { $0.contains("197589") })
    }

    @Test("Counts: concepts, NDC mappings, relations read, and rows read per file")
    func counts() throws {
        let (outcome, _) = try importRxNorm([try RxNormFixtures.release()])
        #expect(outcome.counts["RXNCONSO rows"] == 45)
        #expect(outcome.counts["RXNREL rows"] == 58)
        #expect(outcome.counts["RXNSAT rows"] == 11)
        // 28 followed relations; their inverses, the VANDF row and the isa row are not kept.
        #expect(outcome.counts["relations read"] == 28)
        #expect(outcome.rejects.isEmpty)
        #expect(outcome.contractYear == nil)
    }

    @Test("Drugs the relations do not reach an ingredient from are named in one warning")
    func unresolvedWarning() throws {
        let (outcome, _) = try importRxNorm([try RxNormFixtures.release()])
        let warning = try #require(outcome.warnings.first { $0.contains("no ingredient reachable") })
        #expect(warning.hasPrefix("4 current drug concepts"))
        #expect(warning.contains("2665428"))
    }

    @Test("Files are read RXNCONSO, RXNREL, RXNSAT whatever the order given, and hashed while streamed")
    func orderAndHashes() throws {
        let inputs = try ["RXNSAT.RRF", "RXNREL.RRF", "RXNCONSO.RRF"].map(RxNormFixtures.rrf)
        let (outcome, sink) = try importRxNorm(inputs)
        #expect(sink.files.map(\.name) == ["RXNCONSO.RRF", "RXNREL.RRF", "RXNSAT.RRF"])
        #expect(sink.files.map(\.role) == ["RxNorm concepts (RXNCONSO)", "RxNorm relations (RXNREL)", "RxNorm attributes (RXNSAT)"])
        for file in sink.files {
            let data = try RxNormFixtures.data(file.name)
            let expected = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            #expect(file.sha256 == expected)
            #expect(file.byteCount == Int64(data.count))
        }
        let (folderOutcome, folderSink) = try importRxNorm([try RxNormFixtures.release()])
        #expect(outcome.counts == folderOutcome.counts)
        #expect(sink.concepts == folderSink.concepts)
        #expect(sink.ndcMappings == folderSink.ndcMappings)
        #expect(folderSink.files.first?.name == "release/rrf/RXNCONSO.RRF")
    }

    @Test("CRLF line ends and a missing final newline read the same")
    func lineEnds() throws {
        let scratch = try ScratchFolder()
        var replaced: [String: Data] = [:]
        for name in ["RXNCONSO.RRF", "RXNREL.RRF", "RXNSAT.RRF"] {
            let text = String(decoding: try RxNormFixtures.data(name), as: UTF8.self)
            // "\r\n" is one Character, so dropping one drops the whole final line end.
            replaced[name] = Data(text.replacingOccurrences(of: "\n", with: "\r\n").dropLast().utf8)
        }
        let (outcome, sink) = try importRxNorm([try RxNormFixtures.stage(in: scratch, replacing: replaced)])
        let (expectedOutcome, expectedSink) = try importRxNorm([try RxNormFixtures.release()])
        #expect(outcome.counts == expectedOutcome.counts)
        #expect(sink.concepts == expectedSink.concepts)
        #expect(sink.ndcMappings == expectedSink.ndcMappings)
    }
}
