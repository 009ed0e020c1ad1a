@testable import FormularyReports
import FormularyAnalysis
import Foundation

/// The cost model and appeal routes the program ships (`Formularies/reference`), loaded once:
/// the reports under test read the real data files, never a copy.
enum ShippedReference {
    static let folder = ReportFixtures.directory.deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Formularies/reference")

    static let costModel: CostModel = {
        do { return try CostModel.load(directory: folder.path) } catch { fatalError("Formularies/reference/cost_model.yaml: \(error)") }
    }()

    static let appeals: AppealReference = {
        do { return try AppealReference.load(directory: folder.path) } catch { fatalError("Formularies/reference/appeals.yaml: \(error)") }
    }()
}

extension CoverageReport {
    /// The report with the shipped appeal routes.
    init(analysis: AnalysisResult, plan planID: String? = nil, metadata: ReportMetadata) throws {
        try self.init(analysis: analysis, plan: planID, appeals: ShippedReference.appeals, metadata: metadata)
    }
}

extension PlanComparison {
    /// The comparison with the shipped cost model and appeal routes.
    init(analysis: AnalysisResult, plans planIDs: [String]? = nil, facts: [PlanFacts] = [], metadata: ReportMetadata) throws {
        try self.init(analysis: analysis, plans: planIDs, facts: facts, costModel: ShippedReference.costModel,
                      appeals: ShippedReference.appeals, metadata: metadata)
    }
}

extension AppealGuide {
    /// The guide with the shipped appeal routes.
    init(plan: PlanResult) {
        self.init(plan: plan, reference: ShippedReference.appeals)
    }
}
