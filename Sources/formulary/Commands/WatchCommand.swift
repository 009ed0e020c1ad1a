import ArgumentParser
import Crypto
import Foundation
import FormularyCriteria
import FormularyModel
import FormularyStore
import FormularyWatch

/// `formulary watch`: the patients whose coverage a refresh keeps an eye on.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Save patients to a watchlist; a refresh re-analyzes them and writes alerts when a verdict flips.",
        discussion: """
            Profiles are stored in the database (mode 0600), never logged; alerts name the patient
            by a label (the profile's id, or a hash of the file), never by name.
            """,
        subcommands: [Add.self, List.self, Remove.self, Check.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save a patient profile to the watchlist.",
            discussion: "Example:\n  formulary watch add --patient Formularies/patients/s1.yaml --plan 99990AZ0010001")

        @Option(help: ArgumentHelp("The patient profile (YAML or JSON).", valueName: "file"))
        var patient: String

        @Option(parsing: .upToNextOption, help: "Plans to watch; default: the plans the profile names.")
        var plan: [String] = []

        @Option(help: "A label for the alerts (not the patient's name); default: the profile's id or a hash of the file.")
        var label: String?

        @OptionGroup var inputs: AnalysisInputOptions
        @OptionGroup var store: StoreOptions

        func run() throws {
            try reportingFailures {
                let url = URL(fileURLWithPath: patient)
                let data = try Data(contentsOf: url)
                let text = String(decoding: data, as: UTF8.self)
                // Validate now, so a bad profile fails here and not in a nightly refresh.
                let profile = try PatientLoader.load(text: text, file: url.lastPathComponent, reference: try AnalysisInputs.load(inputs).reference)
                let hash = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined().prefix(12)
                let name = label ?? (profile.id.isEmpty ? "p-\(hash)" : profile.id)
                let entry = try store.open().addWatch(label: name, profile: text, fileName: url.lastPathComponent, plans: plan)
                print("Watching \(entry.label) (#\(entry.id))" + (plan.isEmpty ? "" : " on \(plan.joined(separator: ", "))"))
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List watched patients (labels and plans only).", discussion: "Example:\n  formulary watch list")

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func run() throws {
            try reportingFailures {
                let watches = try store.open().watches()
                if output.json {
                    struct Item: Encodable { var id: Int64; var label: String; var plans: [String]; var addedAt: Date; var lastAnalyzedAt: Date? }
                    try Terminal.printJSON(watches.map { Item(id: $0.id, label: $0.label, plans: $0.plans, addedAt: $0.addedAt, lastAnalyzedAt: $0.lastAnalyzedAt) })
                    return
                }
                guard !watches.isEmpty else {
                    print("No watched patients; `formulary watch add --patient FILE` adds one.")
                    return
                }
                print(Terminal.table(["ID", "LABEL", "PLANS", "ADDED", "LAST CHECKED"], watches.map {
                    [String($0.id), $0.label, $0.plans.isEmpty ? "(from profile)" : $0.plans.joined(separator: ","),
                     $0.addedAt.formatted(.iso8601), $0.lastAnalyzedAt?.formatted(.iso8601) ?? "never"]
                }))
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a watched patient by id or label.", discussion: "Example:\n  formulary watch remove S1")

        @Argument(help: "The id or label.")
        var key: String

        @OptionGroup var store: StoreOptions

        func run() throws {
            try reportingFailures {
                try store.open().removeWatch(key)
                print("Removed \(key) from the watchlist.")
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-analyze every watched patient now and write alerts for flipped verdicts.",
            discussion: "Example:\n  formulary watch check --as-of 2025-07-01 --alerts Reports/alerts")

        @Option(name: .customLong("as-of"), help: "The analysis date (YYYY-MM-DD); default today.")
        var asOf: String?

        @Option(help: ArgumentHelp("Where alerts are written.", valueName: "dir"))
        var alerts = "Reports/alerts"

        @OptionGroup var inputs: AnalysisInputOptions
        @OptionGroup var store: StoreOptions

        func validate() throws {
            if let asOf, Day(asOf) == nil { throw ValidationError("--as-of takes a date as YYYY-MM-DD, not \(asOf)") }
        }

        func run() throws {
            try reportingFailures {
                let loaded = try AnalysisInputs.load(inputs)
                let checker = WatchChecker(store: try store.open(), reference: loaded.reference, criteria: loaded.criteria,
                                           alertsDirectory: URL(fileURLWithPath: alerts))
                let outcomes = try checker.check(asOf: asOf.flatMap { Day($0) } ?? Day.today)
                WatchCommand.printOutcomes(outcomes)
                if outcomes.contains(where: { $0.failure != nil }) { throw ExitCode(69) }
            }
        }
    }

    /// One line per watched patient: flips and alert files, or why it could not be analyzed.
    static func printOutcomes(_ outcomes: [WatchChecker.Outcome]) {
        for outcome in outcomes {
            if let failure = outcome.failure {
                Swift.print("watch \(outcome.label): failed: \(failure)")
            } else if outcome.flips.isEmpty {
                Swift.print("watch \(outcome.label): no change")
            } else {
                Swift.print("watch \(outcome.label): \(outcome.flips.count) change\(outcome.flips.count == 1 ? "" : "s"); alert: "
                    + outcome.files.map(\.path).joined(separator: ", "))
            }
        }
    }
}
