import Foundation
import Testing
import FormularyAnalysis
import FormularyCriteria
import FormularyModel

/// Edges beyond the shared scenarios.
@Suite("Edge cases")
struct EdgeCaseTests {
    let loaded = Fixtures.shared
    static let planA = "99990AZ0010001"

    func analyze(_ profile: PatientProfile, asOf: String, options: [String], plans: [String] = [planA], pinned: String? = nil,
                 provider: (any CoverageProvider)? = nil, analyzer: TRDAnalyzer? = nil) throws -> PlanResult {
        let request = AnalysisRequest(patient: profile, plans: plans, asOf: Fixtures.day(asOf), options: options, pinnedVersion: pinned)
        let result = try (analyzer ?? loaded.analyzer).analyze(request, coverage: provider ?? loaded.formularyA)
        return try #require(result.plans.first)
    }

    func patient(_ id: String, trials: [ChartTrial] = [], claims: [PharmacyClaim] = [], conditions: [ClinicalCondition] = [],
                 flags: PatientFlags = PatientFlags(prescriberSpecialty: "psychiatry", remsSite: true, pdmpAttested: true)) -> PatientProfile {
        PatientProfile(id: id, demographics: Demographics(age: 40, sex: .female, state: "AZ"), plans: [Self.planA],
                       diagnoses: [Diagnosis(code: "F33.2", episodeStart: Fixtures.day("2024-01-01"))], claims: claims, trials: trials,
                       conditions: conditions, flags: flags)
    }

    func trial(_ drug: String, _ mg: Double, _ start: String, _ end: String?, _ outcome: TrialOutcome = .inadequate, cash: Bool = false) -> ChartTrial {
        ChartTrial(drug: drug, mgPerDay: mg, start: Fixtures.day(start), end: end.map(Fixtures.day), outcome: outcome, cashPaid: cash, ref: "trials.\(drug)")
    }

    @Test("empty history: every step still to do, dated from the as-of date")
    func emptyHistory() throws {
        let plan = try analyze(patient("empty"), asOf: "2025-08-01", options: ["Spravato", "Trintellix", "sertraline"])
        #expect(plan.option("sertraline")?.verdict == .coveredNoUM)
        let trintellix = try #require(plan.option("Trintellix"))
        #expect(trintellix.verdict == .stNotMet)
        #expect(trintellix.trialSteps.count == 2)
        // Two 30-day fills one after the other; each paid fill counts on its fill date (§5.0 rule 3).
        #expect(trintellix.remaining?.reachableOn == Fixtures.day("2025-08-01") + 30, "the second fill, after the first supply")
        let spravato = try #require(plan.option("Spravato"))
        #expect(spravato.verdict == .paNotMet)
        #expect(spravato.trialSteps.count == 2)
        #expect(Set(spravato.trialSteps.compactMap(\.drugClass)).count == 2, "two different classes")
        #expect(spravato.remaining?.reachableOn == Fixtures.day("2025-08-01") + 83)
        #expect(plan.options.first?.reachableNow == true, "reachable-now options rank first")
    }

