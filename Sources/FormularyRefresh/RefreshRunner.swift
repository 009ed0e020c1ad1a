import Foundation
import Logging
import FormularyImport
import FormularyModel
import FormularyStore

/// Keeps every source of a manifest current: fetches what changed, imports each changed source
/// atomically as a new snapshot, and keeps the newest `keep` snapshots per source. One failing
/// source never stops the others.
public struct RefreshRunner {
    /// What a refresh does beyond the manifest.
    public struct Options: Sendable {
        /// Snapshots to keep per source (the current one included).
        public var keep: Int
        public var http: HTTPFetcher.Policy
        public var importOptions: ImportOptions

        public init(keep: Int = 4, http: HTTPFetcher.Policy = .init(), importOptions: ImportOptions = .init()) {
            self.keep = keep
            self.http = http
            self.importOptions = importOptions
        }
    }

    /// How one source ended.
    public enum Result: Sendable {
        case unchanged(reason: String)
        case updated(snapshot: SnapshotInfo, seconds: Double, pruned: Int)
        case failed(reason: String)
    }

    /// One source's line in the run's summary.
    public struct Report: Sendable {
        public var source: String
        public var result: Result

        public var failed: Bool {
            if case .failed = result { return true }
            return false
        }

        public var changed: Bool {
            if case .updated = result { return true }
            return false
        }

        /// The one line a person or cron mail reads.
        public var line: String {
            switch result {
            case .unchanged(let reason):
                return "\(source): unchanged (\(reason))"
            case .updated(let snapshot, let seconds, let pruned):
                let rows = snapshot.counts.values.reduce(0, +)
                return "\(source): updated, snapshot \(snapshot.ref.id), \(rows.formatted()) rows in \(String(format: "%.2f", seconds)) s"
                    + (pruned > 0 ? ", \(pruned) old snapshot\(pruned == 1 ? "" : "s") removed" : "")
            case .failed(let reason):
                return "\(source): failed: \(reason)"
            }
        }
    }

    let store: FormularyStore
    let options: Options
    let logger: Logger
    let fetcher: HTTPFetcher

    public init(store: FormularyStore, options: Options = .init(), logger: Logger) {
        self.store = store
        self.options = options
        self.logger = logger
        fetcher = HTTPFetcher(policy: options.http)
    }

    /// The SHA-256 change detection uses for a file or folder (for a folder, over its files'
    /// relative paths and hashes).
    public static func contentHash(of url: URL) throws -> String {
        try ContentHash.of(url)
    }

    /// Runs every source in manifest order and reports each.
    public func run(_ manifest: SourceManifest) -> [Report] {
        manifest.sources.map { source in
            var log = logger
            log[metadataKey: "source"] = .string(source.name)
            let result: Result
            do {
                result = try refresh(source, log: log)
            } catch {
                let reason = (error as? any LocalizedError)?.errorDescription ?? "\(error)"
                log.error("source failed", metadata: ["reason": .string(reason)])
                result = .failed(reason: reason)
            }
            return Report(source: source.name, result: result)
        }
    }

    private func refresh(_ source: SourceManifest.Source, log: Logger) throws -> Result {
        let previous = try store.fetchState(sourceName: source.name)
        let sameLocation = previous?.location == source.location.description
        let workspace = FileManager.default.temporaryDirectory.appendingPathComponent("formulary-refresh-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: workspace, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: workspace) }

        var etag: String?
        var lastModified: String?
        var content: URL
        switch source.location {
        case .file(let url):
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw RefreshError.missingLocation(source: source.name, path: url.path)
            }
            content = url
        case .http(let url):
            log.info("fetching", metadata: ["url": .string(url.absoluteString)])
            let outcome = try fetcher.fetch(
                url, etag: sameLocation ? previous?.etag : nil, lastModified: sameLocation ? previous?.lastModified : nil,
                into: workspace, maxBytes: source.maxBytes
            ) { attempt, reason, delay in
                log.warning("retrying", metadata: ["attempt": .stringConvertible(attempt), "reason": .string(reason), "delay": .stringConvertible(delay)])
            }
            switch outcome {
            case .notModified:
                try record(source, previous: previous, etag: previous?.etag, lastModified: previous?.lastModified, hash: previous?.contentSHA256, snapshot: previous?.snapshotID)
                return .unchanged(reason: "HTTP 304 not modified")
            case .downloaded(let file, let newEtag, let newLastModified, _):
                etag = newEtag
                lastModified = newLastModified
                // Keep the URL's file name: importers recognise Part D tables and zips by name.
                let named = workspace.appendingPathComponent(url.lastPathComponent.isEmpty ? "download" : url.lastPathComponent)
                try FileManager.default.moveItem(at: file, to: named)
                content = named
            }
        }

        if let index = try QHPIndexExpansion.indexDocument(at: content) {
            content = try QHPIndexExpansion.fetchListedFiles(index, base: source.location, into: workspace, fetcher: fetcher, maxBytes: source.maxBytes, log: log)
        }

        let hash = try ContentHash.of(content)
        if let expected = source.sha256, expected != hash {
            throw RefreshError.checksumMismatch(source: source.name, expected: expected, actual: hash)
        }
        if sameLocation, let previous, previous.contentSHA256 == hash,
           let snapshotID = previous.snapshotID, (try? store.snapshot(id: snapshotID)) != nil {
            try record(source, previous: previous, etag: etag ?? previous.etag, lastModified: lastModified ?? previous.lastModified, hash: hash, snapshot: snapshotID)
            return .unchanged(reason: "sha256 \(hash.prefix(12))… as imported in snapshot \(snapshotID)")
        }

        let format = try source.format ?? FormatDetector.detect([content])
        let importer = try FormatDetector.importer(for: format, options: options.importOptions)
        let clock = ContinuousClock()
        let started = clock.now
        log.info("importing", metadata: ["format": .string(format.rawValue)])
        let policy = ImportPolicy(sourceName: source.name, allowShrink: source.allowShrink, inputs: [source.location.description])
        let snapshot = try store.importSnapshot(format: format, policy: policy) { sink in
            try importer.importFiles([content], into: sink, progress: nil)
        }.snapshot
        let elapsed = clock.now - started
        let pruned = try store.pruneSnapshots(sourceName: source.name, keep: options.keep).count
        try record(source, previous: previous, etag: etag, lastModified: lastModified, hash: hash, snapshot: snapshot.ref.id)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        log.info("imported", metadata: ["snapshot": .stringConvertible(snapshot.ref.id), "seconds": .stringConvertible(seconds)])
        return .updated(snapshot: snapshot, seconds: seconds, pruned: pruned)
    }

    private func record(_ source: SourceManifest.Source, previous: FetchState?, etag: String?, lastModified: String?, hash: String?, snapshot: Int64?) throws {
        try store.recordFetchState(FetchState(
            sourceName: source.name, location: source.location.description, etag: etag, lastModified: lastModified,
            contentSHA256: hash, checkedAt: Date(), snapshotID: snapshot))
    }
}
