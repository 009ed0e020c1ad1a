import FormularyAnalysis
import FormularyCriteria
import FormularyModel
import FormularyReports
import Foundation
import Testing

/// One plan analyzed under two pinned criteria versions (issue 13 §4): reports find each
/// version, compare them side by side with labelled columns, and never show one twice.
@Suite("Reports of one plan under two criteria versions")
struct PlanVersionReportTests {
    let analysis: AnalysisResult
    let metadata: ReportMetadata

    /// S1's history without a current antidepressant under both versions of Formulary A's
    /// criteria (criteria lines only, no formulary data): Spravato is PA_NOT_MET under A-2025-01
    /// (no oral antidepressant claim covering the as-of date) and COVERED_PA_MET under A-2025-07.
    init() throws {
        let root = ReportFixtures.directory.deletingLastPathComponent().deletingLastPathComponent()
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
        analysis = try TRDAnalyzer(reference: reference, criteria: criteria).analyze(request, coverage: InMemoryCoverageProvider(plans: [], lines: []))
        metadata = ReportFixtures.metadata(for: analysis)
    }

    @Test("the analysis holds the plan twice, labelled, with different Spravato verdicts")
    func twoResults() throws {
        #expect(analysis.plans.map(\.planLabel) == ["99990AZ0010001 (A-2025-01)", "99990AZ0010001 (A-2025-07)"])
        #expect(analysis.plans.map { $0.options.first { $0.optionID == "esketamine" }?.verdict } == [.paNotMet, .coveredPAMet])
    }

    @Test("a report finds each version by plan key, label or version id; the bare plan id is ambiguous and says so")
    func lookup() throws {
        for (reference, version) in [("A-2025-07", "A-2025-07"), ("a-2025-01", "A-2025-01"), ("99990AZ0010001 (A-2025-07)", "A-2025-07"),
                                     ("99990az0010001 (a-2025-01)", "A-2025-01")] {
            let report = try CoverageReport(analysis: analysis, plan: reference, metadata: metadata)
            #expect(report.plan.criteria.policyVersion == version, "\(reference)")
        }
        let available = ["99990AZ0010001 (A-2025-01)", "99990AZ0010001 (A-2025-07)"]
        for reference in ["A-2024-01", "99990AZ0010001"] {
            do {
                _ = try CoverageReport(analysis: analysis, plan: reference, metadata: metadata)
                Issue.record("expected planNotFound for \(reference)")
            } catch let error as ReportError {
                #expect(error == .planNotFound(reference, available: available))
                #expect(error.localizedDescription == "the analysis has no plan \"\(reference)\"; it has \(available.joined(separator: ", "))")
            }
        }
        let single = try CoverageReport(analysis: try AnalysisLookupFixture.only(analysis, version: "A-2025-07"), plan: "99990AZ0010001", metadata: metadata)
        #expect(single.plan.planLabel == "99990AZ0010001 (A-2025-07)", "one result of the plan: the plan id finds it")
    }

    @Test("comparing the plan id twice compares the two versions, never one version with itself")
    func compareVersions() throws {
        for references in [[ReportFixtures.commercialPlan, ReportFixtures.commercialPlan], ["A-2025-01", "A-2025-07"]] {
            let comparison = try PlanComparison(analysis: analysis, plans: references, metadata: metadata)
            #expect(comparison.plans.map(\.criteria.policyVersion) == ["A-2025-01", "A-2025-07"], "\(references)")
        }
        let html = try PlanComparison(analysis: analysis, metadata: metadata).render(.html)
        let headers = try HTMLChecks.requireWellFormed(html).all("th").map(\.text)
        #expect(headers.contains("99990AZ0010001, criteria A-2025-01"), "\(headers)")
        #expect(headers.contains("99990AZ0010001, criteria A-2025-07"), "\(headers)")
    }

    @Test("a plan analyzed once keeps its plain header")
    func plainHeader() throws {
        let html = try PlanComparison(analysis: analysis, plans: ["A-2025-07"], metadata: metadata).render(.html)
        let headers = try HTMLChecks.requireWellFormed(html).all("th").map(\.text)
        #expect(headers.contains("99990AZ0010001"), "\(headers)")
        #expect(!headers.contains { $0.contains(", criteria") }, "\(headers)")
    }
}

enum AnalysisLookupFixture {
    /// The analysis with only the result pinned to `version`.
    static func only(_ analysis: AnalysisResult, version: String) throws -> AnalysisResult {
        var copy = analysis
        copy.plans = analysis.plans.filter { $0.criteria.policyVersion == version }
        try #require(copy.plans.count == 1)
        return copy
    }
}
