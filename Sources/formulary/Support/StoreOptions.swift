import ArgumentParser
import FormularyStore

/// The options every command that opens the database shares.
struct StoreOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The database file.", valueName: "file"))
    var db: String?

    /// The database path in force: `--db`, else `$FORMULARY_DB`, else the per-user default.
    var path: String { db ?? FormularyStore.defaultPath() }

    func open() throws -> FormularyStore {
        try FormularyStore(path: path)
    }
}

/// `--json` for commands whose output a program may read.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false
}
