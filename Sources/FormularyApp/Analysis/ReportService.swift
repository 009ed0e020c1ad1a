import Foundation
import FormularyAnalysis
import FormularyReports

/// Reports built the same way for every front end: the metadata stamped on them and the three
/// kinds, from an analysis.
public enum ReportService {
    public static func metadata(for analysis: AnalysisResult, generatedAt: Date = Date()) -> ReportMetadata {
        ReportMetadata(generatedAt: generatedAt, asOf: analysis.asOf, toolVersion: FormularyVersion.number, analysisSchemaVersion: analysis.schemaVersion)
    }

    /// `appeals`: the appeal routes of the reference folder in force (`ReportInputs.references`).
    public static func coverage(_ analysis: AnalysisResult, plan: String, appeals: AppealReference) throws -> CoverageReport {
        try CoverageReport(analysis: analysis, plan: plan, appeals: appeals, metadata: metadata(for: analysis))
    }

    public static func precheck(_ analysis: AnalysisResult, plan: String, option: String) throws -> PreCheckSheet {
        try PreCheckSheet(analysis: analysis, plan: plan, option: option, metadata: metadata(for: analysis))
    }

    /// `facts` from `ReportInputs.planFacts`, the cost model and appeal routes from
    /// `ReportInputs.references`.
    public static func comparison(_ analysis: AnalysisResult, plans: [String]?, facts: [PlanFacts],
                                  costModel: CostModel, appeals: AppealReference) throws -> PlanComparison {
        try PlanComparison(analysis: analysis, plans: plans, facts: facts, costModel: costModel, appeals: appeals, metadata: metadata(for: analysis))
    }
}
