import FormularyAnalysis
import Foundation

/// The plan comparison, for open enrollment: the true yearly cost of each plan for the current
/// medicines (premiums, the deductible and phase-aware drug costs, with the yearly
/// out-of-pocket limit), cheapest first, beside how soon and in how many steps each plan reaches
/// the key TRD options (Spravato, TMS, augmentation); estimates for the medical-benefit
/// treatments; the next options side by side; restrictions and appeal routes.
///
/// The analysis does not carry premiums, deductibles or plan years: the caller passes the plan
/// data in as `PlanFacts` (reports never read the database). Without them the comparison still
/// renders, and says what is missing.
///
/// ```swift
/// let comparison = try PlanComparison(analysis: result, facts: facts, metadata: metadata)
/// ```
public struct PlanComparison: RenderableReport {
    public let kind = ReportKind.compare
    public let metadata: ReportMetadata
    public let analysis: AnalysisResult
    public let plans: [PlanResult]
    /// The plan data by plan id.
    public let facts: [String: PlanFacts]
    public let costModel: CostModel
    public let appeals: AppealReference

    /// How many plans share one table, so the tables fit a printed Letter page.
    public static let plansPerTable = 3

    /// `plans` nil = every plan in the analysis, in its order. `facts` holds the plan data of
    /// any of them (premium, deductible, plan year, cost-share rows); `costModel` and `appeals`
    /// are `cost_model.yaml` and `appeals.yaml` of the reference folder in force.
    public init(analysis: AnalysisResult, plans planIDs: [String]? = nil, facts: [PlanFacts] = [], costModel: CostModel,
                appeals: AppealReference, metadata: ReportMetadata) throws {
        try AnalysisLookup.checkSchema(analysis)
        guard !analysis.plans.isEmpty else { throw ReportError.noPlans }
        self.analysis = analysis
        self.plans = try planIDs.map { try AnalysisLookup.plans($0, in: analysis) } ?? analysis.plans
        self.facts = Dictionary(facts.map { ($0.planID, $0) }, uniquingKeysWith: { first, _ in first })
        self.costModel = costModel
        self.appeals = appeals
        self.metadata = metadata
    }

    public var scope: ReportScope { ReportScope(plans: plans.map(\.planID)) }

    public func render(_ format: ReportFormat) throws -> String {
        var scoped = analysis
        scoped.plans = plans
        return try ReportOutput.render(format, document: document, kind: kind, metadata: metadata, scope: scope, analysis: scoped)
    }

    /// Each plan's estimated year, in the order of `plans`.
    var yearlyCosts: [YearlyCost] {
        let regimen = RegimenCost.regimen(analysis)
        return plans.map { YearlyCost(plan: $0, facts: facts[$0.planID], regimen: regimen, model: costModel, asOf: analysis.asOf) }
    }

    /// The estimated yearly total of each plan (premiums + deductible + drug costs, the known
    /// parts), by plan key, for programs and tests.
    public var yearlyTotals: [(plan: String, total: Decimal, upperBound: Decimal?)] {
        zip(plans, yearlyCosts).map { ($0.planKey, $1.total, $1.upperBound) }
    }
}
