import ArgumentParser
import Foundation
import FormularyApp
import FormularyModel
import FormularyStore

/// `formulary snapshots`: the import history.
struct SnapshotsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshots",
        abstract: "Show the import history; the latest snapshot of each source is current.",
        discussion: """
            Examples:
              formulary snapshots
              formulary snapshots --json
            """
    )

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingFailures {
            let snapshots = try store.openExisting().snapshots()
            if output.json {
                try Terminal.printJSON(snapshots)
                return
            }
            guard !snapshots.isEmpty else {
                print("No snapshots yet; run `formulary import` first.")
                return
            }
            let rows = snapshots.map { info -> [String] in
                let rowCount = info.counts.values.reduce(0, +)
                return [
                    String(info.ref.id), info.ref.sourceName, info.ref.format.rawValue,
                    info.ref.importedAt.formatted(.iso8601), info.contractYear.map(String.init) ?? "",
                    rowCount.formatted(), String(info.files.count), info.isCurrent ? "current" : "",
                ]
            }
            print(Terminal.table(["ID", "SOURCE", "FORMAT", "IMPORTED", "YEAR", "ROWS", "FILES", ""], rows))
        }
    }
}
