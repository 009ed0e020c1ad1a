import Foundation
import Testing
import FormularyAnalysis
import FormularyCriteria
import FormularyModel
import FormularyWatch

@Suite("verdict flips")
struct VerdictFlipTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A real analysis of the bundled S1 profile (no formulary data: criteria lines only).
    static func analysis() throws -> AnalysisResult {
        let reference = try DrugReferenceLoader.load(directory: root.appendingPathComponent("Formularies/reference").path)
        let criteria = try CriteriaLoader(reference: reference).loadDirectory(root.appendingPathComponent("Formularies/criteria").path)
        let profile = try PatientLoader.load(path: root.appendingPathComponent("Formularies/patients/s1-baseline.yaml").path, reference: reference)
        let request = AnalysisRequest(patient: profile, plans: profile.plans, asOf: try #require(Day("2025-03-20")))
        return try TRDAnalyzer(reference: reference, criteria: criteria).analyze(request, coverage: InMemoryCoverageProvider(plans: [], lines: []))
    }

    @Test("the same analysis twice flips nothing")
    func unchanged() throws {
        let result = try Self.analysis()
        #expect(VerdictFlip.compare(before: result, after: result).isEmpty)
    }

    @Test("a verdict change, a removed option, a longer path and a lookback expiring within 30 days are each reported")
    func flips() throws {
        let before = try Self.analysis()
        var after = before
        var options = try #require(after.plans.first).options
        try #require(options.count >= 3)
        let changed = options[0]
        options[0].verdict = changed.verdict == .paNotMet ? .coveredPAMet : .paNotMet
        let removed = options.remove(at: 1)
        if var path = options[1].remaining {
            path.stepCount += 1
            options[1].remaining = path
        }
        let expiry = #"{"ruleId": "ST-2G", "criterionId": "c1", "drug": "sertraline", "coverageEnd": "2024-04-30", "expiresOn": "\#(after.asOf + 10)"}"#
        options[1].lookbackExpiries.append(try JSONDecoder().decode(LookbackExpiry.self, from: Data(expiry.utf8)))
        after.plans[0].options = options
        let flips = VerdictFlip.compare(before: before, after: after)
        let kinds = Set(flips.map(\.kind))
        #expect(kinds.contains(.verdictChanged))
        #expect(flips.contains { $0.kind == .optionRemoved && $0.option == removed.name })
        #expect(kinds.contains(.lookbackExpiring))
        if before.plans[0].options[2].remaining != nil { #expect(kinds.contains(.newStep)) }
        #expect(flips.first { $0.kind == .verdictChanged }?.before == changed.verdict.rawValue)
    }

    @Test("alert Markdown escapes names that came from files")
    func escaping() throws {
        let alert = WatchAlert(patient: "P<1>", asOf: try #require(Day("2025-07-01")), generatedAt: Date(timeIntervalSince1970: 0),
                               flips: [VerdictFlip(kind: .verdictChanged, plan: "[x](http://evil)", option: "<script>alert(1)</script>",
                                                   before: "PA_NOT_MET", after: "COVERED_PA_MET", detail: "*bold*")],
                               causes: ["# heading"])
        let text = alert.markdown
        #expect(!text.contains("<script>"))
        #expect(!text.contains("[x](http://evil)"))
        #expect(text.contains("\\*bold\\*"))
        #expect(text.contains("- \\# heading"))
    }
}
