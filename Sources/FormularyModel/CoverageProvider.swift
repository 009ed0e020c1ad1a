/// Where the analysis reads formulary facts. The store implements it over SQLite; tests use an
/// in-memory one. The analysis depends on this protocol, never on SQL.
public protocol CoverageProvider: Sendable {
    /// The plan with this id in the current data, or `nil` when there is none.
    func planListing(_ plan: PlanID) throws -> PlanListing?
    /// The formulary lines (formulary-scoped and plan-scoped) under `plan` for any of `drugs`.
    func coverage(plan: PlanID, drugs: [RxCUI]) throws -> [CoverageLine]
}

/// A `CoverageProvider` over values in memory.
public struct InMemoryCoverageProvider: CoverageProvider {
    public var plans: [PlanID: PlanListing]
    public var lines: [PlanID: [CoverageLine]]

    public init(plans: [PlanListing], lines: [CoverageLine]) {
        self.plans = Dictionary(plans.map { ($0.plan.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.lines = Dictionary(grouping: lines, by: { $0.plan.plan.id })
    }

    public func planListing(_ plan: PlanID) throws -> PlanListing? { plans[plan] }

    public func coverage(plan: PlanID, drugs: [RxCUI]) throws -> [CoverageLine] {
        let wanted = Set(drugs)
        return (lines[plan] ?? []).filter { line in line.entry.drug.rxcui.map(wanted.contains) ?? false }
    }
}
