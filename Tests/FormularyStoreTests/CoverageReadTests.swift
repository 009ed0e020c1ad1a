import Foundation
import Testing
@testable import FormularyStore
import FormularyModel

/// The analysis read path: many plans from one read, the drug cache, and the small encoders.
@Suite("coverage reads")
struct CoverageReadTests {
    static let insulin = RxCUI("2563976")
    static let sertraline = RxCUI("312941")
    static let vortioxetine = RxCUI("1455099")
    static let supplemental = RxCUI("310965")

    /// A second source: another formulary and plan with details (new-starts-only flags), an
    /// insulin line with the plan's insulin cost share, and no plan-scoped lines.
    static func writeSecond(into sink: any ImportSink, withVortioxetine: Bool = true) throws -> ImportOutcome {
        let formulary = FormularyID("00099999")
        let plan = PlanID("S9999-001-000")
        try sink.beginFile(name: "second.txt", role: "basic drugs formulary")
        try sink.add(FormularyEntry(scope: .formulary(formulary), drug: DrugRef(rxcui: sertraline, ndc: NDC("00093712156")), tierCode: "2",
                                    priorAuthorization: UMFlag(required: true, newStartsOnly: true), sourceLine: 2))
        if withVortioxetine {
            try sink.add(FormularyEntry(scope: .formulary(formulary), drug: DrugRef(rxcui: vortioxetine), tierCode: "4",
                                        stepTherapy: UMFlag(required: true), sourceLine: 3))
        }
        try sink.add(FormularyEntry(scope: .formulary(formulary), drug: DrugRef(rxcui: insulin, name: "insulin glargine"), tierCode: "3", sourceLine: 4))
        try sink.finishFile(sha256: String(repeating: "b", count: 64), byteCount: 10)
        try sink.add(Formulary(id: formulary, version: "3", contractYear: 2026))
        try sink.add(Plan(id: plan, name: "Second plan", market: .medicarePartD, formulary: formulary, year: 2026, states: ["AZ"]))
        try sink.add(TierDefinition(formulary: formulary, sourceCode: "2", category: .unknown, isSpecialty: false))
        try sink.add(CostShare(plan: plan, tierCode: "3", phase: .initial, channel: .retailPreferred, daysSupply: 30, offered: true, copay: 47))
        try sink.add(CostShare(plan: plan, tierCode: nil, phase: .initial, channel: .retailPreferred, daysSupply: 30, offered: true, copay: 35,
                               scope: .insulin))
        try sink.add(CostShare(plan: plan, tierCode: "2", phase: .initial, channel: .retailPreferred, daysSupply: 30, offered: true, copay: 5))
        return ImportOutcome(contractYear: 2026, counts: ["formulary rows": 3])
    }

    @Test("many plans from one read answer exactly what each plan's own read answers")
    func manyEqualsOne() throws {
        let temp = try TemporaryStore()
        _ = try temp.store.importSnapshot(sourceName: "partd", format: .partD) { try SampleRows.write(into: $0) }
        _ = try temp.store.importSnapshot(sourceName: "second", format: .partD) { try Self.writeSecond(into: $0) }
        let drugs = [Self.sertraline, Self.vortioxetine, Self.supplemental, Self.insulin, RxCUI("999999")]
        let plans = [SampleRows.plan, PlanID("S9999-001-000"), PlanID("NOPE-000-000"), SampleRows.plan]

        let together = try temp.store.coverage(plans: plans, drugs: drugs)
        // A repeated RxCUI asks for nothing more.
        #expect(try temp.store.coverage(plan: SampleRows.plan, drugs: drugs + drugs) == (try temp.store.coverage(plan: SampleRows.plan, drugs: drugs)))
        #expect(together.map(\.plan) == plans)
        #expect(together[2].listing == nil && together[2].lines.isEmpty)
        for (index, plan) in plans.enumerated() {
            #expect(together[index].lines == (try temp.store.coverage(plan: plan, drugs: drugs)), "plan \(plan)")
            #expect(together[index].listing == (try temp.store.planListing(plan)))
        }

        // What the lines carry, so the equality above compares something.
        let first = together[0].lines
        // Formulary lines by name as SQLite orders text (no concept name: the RxCUI), then plan-scoped ones.
        #expect(first.map { $0.entry.drug.rxcui } == [Self.vortioxetine, Self.sertraline, Self.supplemental])
        #expect(first[2].entry.scope == .contractPlan("H9990-001") && first[2].entry.status == .coveredSupplemental)
        #expect(first[0].indications == ["MAJOR DEPRESSIVE DISORDER"])
        #expect(first[0].entry.quantityLimit.description == "1 tablet a day")
        #expect(first[1].drugName == "sertraline 50 MG Oral Tablet")
        let second = together[1].lines
        #expect(second.count == 3)
        let insulinLine = try #require(second.first { $0.entry.drug.rxcui == Self.insulin })
        #expect(insulinLine.costShares.map(\.copay) == [47, 35])
        let sertralineLine = try #require(second.first { $0.entry.drug.rxcui == Self.sertraline })
        #expect(sertralineLine.entry.priorAuthorization == UMFlag(required: true, newStartsOnly: true))
        #expect(sertralineLine.costShares.map(\.copay) == [5])
        #expect(sertralineLine.tier?.sourceCode == "2")
    }

