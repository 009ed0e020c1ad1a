import Foundation
import Testing
import FormularyAnalysis
import FormularyCriteria
import FormularyModel

/// Remaining paths dated exactly as DOMAIN.md §5.0 counts (issue 13 §3): a paid step fill counts
/// on its fill date, alternatives never repeat what already counts, a step before an MAOI waits
/// the stopped drug's own washout, and every counted item shows when it leaves its lookback.
@Suite("Exact step paths")
struct StepPathTests {
    let loaded = Fixtures.shared
    static let planA = "99990AZ0010001"
    static let asOf = Fixtures.day("2025-08-01")

    func patient(_ id: String, trials: [ChartTrial] = [], claims: [PharmacyClaim] = []) -> PatientProfile {
        PatientProfile(id: id, demographics: Demographics(age: 40, sex: .female, state: "AZ"), plans: [Self.planA],
                       diagnoses: [Diagnosis(code: "F33.2", episodeStart: Fixtures.day("2024-01-01"))], claims: claims, trials: trials,
                       procedures: [ProcedureRecord(type: "CBT", sessions: 14, start: Fixtures.day("2024-02-01"), end: Fixtures.day("2024-06-30"), outcome: .noRemission)],
                       scores: [ScoreRecord(scale: "PHQ-9", value: 19, date: Fixtures.day("2025-07-20"))],
                       flags: PatientFlags(prescriberSpecialty: "psychiatry", remsSite: true, pdmpAttested: true))
    }

    func trial(_ drug: String, _ mg: Double, _ start: String, _ end: String?, _ outcome: TrialOutcome = .inadequate,
               outcomes: [TrialOutcome]? = nil) -> ChartTrial {
        ChartTrial(drug: drug, mgPerDay: mg, start: Fixtures.day(start), end: end.map(Fixtures.day), outcome: outcome, outcomes: outcomes,
                   ref: "trials.\(drug)")
    }

    func claim(_ drug: String, _ fill: String, _ supply: Int) -> PharmacyClaim {
        PharmacyClaim(fillDate: Fixtures.day(fill), drug: drug, daysSupply: supply, ref: "claims.\(drug).\(fill)")
    }

    func analyze(_ profile: PatientProfile, options: [String], asOf: Day = Self.asOf, analyzer: TRDAnalyzer? = nil) throws -> PlanResult {
        // Formulary A's rules pinned to A-2025-07, whatever the as-of date; a test document as it is.
        let request = AnalysisRequest(patient: profile, plans: [Self.planA], asOf: asOf, options: options, pinnedVersion: analyzer == nil ? "A-2025-07" : nil)
        return try #require(try (analyzer ?? loaded.analyzer).analyze(request, coverage: loaded.formularyA).plans.first)
    }

    // MARK: 1. A planned fill counts on its fill date

    @Test("a planned step fill counts on its fill date; an ADQ-TRD trial on start + 41")
    func fillCountsAtOnce() throws {
        let profile = patient("one-ssri", trials: [trial("sertraline", 100, "2025-03-01", "2025-06-01")])
        let plan = try analyze(profile, options: ["Trintellix", "Rexulti", "Spravato"])

        let trintellix = try #require(plan.option("Trintellix"))
        #expect(trintellix.verdict == .stNotMet)
        let fill = try #require(trintellix.trialSteps.first)
        #expect(trintellix.trialSteps.count == 1)
        #expect(fill.start == Self.asOf)
        #expect(fill.durationDays == 30)
        #expect(fill.counting == .fillDate)
        #expect(fill.earliestMet == Self.asOf, "not the end of the supply (2025-08-30)")
        #expect(fill.minimumMgPerDay == nil)
        #expect(trintellix.remaining?.reachableOn == Self.asOf)

        let rexulti = try #require(plan.option("Rexulti"))
        let sga = try #require(rexulti.trialSteps.first)
        #expect(["aripiprazole", "quetiapine"].contains(sga.optionID ?? ""))
        #expect(sga.durationDays == 28)
        #expect(sga.counting == .fillDate)
        #expect(sga.earliestMet == Self.asOf, "ADQ-ST28 reads supply too: not start + 27")

        let spravato = try #require(plan.option("Spravato"))
        let trd = try #require(spravato.trialSteps.first)
        #expect(spravato.trialSteps.count == 1)
        #expect(trd.drugClass != "SSRI")
        #expect(trd.durationDays == 42)
        #expect(trd.counting == .daysOnDrug)
        #expect(trd.earliestMet == Self.asOf + 41)
        #expect(trd.minimumMgPerDay != nil)
        #expect(spravato.remaining?.reachableOn == Self.asOf + 41)
    }

