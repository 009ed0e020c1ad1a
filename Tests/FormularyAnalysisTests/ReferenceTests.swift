import Foundation
import Testing
import FormularyCriteria
import FormularyModel

@Suite("Drug reference")
struct ReferenceTests {
    let reference = Fixtures.shared.reference

    @Test("names resolve case-insensitively, brand or generic", arguments: [
        ("Trintellix", "vortioxetine"), ("trintellix", "vortioxetine"), ("Spravato", "esketamine"), ("AUVELITY", "dextromethorphan-bupropion"),
        ("Wellbutrin XL", "wellbutrin-xl"), ("Wellbutrin", "bupropion"), ("bupropion XL 300 mg", "bupropion"), ("Emsam", "selegiline-transdermal"),
        ("rTMS", "tms"), ("CBT", "psychotherapy"), ("Cytomel", "liothyronine"), ("Zurzuvae", "zuranolone"), ("Exxua", "gepirone"),
    ])
    func names(text: String, id: String) {
        #expect(reference.option(named: text)?.id == id)
    }

    @Test("SCD/SBD RxCUIs map to their ingredients and classes")
    func concepts() throws {
        #expect(reference.option(forConcept: RxCUI("993557"))?.id == "bupropion")
        #expect(reference.ingredients(of: RxCUI("993564")) == [RxCUI("42347")])
        #expect(reference.option(forConcept: RxCUI("2611260"))?.id == "dextromethorphan-bupropion")
        #expect(reference.option(forConcept: RxCUI("1667660"))?.id == "cariprazine", "cariprazine rows have no IN code: matched by name")
        #expect(reference.drugClass(ofIngredient: RxCUI("1086769")) == .serotoninModulator)
        #expect(reference.product(named: "bupropion XL 300 mg")?.rxcui == RxCUI("993557"))
        let wellbutrin = try #require(reference.option(id: "wellbutrin-xl"))
        #expect(Set(reference.products(of: wellbutrin).map(\.rawValue)) == ["993545", "993564"])
        let bupropion = try #require(reference.option(id: "bupropion"))
        #expect(!reference.products(of: bupropion).contains(RxCUI("993564")), "the generic option lists generic products only")
    }

    @Test("antidepressant counting and flags follow §5.0 rules 10 and 11")
    func flags() throws {
        #expect(reference.option(id: "zuranolone")?.countsAsAntidepressant == false)
        #expect(reference.option(id: "aripiprazole")?.countsAsAntidepressant == false)
        #expect(reference.option(id: "trazodone")?.minTrdMgPerDay == 150)
        #expect(reference.option(id: "bupropion")?.has(.maoiWashoutAgent) == true)
        #expect(reference.option(id: "bupropion")?.has(.serotonergic) == false)
        #expect(reference.option(id: "vortioxetine")?.has(.serotonergic) == true)
        #expect(reference.option(id: "esketamine")?.ingredients.first?.isVerified == false, "2119365 is inferred (I)")
        #expect(reference.option(id: "esketamine")?.procedureCodes.map(\.code).contains("G2082") == true)
        #expect(reference.option(id: "tms")?.procedureCodes.map(\.code) == ["90867", "90868", "90869"])
        #expect(reference.option(id: "naproxen")?.ingredients.first?.rxcui == nil, "no code without a source")
    }

    @Test("every ingredient RxCUI the reference states is in drugs.csv or rxnorm_subset.csv")
    func codesHaveSources() throws {
        let drugs = try String(contentsOfFile: Fixtures.referenceFolder + "/drugs.csv", encoding: .utf8)
        let subset = try String(contentsOfFile: Fixtures.referenceFolder + "/rxnorm_subset.csv", encoding: .utf8)
        for option in reference.options {
            for code in option.ingredients + option.relatedCodes {
                guard let rxcui = code.rxcui?.rawValue else { continue }
                let seen = subset.contains("\n\(rxcui),") || drugs.contains(",\(rxcui),") || drugs.contains("\(rxcui) (") || drugs.contains("SCDF \(rxcui)") || drugs.contains("SBDF \(rxcui)")
                #expect(seen, "\(option.id): \(rxcui) has no source")
            }
        }
    }
}

@Suite("Day arithmetic")
struct DayTests {
    @Test func inclusiveCounting() throws {
        let start = try #require(Day("2025-01-02"))
        #expect(Day.inclusiveCount(from: start, through: try #require(Day("2025-02-09"))) == 39)
        #expect(start + 41 == Day("2025-02-12"))
        #expect(Day("2024-02-29") != nil && Day("2025-02-29") == nil)
        #expect(try #require(Day("2025-01-31")).adding(months: 1) == Day("2025-02-28"))
        #expect(Day("2023-12-01")?.description == "2023-12-01")
        #expect(try #require(Day("2025-03-20")) - 324 == Day("2024-04-30"))
    }
}
