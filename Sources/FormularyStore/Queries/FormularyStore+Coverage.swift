import Foundation
import GRDB
import FormularyModel

extension FormularyStore: CoverageProvider {
    public func planListing(_ plan: PlanID) throws -> PlanListing? {
        try pool.read { db in try Self.currentPlanRows(db, id: plan) }.first.map(Self.planListing)
    }

    public func coverage(plan: PlanID, drugs: [RxCUI]) throws -> [CoverageLine] {
        guard !drugs.isEmpty else { return [] }
        return try pool.read { db in
            let planRows = try Self.currentPlanRows(db, id: plan)
            guard let planRow = planRows.first else { return [] }
            let placeholders = Array(repeating: "?", count: drugs.count).joined(separator: ",")
            let drugIDs = try Int64.fetchAll(
                db, sql: "SELECT id FROM drug WHERE rxcui IN (\(placeholders))",
                arguments: StatementArguments(drugs.map(\.rawValue)))
            guard !drugIDs.isEmpty else { return [] }
            return try Self.coverageLines(db, planRow: planRow, drugIDs: drugIDs)
        }
    }
}
