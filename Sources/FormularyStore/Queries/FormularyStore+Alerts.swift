import Foundation
import GRDB
import FormularyModel

extension FormularyStore {
    /// What a watch check found for one patient, to record atomically.
    public struct NewAlert: Sendable {
        public var label: String
        public var asOf: String
        public var payload: String

        public init(label: String, asOf: String, payload: String) {
            self.label = label
            self.asOf = asOf
            self.payload = payload
        }
    }

    /// Advances a watch to its new analysis and, when its verdicts flipped, records the alert as
    /// pending, in one transaction: the flip is never lost between the two. Returns the alert id.
    @discardableResult
    public func recordWatchCheck(id: Int64, analysis: String, at date: Date = Date(), alert: NewAlert?) throws -> Int64? {
        try pool.write { db in
            try db.execute(sql: "UPDATE watch SET last_analysis = ?, last_analyzed_at = ? WHERE id = ?",
                           arguments: [analysis, StoreDates.format(date), id])
            guard db.changesCount == 1 else { throw StoreError.watchNotFound(String(id)) }
            guard let alert else { return nil }
            try db.execute(
                sql: "INSERT INTO alert (watch_id, label, as_of, created_at, payload) VALUES (?, ?, ?, ?, ?)",
                arguments: [id, alert.label, alert.asOf, StoreDates.format(date), alert.payload])
            return db.lastInsertedRowID
        }
    }

    /// Alerts not yet delivered on every channel, oldest first.
    public func pendingAlerts() throws -> [StoredAlert] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alert WHERE delivered_at IS NULL ORDER BY id").map(Self.alert)
        }
    }

    /// The newest alerts, pending or delivered, newest first.
    public func alerts(limit: Int = 50, pendingOnly: Bool = false) throws -> [StoredAlert] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM alert \(pendingOnly ? "WHERE delivered_at IS NULL" : "") ORDER BY id DESC LIMIT ?",
                             arguments: [limit]).map(Self.alert)
        }
    }

    /// The number of alerts still pending.
    public func pendingAlertCount() throws -> Int {
        try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM alert WHERE delivered_at IS NULL") ?? 0 }
    }

    /// Records that an alert's files were written to `path`.
    public func markAlertFilesDelivered(id: Int64, path: String, at date: Date = Date()) throws {
        try updateAlert(id, sql: "files_delivered_at = ?, files_path = ?", [StoreDates.format(date), path])
    }

    /// Records that the notify command accepted an alert.
    public func markAlertNotified(id: Int64, at date: Date = Date()) throws {
        try updateAlert(id, sql: "notified_at = ?", [StoreDates.format(date)])
    }

    /// Records that every channel has an alert: it is no longer pending.
    public func markAlertDelivered(id: Int64, at date: Date = Date()) throws {
        try updateAlert(id, sql: "delivered_at = ?, last_error = NULL, attempts = attempts + 1, last_attempt_at = ?",
                        [StoreDates.format(date), StoreDates.format(date)])
    }

    /// Records a failed delivery attempt; the alert stays pending.
    public func recordAlertFailure(id: Int64, reason: String, at date: Date = Date()) throws {
        try updateAlert(id, sql: "last_error = ?, attempts = attempts + 1, last_attempt_at = ?", [reason, StoreDates.format(date)])
    }

    private func updateAlert(_ id: Int64, sql: String, _ values: [(any DatabaseValueConvertible)?]) throws {
        try pool.write { db in
            try db.execute(sql: "UPDATE alert SET \(sql) WHERE id = ?", arguments: StatementArguments(values + [id]))
        }
    }

    static func alert(_ row: Row) -> StoredAlert {
        StoredAlert(
            id: row["id"], watchID: row["watch_id"], label: row["label"], asOf: row["as_of"],
            createdAt: StoreDates.parse(row["created_at"]), payload: row["payload"],
            filesDeliveredAt: (row["files_delivered_at"] as String?).map(StoreDates.parse), filesPath: row["files_path"],
            notifiedAt: (row["notified_at"] as String?).map(StoreDates.parse),
            deliveredAt: (row["delivered_at"] as String?).map(StoreDates.parse),
            attempts: row["attempts"], lastError: row["last_error"],
            lastAttemptAt: (row["last_attempt_at"] as String?).map(StoreDates.parse))
    }

    // MARK: Refresh runs

    /// Records the start of a refresh run; returns its id. A run killed before `finishRefreshRun`
    /// stays visible, with no end time.
    public func beginRefreshRun(manifest: String, at date: Date = Date()) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: "INSERT INTO refresh_run (started_at, manifest) VALUES (?, ?)",
                           arguments: [StoreDates.format(date), manifest])
            return db.lastInsertedRowID
        }
    }

    /// Records how a refresh run ended.
    public func finishRefreshRun(_ run: RefreshRunRecord, at date: Date = Date()) throws {
        try pool.write { db in
            try db.execute(
                sql: """
                    UPDATE refresh_run SET finished_at = ?, sources_json = ?, patients_checked = ?, alerts_created = ?,
                        alerts_pending = ?, exit_code = ?, error = ? WHERE id = ?
                    """,
                arguments: [StoreDates.format(date), StoreJSON.encode(run.sources), run.patientsChecked, run.alertsCreated,
                            run.alertsPending, run.exitCode, run.error, run.id])
        }
    }

    /// The newest refresh runs, newest first.
    public func refreshRuns(limit: Int = 20) throws -> [RefreshRunRecord] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM refresh_run ORDER BY id DESC LIMIT ?", arguments: [limit]).map { row in
                RefreshRunRecord(
                    id: row["id"], startedAt: StoreDates.parse(row["started_at"]),
                    finishedAt: (row["finished_at"] as String?).map(StoreDates.parse), manifest: row["manifest"],
                    sources: StoreJSON.decode([RefreshRunRecord.SourceOutcome].self, from: row["sources_json"]) ?? [],
                    patientsChecked: row["patients_checked"], alertsCreated: row["alerts_created"],
                    alertsPending: row["alerts_pending"], exitCode: row["exit_code"], error: row["error"])
            }
        }
    }
}
