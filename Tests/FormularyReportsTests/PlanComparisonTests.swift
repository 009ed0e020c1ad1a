import FormularyAnalysis
import FormularyReports
import Foundation
import Testing

@Suite("Plan comparison")
struct PlanComparisonTests {
    let analysis: AnalysisResult
    let metadata: ReportMetadata

    init() throws {
        analysis = try ReportFixtures.twoPlans()
        metadata = ReportFixtures.metadata(for: analysis)
    }

    @Test("Markdown and JSON match the golden files")
    func goldens() throws {
        let comparison = try PlanComparison(analysis: analysis, metadata: metadata)
        try Golden.check(try comparison.render(.markdown), against: "compare-two-plans.md")
        try Golden.check(try comparison.render(.json), against: "compare-two-plans.json")
    }

    @Test("the regimen's yearly cost is the 30-day estimates × 12, per plan, with the method stated")
    func regimenCost() throws {
        let parsed = try HTMLChecks.requireWellFormed(try PlanComparison(analysis: analysis, metadata: metadata).render(.html))
        let section = try #require(parsed.all("section").first { $0.attributes["id"] == "regimen" })
        let table = try #require(section.all("table").first)
        let total = try #require(table.all("tr").first { $0.text.hasPrefix("Estimated yearly cost") })
        #expect(total.all("td").map(\.text) == ["$120 a year", "$48 a year"], "($5 + $5) × 12 and ($0 + $4) × 12")
        #expect(section.text.contains("bupropion XL 300 mg since Mar 1, 2023"), "the dose is not repeated when the drug text names it")
        let method = try #require(parsed.all("section").first { $0.attributes["id"] == "method" }).text
        #expect(method.contains("× 12"))
        #expect(method.contains("never as $0"))
    }

    @Test("coinsurance is never priced as $0")
    func coinsuranceUnpriced() throws {
        var changed = analysis
        for index in changed.plans[1].options.indices where ["duloxetine", "bupropion"].contains(changed.plans[1].options[index].optionID) {
            changed.plans[1].options[index].coverage.costShare?.estimatedMonthly = nil
            changed.plans[1].options[index].coverage.costShare?.copay = nil
            changed.plans[1].options[index].coverage.costShare?.coinsurance = 0.25
        }
        let parsed = try HTMLChecks.requireWellFormed(try PlanComparison(analysis: changed, metadata: metadata).render(.html))
        let table = try #require(parsed.all("section").first { $0.attributes["id"] == "regimen" }?.all("table").first)
        let total = try #require(table.all("tr").first { $0.text.hasPrefix("Estimated yearly cost") })
        #expect(total.all("td").map(\.text) == ["$120 a year", "no dollar estimate"])
    }

    @Test("the key options show how soon and in how many steps each plan reaches them")
    func keyOptions() throws {
        let parsed = try HTMLChecks.requireWellFormed(try PlanComparison(analysis: analysis, metadata: metadata).render(.html))
        let table = try #require(parsed.all("section").first { $0.attributes["id"] == "key-options" }?.all("table").first)
        let rows = table.all("tbody").flatMap { $0.all("tr") }
        #expect(rows.compactMap { $0.all("th").first?.text } == ["Spravato (esketamine)", "TMS", "Augmentation (best-ranked add-on drug)"])
        let spravato = rows[0].all("td").map(\.text)
        #expect(spravato[0].contains("Needs records") && spravato[0].contains("once the steps are done · 1 step"))
        #expect(spravato[1].contains("PA criteria met") && spravato[1].contains("now · 0 steps"))
        #expect(rows[2].all("td").allSatisfy { $0.text.contains("aripiprazole (Abilify)") })
    }

    @Test("more plans than fit one table are split, and each table says which plans it holds")
    func chunking() throws {
        var many = analysis
        for index in 0..<3 {
            var copy = analysis.plans[index % 2]
            copy.planID += "-copy\(index)"
            many.plans.append(copy)
        }
        let parsed = try HTMLChecks.requireWellFormed(try PlanComparison(analysis: many, metadata: metadata).render(.html))
        let captions = parsed.all("caption").map(\.text)
        #expect(captions.contains("Key options (plans 1–3 of 5)"))
        #expect(captions.contains("Key options (plans 4–5 of 5)"))
        for table in parsed.all("table") where table.attributes["class"]?.contains("compare") == true {
            #expect(table.all("thead").flatMap { $0.all("th") }.count <= PlanComparison.plansPerTable + 1)
        }
    }

    @Test("a subset of plans can be compared, and an unknown plan is an error")
    func subset() throws {
        let comparison = try PlanComparison(analysis: analysis, plans: [ReportFixtures.medicarePlan], metadata: metadata)
        #expect(comparison.scope.plans == [ReportFixtures.medicarePlan])
        #expect(throws: ReportError.self) { try PlanComparison(analysis: analysis, plans: ["nope"], metadata: metadata) }
    }
}
