import Foundation
import GRDB
import FormularyModel

extension FormularyStore {
    /// SQL for the ids of current snapshots: the latest of each source.
    static let currentSnapshotIDs = "SELECT max(id) FROM snapshot GROUP BY source_name"

    /// The import history, newest first.
    public func snapshots() throws -> [SnapshotInfo] {
        try pool.read { db in
            let current = try Set(Int64.fetchAll(db, sql: Self.currentSnapshotIDs))
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM snapshot ORDER BY id DESC")
            return try rows.map { try Self.snapshotInfo($0, current: current, db: db) }
        }
    }

    /// One snapshot by id.
    public func snapshot(id: Int64) throws -> SnapshotInfo {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM snapshot WHERE id = ?", arguments: [id]) else {
                throw StoreError.snapshotNotFound(id)
            }
            let current = try Set(Int64.fetchAll(db, sql: Self.currentSnapshotIDs))
            return try Self.snapshotInfo(row, current: current, db: db)
        }
    }

    static func snapshotRef(_ row: Row) -> SnapshotRef {
        SnapshotRef(
            id: row["id"],
            sourceName: row["source_name"],
            format: SourceFormat(rawValue: row["format"]) ?? .partD,
            importedAt: StoreDates.parse(row["imported_at"]))
    }

    private static func snapshotInfo(_ row: Row, current: Set<Int64>, db: Database) throws -> SnapshotInfo {
        let ref = snapshotRef(row)
        let files = try Row.fetchAll(
            db, sql: "SELECT name, role, sha256, byte_count FROM source_file WHERE snapshot_id = ? ORDER BY id",
            arguments: [ref.id]
        ).map { file in
            SourceFile(name: file["name"], sha256: file["sha256"] ?? "", byteCount: file["byte_count"] ?? 0, role: file["role"])
        }
        return SnapshotInfo(
            ref: ref,
            contractYear: row["contract_year"],
            files: files,
            counts: StoreJSON.decode([String: Int].self, from: row["counts_json"]) ?? [:],
            warnings: StoreJSON.decode([String].self, from: row["warnings_json"]) ?? [],
            isCurrent: current.contains(ref.id))
    }
}
