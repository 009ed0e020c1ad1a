import FormularyAnalysis

/// The prior-authorization pre-check sheet, for clinic staff: for one plan and one option, the
/// plan's criteria as a checklist (met, not met, unknown) with the evidence and dates, the
/// documentation still missing, the criteria version and citation, and a draft letter of
/// medical necessity for the prescriber to edit.
///
/// ```swift
/// let sheet = try PreCheckSheet(analysis: result, plan: "99990AZ0010001", option: "Spravato", metadata: metadata)
/// ```
public struct PreCheckSheet: RenderableReport {
    public let kind = ReportKind.precheck
    public let metadata: ReportMetadata
    public let analysis: AnalysisResult
    public let plan: PlanResult
    public let option: OptionResult

    /// `option` matches an option id, name or brand (`esketamine`, `Spravato`).
    public init(analysis: AnalysisResult, plan planID: String?, option: String, metadata: ReportMetadata) throws {
        try AnalysisLookup.checkSchema(analysis)
        self.analysis = analysis
        self.plan = try AnalysisLookup.plan(planID, in: analysis)
        self.option = try AnalysisLookup.option(option, in: plan)
        self.metadata = metadata
    }

    public var scope: ReportScope { ReportScope(plans: [plan.planID], option: option.optionID) }

    public func render(_ format: ReportFormat) throws -> String {
        var scopedPlan = plan
        scopedPlan.options = [option]
        var scoped = analysis
        scoped.plans = [scopedPlan]
        return try ReportOutput.render(format, document: document, kind: kind, metadata: metadata, scope: scope, analysis: scoped)
    }
}