    @Test("unknown drug in the history is shown, not counted; unknown option is an error")
    func unknownDrug() throws {
        let profile = patient("unknown", trials: [trial("Zyxofrax", 20, "2024-02-01", "2024-05-01"), trial("sertraline", 100, "2024-02-01", "2024-05-01")])
        let plan = try analyze(profile, asOf: "2025-08-01", options: ["Spravato"])
        #expect(plan.unrecognizedDrugs.map(\.text) == ["Zyxofrax"])
        #expect(plan.option("Spravato")?.rules.first?.criteria.first { $0.id == "trd-trials" }?.detail.hasPrefix("1 qualifying") == true)
        #expect(throws: AnalysisError.unknownOption("Zyxofrax")) {
            _ = try analyze(profile, asOf: "2025-08-01", options: ["Zyxofrax"])
        }
    }

    @Test("a plan without criteria uses the default set (typical), or flags only when there is none")
    func planWithoutCriteria() throws {
        let profile = patient("no-criteria", trials: [trial("sertraline", 100, "2025-01-01", "2025-03-01")])
        let typical = try analyze(profile, asOf: "2025-08-01", options: ["Trintellix"], plans: ["12345AZ0000001"], provider: SmallFormulary.unknownPlan)
        let option = try #require(typical.option("Trintellix"))
        #expect(option.basis == .typical)
        #expect(option.summary.contains("typical criteria, not this plan's"))
        #expect(option.rules.first?.ruleID == "TYP-ST-2G")
        #expect(option.verdict == .stNotMet)

        let onlyA = try CriteriaLoader(reference: loaded.reference).loadSet([
            (try String(contentsOfFile: Fixtures.criteriaFolder + "/reference-a.yaml", encoding: .utf8), "reference-a.yaml"),
        ])
        let bare = TRDAnalyzer(reference: loaded.reference, criteria: onlyA)
        let flagOnly = try analyze(profile, asOf: "2025-08-01", options: ["Trintellix", "sertraline"], plans: ["12345AZ0000001"],
                                   provider: SmallFormulary.unknownPlan, analyzer: bare)
        let flagged = try #require(flagOnly.option("Trintellix"))
        #expect(flagged.basis == .flagOnly)
        #expect(flagged.verdict == .needsDocumentation)
        #expect(flagged.notes.contains { $0.contains("criteria unknown: flag only") })
        #expect(flagOnly.option("sertraline")?.verdict == .coveredNoUM)
    }

    @Test("as-of date before the first fill: nothing later counts")
    func asOfBeforeFirstFill() throws {
        let claims = [PharmacyClaim(fillDate: Fixtures.day("2025-02-01"), rxcui: RxCUI("312941"), daysSupply: 30, ref: "claims[0]"),
                      PharmacyClaim(fillDate: Fixtures.day("2025-03-03"), rxcui: RxCUI("349332"), daysSupply: 30, ref: "claims[1]")]
        let plan = try analyze(patient("early", claims: claims), asOf: "2025-01-15", options: ["Trintellix"])
        let trintellix = try #require(plan.option("Trintellix"))
        #expect(trintellix.verdict == .stNotMet)
        #expect(trintellix.trialSteps.count == 2)
        #expect(trintellix.remaining?.steps.first?.start == Fixtures.day("2025-01-15"))
        let later = try analyze(patient("later", claims: claims), asOf: "2025-04-15", options: ["Trintellix"])
        #expect(later.option("Trintellix")?.verdict == .stMet)
    }

    @Test("overlapping trials: both count for TRD; overlapping claims and chart days are not double-counted for ST")
    func overlappingTrials() throws {
        let overlapping = patient("overlap", trials: [trial("sertraline", 100, "2024-02-01", "2024-04-30"), trial("bupropion", 300, "2024-03-01", "2024-05-31")])
        let plan = try analyze(overlapping, asOf: "2025-07-15", options: ["Spravato"])
        #expect(plan.option("Spravato")?.verdict == .coveredPAMet)

        let claims = [PharmacyClaim(fillDate: Fixtures.day("2025-06-01"), rxcui: RxCUI("312941"), daysSupply: 20, ref: "claims[0]"),
                      PharmacyClaim(fillDate: Fixtures.day("2025-06-01"), rxcui: RxCUI("349332"), daysSupply: 20, ref: "claims[1]")]
        let sameDays = patient("same-days", trials: [trial("sertraline", 50, "2025-06-01", "2025-06-20"), trial("escitalopram", 10, "2025-06-01", "2025-06-20")], claims: claims)
        let st = try analyze(sameDays, asOf: "2025-07-15", options: ["Trintellix"])
        let criterion = st.option("Trintellix")?.rules.first?.criteria.first
        #expect(criterion?.status == .unmet, "20 days of claims and the same 20 chart days are 20 days, not 40")
    }

    @Test("criteria version switch: concurrent oral AD required until 2025-06-30, not from 2025-07-01")
    func versionSwitch() throws {
        let profile = patient("switch", trials: [trial("sertraline", 100, "2024-02-01", "2024-04-30"), trial("venlafaxine", 150, "2024-05-10", "2024-08-31")])
        let june = try analyze(profile, asOf: "2025-06-30", options: ["Spravato"])
        #expect(june.criteria.policyVersion == "A-2025-01")
        let before = try #require(june.option("Spravato"))
        #expect(before.verdict == .paNotMet)
        #expect(before.rules.first?.ruleVersion == "A-2025-01")
        #expect(before.rules.first?.criteria.first { $0.id == "concurrent-oral-ad" }?.status == .unmet)
        let july = try analyze(profile, asOf: "2025-07-01", options: ["Spravato"])
        #expect(july.criteria.policyVersion == "A-2025-07")
        #expect(july.option("Spravato")?.verdict == .coveredPAMet)
        // Pinning by id overrides the date.
        let pinned = try analyze(profile, asOf: "2025-06-30", options: ["Spravato"], pinned: "A-2025-07")
        #expect(pinned.option("Spravato")?.verdict == .coveredPAMet)
        #expect(pinned.criteria.pinned)
    }

    @Test("Medicare: a continuing user is COVERED_NO_UM; a new start meets the step")
    func medicareNewStart() throws {
        let continuing = try PatientLoader.load(path: Fixtures.patientsFolder + "/medicare-continuing.yaml", reference: loaded.reference)
        let asOf = try #require(continuing.asOf)
        let result = try loaded.analyzer.analyze(AnalysisRequest(patient: continuing, asOf: asOf, options: ["Trintellix", "Spravato", "psyllium"]),
                                                 coverage: SmallFormulary.formularyM)
        let plan = try #require(result.plans.first)
        #expect(plan.criteria.documentID == "reference-m")
        let trintellix = try #require(plan.option("Trintellix"))
        #expect(trintellix.verdict == .coveredNoUM)
        #expect(trintellix.rules.first?.applied == false)
        #expect(trintellix.rules.first?.notAppliedReason?.contains("continuing user") == true)
        #expect(trintellix.quantityLimit == "1 tablet/day", "QL still applies")
        #expect(trintellix.safety.contains { $0.ruleID == "S16" }, "psyllium spacing")
        #expect(plan.option("psyllium")?.verdict == .notCovered)
        #expect(plan.option("Spravato")?.coverage.tierCode == "MB")

        var newStart = continuing
        newStart.claims = []
        newStart.trials = []
        let fresh = try #require(try loaded.analyzer.analyze(AnalysisRequest(patient: newStart, asOf: asOf, options: ["Trintellix"]),
                                                             coverage: SmallFormulary.formularyM).plans.first)
        #expect(fresh.option("Trintellix")?.verdict == .stNotMet)
        // 120-day boundary: the last supply ended 2025-09-04; as of 2026-01-01 (119 days later) still continuing, 2026-01-02 a new start.
        #expect(try loaded.analyzer.analyze(AnalysisRequest(patient: continuing, asOf: Fixtures.day("2026-01-01"), options: ["Trintellix"]),
                                            coverage: SmallFormulary.formularyM).plans.first?.option("Trintellix")?.verdict == .coveredNoUM)
        #expect(try loaded.analyzer.analyze(AnalysisRequest(patient: continuing, asOf: Fixtures.day("2026-01-02"), options: ["Trintellix"]),
                                            coverage: SmallFormulary.formularyM).plans.first?.option("Trintellix")?.verdict != .coveredNoUM)
    }

    @Test("a cash fill makes a met step NEEDS_DOCUMENTATION, with the Arizona exception ground")
    func cashFill() throws {
        let profile = try PatientLoader.load(path: Fixtures.patientsFolder + "/cash-fill.yaml", reference: loaded.reference)
        let plan = try analyze(profile, asOf: "2025-08-01", options: ["Trintellix"], plans: [])
        let trintellix = try #require(plan.option("Trintellix"))
        #expect(trintellix.verdict == .needsDocumentation)
        #expect(trintellix.rules.first?.criteria.first?.status == .needsDocumentation)
        let ground = try #require(trintellix.exceptionGrounds.first { $0.ground == "tried-under-current-or-previous-plan" })
        #expect(ground.overlayID == "AZ-ST-EXCEPTION")
        #expect(ground.decisionHours == 72 && ground.exigentHours == 24)
        #expect(trintellix.remaining?.steps.contains { $0.description.hasPrefix("attach documentation") } == true)
    }

    @Test("a contraindicated step drug is pruned from the path and becomes an exception ground")
    func contraindicatedStepPruned() throws {
        let profile = patient("bulimia", trials: [trial("sertraline", 100, "2025-03-01", "2025-05-01")], conditions: [.eatingDisorder])
        let plan = try analyze(profile, asOf: "2025-08-01", options: ["Trintellix", "bupropion"])
        #expect(plan.option("bupropion")?.verdict == .contraindicated)
        let trintellix = try #require(plan.option("Trintellix"))
        #expect(trintellix.verdict == .stNotMet)
        #expect(trintellix.remaining?.prunedSteps.contains { $0.optionID == "bupropion" && $0.contraindicated } == true)
        #expect(!(trintellix.remaining?.steps.contains { $0.optionID == "bupropion" } ?? true))
        let ground = try #require(trintellix.exceptionGrounds.first { $0.ground == "step-contraindicated" })
        #expect(ground.overlayID == "AZ-ST-EXCEPTION")
        #expect(ground.description.contains("S5"))
    }

    @Test("MAOI after fluoxetine: 5-week washout dates the path")
    func fluoxetineWashout() throws {
        let profile = patient("maoi", trials: [trial("fluoxetine", 40, "2025-01-01", "2025-07-20"), trial("sertraline", 100, "2024-03-01", "2024-06-01")])
        let plan = try analyze(profile, asOf: "2025-08-01", options: ["phenelzine", "Emsam"])
        let phenelzine = try #require(plan.option("phenelzine"))
        let washout = try #require(phenelzine.safety.first { $0.verdict == .washout })
        #expect(washout.ruleID == "S2")
        #expect(washout.earliestStart == Fixtures.day("2025-07-20") + 35)
        let emsam = try #require(plan.option("Emsam"))
        #expect(emsam.verdict == .coveredPAMet)
        #expect(emsam.safety.contains { $0.ruleID == "S2" && $0.earliestStart == Fixtures.day("2025-08-24") })
    }

    @Test("safety: lithium with an NSAID warns; aripiprazole on fluoxetine stopped 10 days ago is still ½ dose")
    func interactions() throws {
        var profile = patient("interactions", trials: [trial("fluoxetine", 20, "2025-01-01", "2025-07-22")])
        profile.medications = [Medication(drug: "ibuprofen", otc: true, ref: "medications[0]")]
        let plan = try analyze(profile, asOf: "2025-08-01", options: ["lithium", "aripiprazole"])
        #expect(plan.option("lithium")?.safety.contains { $0.ruleID == "S15" && $0.verdict == .warn } == true)
        #expect(plan.option("aripiprazole")?.safety.contains { $0.ruleID == "S7" && $0.verdict == .adjust } == true)
    }
}

