import Foundation
import Testing
import FormularyAnalysis
import FormularyCriteria
import FormularyModel

/// The details DOMAIN.md §5 states for each scenario beyond the verdict word.
@Suite("Scenario details")
struct ScenarioDetailTests {
    @Test("S1: A-2025-07 pinned before its start; three ADQ-TRD trials; ST lookbacks")
    func s1() throws {
        let plan = try ScenarioCase.named("S1").run()
        #expect(plan.criteria.policyVersion == "A-2025-07")
        #expect(plan.criteria.pinned)
        #expect(plan.notes.contains { $0.contains("A-2025-07 pinned") })
        let spravato = try #require(plan.option("Spravato"))
        #expect(spravato.coverage.tierCode == "MB")
        #expect(spravato.coverage.codes == ["G2082", "G2083"])
        #expect(spravato.approval == "6 months")
        #expect(spravato.quantityLimit?.contains("≤8 sessions in the first 28 days") == true)
        let trials = try #require(spravato.rules.first?.criteria.first { $0.id == "trd-trials" })
        #expect(trials.detail.hasPrefix("3 qualifying ADQ-TRD trials"))
        #expect(spravato.rules.first?.ruleVersion == "A-2025-07")
        #expect(!spravato.rules.flatMap(\.criteria).contains { $0.id == "concurrent-oral-ad" }, "A-2025-07 has no concurrent-AD criterion")
        let tms = try #require(plan.option("TMS"))
        #expect(tms.approval == "36 sessions")
        let trintellix = try #require(plan.option("Trintellix"))
        #expect(trintellix.coverage.tierCode == "PREFERRED-BRAND")
        #expect(trintellix.quantityLimit == "1 tablet/day")
        // Sertraline's chart trial ended 2024-04-30: it leaves the 365-day lookback on 2025-04-30 (324 days before the as-of date).
        #expect(trintellix.lookbackExpiries.contains { $0.drug == "sertraline" && $0.expiresOn == Fixtures.day("2025-04-30") })
        let rexulti = try #require(plan.option("Rexulti"))
        let step = try #require(rexulti.trialSteps.first)
        #expect(step.tierCode == "GENERIC")
        #expect(!step.safety.contains { $0.ruleID == "S7" }, "duloxetine is only a moderate CYP2D6 inhibitor")
        let auvelity = try #require(plan.option("Auvelity"))
        #expect(auvelity.trialSteps.map(\.optionID) == ["bupropion"])
    }

    @Test("S2: escitalopram fails ADQ-TRD on the chart stop date but passes ADQ-ST; bupropion pruned by S5")
    func s2() throws {
        let plan = try ScenarioCase.named("S2").run(options: ["Spravato", "TMS", "Trintellix", "vilazodone", "bupropion", "Auvelity"])
        let spravato = try #require(plan.option("Spravato"))
        let evidence = try #require(spravato.rules.first?.criteria.first { $0.id == "trd-trials" }?.evidence)
        #expect(evidence.contains { $0.drug == "escitalopram" && !$0.counts && $0.detail.contains("39 days < 42") && $0.detail.contains("chart stop 2025-02-09") })
        #expect(evidence.contains { $0.drug == "trazodone" && !$0.counts })
        let step = try #require(spravato.trialSteps.first)
        #expect(step.drugClass != "SSRI")
        #expect(step.optionID != "bupropion")
        #expect(spravato.remaining?.reachableOn == Fixtures.day("2025-06-11"), "new trial start + 41 days")
        #expect(spravato.remaining?.prunedSteps.contains { $0.optionID == "bupropion" && $0.contraindicated && $0.reason.contains("S5") } == true)
        let allSteps = spravato.remaining?.steps.compactMap(\.optionID) ?? []
        #expect(!allSteps.contains("bupropion") && !allSteps.contains("dextromethorphan-bupropion"))
        #expect(plan.option("Trintellix")?.verdict == .stMet, "deliberate contrast with the TRD verdict")
        #expect(plan.option("TMS")?.safety.contains { $0.ruleID == "S14" && $0.verdict == .contraindicated } == true)
    }

