import ArgumentParser
import Foundation
import FormularyApp
import FormularyCriteria
import FormularyStore

/// Where the criteria and the drug reference come from, shared by every command that analyzes.
/// Without --criteria/--reference they resolve as `DataLocations` documents: the environment,
/// the user's folders, then the copies bundled with the program.
struct AnalysisInputOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The criteria folder or file (default: $FORMULARY_CRITERIA, ~/.config/formulary/criteria, else the bundled criteria).", valueName: "path"))
    var criteria: String?

    @Option(help: ArgumentHelp("The drug reference folder (default: $FORMULARY_REFERENCE, ~/.config/formulary/reference, else the bundled reference).", valueName: "path"))
    var reference: String?

    @Option(name: .customLong("criteria-version"), help: ArgumentHelp("Pin a criteria version by id (e.g. A-2025-01).", valueName: "id"))
    var criteriaVersion: String?

    @Flag(name: .long, help: "Say on stderr which criteria, drug reference and database are used, and why.")
    var verbose = false

    var choice: DocumentChoice {
        DocumentChoice(criteria: criteria, reference: reference, criteriaVersion: criteriaVersion)
    }

    /// Loads the documents in force, saying where they came from when --verbose.
    func documents(locations: DataLocations = DataLocations()) throws -> AnalysisDocuments {
        let documents = try AnalysisDocuments.load(choice, locations: locations)
        if verbose { documents.provenance.forEach(Terminal.note) }
        return documents
    }

    /// The analysis service over the documents and an existing database.
    func service(_ store: StoreOptions) throws -> AnalysisService {
        let documents = try documents()
        let database = try store.openExisting()
        if verbose { Terminal.note("database: \(database.path)") }
        return AnalysisService(documents: documents, store: database)
    }
}

/// `--as-of` parsing shared by the analysis commands.
enum AsOf {
    static func parse(_ text: String?) throws -> Day? {
        guard let text else { return nil }
        guard let day = Day(text) else { throw ValidationError("--as-of must be a date YYYY-MM-DD, got \(text)") }
        return day
    }
}