    @Test("a plan in two sources' current snapshots: many plans read together take the newest, as one plan's read does")
    func newestSnapshotTogether() throws {
        let temp = try TemporaryStore()
        _ = try temp.store.importSnapshot(sourceName: "second", format: .partD) { try Self.writeSecond(into: $0, withVortioxetine: false) }
        _ = try temp.store.importSnapshot(sourceName: "second-copy", format: .partD) { try Self.writeSecond(into: $0) }
        _ = try temp.store.importSnapshot(sourceName: "partd", format: .partD) { try SampleRows.write(into: $0) }
        let plan = PlanID("S9999-001-000")
        let drugs = [Self.sertraline, Self.vortioxetine]
        let together = try temp.store.coverage(plans: [plan, SampleRows.plan, plan], drugs: drugs)
        let alone = try temp.store.coverage(plan: plan, drugs: drugs)
        #expect(together[0].lines == alone && together[2].lines == alone)
        #expect(together[0].listing?.snapshot.sourceName == "second-copy")
        #expect(Set(alone.map(\.entry.drug.rxcui)) == [Self.sertraline, Self.vortioxetine])
    }

    @Test("the drug cache never answers from before an import or a prune")
    func cacheFollowsWrites() throws {
        let temp = try TemporaryStore()
        let plan = PlanID("S9999-001-000")
        _ = try temp.store.importSnapshot(sourceName: "second", format: .partD) { try Self.writeSecond(into: $0, withVortioxetine: false) }
        let drugs = [Self.sertraline, Self.vortioxetine]
        #expect(try temp.store.coverage(plan: plan, drugs: drugs).map(\.entry.drug.rxcui) == [Self.sertraline])

        // A new quarter brings a drug the database had never seen: the next read must see it.
        _ = try temp.store.importSnapshot(sourceName: "second", format: .partD) { try Self.writeSecond(into: $0) }
        #expect(Set(try temp.store.coverage(plan: plan, drugs: drugs).map(\.entry.drug.rxcui)) == [Self.sertraline, Self.vortioxetine])

        // A drug reference renames the concept: the next read shows the new name.
        _ = try temp.store.importSnapshot(sourceName: "reference", format: .drugReference) { sink in
            try sink.add(DrugConcept(rxcui: Self.sertraline, termType: "SCD", name: "sertraline 50 MG Oral Tablet [renamed]",
                                     ingredients: [RxCUI("36437")], ingredientNames: ["sertraline"]))
            return ImportOutcome(contractYear: nil, counts: [:])
        }
        #expect(try temp.store.coverage(plan: plan, drugs: drugs).first { $0.entry.drug.rxcui == Self.sertraline }?.drugName
                == "sertraline 50 MG Oral Tablet [renamed]")

