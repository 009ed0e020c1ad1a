import Foundation
import GRDB

/// Why the store could not do what was asked. Messages name the database, plan or row at fault.
public enum StoreError: Error, Sendable {
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
        }
    }
}

extension FormularyStore {
    /// An SQLite error from the store in words ("SQLite error 11: database disk image is
    /// malformed"), or nil when `error` is not one. Front ends add the database's path.
    public static func describeDatabaseError(_ error: any Error) -> String? {
        guard let error = error as? DatabaseError else { return nil }
        return "SQLite error \(error.resultCode.rawValue): \(error.message ?? "\(error.resultCode)")"
    }
}
