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

    /// Every plan from one read: one consistent snapshot, and each table read once for all plans.
    public func coverage(plans: [PlanID], drugs: [RxCUI]) throws -> [PlanCoverage] {
        try pool.read { db in
            let reader = CoverageReader(db)
            let drugSet = try reader.drugs(rxcuis: drugs, cache: drugSets)
            let rows = try plans.map { try reader.currentPlans($0).first }
            let found = rows.compactMap { $0 }
            var lines = try reader.lines(for: found, drugs: drugSet).makeIterator()
            return zip(plans, rows).map { plan, row in
                guard let row else { return PlanCoverage(plan: plan, listing: nil, lines: []) }
                return PlanCoverage(plan: plan, listing: row.listing, lines: lines.next() ?? [])
            }
        }
    }
}

extension FormularyStore {
    /// The drug generation cached drug sets are keyed on.
    func drugGeneration() throws -> Int64 {
        try pool.read { db in try CoverageReader(db).drugGeneration() }
    }
}
