import Foundation
import Logging
import FormularyCriteria
import FormularyModel
import FormularyRefresh
import FormularyStore
import FormularyWatch

/// One `formulary refresh`: takes the lock, refreshes every source of the manifest, re-checks the
/// watchlist when data or documents changed, delivers pending alerts, and records the run (start,
/// end, each source's outcome, alerts) so a person can see that cron ran.
public struct RefreshJob {
    public struct Settings: Sendable {
        public var manifest: String
        public var keep: Int
        public var http: HTTPFetcher.Policy
        /// `--alerts`; nil: the manifest's `alerts:`, else the per-user state folder.
        public var alerts: String?
        /// `--notify-command`; nil: the manifest's `notifyCommand:`, if any.
        public var notifyCommand: String?
        public var documents: DocumentChoice

        public init(manifest: String, keep: Int = 4, http: HTTPFetcher.Policy = .init(), alerts: String? = nil,
                    notifyCommand: String? = nil, documents: DocumentChoice = .init()) {
            self.manifest = manifest
            self.keep = keep
            self.http = http
            self.alerts = alerts
            self.notifyCommand = notifyCommand
            self.documents = documents
        }
    }

    /// How the run ended, in the CLI's terms (each front end maps it).
    public enum Status: Int32, Sendable {
        case success = 0
        /// At least one source, or a watched patient's check, failed.
        case sourceFailed = 69
        /// An alert could not be delivered; it stays pending for the next run.
        case deliveryFailed = 73
        /// Another refresh holds the lock.
        case locked = 75
        /// The manifest is invalid.
        case invalidManifest = 78
    }

    public struct Result: Sendable {
        public var runID: Int64
        public var reports: [RefreshRunner.Report] = []
        public var watch: WatchJob.Result?
        /// Why the watchlist could not be checked at all (the documents did not load).
        public var watchError: String?
        public var alertsDirectory: DataLocations.Resolved?
        public var status: Status = .success
        /// The error that ended the run early (lock, manifest).
        public var error: (any Error)?
    }

    public let store: FormularyStore
    public let settings: Settings
    public let locations: DataLocations
    let logger: Logger

    public init(store: FormularyStore, settings: Settings, locations: DataLocations = DataLocations(), logger: Logger) {
        self.store = store
        self.settings = settings
        self.locations = locations
        self.logger = logger
    }

    /// The key under which the documents' content hash is remembered between runs.
    static let documentsKey = "@documents"

    public func run(now: Date = Date(), asOf: Day = .today) throws -> Result {
        var result = Result(runID: try store.beginRefreshRun(manifest: settings.manifest, at: now))
        do {
            try perform(&result, now: now, asOf: asOf)
        } catch {
            finish(result, thrown: error)
            throw error
        }
        finish(result, thrown: nil)
        return result
    }

    private func perform(_ result: inout Result, now: Date, asOf: Day) throws {
        let lock: RefreshLock
        do {
            lock = try RefreshLock(path: store.path + ".refresh.lock")
        } catch {
            result.status = .locked
            result.error = error
            return
        }
        defer { withExtendedLifetime(lock) {} }
        let manifest: SourceManifest
        do {
            manifest = try SourceManifest.load(from: URL(fileURLWithPath: settings.manifest))
        } catch {
            result.status = .invalidManifest
            result.error = error
            return
        }
        let runner = RefreshRunner(store: store, options: .init(keep: settings.keep, http: settings.http), logger: logger)
        result.reports = runner.run(manifest)

        let alerts = locations.alerts(commandLine: settings.alerts, manifest: manifest.alerts?.path)
        result.alertsDirectory = alerts
        let target = AlertDelivery.Target(directory: URL(fileURLWithPath: alerts.path),
                                          notifyCommand: settings.notifyCommand ?? manifest.notifyCommand)
        let job = WatchJob(store: store, target: target)
        var documents: AnalysisDocuments?
        var scope = WatchChecker.Scope.dataChanged
        var causes: [String] = []
        var documentsHash: String?
        if try !store.watches().isEmpty {
            do {
                let loaded = try AnalysisDocuments.load(settings.documents, locations: locations)
                let hash = try RefreshRunner.contentHash(of: URL(fileURLWithPath: loaded.criteriaLocation.path)) + "+"
                    + RefreshRunner.contentHash(of: URL(fileURLWithPath: loaded.referenceLocation.path))
                if try store.fetchState(sourceName: Self.documentsKey)?.contentSHA256 != hash {
                    scope = .everyone
                    causes.append("the criteria (\(loaded.criteriaLocation.path)) or the drug reference (\(loaded.referenceLocation.path)) changed")
                }
                documents = loaded
                documentsHash = hash
            } catch {
                result.watchError = "the watchlist was not checked: " + ((error as? any LocalizedError)?.errorDescription ?? "\(error)")
                logger.error("watchlist not checked", metadata: ["reason": .string(result.watchError ?? "")])
            }
        }
        let watch = try job.run(documents: documents, asOf: asOf, scope: scope, causes: causes)
        if let documents, let documentsHash {
            try store.recordFetchState(FetchState(sourceName: Self.documentsKey, location: documents.criteriaLocation.path,
                                                  contentSHA256: documentsHash, checkedAt: now))
        }
        result.watch = watch
        logger.info("watchlist checked", metadata: [
            "patients": .stringConvertible(watch.outcomes.count), "alerts": .stringConvertible(watch.alertsCreated),
            "delivered": .stringConvertible(watch.delivery.delivered.count), "undelivered": .stringConvertible(watch.delivery.failed.count),
        ])
        if watch.deliveryFailed {
            result.status = .deliveryFailed
        } else if result.reports.contains(where: \.failed) || watch.checkFailed || result.watchError != nil {
            result.status = .sourceFailed
        }
    }

    private func finish(_ result: Result, thrown: (any Error)?) {
        let sources = result.reports.map { report -> RefreshRunRecord.SourceOutcome in
            switch report.result {
            case .unchanged(let reason): .init(source: report.source, status: .unchanged, detail: reason)
            case .updated(let snapshot, _, _): .init(source: report.source, status: .updated, detail: report.line, snapshotID: snapshot.ref.id)
            case .failed(let reason): .init(source: report.source, status: .failed, detail: reason)
            }
        }
        let error = (thrown ?? result.error).map { ($0 as? any LocalizedError)?.errorDescription ?? "\($0)" } ?? result.watchError
        let record = RefreshRunRecord(
            id: result.runID, startedAt: Date(), manifest: settings.manifest, sources: sources,
            patientsChecked: result.watch?.outcomes.count ?? 0, alertsCreated: result.watch?.alertsCreated ?? 0,
            alertsPending: (try? store.pendingAlertCount()) ?? 0, exitCode: thrown == nil ? result.status.rawValue : nil, error: error)
        do {
            try store.finishRefreshRun(record)
        } catch {
            logger.error("cannot record the refresh run", metadata: ["reason": .string("\(error)")])
        }
    }
}
