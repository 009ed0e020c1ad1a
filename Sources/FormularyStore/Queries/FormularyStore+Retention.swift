import Foundation
import GRDB
import FormularyModel

extension FormularyStore {
    /// Deletes all but the newest `keep` snapshots of `sourceName`, with everything they hold,
    /// in one transaction. Returns the ids deleted. Drugs and NDCs are shared and stay.
    @discardableResult
    public func pruneSnapshots(sourceName: String, keep: Int) throws -> [Int64] {
        precondition(keep >= 1, "keep at least the current snapshot")
        let deleted: [Int64] = try pool.write { db in
            let ids = try Int64.fetchAll(
                db, sql: "SELECT id FROM snapshot WHERE source_name = ? ORDER BY id DESC LIMIT -1 OFFSET ?",
                arguments: [sourceName, keep])
            for id in ids {
                // The entry tables carry no foreign keys (see StoreMigrations), so clear them first.
                try db.execute(sql: "DELETE FROM entry WHERE formulary_id IN (SELECT id FROM formulary WHERE snapshot_id = ?)", arguments: [id])
                try db.execute(sql: "DELETE FROM entry_detail WHERE formulary_id IN (SELECT id FROM formulary WHERE snapshot_id = ?)", arguments: [id])
                try db.execute(sql: "DELETE FROM plan_entry WHERE snapshot_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM snapshot WHERE id = ?", arguments: [id])
            }
            if !ids.isEmpty { try StoreMigrations.bumpDrugGeneration(db) }
            return ids
        }
        if !deleted.isEmpty {
            _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        }
        return deleted
    }
}
