import ArgumentParser
import Foundation
import FormularyApp
import FormularyStore

/// The options every command that opens the database shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The database file (default: $FORMULARY_DB, else $XDG_DATA_HOME/formulary/formulary.sqlite).", valueName: "file"))
    var db: String?

    /// The database path in force: `--db`, else `$FORMULARY_DB`, else the per-user default.
    var path: String { db ?? FormularyStore.defaultPath() }

    /// Opens the database for a command that writes (import, demo, refresh, watch add),
    /// creating it (mode 0600, in a folder created 0700) when it does not exist.
    func open() throws -> FormularyStore {
        Failure.databasePath.set(path)
        return try FormularyStore(path: path)
    }

    /// Opens the database for a command that only reads: a missing database is an error, never
    /// a new empty one that answers "no such plan".
    func openExisting() throws -> FormularyStore {
        Failure.databasePath.set(path)
        guard FileManager.default.fileExists(atPath: path) else { throw AppError.noDatabase(path: path) }
        return try FormularyStore(path: path)
    }
}

/// `--json` for commands whose output a program may read.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false
}
