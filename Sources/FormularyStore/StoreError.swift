import Foundation
import GRDB
import FormularyModel

/// Why the store could not do what was asked. Messages name the database, plan or row at fault.
public enum StoreError: Error, Sendable {
    static func list(_ inputs: [String]) -> String {
        inputs.isEmpty ? "the inputs" : inputs.count > 3 ? inputs.prefix(3).joined(separator: ", ") + " and \(inputs.count - 3) more" : inputs.joined(separator: ", ")
    }

    /// The database file could not be opened or migrated.
    case cannotOpen(path: String, reason: String)
    /// An import wrote a row SQLite refused (a duplicate key, usually).
    case rejectedRow(what: String, reason: String)
    /// No current snapshot has a plan with this id.
    case planNotFound(String)
    /// No snapshot with this id exists.
    case snapshotNotFound(Int64)
    /// No snapshot of this source exists.
    case sourceNotFound(String)
    /// The snapshot exists but belongs to another source.
    case snapshotNotInSource(Int64, String)
    /// A diff needs two snapshots and the source has only one before `to`.
    case nothingToCompare(String, Int64)
    /// The watchlist has no entry with this id or label.
    case watchNotFound(String)
    /// The watchlist already has an entry with this label.
    case watchExists(String)
    /// The import holds nothing of its format (no plan, formulary or line; no concept): it would
    /// have replaced good data with nothing. `found` says what the inputs held instead.
    case noContent(inputs: [String], format: SourceFormat, found: [String])
    /// No source name was given and none can be derived from the content.
    case sourceNeeded(inputs: [String], reason: String)
    /// The import would drop more than the allowed share of its source's previous snapshot.
    case wouldShrink(ShrinkReport)
    /// The database file is damaged; `detail` is what SQLite's integrity check said.
    case damaged(path: String, detail: String)
}

extension StoreError: LocalizedError {
    public var errorDescription: String? {
        switch self {
        case .cannotOpen(let path, let reason):
            "cannot open the database at \(path): \(reason)"
        case .rejectedRow(let what, let reason):
            "the store refused \(what): \(reason); nothing was imported"
        case .planNotFound(let plan):
            "no plan \(plan) in the current data; `formulary plans --search` lists plans"
        case .snapshotNotFound(let id):
            "no snapshot \(id); `formulary snapshots` lists them"
        case .sourceNotFound(let source):
            "no snapshot of source \(source); `formulary snapshots` lists the sources"
        case .snapshotNotInSource(let id, let source):
            "snapshot \(id) is not a snapshot of source \(source)"
        case .watchNotFound(let key):
            "no watched patient \(key); `formulary watch list` shows them"
        case .watchExists(let label):
            "a watched patient is already labelled \(label); remove it first or choose --label"
        case .nothingToCompare(let source, let id):
            "source \(source) has no snapshot before \(id) to compare with; import it again to have two"
        case .noContent(let inputs, let format, let found):
            "no \(format == .drugReference || format == .rxnorm ? "drug reference" : "formulary") content in \(Self.list(inputs))"
                + " (found: \(found.isEmpty ? "nothing" : found.joined(separator: ", "))); nothing was imported and the current data is unchanged"
        case .sourceNeeded(let inputs, let reason):
            "cannot name the source of \(Self.list(inputs)) from its content: \(reason); name it with --source (the latest snapshot of a source is its current data)"
        case .wouldShrink(let report):
            "refusing the new snapshot of source \(report.source): it would drop "
                + report.losses.map { loss in
                    let percent = Int((Double(loss.before - loss.after) / Double(max(loss.before, 1)) * 100).rounded())
                    return "\(loss.what) from \(loss.before.formatted()) to \(loss.after.formatted()) (−\(percent)%"
                        + (loss.examples.isEmpty ? ")" : "; gone: \(loss.examples.joined(separator: ", "))\(loss.before - loss.after > loss.examples.count ? ", …" : ""))")
                }.joined(separator: "; ")
                + ". Snapshot \(report.previousSnapshot) stays current. If the source really shrank, import with --allow-shrink"
                + " (refresh: `allowShrink: true` on the source)"
        case .damaged(let path, let detail):
            "database \(path) is damaged (integrity check: \(detail)): restore it from a backup or import again into a new file"
        }
    }
}

extension FormularyStore {
    /// An SQLite error from the store in words ("SQLite error 5: database is locked"), or nil when
    /// `error` is not one. Front ends add the database's path.
    public static func describeDatabaseError(_ error: any Error) -> String? {
        guard let error = error as? DatabaseError else { return nil }
        return "SQLite error \(error.resultCode.rawValue): \(error.message ?? "\(error.resultCode)")"
    }

    /// `StoreError.damaged` when `error` says the database file is damaged or is not a database,
    /// with what SQLite's integrity check says about the file; nil otherwise.
    public static func damage(in error: any Error, path: String) -> StoreError? {
        guard let error = error as? DatabaseError,
              error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB else { return nil }
        return .damaged(path: path, detail: integrityDetail(path: path) ?? error.message ?? "\(error.resultCode)")
    }

    /// The first problems `PRAGMA quick_check` reports, read through a separate read-only connection.
    static func integrityDetail(path: String) -> String? {
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let lines = try queue.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check(3)") }
            return lines.joined(separator: "; ")
        } catch let error as DatabaseError {
            return error.message
        } catch {
            return nil
        }
    }
}
