import Foundation
import GRDB
import FormularyModel

extension FormularyStore {
    /// What the last refresh saw of `sourceName`, if it ever ran.
    public func fetchState(sourceName: String) throws -> FetchState? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM fetch_state WHERE source_name = ?", arguments: [sourceName]).map { row in
                FetchState(
                    sourceName: row["source_name"], location: row["location"], etag: row["etag"],
                    lastModified: row["last_modified"], contentSHA256: row["content_sha256"],
                    checkedAt: StoreDates.parse(row["checked_at"]), snapshotID: row["snapshot_id"])
            }
        }
    }

    /// Records what a refresh saw of a source, replacing the previous record.
    public func recordFetchState(_ state: FetchState) throws {
        try pool.write { db in
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO fetch_state (source_name, location, etag, last_modified, content_sha256, checked_at, snapshot_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [state.sourceName, state.location, state.etag, state.lastModified, state.contentSHA256,
                            StoreDates.format(state.checkedAt), state.snapshotID])
        }
    }
}