@Suite("Continuing a current trial")
struct ContinuationTests {
    @Test("20 days into duloxetine: continuing it to day 42 beats starting a new drug")
    func continueCurrent() throws {
        let profile = PatientProfile(
            id: "continue", demographics: Demographics(age: 40, sex: .male, state: "AZ"), plans: ["99990AZ0010001"],
            diagnoses: [Diagnosis(code: "F33.2", episodeStart: Fixtures.day("2025-01-01"))],
            trials: [ChartTrial(drug: "sertraline", mgPerDay: 100, start: Fixtures.day("2025-02-01"), end: Fixtures.day("2025-04-30"), outcome: .inadequate, ref: "trials[0]"),
                     ChartTrial(drug: "duloxetine", mgPerDay: 60, start: Fixtures.day("2025-07-12"), outcome: .partial, ref: "trials[1]")],
            flags: PatientFlags(prescriberSpecialty: "psychiatry", remsSite: true, pdmpAttested: true))
        let request = AnalysisRequest(patient: profile, asOf: Fixtures.day("2025-08-01"), options: ["Spravato"])
        let plan = try #require(try Fixtures.shared.analyzer.analyze(request, coverage: Fixtures.shared.formularyA).plans.first)
        let spravato = try #require(plan.option("Spravato"))
        #expect(spravato.verdict == .paNotMet)
        let step = try #require(spravato.remaining?.steps.first)
        #expect(step.kind == .continueTrial)
        #expect(step.optionID == "duloxetine")
        #expect(spravato.remaining?.reachableOn == Fixtures.day("2025-07-12") + 41)
        #expect(spravato.trialSteps.isEmpty)
    }
}
