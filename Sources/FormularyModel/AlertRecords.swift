import Foundation

/// A watchlist alert as the database keeps it: recorded in the same transaction that advances
/// the watch's state (an outbox), then delivered to files and an optional command. An alert whose
/// delivery failed stays pending, and the next run delivers it; each channel at most once.
public struct StoredAlert: Hashable, Sendable {
    public var id: Int64
    /// The watch it belongs to (nil once the watch was removed).
    public var watchID: Int64?
    /// The watch label, never the patient's name.
    public var label: String
    /// The analysis date, `YYYY-MM-DD`.
    public var asOf: String
    public var createdAt: Date
    /// The alert itself as JSON (`WatchAlert`).
    public var payload: String
    /// When the Markdown and JSON files were written, and where.
    public var filesDeliveredAt: Date?
    public var filesPath: String?
    /// When the notify command accepted it.
    public var notifiedAt: Date?
    /// When every channel had it; nil while pending.
    public var deliveredAt: Date?
    public var attempts: Int
    public var lastError: String?
    public var lastAttemptAt: Date?

    public var isPending: Bool { deliveredAt == nil }

    public init(id: Int64, watchID: Int64?, label: String, asOf: String, createdAt: Date, payload: String,
                filesDeliveredAt: Date? = nil, filesPath: String? = nil, notifiedAt: Date? = nil, deliveredAt: Date? = nil,
                attempts: Int = 0, lastError: String? = nil, lastAttemptAt: Date? = nil) {
        self.id = id
        self.watchID = watchID
        self.label = label
        self.asOf = asOf
        self.createdAt = createdAt
        self.payload = payload
        self.filesDeliveredAt = filesDeliveredAt
        self.filesPath = filesPath
        self.notifiedAt = notifiedAt
        self.deliveredAt = deliveredAt
        self.attempts = attempts
        self.lastError = lastError
        self.lastAttemptAt = lastAttemptAt
    }
}

/// One run of `formulary refresh`, as recorded for `formulary refresh --history`: the record is
/// how a person checks that cron ran.
public struct RefreshRunRecord: Hashable, Sendable, Codable {
    /// How one source of the run ended.
    public struct SourceOutcome: Hashable, Sendable, Codable {
        public enum Status: String, Sendable, Codable { case unchanged, updated, failed }
        public var source: String
        public var status: Status
        public var detail: String
        public var snapshotID: Int64?

        public init(source: String, status: Status, detail: String, snapshotID: Int64? = nil) {
            self.source = source
            self.status = status
            self.detail = detail
            self.snapshotID = snapshotID
        }
    }

    public var id: Int64
    public var startedAt: Date
    /// Nil while running, or when the run was killed before it could finish.
    public var finishedAt: Date?
    public var manifest: String
    public var sources: [SourceOutcome]
    /// Watched patients re-analyzed, alerts recorded by this run, and alerts still pending at its end.
    public var patientsChecked: Int
    public var alertsCreated: Int
    public var alertsPending: Int
    public var exitCode: Int32?
    /// What went wrong with the run as a whole, if anything.
    public var error: String?

    public init(id: Int64, startedAt: Date, finishedAt: Date? = nil, manifest: String, sources: [SourceOutcome] = [],
                patientsChecked: Int = 0, alertsCreated: Int = 0, alertsPending: Int = 0, exitCode: Int32? = nil, error: String? = nil) {
        self.id = id
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.manifest = manifest
        self.sources = sources
        self.patientsChecked = patientsChecked
        self.alertsCreated = alertsCreated
        self.alertsPending = alertsPending
        self.exitCode = exitCode
        self.error = error
    }
}
