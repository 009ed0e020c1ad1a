/// Where the analysis reads formulary facts. The store implements it over SQLite; tests use an
/// in-memory one. The analysis depends on this protocol, never on SQL.
public protocol CoverageProvider: Sendable {
    /// The plan with this id in the current data, or `nil` when there is none.
    func planListing(_ plan: PlanID) throws -> PlanListing?
    /// The formulary lines (formulary-scoped and plan-scoped) under `plan` for any of `drugs`.
    func coverage(plan: PlanID, drugs: [RxCUI]) throws -> [CoverageLine]
    /// Each plan's listing and its lines for any of `drugs`, in the order asked. A database
    /// answers every plan from one read (one consistent snapshot); the default asks plan by plan.
    func coverage(plans: [PlanID], drugs: [RxCUI]) throws -> [PlanCoverage]
}

extension CoverageProvider {
    public func coverage(plans: [PlanID], drugs: [RxCUI]) throws -> [PlanCoverage] {
        try plans.map { plan in
            guard let listing = try planListing(plan) else { return PlanCoverage(plan: plan, listing: nil, lines: []) }
            return PlanCoverage(plan: plan, listing: listing, lines: try coverage(plan: plan, drugs: drugs))
        }
    }
}

/// One plan's answer to `CoverageProvider.coverage(plans:drugs:)`.
public struct PlanCoverage: Sendable {
    public var plan: PlanID
    /// `nil` when the current data has no such plan.
    public var listing: PlanListing?
    public var lines: [CoverageLine]

    public init(plan: PlanID, listing: PlanListing?, lines: [CoverageLine]) {
        self.plan = plan
        self.listing = listing
        self.lines = lines
    }
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
        try coverage(plans: [plan], drugs: drugs).first?.lines ?? []
    }

    public func coverage(plans: [PlanID], drugs: [RxCUI]) throws -> [PlanCoverage] {
        let wanted = Set(drugs)
        return plans.map { plan in
            let all = lines[plan] ?? []
            var found: [CoverageLine] = []
            for index in all.indices where all[index].entry.drug.rxcui.map(wanted.contains) ?? false { found.append(all[index]) }
            return PlanCoverage(plan: plan, listing: self.plans[plan], lines: found)
        }
    }
}
