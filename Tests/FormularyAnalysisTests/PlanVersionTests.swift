import Foundation
import Testing
import FormularyAnalysis
import FormularyCriteria
import FormularyModel

/// Several plans or policy versions (issue 13 §4): a profile or request naming two criteria
/// versions of one plan gets one labelled result per version; only exact repeats are merged,
/// and the result says so.
@Suite("Plan versions")
struct PlanVersionTests {
    /// S1's history without a current antidepressant: under A-2025-01 Spravato needs an oral AD
    /// claim covering the as-of date; A-2025-07 dropped that requirement.
    static func profile(plans: [String]) throws -> PatientProfile {
        try PatientLoader.load(text: """
            schema: formulary-patient/1
            id: V1
            asOf: 2025-03-20
            patient: {age: 42, sex: F, state: AZ}
            plans: [\(plans.joined(separator: ", "))]
            diagnoses:
              - {code: F33.2, episodeStart: 2023-12-01}
            scores:
              - {scale: PHQ-9, value: 19, date: 2025-03-10}
            flags: {prescriberSpecialty: psychiatry, remsSite: true, pdmpAttested: true}
            trials:
              - {drug: sertraline, mgPerDay: 150, start: 2024-01-10, end: 2024-04-30, outcome: inadequate}
              - {drug: venlafaxine, mgPerDay: 225, start: 2024-05-10, end: 2024-08-31, outcome: inadequate}
            """, file: "v1.yaml", reference: Fixtures.shared.reference)
    }

    static func analyze(_ profile: PatientProfile, plans: [String] = []) throws -> AnalysisResult {
        try Fixtures.shared.analyzer.analyze(AnalysisRequest(patient: profile, plans: plans, asOf: Fixtures.day("2025-03-20"), options: ["Spravato"]),
                                             coverage: Fixtures.shared.formularyA)
    }

    @Test("plans: [A-2025-01, A-2025-07] gives two labelled results with their own Spravato verdicts")
    func twoVersionsInTheProfile() throws {
        let result = try Self.analyze(try Self.profile(plans: ["A-2025-01", "A-2025-07"]))
        #expect(result.plans.map(\.planID) == ["99990AZ0010001", "99990AZ0010001"])
        #expect(result.plans.map(\.planLabel) == ["99990AZ0010001 (A-2025-01)", "99990AZ0010001 (A-2025-07)"])
        #expect(result.plans.map(\.planKey) == ["99990AZ0010001 (A-2025-01)", "99990AZ0010001 (A-2025-07)"])
        #expect(result.plans.map(\.criteria.policyVersion) == ["A-2025-01", "A-2025-07"])
        #expect(result.plans.allSatisfy { $0.criteria.pinned })
        let early = try #require(result.plans[0].option("Spravato"))
        let late = try #require(result.plans[1].option("Spravato"))
        #expect(early.verdict == .paNotMet)
        #expect(late.verdict == .coveredPAMet)
        let unmet = early.rules.flatMap(\.criteria).filter { $0.status == .unmet }.map(\.id)
        #expect(unmet.count == 1, "only the concurrent-antidepressant criterion stands in the way under A-2025-01: \(unmet)")
        #expect(result.plans.allSatisfy { !$0.notes.contains { $0.contains("analyzed once") } })
    }

    @Test("two --plan versions (the request's plans) override the profile's and are both analyzed")
    func twoVersionsInTheRequest() throws {
        let result = try Self.analyze(try Self.profile(plans: ["99990AZ0010001"]), plans: ["A-2025-07", "A-2025-01"])
        #expect(result.plans.map(\.planLabel) == ["99990AZ0010001 (A-2025-07)", "99990AZ0010001 (A-2025-01)"], "in the order named")
        #expect(result.plans.compactMap { $0.option("Spravato")?.verdict } == [.coveredPAMet, .paNotMet])
    }

    @Test("the plan id and a pinned version of it are two results: the rules in force on the as-of date, and the pinned ones")
    func idAndVersion() throws {
        let result = try Self.analyze(try Self.profile(plans: ["99990AZ0010001", "A-2025-07"]))
        #expect(result.plans.map(\.planLabel) == ["99990AZ0010001", "99990AZ0010001 (A-2025-07)"])
        #expect(result.plans.map(\.criteria.policyVersion) == ["A-2025-01", "A-2025-07"], "2025-03-20 falls in A-2025-01")
        #expect(result.plans.map(\.criteria.pinned) == [false, true])
        #expect(result.plans.compactMap { $0.option("Spravato")?.verdict } == [.paNotMet, .coveredPAMet])
    }

    @Test("exact repeats are merged, and the result's notes say so", arguments: [
        (["A-2025-07", "A-2025-07"], "99990AZ0010001 (A-2025-07) was named 2 times (A-2025-07, A-2025-07): analyzed once"),
        (["99990AZ0010001", "99990az0010001"], nil),
        (["99990AZ0010001", "99990AZ0010001", "99990AZ0010001"], "99990AZ0010001 was named 3 times (99990AZ0010001, 99990AZ0010001, 99990AZ0010001): analyzed once"),
    ])
    func repeats(plans: [String], note: String?) throws {
        let result = try Self.analyze(try Self.profile(plans: plans))
        if let note {
            #expect(result.plans.count == 1)
            #expect(result.plans.first?.notes.contains(note) == true, "\(result.plans.first?.notes ?? [])")
        } else {
            // Plan ids are exact: a differently written id is another plan (not in the data), never dropped.
            #expect(result.plans.map(\.planID) == ["99990AZ0010001", "99990az0010001"])
            #expect(result.plans[1].notes.contains("plan 99990az0010001 is not in the formulary data: pharmacy coverage is unknown until it is imported"))
        }
    }

    @Test("a pinned version for the whole request pins every target; the repeats it creates are merged with a note")
    func requestPin() throws {
        let request = AnalysisRequest(patient: try Self.profile(plans: ["A-2025-01", "A-2025-07"]), asOf: Fixtures.day("2025-03-20"),
                                      options: ["Spravato"], pinnedVersion: "A-2025-07")
        let result = try Fixtures.shared.analyzer.analyze(request, coverage: Fixtures.shared.formularyA)
        #expect(result.plans.map(\.planLabel) == ["99990AZ0010001 (A-2025-07)"])
        #expect(result.plans[0].notes.contains("99990AZ0010001 (A-2025-07) was named 2 times (A-2025-01, A-2025-07): analyzed once"))
    }

    @Test("planLabel is in the JSON contract; an analysis saved without it still decodes and keys by plan and pinned version")
    func json() throws {
        let result = try Self.analyze(try Self.profile(plans: ["A-2025-01", "A-2025-07"]))
        let data = try JSONEncoder().encode(result)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let plans = try #require(object["plans"] as? [[String: Any]])
        #expect(plans.map { $0["planLabel"] as? String } == ["99990AZ0010001 (A-2025-01)", "99990AZ0010001 (A-2025-07)"])
        #expect(plans.allSatisfy { $0["planKey"] == nil }, "planKey is derived, not encoded")

        var old = object
        old["plans"] = plans.map { plan in plan.filter { $0.key != "planLabel" } }
        let decoded = try JSONDecoder().decode(AnalysisResult.self, from: try JSONSerialization.data(withJSONObject: old))
        #expect(decoded.plans.map(\.planLabel) == [nil, nil])
        #expect(decoded.plans.map(\.planKey) == ["99990AZ0010001 (A-2025-01)", "99990AZ0010001 (A-2025-07)"])
    }
}
