import FormularyAnalysis
import FormularyCriteria
import FormularyModel
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

    @Test("the regimen's copays for a year are the 30-day estimates × 12, per plan, with the method stated")
    func regimenCost() throws {
        let parsed = try HTMLChecks.requireWellFormed(try PlanComparison(analysis: analysis, metadata: metadata).render(.html))
        let section = try #require(parsed.all("section").first { $0.attributes["id"] == "regimen" })
        let table = try #require(section.all("table").first)
        let total = try #require(table.all("tr").first { $0.text.hasPrefix("Copays for a year") })
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
        let total = try #require(table.all("tr").first { $0.text.hasPrefix("Copays for a year") })
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

    // MARK: The true yearly cost

    /// The bundled Part D plans' listings and tier-3 cost-share rows, as
    /// `Formularies/partd/2026Q1` has them (plan information and beneficiary cost files).
    static func partDFacts() -> [PlanFacts] {
        func facts(_ id: String, _ name: String, formulary: String, premium: Decimal, deductible: Decimal, tier3DeductibleApplies: Bool,
                   states: [String] = ["AZ"]) -> PlanFacts {
            let plan = Plan(id: PlanID(id), name: name, market: .medicarePartD, formulary: FormularyID(formulary), year: 2026,
                            premiumMonthly: premium, drugDeductible: deductible, states: states)
            let listing = PlanListing(plan: plan, formulary: Formulary(id: FormularyID(formulary), contractYear: 2026),
                                      snapshot: SnapshotRef(id: 1, sourceName: "partd-2026Q1", format: .partD, importedAt: Date(timeIntervalSince1970: 0)))
            let row = CostShare(plan: PlanID(id), tierCode: "3", phase: .initial, channel: .retailPreferred, daysSupply: 30, offered: true,
                                deductibleApplies: tier3DeductibleApplies)
            return PlanFacts(listing: listing, costShares: [row])
        }
        return [
            facts("H9990-001-000", "Reference MA-PD (HMO)", formulary: "00026901", premium: 0, deductible: 0, tier3DeductibleApplies: false),
            facts("H9990-002-000", "Reference MA-PD Plus (HMO-POS)", formulary: "00026901", premium: 24.50, deductible: 250, tier3DeductibleApplies: true),
            facts("S5990-001-000", "Sample Rx Standard (PDP)", formulary: "00026902", premium: 41.20, deductible: 615, tier3DeductibleApplies: true, states: []),
            facts("S5990-002-000", "Sample Rx Enhanced (PDP)", formulary: "00026903", premium: 86.70, deductible: 0, tier3DeductibleApplies: false, states: []),
            facts("R9993-001-000", "Regional Choice (Regional PPO)", formulary: "00026902", premium: 15, deductible: 300, tier3DeductibleApplies: true, states: []),
        ]
    }

    @Test("yearly totals of the bundled Part D plans for medicare-continuing (Trintellix, tier 3), to the dollar")
    func partDYearlyTotals() throws {
        let medicare = try ReportFixtures.analysis("analysis_medicare_continuing.json")
        let comparison = try PlanComparison(analysis: medicare, facts: Self.partDFacts(), metadata: ReportFixtures.metadata(for: medicare))
        let totals = Dictionary(uniqueKeysWithValues: comparison.yearlyTotals.map { ($0.plan, ($0.total, $0.upperBound)) })
        // $0 premium, no deductible, $47 × 12.
        #expect(totals["H9990-001-000"]?.0 == 564)
        // Cheaper copays ($42 × 12 = $504) until the $24.50 × 12 = $294 premium and the $250 tier-3 deductible are added.
        #expect(totals["H9990-002-000"]?.0 == 1048)
        // $15 × 12 + $300 deductible + $45 × 12.
        #expect(totals["R9993-001-000"]?.0 == 1020)
        // $86.70 × 12 + $40 × 12.
        #expect(totals["S5990-002-000"]?.0 == 1520.40)
        // 25% coinsurance has no dollar amount: $41.20 × 12 + the $615 deductible, up to the 2026 cap of $2,100 for drugs.
        #expect(totals["S5990-001-000"]?.0 == 1109.40)
        #expect(totals["S5990-001-000"]?.1 == 2594.40)

        let parsed = try HTMLChecks.requireWellFormed(try comparison.render(.html))
        let section = try #require(parsed.all("section").first { $0.attributes["id"] == "yearly" })
        let tables = section.all("table")
        let ranked = try #require(tables.first { $0.child("caption")?.text.hasPrefix("Estimated yearly total") == true })
        let rows = ranked.all("tbody").flatMap { $0.all("tr") }
        #expect(rows.map { $0.all("th").first?.text ?? "" } == [
            "1. Reference MA-PD (HMO) (H9990-001-000) · 2026",
            "2. Regional Choice (Regional PPO) (R9993-001-000) · 2026",
            "3. Reference MA-PD Plus (HMO-POS) (H9990-002-000) · 2026",
            "4. Sample Rx Enhanced (PDP) (S5990-002-000) · 2026",
            "5. Sample Rx Standard (PDP) (S5990-001-000) · 2026",
        ], "cheapest first; the unpriced coinsurance plan sorts by its upper bound")
        #expect(rows[0].all("td").first?.text == "$564")
        #expect(rows[2].all("td").first?.text == "$1,048")
        #expect(rows[4].all("td").first?.text == "$1,109.40–$2,594.40")
        // The time to reach the key options beside each total.
        #expect(rows[0].all("td")[1].text.contains("Oct 26, 2025") && rows[0].all("td")[1].text.contains("3 steps"), "Spravato: \(rows[0].all("td")[1].text)")
        #expect(rows[3].all("td")[1].text == "not covered", "a stand-alone drug plan does not cover Spravato")
        let breakdown = try #require(tables.first { $0.child("caption")?.text == "What the yearly total is made of" })
        let plus = try #require(breakdown.all("tr").first { $0.text.contains("H9990-002-000") }).all("td").map(\.text)
        #expect(plus == ["$294 ($24.50 × 12)", "$250", "$504", "$1,048"])
        #expect(section.all("svg").count == 2, "the stacked chart, drawn wide and narrow")
        #expect(section.text.contains("Medicare Prescription Payment Plan"))
        // The data's plan year (2026) is not the as-of year (2025): warned at the top.
        let warning = try #require(parsed.all("aside").first { $0.attributes["class"] == "callout warning" })
        #expect(warning.text.contains("plan year 2026") && warning.text.contains("Sep 15, 2025"))
    }

    @Test("without plan data the premiums and deductibles are named as missing, never counted as $0")
    func withoutFacts() throws {
        let medicare = try ReportFixtures.analysis("analysis_medicare_continuing.json")
        let comparison = try PlanComparison(analysis: medicare, metadata: ReportFixtures.metadata(for: medicare))
        let totals = Dictionary(uniqueKeysWithValues: comparison.yearlyTotals.map { ($0.plan, ($0.total, $0.upperBound)) })
        #expect(totals["H9990-001-000"]?.0 == 564)
        #expect(totals["H9990-001-000"]?.1 == Decimal(1154), "up to the 2025 standard deductible ($590), the as-of year's: $564 + $590")
        let markdown = try comparison.render(.markdown)
        #expect(markdown.contains("$564–$1,154 + premium"))
        #expect(markdown.contains("The premium is not in the plan data"))
        #expect(markdown.contains("The plan year is not in the data: the 2025 figures are used."))
    }

    @Test("Reference Formulary A (marketplace): copays × 12 under the ACA maximum, premium and deductible named as missing")
    func marketplaceYearlyTotals() throws {
        let s1 = try ReportFixtures.analysis("analysis_s1_baseline.json")
        let plan = Plan(id: PlanID("99990AZ0010001"), name: "Reference Formulary A (synthetic commercial, Arizona)", market: .marketplace,
                        formulary: FormularyID("99990AZ0010001"), year: 2025, states: ["AZ"])
        let listing = PlanListing(plan: plan, formulary: Formulary(id: FormularyID("99990AZ0010001")),
                                  snapshot: SnapshotRef(id: 3, sourceName: "qhp-reference-a", format: .qhp, importedAt: Date(timeIntervalSince1970: 0)))
        let comparison = try PlanComparison(analysis: s1, facts: [PlanFacts(listing: listing)], metadata: ReportFixtures.metadata(for: s1))
        let total = try #require(comparison.yearlyTotals.first)
        // Duloxetine 60 mg, generic, $10 before the deductible: $10 × 12.
        #expect(total.total == 120)
        #expect(total.upperBound == nil)
        let markdown = try comparison.render(.markdown)
        #expect(markdown.contains("| not in the data | not in the data | $120 | **$120 + premium** |"))
        #expect(markdown.contains("the 2025 ACA maximum for one person, $9,200, is used"))
        #expect(markdown.contains("The premium is not in the plan data"))
        // Spravato on the plan's 20% coinsurance × Medicare's approximate 2026 amount for G2082 ($952.59).
        #expect(markdown.contains("≈ $191 (20% of ≈ $953)"))
        // A 36-session TMS course: 90867 + 35 × 90868 = $265 + $5,075, 20% of it.
        #expect(markdown.contains("≈ $1,068 (20% of ≈ $5,340)"))
    }

    @Test("a stand-alone drug plan's clinic treatments are Original Medicare Part B's 20%, marked as such")
    func standAloneMedical() throws {
        let medicare = try ReportFixtures.analysis("analysis_medicare_continuing.json")
        let comparison = try PlanComparison(analysis: medicare, plans: ["S5990-002-000"], facts: Self.partDFacts(),
                                            metadata: ReportFixtures.metadata(for: medicare))
        let parsed = try HTMLChecks.requireWellFormed(try comparison.render(.html))
        let section = try #require(parsed.all("section").first { $0.attributes["id"] == "treatments" })
        #expect(section.text.contains("Original Medicare Part B pays, not this drug plan"))
        #expect(section.text.contains("$283 Part B deductible (2026)"))
        #expect(section.text.contains("≈ $191 (20% of ≈ $953)"))
    }
}