    @Test("two fills run one after the other, each met on its own fill date")
    func twoFills() throws {
        let plan = try analyze(patient("none"), options: ["Trintellix", "Auvelity"])
        let trintellix = try #require(plan.option("Trintellix"))
        #expect(trintellix.trialSteps.map(\.start) == [Self.asOf, Self.asOf + 30])
        #expect(trintellix.trialSteps.map(\.earliestMet) == [Self.asOf, Self.asOf + 30])
        #expect(trintellix.remaining?.reachableOn == Self.asOf + 30)
        let auvelity = try #require(plan.option("Auvelity"))
        #expect(Set(auvelity.trialSteps.compactMap(\.optionID)).contains("bupropion"))
        #expect(auvelity.remaining?.reachableOn == Self.asOf + 30)
    }

    @Test("a fill today plus a current drug kept until it reaches 30 days: the day it does, not a second fill")
    func fillPlusContinuation() throws {
        // Bupropion: 10 days in March, and again since 2025-07-20 (13 days by the as-of date):
        // kept, it reaches 30 days on 2025-08-08. The SSRI step is a fill today.
        let profile = patient("fill-and-continue", trials: [trial("bupropion", 300, "2025-03-01", "2025-03-10"), trial("bupropion", 300, "2025-07-20", nil, .partial)])
        let auvelity = try #require(try analyze(profile, options: ["Auvelity"]).option("Auvelity"))
        #expect(auvelity.verdict == .stNotMet)
        let steps = try #require(auvelity.remaining?.steps)
        let keep = try #require(steps.first { $0.kind == .continueTrial })
        #expect(keep.optionID == "bupropion")
        #expect(keep.earliestMet == Fixtures.day("2025-08-08"))
        #expect(keep.satisfies == ["ST-BUP+SSRI.bupropion"])
        let fill = try #require(auvelity.trialSteps.first)
        #expect(auvelity.trialSteps.count == 1)
        #expect(fill.drugClass == "SSRI")
        #expect(fill.earliestMet == Self.asOf)
        #expect(auvelity.remaining?.reachableOn == Fixtures.day("2025-08-08"))
    }

