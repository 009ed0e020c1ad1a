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
            let statement = try db.makeStatement(sql: CoverageReader.planSelect + " WHERE " + conditions.joined(separator: " AND ")
                                                 + " ORDER BY p.external_id, s.id DESC")
            return try CoverageReader(db).plans(statement, arguments).map(\.listing)
        }
    }

    /// The plan with this id in the current snapshots (the newest, if several sources list it).
    public func plan(_ id: PlanID) throws -> PlanListing {
        guard let listing = try planListing(id) else { throw StoreError.planNotFound(id.rawValue) }
        return listing
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
