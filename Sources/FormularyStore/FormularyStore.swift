import Foundation
import GRDB
import FormularyModel

/// The embedded formulary database: snapshots of imported sources and the queries over them.
///
/// Owns one GRDB `DatabasePool` in WAL mode, so readers keep answering from a consistent
/// snapshot while an import writes. Every import runs in one transaction: it lands whole or
/// not at all, and the previous snapshot stays queryable.
public final class FormularyStore: Sendable {
    /// The environment variable that overrides the default database path.
    public static let environmentVariable = "FORMULARY_DB"

    let pool: DatabasePool
    public let path: String
    /// Drug sets the coverage reader resolved, by drug generation and request (see `CoverageReader`).
    let drugSets = DrugSetCache()
    /// Each plan's coverage answers, by generation (`coverageCacheCapacity`; nil: off).
    let coverageCache: CoverageCache?

    /// The page size of databases this store creates. Measured on the 1.5M-row Part D import
    /// (interleaved runs): 4 KiB 2.87 s, 8 KiB 2.75 s, 16 KiB 2.62 s, 32 KiB 2.49 s; on the QHP
    /// import 3.95 s at 4 KiB, 3.8–3.9 s at 16 KiB and no better at 32 KiB. 16 KiB takes most of the
    /// gain (fewer pages to split, balance and log to the WAL) without making every point lookup of
    /// the analyzer read 32 KiB pages. Existing databases keep the size they were made with.
    static let newDatabasePageSize = 16384

    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    ///
    /// - Parameter coverageCacheCapacity: for a long-running process (the web app): remember the
    ///   coverage answers of up to this many plans (each plan's formulary lines for the drugs
    ///   asked), until an import or a prune changes the data (every such write bumps the
    ///   generation the answers are keyed on, checked in the same read). 0, the default: read
    ///   every time.
    public init(path: String, coverageCacheCapacity: Int = 0) throws {
        self.path = path
        coverageCache = coverageCacheCapacity > 0 ? CoverageCache(capacity: coverageCacheCapacity) : nil
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        let isNew = !FileManager.default.fileExists(atPath: path)
        do {
            if !FileManager.default.fileExists(atPath: directory.path) {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            }
            if isNew {
                // The database will hold saved patient profiles (the watchlist): readable by its owner
                // only. SQLite gives its -wal and -shm files the database file's permissions.
                guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                    throw StoreError.cannotOpen(path: path, reason: "cannot create the file")
                }
            }
            var configuration = Configuration()
            configuration.foreignKeysEnabled = true
            configuration.busyMode = .timeout(10)
            let pageSize = isNew ? Self.newDatabasePageSize : nil
            configuration.prepareDatabase { db in
                // Only a new, empty file takes it, before the pool turns WAL on (which fixes the page size).
                if let pageSize { try db.execute(sql: "PRAGMA page_size = \(pageSize)") }
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
            }
            pool = try DatabasePool(path: path, configuration: configuration)
            try StoreMigrations.migrator.migrate(pool)
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            if let damaged = Self.damage(in: error, path: path) { throw damaged }
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
        } catch {
            throw StoreError.cannotOpen(path: path, reason: error.localizedDescription)
        }
    }

    /// The database path used when neither `--db` nor `FORMULARY_DB` names one:
    /// `$XDG_DATA_HOME/formulary/formulary.sqlite`, else `~/.local/share/formulary/formulary.sqlite`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let explicit = environment[environmentVariable], !explicit.isEmpty { return explicit }
        let base: String
        if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            base = xdg
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            base = (home as NSString).appendingPathComponent(".local/share")
        }
        return ((base as NSString).appendingPathComponent("formulary") as NSString).appendingPathComponent("formulary.sqlite")
    }

    /// Imports one snapshot atomically under `sourceName`, with the content check and the shrink
    /// guard (`ImportPolicy`'s defaults).
    public func importSnapshot(
        sourceName: String, format: SourceFormat, importedAt: Date = Date(),
        body: (any ImportSink) throws -> ImportOutcome
    ) throws -> SnapshotInfo {
        try importSnapshot(format: format, policy: ImportPolicy(sourceName: sourceName), importedAt: importedAt, body: body).snapshot
    }

    /// What an import made current, and which snapshot it replaced as its source's current one.
    public struct ImportedSnapshot: Sendable {
        public var snapshot: SnapshotInfo
        /// The snapshot of the same source that was current before (nil: a new source).
        public var replaces: SnapshotInfo?
    }

    /// Imports one snapshot atomically. `body` streams rows into the sink it is given; if it or
    /// the store throws, the transaction rolls back and nothing of this import is visible. Before
    /// it commits, the import must hold content of its format, gets its source's name (given, or
    /// derived from the content), and may not shrink the source's previous snapshot by more than
    /// the policy allows: otherwise it rolls back and the previous snapshot stays current.
    public func importSnapshot(
        format: SourceFormat, policy: ImportPolicy, importedAt: Date = Date(),
        body: (any ImportSink) throws -> ImportOutcome
    ) throws -> ImportedSnapshot {
        let (snapshotID, replaces): (Int64, Int64?) = try pool.write { db in
            try db.execute(sql: "PRAGMA cache_size = -32768")
            // The name is settled at the end, from the content when the policy gives none.
            try db.execute(
                sql: "INSERT INTO snapshot (source_name, format, imported_at) VALUES (?, ?, ?)",
                arguments: [policy.sourceName ?? "(importing)", format.rawValue, StoreDates.format(importedAt)])
            let snapshotID = db.lastInsertedRowID
            let writer = try SnapshotWriter(db: db, snapshotID: snapshotID, replacesConcepts: format == .drugReference || format == .rxnorm)
            // The importer parses on a thread of its own while this one writes (`PipelinedImport`).
            let outcome = try PipelinedImport.run(body, into: writer)
            try writer.finish()
            let settled = try policy.settle(db, snapshotID: snapshotID, format: format, writer: writer, outcome: outcome)
            try StoreMigrations.bumpDrugGeneration(db)
            try db.execute(
                sql: "UPDATE snapshot SET contract_year = ?, counts_json = ?, warnings_json = ? WHERE id = ?",
                arguments: [outcome.contractYear, StoreJSON.encode(outcome.counts), StoreJSON.encode(outcome.warnings), snapshotID])
            return (snapshotID, settled.replaces)
        }
        // Fold the import's WAL pages back into the database now, not at some later reader's expense.
        _ = try? pool.writeWithoutTransaction { db in try db.checkpoint(.passive) }
        return ImportedSnapshot(snapshot: try snapshot(id: snapshotID), replaces: try replaces.map { try snapshot(id: $0) })
    }
}

/// Dates as ISO 8601 text with seconds, in UTC: sortable and readable in `sqlite3`.
enum StoreDates {
    static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    static func parse(_ text: String) -> Date {
        (try? Date(text, strategy: .iso8601)) ?? Date(timeIntervalSince1970: 0)
    }
}

/// Small JSON columns (counts, warnings).
enum StoreJSON {
    static func encode<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(value)).flatMap { String(data: $0, encoding: .utf8) } ?? "null"
    }

    static func decode<T: Decodable>(_ type: T.Type, from text: String?) -> T? {
        guard let data = text?.data(using: .utf8) else { return nil }
        return try? JSONDecoder().decode(type, from: data)
    }
}