    @Test("continuing toward a step judged on chart days: the first day the days held reach the minimum with the earlier trial")
    func continuationOnChartDays() throws {
        // A step rule that reads the chart only: 10 days in June plus days held since 2025-07-25 reach 30 on 2025-08-13,
        // not on start + 29 (2025-08-23); a new trial would take until 2025-08-30.
        let analyzer = try customAnalyzer(rules: """
              - id: ST-TEST
                kind: step-therapy
                title: escitalopram first, by chart days
                version: T-2025
                effective: {from: 2025-01-01}
                citation: test
                options: [Trintellix]
                requires:
                  - id: escitalopram
                    step: {count: 1, adequacy: ADQ-CHART, lookbackDays: 365, from: [escitalopram]}
            """)
        let profile = patient("continue-chart", trials: [trial("escitalopram", 10, "2025-06-01", "2025-06-10"), trial("escitalopram", 10, "2025-07-25", nil, .partial)])
        let trintellix = try #require(try analyze(profile, options: ["Trintellix"], analyzer: analyzer).option("Trintellix"))
        let steps = try #require(trintellix.remaining?.steps)
        #expect(steps.map(\.kind) == [.continueTrial])
        #expect(steps.first?.earliestMet == Fixtures.day("2025-08-13"))
        #expect(steps.first?.counting == .daysOnDrug)
        #expect(trintellix.remaining?.reachableOn == Fixtures.day("2025-08-13"))
        // Without the ongoing trial, a new one counts by chart days too (not as a fill): with June's
        // 10 days, on its 20th day; for a drug never taken, on its 30th.
        let fresh = try #require(try analyze(patient("chart-new", trials: [trial("escitalopram", 10, "2025-06-01", "2025-06-10")]), options: ["Trintellix"],
                                             analyzer: analyzer).option("Trintellix"))
        let step = try #require(fresh.trialSteps.first)
        #expect(step.counting == .daysOnDrug)
        #expect(step.start == Self.asOf)
        #expect(step.earliestMet == Self.asOf + 19)
        #expect(fresh.remaining?.reachableOn == Self.asOf + 19)
        let never = try #require(try analyze(patient("chart-never"), options: ["Trintellix"], analyzer: analyzer).option("Trintellix"))
        #expect(never.trialSteps.first?.earliestMet == Self.asOf + 29)
    }

    // MARK: 2. Alternatives never repeat what already counts

    @Test("alternatives exclude drugs that already count toward the step, and drugs already on the path")
    func alternatives() throws {
        let profile = patient("sertraline-counts", trials: [trial("sertraline", 100, "2025-03-01", "2025-06-01")],
                              claims: [claim("escitalopram", "2025-07-01", 10)])
        let plan = try analyze(profile, options: ["Trintellix", "Emsam", "Spravato"])
        let trintellix = try #require(plan.option("Trintellix"))
        let step = try #require(trintellix.trialSteps.first)
        #expect(step.optionID != "sertraline")
        #expect(!step.alternatives.contains("sertraline"), "sertraline already meets one of the two generics")
        // Escitalopram (10 days so far) does not count yet: another fill of it would, so it stays a choice.
        #expect(step.optionID == "escitalopram" || step.alternatives.contains("escitalopram"))
        #expect(step.satisfies == ["ST-2G.two-generics"])

        let emsam = try #require(plan.option("Emsam"))
        let emsamStep = try #require(emsam.trialSteps.first)
        #expect(emsam.trialSteps.count == 1)
        #expect(emsamStep.optionID != "sertraline" && !emsamStep.alternatives.contains("sertraline"))

        // Two planned fills never offer each other.
        let empty = try analyze(patient("empty"), options: ["Trintellix"])
        let steps = try #require(empty.option("Trintellix")).trialSteps
        #expect(steps.count == 2)
        let names = steps.compactMap(\.option)
        for step in steps {
            #expect(Set(step.alternatives).isDisjoint(with: names), "\(step.option ?? "?") offers \(step.alternatives)")
        }
    }

    // MARK: 3. A drug's own washout

    @Test("continuing fluoxetine before an MAOI: 5 weeks from its last dose on the goal day")
    func continuedFluoxetineWashout() throws {
        let profile = patient("fluoxetine-then-maoi", trials: [trial("sertraline", 100, "2024-03-01", "2024-06-01"), trial("fluoxetine", 40, "2025-07-20", nil, .partial)])
        let plan = try analyze(profile, options: ["Emsam"])
        let emsam = try #require(plan.option("Emsam"))
        #expect(emsam.verdict == .paNotMet)
        let steps = try #require(emsam.remaining?.steps)
        let continuing = try #require(steps.first { $0.kind == .continueTrial })
        #expect(continuing.optionID == "fluoxetine")
        #expect(continuing.earliestMet == Fixtures.day("2025-07-20") + 41)
        let wait = try #require(steps.first { $0.kind == .wait })
        #expect(wait.earliestMet == Fixtures.day("2025-08-30") + 35, "fluoxetine's own washout after its last dose, not from the as-of date")
        #expect(wait.safety.contains { $0.ruleID == "S2" })
        #expect(emsam.remaining?.reachableOn == Fixtures.day("2025-10-04"))
    }

    @Test("planned trials before an MAOI: alternatives with a longer washout are not offered; the last trial's own washout dates the option")
    func plannedWashoutBeforeMAOI() throws {
        let plan = try analyze(patient("none-maoi"), options: ["Emsam"])
        let emsam = try #require(plan.option("Emsam"))
        let trials = emsam.trialSteps
        #expect(trials.count == 2)
        let last = try #require(trials.last)
        let start = try #require(last.start), duration = try #require(last.durationDays), id = try #require(last.optionID)
        let lastEnd = start + (duration - 1)
        #expect(!trials.contains { $0.optionID == "fluoxetine" || $0.alternatives.contains("fluoxetine") }, "fluoxetine's 5 weeks are not equally good")
        let days = try #require(loaded.reference.option(id: id)?.washoutBeforeMAOIDays)
        #expect(emsam.remaining?.reachableOn == lastEnd + days)
    }

    @Test("a planned MAOI trial after a planned fluoxetine trial starts 35 days after fluoxetine's last day")
    func washoutBetweenPlannedTrials() throws {
        let analyzer = try customAnalyzer(rules: """
              - id: PA-TEST
                kind: prior-authorization
                title: fluoxetine, then an MAOI
                version: T-2025
                effective: {from: 2025-01-01}
                citation: test
                options: [Emsam]
                requires:
                  - id: fluoxetine
                    trials: {count: 1, adequacy: ADQ-TRD, from: [fluoxetine]}
                  - id: maoi
                    trials: {count: 1, adequacy: ADQ-TRD, from: [phenelzine]}
            """)
        let plan = try analyze(patient("two-planned"), options: ["Emsam"], analyzer: analyzer)
        let emsam = try #require(plan.option("Emsam"))
        let trials = emsam.trialSteps
        #expect(trials.map(\.optionID) == ["fluoxetine", "phenelzine"])
        guard trials.count == 2 else { return }
        #expect(trials[0].start == Self.asOf)
        #expect(trials[0].earliestMet == Self.asOf + 41)
        #expect(trials[1].start == Self.asOf + 41 + 35, "fluoxetine stopped on day 42, then its own 35-day washout")
        #expect(trials[1].earliestMet == Self.asOf + 41 + 35 + 41)
        // Emsam after phenelzine: the MAOI washout (S1, 14 days).
        #expect(emsam.remaining?.reachableOn == Self.asOf + 41 + 35 + 41 + 14)
    }

    // MARK: 4. Lookback expiries for everything that counts

    @Test("documented intolerance and contraindication get their lookback expiry, like supply")
    func intoleranceExpiry() throws {
        let profile = patient("intolerance", trials: [trial("sertraline", 100, "2025-03-01", "2025-03-10", .intolerance),
                                                      trial("escitalopram", 10, "2025-04-01", "2025-06-01")])
        let plan = try analyze(profile, options: ["Trintellix"])
        let trintellix = try #require(plan.option("Trintellix"))
        #expect(trintellix.verdict == .stMet)
        #expect(trintellix.lookbackExpiries.count == 2)
        let sertraline = try #require(trintellix.lookbackExpiries.first { $0.drug == "sertraline" })
        #expect(sertraline.basis == .intolerance)
        #expect(sertraline.coverageEnd == Fixtures.day("2025-03-10"))
        #expect(sertraline.expiresOn == Fixtures.day("2026-03-10"))
        #expect(sertraline.ref == "trials.sertraline")
        #expect(sertraline.criterionMet == true)
        let escitalopram = try #require(trintellix.lookbackExpiries.first { $0.drug == "escitalopram" })
        #expect(escitalopram.basis == .daysSupply)
        #expect(escitalopram.expiresOn == Fixtures.day("2026-06-01"))
        #expect(trintellix.lookbackExpiries.map(\.drug) == ["sertraline", "escitalopram"], "soonest first")
        // The evidence line says so too.
        let evidence = trintellix.rules.first?.criteria.first?.evidence ?? []
        #expect(evidence.contains { $0.drug == "sertraline" && $0.counts && $0.detail.contains("leaves the 365-day lookback on 2026-03-10") })

        let contraindicated = patient("contraindication", trials: [trial("bupropion", 150, "2025-01-01", "2025-01-05", .contraindication),
                                                                   trial("escitalopram", 10, "2025-04-01", "2025-06-01")])
        let other = try #require(try analyze(contraindicated, options: ["Trintellix"]).option("Trintellix"))
        #expect(other.lookbackExpiries.first { $0.drug == "bupropion" }?.basis == .contraindication)
        #expect(other.lookbackExpiries.first { $0.drug == "bupropion" }?.expiresOn == Fixtures.day("2026-01-05"))
    }

    @Test("a partly met step shows the expiry of the drug that counts")
    func partlyMetExpiry() throws {
        let profile = patient("partly", trials: [trial("sertraline", 100, "2025-03-01", "2025-06-01")])
        let trintellix = try #require(try analyze(profile, options: ["Trintellix"]).option("Trintellix"))
        #expect(trintellix.verdict == .stNotMet)
        let expiry = try #require(trintellix.lookbackExpiries.first)
        #expect(trintellix.lookbackExpiries.count == 1)
        #expect(expiry.drug == "sertraline")
        #expect(expiry.ruleID == "ST-2G" && expiry.criterionID == "two-generics")
        #expect(expiry.expiresOn == Fixtures.day("2026-06-01"))
        #expect(expiry.criterionMet == false)
    }

    @Test("the expiry is the day the drug stops counting: the first fill leaving drops 30 days to 15")
    func expiryOfSupplyIsExact() throws {
        let profile = patient("split-supply", trials: [trial("sertraline", 100, "2025-03-01", "2025-06-01")],
                              claims: [claim("escitalopram", "2025-01-01", 15), claim("escitalopram", "2025-03-01", 15)])
        let trintellix = try #require(try analyze(profile, options: ["Trintellix"]).option("Trintellix"))
        #expect(trintellix.verdict == .stMet)
        let escitalopram = try #require(trintellix.lookbackExpiries.first { $0.drug == "escitalopram" })
        #expect(escitalopram.ref == "claims.escitalopram.2025-01-01")
        #expect(escitalopram.coverageEnd == Fixtures.day("2025-01-15"))
        #expect(escitalopram.expiresOn == Fixtures.day("2026-01-15"), "not the second fill's 2026-03-15")
        // On that day the step is no longer met; the day before it still is.
        let before = try #require(try analyze(profile, options: ["Trintellix"], asOf: Fixtures.day("2026-01-14")).option("Trintellix"))
        let after = try #require(try analyze(profile, options: ["Trintellix"], asOf: Fixtures.day("2026-01-15")).option("Trintellix"))
        #expect(before.rules.first?.criteria.first?.detail.hasPrefix("2 agents met") == true)
        #expect(after.rules.first?.criteria.first?.detail.hasPrefix("1 agent met") == true)
    }

    @Test("an ongoing trial keeps its drug counting: no expiry")
    func ongoingHasNoExpiry() throws {
        let profile = patient("ongoing", trials: [trial("sertraline", 100, "2025-03-01", "2025-06-01"), trial("escitalopram", 10, "2025-05-01", nil, .partial)])
        let trintellix = try #require(try analyze(profile, options: ["Trintellix"]).option("Trintellix"))
        #expect(trintellix.verdict == .stMet)
        #expect(trintellix.lookbackExpiries.map(\.drug) == ["sertraline"])
    }

    @Test("LookbackExpiry JSON: new keys written, old documents without them still read")
    func expiryJSON() throws {
        let expiry = LookbackExpiry(ruleID: "ST-2G", criterionID: "two-generics", ref: "trials[0]", drug: "sertraline", coverageEnd: Fixtures.day("2025-03-10"),
                                    expiresOn: Fixtures.day("2026-03-10"), basis: .intolerance, criterionMet: false)
        let text = String(decoding: try JSONEncoder().encode(expiry), as: UTF8.self)
        #expect(text.contains(#""basis":"intolerance""#))
        #expect(text.contains(#""criterionMet":false"#))
        #expect(try JSONDecoder().decode(LookbackExpiry.self, from: Data(text.utf8)) == expiry)
        let old = #"{"ruleId": "ST-2G", "criterionId": "c1", "drug": "sertraline", "coverageEnd": "2024-04-30", "expiresOn": "2025-04-30"}"#
        let decoded = try JSONDecoder().decode(LookbackExpiry.self, from: Data(old.utf8))
        #expect(decoded.basis == nil && decoded.criterionMet == nil)
    }

    @Test("a trial count with a window: each counted trial's expiry, and the day it leaves")
    func trialWindowExpiry() throws {
        let analyzer = try customAnalyzer(rules: """
              - id: PA-TEST
                kind: prior-authorization
                title: a recent adequate SSRI trial
                version: T-2025
                effective: {from: 2025-01-01}
                citation: test
                options: [Emsam]
                requires:
                  - id: recent-ssri
                    trials: {count: 1, adequacy: ADQ-TRD, from: {classes: [SSRI]}, withinDays: 365}
            """)
        let profile = patient("window", trials: [trial("sertraline", 100, "2025-01-01", "2025-03-01")])
        let emsam = try #require(try analyze(profile, options: ["Emsam"], analyzer: analyzer).option("Emsam"))
        #expect(emsam.verdict == .coveredPAMet)
        let expiry = try #require(emsam.lookbackExpiries.first)
        #expect(expiry.basis == .adequateTrial)
        #expect(expiry.coverageEnd == Fixtures.day("2025-03-01"))
        #expect(expiry.expiresOn == Fixtures.day("2026-03-01"))
        // Inside on coverage end + 364 (§5.0 rule 4), gone on + 365.
        let lastDay = try #require(try analyze(profile, options: ["Emsam"], asOf: Fixtures.day("2026-02-28"), analyzer: analyzer).option("Emsam"))
        let gone = try #require(try analyze(profile, options: ["Emsam"], asOf: Fixtures.day("2026-03-01"), analyzer: analyzer).option("Emsam"))
        #expect(lastDay.rules.first?.criteria.first?.status == .met)
        #expect(gone.rules.first?.criteria.first?.status == .unmet)
    }

    // MARK: Steps that need each other

    @Test("a step drug whose own step needs the option asked is searched as if asked first: the order asked does not change any answer")
    func mutualSteps() throws {
        // Viibryd needs a Trintellix or Fetzima step; Trintellix needs a Viibryd step. Fetzima's ST
        // is flagged with no criteria (flag only), so it can always be tried.
        let analyzer = try customAnalyzer(rules: """
              - id: ST-VIIBRYD
                kind: step-therapy
                title: Trintellix or Fetzima first
                version: T-2025
                effective: {from: 2025-01-01}
                citation: test
                options: [Viibryd]
                requires:
                  - id: step
                    step: {count: 1, adequacy: ADQ-ST, lookbackDays: 365, from: [vortioxetine, levomilnacipran]}
              - id: ST-TRINTELLIX
                kind: step-therapy
                title: Viibryd first
                version: T-2025
                effective: {from: 2025-01-01}
                citation: test
                options: [Trintellix]
                requires:
                  - id: step
                    step: {count: 1, adequacy: ADQ-ST, lookbackDays: 365, from: [vilazodone]}
            """)
        let profile = patient("mutual")
        let viibrydFirst = try analyze(profile, options: ["Viibryd", "Trintellix"], analyzer: analyzer)
        let trintellixFirst = try analyze(profile, options: ["Trintellix", "Viibryd"], analyzer: analyzer)
        for name in ["Viibryd", "Trintellix"] {
            var one = try #require(viibrydFirst.option(name))
            var other = try #require(trintellixFirst.option(name))
            one.rank = 0
            other.rank = 0
            #expect(one == other, "\(name) depends on the order the options were asked in")
        }
        // Asked first or second, Trintellix is reachable through Fetzima, then Viibryd: the search
        // for Viibryd on the way only drops Trintellix itself as its step.
        let trintellix = try #require(viibrydFirst.option("Trintellix"))
        #expect(trintellix.remaining?.reachable == true)
        #expect(trintellix.remaining?.steps.compactMap(\.optionID).suffix(2) == ["levomilnacipran", "vilazodone"])
    }

    // MARK: Support

    /// An analyzer whose plan A criteria are one small document with `rules` (ADQ rules as in reference-a).
    func customAnalyzer(rules: String) throws -> TRDAnalyzer {
        let document = """
            schema: formulary-criteria/1
            id: test-a
            title: test criteria for plan A
            appliesTo:
              plans: ["99990AZ0010001"]
            market: commercial
            state: AZ
            funding: fully-insured
            versions:
              - id: T-2025
                from: 2025-01-01
            adequacy:
              ADQ-TRD:
                purpose: trd
                minDays: 42
                requireMinimumDose: true
                withinCurrentEpisode: true
                outcomes: [inadequate, partial]
                excludedOutcomes: [confounded]
                sources: [claims, chart]
              ADQ-ST:
                purpose: step
                minDays: 30
                lookbackDays: 365
                excludedOutcomes: [confounded]
                intoleranceCounts: true
                sources: [claims, chart]
                documentationOnly: [cash, previous-plan, outside-lookback]
              ADQ-CHART:
                purpose: step
                minDays: 30
                lookbackDays: 365
                excludedOutcomes: [confounded]
                sources: [chart]
            rules:
            \(rules)
            """
        let set = try CriteriaLoader(reference: loaded.reference).loadSet([(document, "test-a.yaml")])
        return TRDAnalyzer(reference: loaded.reference, criteria: set)
    }
}
