import Foundation
import Testing
import FormularyAnalysis
import FormularyCriteria
import FormularyModel

/// A chart trial recorded with more than one outcome (`[inadequate, intolerance]`) is an
/// inadequate trial for ADQ-TRD and documented intolerance of that drug, both at once.
@Suite("Trials with more than one outcome")
struct MultiOutcomeTrialTests {
    let loaded = Fixtures.shared
    static let planA = "99990AZ0010001"
    static let asOf = Fixtures.day("2025-08-01")

    func patient(_ id: String, _ trials: [ChartTrial]) -> PatientProfile {
        PatientProfile(id: id, demographics: Demographics(age: 40, sex: .female, state: "AZ"), plans: [Self.planA],
                       diagnoses: [Diagnosis(code: "F33.2", episodeStart: Fixtures.day("2024-01-01"))], trials: trials,
                       procedures: [ProcedureRecord(type: "CBT", sessions: 14, start: Fixtures.day("2024-02-01"), end: Fixtures.day("2024-06-30"), outcome: .noRemission)],
                       scores: [ScoreRecord(scale: "PHQ-9", value: 19, date: Fixtures.day("2025-07-20"))],
                       flags: PatientFlags(prescriberSpecialty: "psychiatry", remsSite: true, pdmpAttested: true))
    }

    func analyze(_ profile: PatientProfile, _ options: [String]) throws -> PlanResult {
        let request = AnalysisRequest(patient: profile, plans: [Self.planA], asOf: Self.asOf, options: options, pinnedVersion: "A-2025-07")
        return try #require(try loaded.analyzer.analyze(request, coverage: loaded.formularyA).plans.first)
    }

    /// Sertraline 100 mg for `days` days from 2025-01-06, recorded with `outcomes`.
    func sertraline(days: Int, _ outcomes: [TrialOutcome]) -> ChartTrial {
        let start = Fixtures.day("2025-01-06")
        return ChartTrial(drug: "sertraline", mgPerDay: 100, start: start, end: start + (days - 1), outcome: outcomes[0], outcomes: outcomes, ref: "trials[0]")
    }

    let venlafaxine = ChartTrial(drug: "venlafaxine", mgPerDay: 150, start: Fixtures.day("2025-04-01"), end: Fixtures.day("2025-06-30"), outcome: .inadequate, ref: "trials[1]")

    @Test("ChartTrial keeps the response outcome first and records every outcome")
    func chartTrialModel() {
        let both = sertraline(days: 60, [.inadequate, .intolerance])
        #expect(both.outcome == .inadequate)
        #expect(both.outcomes == [.inadequate, .intolerance])
        #expect(both.records(.intolerance) && both.records(.inadequate))
        #expect(!both.records(.contraindication))
        let single = ChartTrial(drug: "sertraline", start: Fixtures.day("2025-01-06"), outcome: .partial)
        #expect(single.outcomes == [.partial])
    }

    @Test("a chart trial with no documented outcome does not count for TRD and says it needs documentation of the response")
    func unknownOutcome() throws {
        let unknown = try #require(try analyze(patient("unknown", [sertraline(days: 60, [.unknown]), venlafaxine]), ["Spravato"]).option("Spravato"))
        #expect(unknown.verdict != .coveredPAMet)
        let criterion = try #require(unknown.rules.first?.criteria.first { $0.id == "trd-trials" })
        let evidence = try #require(criterion.evidence.first { $0.drug == "sertraline" })
        #expect(!evidence.counts)
        #expect(evidence.detail.contains("needs documentation of the response"), "\(evidence.detail)")
    }

    @Test("[inadequate, intolerance] counts as an ADQ-TRD trial; intolerance alone does not")
    func countsForTRD() throws {
        let both = try #require(try analyze(patient("both", [sertraline(days: 60, [.inadequate, .intolerance]), venlafaxine]), ["Spravato"]).option("Spravato"))
        #expect(both.verdict == .coveredPAMet)
        let criterion = try #require(both.rules.first?.criteria.first { $0.id == "trd-trials" })
        #expect(criterion.detail.hasPrefix("2 qualifying ADQ-TRD trials"))
        let evidence = try #require(criterion.evidence.first { $0.drug == "sertraline" })
        #expect(evidence.counts)
        #expect(evidence.detail.contains("60 days at 100 mg/day, inadequate"))
        #expect(evidence.detail.contains("also documented intolerance"))

        let onlyIntolerance = try #require(try analyze(patient("intolerant", [sertraline(days: 60, [.intolerance]), venlafaxine]), ["Spravato"]).option("Spravato"))
        #expect(onlyIntolerance.verdict == .paNotMet)
        #expect(onlyIntolerance.rules.first?.criteria.first { $0.id == "trd-trials" }?.detail.hasPrefix("1 qualifying ADQ-TRD trial") == true)

        // The order written does not matter: [intolerance, inadequate] reads the same response.
        let reversed = ChartTrial(drug: "sertraline", mgPerDay: 100, start: Fixtures.day("2025-01-06"), end: Fixtures.day("2025-03-06"), outcome: .intolerance,
                                  outcomes: [.intolerance, .inadequate], ref: "trials[0]")
        #expect(try analyze(patient("reversed", [reversed, venlafaxine]), ["Spravato"]).option("Spravato")?.verdict == .coveredPAMet)
    }

