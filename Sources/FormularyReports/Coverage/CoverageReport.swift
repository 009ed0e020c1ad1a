import FormularyAnalysis

/// The coverage report, for a person with TRD and their advocate: under one plan, the next
/// options ranked, what each needs, what is already met and what remains with the earliest
/// date, safety in plain words, questions to ask, how to ask for an exception, and a glossary.
///
/// ```swift
/// let report = try CoverageReport(analysis: result, plan: "99990AZ0010001", appeals: appeals, metadata: metadata)
/// let html = try report.render(.html)
/// ```
public struct CoverageReport: RenderableReport {
    public let kind = ReportKind.coverage
    public let metadata: ReportMetadata
    public let analysis: AnalysisResult
    public let plan: PlanResult
    /// The exception and appeal routes (`appeals.yaml` of the reference folder in force).
    public let appeals: AppealReference

    /// `plan` nil = the analysis's first plan.
    public init(analysis: AnalysisResult, plan planID: String? = nil, appeals: AppealReference, metadata: ReportMetadata) throws {
        try AnalysisLookup.checkSchema(analysis)
        self.analysis = analysis
        self.plan = try AnalysisLookup.plan(planID, in: analysis)
        self.appeals = appeals
        self.metadata = metadata
    }

    public var scope: ReportScope { ReportScope(plans: [plan.planID]) }

    public func render(_ format: ReportFormat) throws -> String {
        var scoped = analysis
        scoped.plans = [plan]
        return try ReportOutput.render(format, document: document, kind: kind, metadata: metadata, scope: scope, analysis: scoped)
    }
}