        let before = try temp.store.drugGeneration()
        try temp.store.pruneSnapshots(sourceName: "second", keep: 1)
        #expect(try temp.store.drugGeneration() == before + 1)
        #expect(try temp.store.coverage(plan: plan, drugs: drugs).count == 2)
    }

    @Test("a store with a coverage cache answers what one without it does, after every import and prune, within its capacity")
    func coverageCacheFollowsWrites() throws {
        let temp = try TemporaryStore()
        let cached = try FormularyStore(path: temp.store.path, coverageCacheCapacity: 2)
        let cache = try #require(cached.coverageCache)
        let drugs = [Self.sertraline, Self.vortioxetine, Self.supplemental, Self.insulin]
        let plans = [SampleRows.plan, PlanID("S9999-001-000"), PlanID("NOPE-000-000")]
        func same(_ step: String) throws {
            // Twice: the second read is answered from memory, and must still agree.
            for _ in 0..<2 {
                let fresh = try temp.store.coverage(plans: plans, drugs: drugs)
                let remembered = try cached.coverage(plans: plans, drugs: drugs)
                #expect(remembered.map(\.plan) == plans, "\(step)")
                #expect(remembered.map(\.listing) == fresh.map(\.listing), "\(step)")
                #expect(remembered.map(\.lines) == fresh.map(\.lines), "\(step)")
                #expect(try cached.coverage(plan: plans[1], drugs: drugs) == (try temp.store.coverage(plan: plans[1], drugs: drugs)), "\(step)")
                #expect(cache.count <= 2, "\(step)")
            }
        }
        _ = try temp.store.importSnapshot(sourceName: "partd", format: .partD) { try SampleRows.write(into: $0) }
        try same("first import")
        _ = try temp.store.importSnapshot(sourceName: "second", format: .partD) { try Self.writeSecond(into: $0, withVortioxetine: false) }
        try same("a second source")
        #expect(try cached.coverage(plan: plans[1], drugs: drugs).map(\.entry.drug.rxcui).contains(Self.vortioxetine) == false)
        // Another process's import (the other store object) changes what the cache must answer.
        _ = try temp.store.importSnapshot(sourceName: "second", format: .partD) { try Self.writeSecond(into: $0) }
        try same("a new quarter of the second source")
        #expect(try cached.coverage(plan: plans[1], drugs: drugs).map(\.entry.drug.rxcui).contains(Self.vortioxetine))
        try temp.store.pruneSnapshots(sourceName: "second", keep: 1)
        try same("a prune")
        // Other drugs asked are other answers.
        #expect(try cached.coverage(plan: SampleRows.plan, drugs: [Self.sertraline]).map(\.entry.drug.rxcui) == [Self.sertraline])
    }

    @Test("rows the statement returns out of drug order are put in order, equal keys keeping theirs")
    func rowsSortedByDrug() {
        var rows = [(3, "a"), (1, "b"), (3, "c"), (2, "d"), (1, "e")]
        CoverageReader.sortStably(&rows, by: \.0)
        #expect(rows.map(\.1) == ["b", "e", "d", "a", "c"])
        var ordered = [(1, "x"), (1, "y"), (2, "z")]
        CoverageReader.sortStably(&ordered, by: \.0)
        #expect(ordered.map(\.1) == ["x", "y", "z"])
    }

    @Test("JSON arrays for json_each escape quotes, backslashes and control characters")
    func jsonArrays() throws {
        let values = ["312941", "a\"b", "c\\d", "tab\there", "\u{1}", "é ☃"]
        let text = CoverageReader.jsonArray(values)
        let parsed = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String]
        #expect(parsed == values)
        #expect(CoverageReader.jsonArray([String]()) == "[]")
        #expect(CoverageReader.jsonArray([Int64]()) == "[]" && CoverageReader.jsonArray([Int64(3), 14]) == "[3,14]")
    }

    @Test("insulin is found in any case, anywhere in the name, and only as the whole word's letters")
    func insulinNames() {
        #expect(CoverageReader.containsInsulin("insulin glargine"))
        #expect(CoverageReader.containsInsulin("NPH INSULIN 100 UNT/ML"))
        #expect(CoverageReader.containsInsulin("Human Insulin"))
        #expect(!CoverageReader.containsInsulin("insuli"))
        #expect(!CoverageReader.containsInsulin("sertraline"))
        #expect(!CoverageReader.containsInsulin(""))
    }
}
