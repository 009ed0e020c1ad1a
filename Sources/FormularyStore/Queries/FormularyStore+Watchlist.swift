import Foundation
import GRDB
import FormularyModel

extension FormularyStore {
    /// Saves a profile to the watchlist and returns its entry.
    @discardableResult
    public func addWatch(label: String, profile: String, fileName: String, plans: [String], at date: Date = Date()) throws -> WatchedPatient {
        try pool.write { db in
            if try Int64.fetchOne(db, sql: "SELECT id FROM watch WHERE label = ?", arguments: [label]) != nil {
                throw StoreError.watchExists(label)
            }
            try db.execute(
                sql: "INSERT INTO watch (label, profile, file_name, plans, added_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [label, profile, fileName, plans.joined(separator: ","), StoreDates.format(date)])
            return WatchedPatient(id: db.lastInsertedRowID, label: label, profile: profile, fileName: fileName, plans: plans, addedAt: date)
        }
    }

    /// Every watched patient, oldest first.
    public func watches() throws -> [WatchedPatient] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM watch ORDER BY id").map { row in
                let plans: String = row["plans"]
                return WatchedPatient(
                    id: row["id"], label: row["label"], profile: row["profile"], fileName: row["file_name"],
                    plans: plans.isEmpty ? [] : plans.split(separator: ",").map(String.init),
                    addedAt: StoreDates.parse(row["added_at"]), lastAnalysis: row["last_analysis"],
                    lastAnalyzedAt: (row["last_analyzed_at"] as String?).map(StoreDates.parse))
            }
        }
    }

    /// Removes a watched patient by id or label.
    public func removeWatch(_ key: String) throws {
        try pool.write { db in
            try db.execute(sql: "DELETE FROM watch WHERE label = ? OR CAST(id AS TEXT) = ?", arguments: [key, key])
            if db.changesCount == 0 { throw StoreError.watchNotFound(key) }
        }
    }
}
