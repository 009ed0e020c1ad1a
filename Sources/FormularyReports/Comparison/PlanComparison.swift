import FormularyAnalysis

/// The plan comparison, for open enrollment: the current regimen and the next options side by
/// side across plans, the regimen's estimated yearly cost under each, the restrictions, and
/// how soon and in how many steps each plan reaches the key TRD options (Spravato, TMS,
/// augmentation).
///
/// ```swift
/// let comparison = try PlanComparison(analysis: result, metadata: metadata)
/// ```
public struct PlanComparison: RenderableReport {
    public let kind = ReportKind.compare
    public let metadata: ReportMetadata
    public let analysis: AnalysisResult
    public let plans: [PlanResult]

    /// How many plans share one table, so the tables fit a printed Letter page.
    public static let plansPerTable = 3

    /// `plans` nil = every plan in the analysis, in its order.
    public init(analysis: AnalysisResult, plans planIDs: [String]? = nil, metadata: ReportMetadata) throws {
        try AnalysisLookup.checkSchema(analysis)
        guard !analysis.plans.isEmpty else { throw ReportError.noPlans }
        self.analysis = analysis
        self.plans = try planIDs.map { try AnalysisLookup.plans($0, in: analysis) } ?? analysis.plans
        self.metadata = metadata
    }

    public var scope: ReportScope { ReportScope(plans: plans.map(\.planID)) }

    public func render(_ format: ReportFormat) throws -> String {
        var scoped = analysis
        scoped.plans = plans
        return try ReportOutput.render(format, document: document, kind: kind, metadata: metadata, scope: scope, analysis: scoped)
    }
}