    /// DOMAIN.md §5 S4 (changed in the shared scenarios): aripiprazole and Rexulti here are MDD
    /// adjuncts to paroxetine, which the labels dose without the CYP2D6 half-dose adjustment
    /// (S7 and S8 exceptions): no SAFETY_ADJUST on the step or on Rexulti.
    @Test("S4: aripiprazole step and Rexulti as MDD adjuncts to paroxetine get no SAFETY_ADJUST; no fluoxetine residual")
    func s4() throws {
        let plan = try ScenarioCase.named("S4").run(options: ["Rexulti", "Vraylar", "Spravato"])
        let rexulti = try #require(plan.option("Rexulti"))
        let step = try #require(rexulti.trialSteps.first)
        #expect(step.durationDays == 28)
        #expect(step.earliestMet == Fixtures.day("2025-05-15"), "a paid 28-day fill counts on its fill date (§5.0 rule 3)")
        #expect(step.optionID == "aripiprazole" || step.optionID == "quetiapine", "\(step.optionID ?? "none")")
        #expect(!step.safety.contains { $0.verdict == .adjust }, "\(step.safety.map(\.message))")
        #expect(!rexulti.safety.contains { $0.verdict == .adjust }, "\(rexulti.safety.map(\.message))")
        let everything = plan.options.flatMap { $0.safety + ($0.remaining?.steps.flatMap(\.safety) ?? []) } + plan.regimenSafety
        #expect(!everything.contains { $0.involves.contains("fluoxetine") }, "fluoxetine ended 223 days ago: no residual inhibition")
        #expect(!everything.contains { $0.verdict == .washout })
    }

    @Test("S6: zuranolone never counts toward TRD, even after a course")
    func s6() throws {
        let scenario = ScenarioCase.named("S6")
        var profile = scenario.profile
        profile.trials.append(ChartTrial(drug: "Zurzuvae", mgPerDay: 50, start: Fixtures.day("2025-05-01"), end: Fixtures.day("2025-06-20"),
                                         outcome: .inadequate, ref: "test.zuranolone"))
        let request = AnalysisRequest(patient: profile, asOf: Fixtures.day("2025-07-01"), options: ["Spravato", "Zurzuvae"])
        let plan = try #require(try Fixtures.shared.analyzer.analyze(request, coverage: Fixtures.shared.formularyA).plans.first)
        let spravato = try #require(plan.option("Spravato"))
        #expect(spravato.verdict == .paNotMet)
        let trials = try #require(spravato.rules.first?.criteria.first { $0.id == "trd-trials" })
        #expect(trials.detail.hasPrefix("1 qualifying ADQ-TRD trial"))
        #expect(trials.evidence.contains { $0.drug == "Zurzuvae" && !$0.counts && $0.detail.contains("never counts") })
        #expect(plan.option("Zurzuvae")?.verdict == .paNotMet, "one course per pregnancy: a second is not covered")
    }

    @Test("S7: labeler switch event, confounded trial, T1 unchanged, brand PA path")
    func s7() throws {
        let plan = try ScenarioCase.named("S7").run(options: ["bupropion", "Wellbutrin XL", "Auvelity"])
        let event = try #require(plan.events.first)
        #expect(event.kind == .manufacturerSwitch)
        #expect(event.date == Fixtures.day("2025-02-01"))
        #expect(event.fromLabeler != nil && event.fromLabeler != event.toLabeler)
        #expect(event.rxcui == RxCUI("993557"))
        #expect(event.scoreAfter?.contains("14") == true)
        #expect(plan.trials.contains { $0.optionID == "bupropion" && $0.effectiveOutcome == "confounded" })
        let generic = try #require(plan.option("bupropion"))
        #expect(generic.coverage.rxcui == RxCUI("993557"))
        #expect(generic.coverage.tierCode == "GENERIC")
        let brand = try #require(plan.option("Wellbutrin XL"))
        #expect(brand.remaining?.steps.contains { $0.kind == .action && $0.description.contains("MedWatch 3500") } == true)
        #expect(brand.notes.contains { $0.contains("dispense labeler \(event.fromLabeler ?? "?")") })
        // Not a failed bupropion trial for any step: Auvelity's bupropion step stays unmet.
        let auvelity = try #require(plan.option("Auvelity"))
        let bupropionStep = try #require(auvelity.rules.first?.criteria.first { $0.id == "bupropion" })
        #expect(bupropionStep.status == .unmet)
        #expect(bupropionStep.evidence.contains { $0.detail.contains("confounded") && !$0.counts })
    }
}
