import Foundation
import GRDB
import FormularyModel

extension FormularyStore {
    /// Plans in the current snapshots, optionally filtered by text (id, name, organization, state)
    /// and contract year, ordered by id.
    public func plans(search: String? = nil, year: Int? = nil) throws -> [PlanListing] {
        var conditions = ["p.snapshot_id IN (\(Self.currentSnapshotIDs))"]
        var arguments: StatementArguments = []
        if let search, !search.isEmpty {
            conditions.append("""
                (p.external_id LIKE ? ESCAPE '\\' OR p.name LIKE ? ESCAPE '\\' OR p.organization_name LIKE ? ESCAPE '\\'
                 OR f.external_id LIKE ? ESCAPE '\\' OR (',' || p.states || ',') LIKE ? ESCAPE '\\')
                """)
            let pattern = "%" + Self.escapeLike(search) + "%"
            arguments += [pattern, pattern, pattern, pattern, "%," + Self.escapeLike(search.uppercased()) + ",%"]
        }
        if let year {
            conditions.append("coalesce(p.year, f.contract_year, s.contract_year) = ?")
            arguments += [year]
        }
        return try pool.read { db in
            try Row.fetchAll(db, sql: Self.planSelect + " WHERE " + conditions.joined(separator: " AND ") + " ORDER BY p.external_id, s.id DESC",
                             arguments: arguments).map(Self.planListing)
        }
    }

    /// The plan with this id in the current snapshots (the newest, if several sources list it).
    public func plan(_ id: PlanID) throws -> PlanListing {
        guard let listing = try planListing(id) else { throw StoreError.planNotFound(id.rawValue) }
        return listing
    }

    static let planSelect = """
        SELECT p.id AS plan_row, p.formulary_id AS formulary_row, p.external_id, p.name, p.organization_name, p.market,
               p.year, p.premium_monthly, p.drug_deductible, p.states, p.snp_type,
               f.external_id AS formulary_external_id, f.version AS formulary_version, f.name AS formulary_name,
               f.contract_year AS formulary_year,
               s.id AS s_id, s.source_name AS s_source_name, s.format AS s_format, s.imported_at AS s_imported_at
        FROM plan p JOIN formulary f ON f.id = p.formulary_id JOIN snapshot s ON s.id = p.snapshot_id
        """

    static func currentPlanRows(_ db: Database, id: PlanID) throws -> [Row] {
        try Row.fetchAll(
            db, sql: planSelect + " WHERE p.external_id = ? AND p.snapshot_id IN (\(currentSnapshotIDs)) ORDER BY s.id DESC",
            arguments: [id.rawValue])
    }

    static func planListing(_ row: Row) -> PlanListing {
        let formulary = Formulary(
            id: FormularyID(row["formulary_external_id"]), version: row["formulary_version"],
            name: row["formulary_name"], contractYear: row["formulary_year"])
        let states: String = row["states"]
        let plan = Plan(
            id: PlanID(row["external_id"]), name: row["name"], organizationName: row["organization_name"],
            market: Market(rawValue: row["market"]) ?? .other, formulary: formulary.id, year: row["year"],
            premiumMonthly: (row["premium_monthly"] as String?).flatMap { Decimal(string: $0) },
            drugDeductible: (row["drug_deductible"] as String?).flatMap { Decimal(string: $0) },
            states: states.isEmpty ? [] : states.split(separator: ",").map(String.init), snpType: row["snp_type"])
        return PlanListing(plan: plan, formulary: formulary, snapshot: snapshotRef(row, prefix: "s_"))
    }

    static func escapeLike(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}

extension FormularyStore {
    /// The ids of the plans one snapshot holds.
    public func planIDs(snapshot: Int64) throws -> [PlanID] {
        try pool.read { db in
            try String.fetchAll(db, sql: "SELECT external_id FROM plan WHERE snapshot_id = ? ORDER BY external_id", arguments: [snapshot]).map { PlanID($0) }
        }
    }
}
