import Foundation
import Testing
import FormularyAnalysis
import FormularyCriteria
import FormularyModel
import FormularyWatch

/// One plan under two pinned criteria versions in one analysis: the watchlist compares each
/// version only with itself, also against an analysis saved before results carried a label.
@Suite("verdict flips across criteria versions")
struct PlanVersionFlipTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// S1's history without a current antidepressant, under both versions of Formulary A's criteria:
    /// Spravato is PA_NOT_MET under A-2025-01 (no oral antidepressant claim) and met under A-2025-07.
    static func analysis() throws -> AnalysisResult {
        let reference = try DrugReferenceLoader.load(directory: root.appendingPathComponent("Formularies/reference").path)
        let criteria = try CriteriaLoader(reference: reference).loadDirectory(root.appendingPathComponent("Formularies/criteria").path)
        let profile = try PatientLoader.load(text: """
            schema: formulary-patient/1
            id: V1
            patient: {age: 42, sex: F, state: AZ}
            plans: [A-2025-01, A-2025-07]
            diagnoses:
              - {code: F33.2, episodeStart: 2023-12-01}
            scores:
              - {scale: PHQ-9, value: 19, date: 2025-03-10}
            flags: {prescriberSpecialty: psychiatry, remsSite: true, pdmpAttested: true}
            trials:
              - {drug: sertraline, mgPerDay: 150, start: 2024-01-10, end: 2024-04-30, outcome: inadequate}
              - {drug: venlafaxine, mgPerDay: 225, start: 2024-05-10, end: 2024-08-31, outcome: inadequate}
            """, file: "v1.yaml", reference: reference)
        let request = AnalysisRequest(patient: profile, asOf: try #require(Day("2025-03-20")), options: ["Spravato", "TMS"])
        return try TRDAnalyzer(reference: reference, criteria: criteria).analyze(request, coverage: InMemoryCoverageProvider(plans: [], lines: []))
    }

    @Test("the two versions differ, yet the same analysis twice flips nothing, in either order")
    func noCrossVersionFlips() throws {
        let result = try Self.analysis()
        #expect(result.plans.map(\.planKey) == ["99990AZ0010001 (A-2025-01)", "99990AZ0010001 (A-2025-07)"])
        #expect(result.plans.map { $0.options.first { $0.optionID == "esketamine" }?.verdict } == [.paNotMet, .coveredPAMet])
        #expect(VerdictFlip.compare(before: result, after: result) == [])
        var reordered = result
        reordered.plans.reverse()
        #expect(VerdictFlip.compare(before: result, after: reordered) == [])
    }

    @Test("a flip is reported once, for the version it happened in, named by plan and version")
    func flipNamesTheVersion() throws {
        let before = try Self.analysis()
        var after = before
        let index = try #require(after.plans[1].options.firstIndex { $0.optionID == "esketamine" })
        after.plans[1].options[index].verdict = .paNotMet
        let flips = VerdictFlip.compare(before: before, after: after).filter { $0.kind == .verdictChanged }
        #expect(flips.map(\.plan) == ["99990AZ0010001 (A-2025-07)"])
        #expect(flips.map(\.before) == ["COVERED_PA_MET"])
    }

    @Test("an analysis saved before planLabel existed still matches by plan and pinned version")
    func savedWithoutLabel() throws {
        let result = try Self.analysis()
        var object = try #require(try JSONSerialization.jsonObject(with: JSONEncoder().encode(result)) as? [String: Any])
        object["plans"] = (object["plans"] as? [[String: Any]])?.map { $0.filter { $0.key != "planLabel" } }
        let saved = try JSONDecoder().decode(AnalysisResult.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(saved.plans.allSatisfy { $0.planLabel == nil })
        #expect(VerdictFlip.compare(before: saved, after: result) == [])
    }
}
