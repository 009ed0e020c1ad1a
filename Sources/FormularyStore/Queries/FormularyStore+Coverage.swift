import Foundation
import GRDB
import FormularyModel

extension FormularyStore: CoverageProvider {
    public func planListing(_ plan: PlanID) throws -> PlanListing? {
        try pool.read { db in try CoverageReader(db).currentPlans(plan).first?.listing }
    }

    public func coverage(plan: PlanID, drugs: [RxCUI]) throws -> [CoverageLine] {
        try coverage(plans: [plan], drugs: drugs).first?.lines ?? []
    }

    /// Every plan from one read: one consistent snapshot, and the drug ids resolved once.
    public func coverage(plans: [PlanID], drugs: [RxCUI]) throws -> [PlanCoverage] {
        try pool.read { db in
            let reader = CoverageReader(db)
            let drugIDs = try reader.drugIDs(rxcuis: drugs)
            return try plans.map { plan in
                guard let row = try reader.currentPlans(plan).first else { return PlanCoverage(plan: plan, listing: nil, lines: []) }
                return PlanCoverage(plan: plan, listing: row.listing, lines: try reader.lines(for: row, drugIDs: drugIDs))
            }
        }
    }
}