    @Test("[inadequate, intolerance] is documented intolerance for a step: a 10-day trial meets it")
    func countsAsIntoleranceForSteps() throws {
        let escitalopram = ChartTrial(drug: "escitalopram", mgPerDay: 10, start: Fixtures.day("2025-05-01"), end: Fixtures.day("2025-06-30"), outcome: .inadequate, ref: "trials[1]")
        let both = try #require(try analyze(patient("step-both", [sertraline(days: 10, [.inadequate, .intolerance]), escitalopram]), ["Trintellix"]).option("Trintellix"))
        #expect(both.verdict == .stMet)
        let criterion = try #require(both.rules.first?.criteria.first)
        #expect(criterion.detail.hasPrefix("2 agents met"))
        #expect(criterion.evidence.contains { $0.drug == "sertraline" && $0.counts && $0.detail.contains("documented intolerance satisfies the step") })
        let expiry = try #require(both.lookbackExpiries.first { $0.drug == "sertraline" })
        #expect(expiry.basis == .intolerance)
        #expect(expiry.expiresOn == Fixtures.day("2025-01-15") + 365)

        // The same 10 days recorded only as inadequate are 10 days' supply: not enough.
        let short = try #require(try analyze(patient("step-short", [sertraline(days: 10, [.inadequate]), escitalopram]), ["Trintellix"]).option("Trintellix"))
        #expect(short.verdict == .stNotMet)
        #expect(short.rules.first?.criteria.first?.detail.hasPrefix("1 agent met") == true)
    }

    @Test("PA-SGA: aripiprazole [partial, intolerance] after 10 days meets the antipsychotic step")
    func sgaStep() throws {
        let aripiprazole = ChartTrial(drug: "aripiprazole", mgPerDay: 5, start: Fixtures.day("2025-06-01"), end: Fixtures.day("2025-06-10"), outcome: .partial,
                                      outcomes: [.partial, .intolerance], ref: "trials[0]")
        let current = ChartTrial(drug: "sertraline", mgPerDay: 100, start: Fixtures.day("2025-05-01"), outcome: .partial, ref: "trials[1]")
        let rexulti = try #require(try analyze(patient("sga", [aripiprazole, current]), ["Rexulti"]).option("Rexulti"))
        #expect(rexulti.rules.first?.criteria.first { $0.id == "generic-sga" }?.status == .met)
        #expect(rexulti.lookbackExpiries.first { $0.drug == "aripiprazole" }?.basis == .intolerance)
    }

    @Test("TMS: intolerance of a class counts per class even when the response outcome is recorded too")
    func intolerancePerClass() throws {
        // 20 days of sertraline: too short for ADQ-TRD, but the recorded intolerance counts for SSRIs.
        let tms = try #require(try analyze(patient("tms", [sertraline(days: 20, [.inadequate, .intolerance]), venlafaxine]), ["TMS"]).option("TMS"))
        let criterion = try #require(tms.rules.first?.criteria.first { $0.id == "trd-trials" })
        #expect(criterion.status == .met)
        #expect(criterion.evidence.contains { $0.drug == "sertraline" && $0.counts && $0.detail.contains("documented intolerance counts for its class") })
        // Without the intolerance record, 20 days count for nothing.
        let plain = try #require(try analyze(patient("tms-plain", [sertraline(days: 20, [.inadequate]), venlafaxine]), ["TMS"]).option("TMS"))
        #expect(plain.rules.first?.criteria.first { $0.id == "trd-trials" }?.status == .unmet)
    }

    @Test("the trial table reads the response outcome and counts the trial for ADQ-TRD")
    func trialTable() throws {
        let plan = try analyze(patient("table", [sertraline(days: 60, [.inadequate, .intolerance])]), ["Spravato"])
        let row = try #require(plan.trials.first { $0.drug == "sertraline" })
        #expect(row.documentedOutcome == "inadequate")
        #expect(row.adequacy["ADQ-TRD"]?.hasPrefix("counts: 60 days") == true)
    }
}
