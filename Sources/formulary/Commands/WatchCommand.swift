import ArgumentParser
import Crypto
import Foundation
import FormularyApp
import FormularyCriteria
import FormularyModel
import FormularyRecords
import FormularyStore
import FormularyWatch

/// `formulary watch`: the patients whose coverage a refresh keeps an eye on.
struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Save patients to a watchlist; a refresh re-analyzes them and writes alerts when a verdict flips.",
        discussion: """
            Profiles are stored in the database (mode 0600), never logged; alerts name the patient by a label (the profile's id, or a hash of the file), never by name.

            A flip is recorded in the database as a pending alert in the same transaction that saves the new analysis, then delivered: Markdown and JSON files in the alerts folder (--alerts, else the sources manifest's `alerts:` for refresh, else $XDG_STATE_HOME/formulary/alerts, i.e. ~/.local/state/formulary/alerts) and, with --notify-command, the alert's JSON on that command's stdin. A failed delivery keeps the alert pending, exits 73, and the next check or refresh delivers it, once.
            """,
        subcommands: [Add.self, List.self, Remove.self, Check.self, Alerts.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Save a patient profile to the watchlist.",
            discussion: """
                Examples:
                  formulary watch add --patient Formularies/patients/s1-baseline.yaml
                  formulary watch add --patient Formularies/patients/s4-rexulti.yaml \\
                      --plan 99990AZ0010001 --label clinic-17
                """)

        @Option(help: ArgumentHelp("The patient profile (YAML or JSON), or patient records (FHIR, a monitoring log, a folder of them), stored as the profile they import to.", valueName: "file"))
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
                let isRecords = PatientRecordsService.holdsRecords(path: patient)
                var fileName = url.lastPathComponent
                var text = isRecords ? "" : String(decoding: try Data(contentsOf: url), as: UTF8.self)
                let reference = try inputs.documents().reference
                if isRecords {
                    // Records are stored as the profile they import to: the watchlist re-reads YAML.
                    let records = try PatientRecordsService(reference: reference, store: try store.open()).importForUse(paths: [patient], label: label)
                    text = records.yaml()
                    fileName = "\(records.profile.id).yaml"
                }
                let data = Data(text.utf8)
                // Validate now, so a bad profile fails here and not in a nightly refresh.
                let profile = try PatientLoader.load(text: text, file: fileName, reference: reference)
                let hash = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined().prefix(12)
                let name = label ?? (profile.id.isEmpty ? "p-\(hash)" : profile.id)
                let entry = try store.open().addWatch(label: name, profile: text, fileName: fileName, plans: plan)
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
                let watches = try store.openExisting().watches()
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
                try store.openExisting().removeWatch(key)
                print("Removed \(key) from the watchlist.")
            }
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-analyze every watched patient now, record an alert for each flipped verdict, and deliver pending alerts.",
            discussion: """
                Exit codes: 0 done; 69 a profile could not be analyzed; 73 an alert could not be delivered (it stays pending; the next check or refresh delivers it).

                Examples:
                  formulary watch check
                  formulary watch check --as-of 2025-07-01 --alerts Reports/alerts
                """)

        @Option(name: .customLong("as-of"), help: "The analysis date (YYYY-MM-DD); default today.")
        var asOf: String?

        @OptionGroup var delivery: AlertOptions
        @OptionGroup var inputs: AnalysisInputOptions
        @OptionGroup var store: StoreOptions

        func validate() throws {
            _ = try AsOf.parse(asOf)
        }

        func run() throws {
            try reportingFailures {
                let documents = try inputs.documents()
                let database = try store.openExisting()
                let target = delivery.target()
                let result = try WatchJob(store: database, target: target.target)
                    .run(documents: documents, asOf: try AsOf.parse(asOf) ?? .today, scope: .everyone)
                WatchCommand.printOutcomes(result, quiet: false, alerts: target.resolved)
                if result.deliveryFailed { throw ExitCode(73) }
                if result.checkFailed { throw ExitCode(69) }
            }
        }
    }

    struct Alerts: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List alerts, pending and delivered, newest first (labels only, never names).",
            discussion: """
                Examples:
                  formulary watch alerts
                  formulary watch alerts --pending --json
                """)

        @Flag(help: "Only alerts not yet delivered.")
        var pending = false

        @Option(help: "How many alerts to list.")
        var limit = 50

        @OptionGroup var store: StoreOptions
        @OptionGroup var output: OutputOptions

        func validate() throws {
            guard limit > 0 else { throw ValidationError("--limit must be at least 1") }
        }

        func run() throws {
            try reportingFailures {
                let alerts = try store.openExisting().alerts(limit: limit, pendingOnly: pending)
                if output.json {
                    struct Item: Encodable {
                        var id: Int64; var label: String; var asOf: String; var createdAt: Date; var status: String
                        var deliveredAt: Date?; var folder: String?; var notifiedAt: Date?; var attempts: Int; var lastError: String?
                        var alert: WatchAlert?
                    }
                    try Terminal.printJSON(alerts.map {
                        Item(id: $0.id, label: $0.label, asOf: $0.asOf, createdAt: $0.createdAt, status: $0.isPending ? "pending" : "delivered",
                             deliveredAt: $0.deliveredAt, folder: $0.filesPath, notifiedAt: $0.notifiedAt, attempts: $0.attempts,
                             lastError: $0.lastError, alert: try? WatchAlert.decode($0.payload))
                    })
                    return
                }
                guard !alerts.isEmpty else {
                    print(pending ? "No pending alerts." : "No alerts yet.")
                    return
                }
                print(Terminal.table(["ID", "LABEL", "AS OF", "STATUS", "WHEN", "WHERE / WHY"], alerts.map { alert in
                    let changes = (try? WatchAlert.decode(alert.payload))?.flips.count ?? 0
                    let status = alert.isPending ? "pending" : "delivered"
                    let when = (alert.deliveredAt ?? alert.lastAttemptAt ?? alert.createdAt).formatted(.iso8601)
                    let detail = alert.isPending
                        ? (alert.lastError.map { "\(alert.attempts) attempt\(alert.attempts == 1 ? "" : "s"): \($0)" } ?? "not yet delivered")
                        : "\(changes) change\(changes == 1 ? "" : "s") → \(alert.filesPath.map { (($0 as NSString).appendingPathComponent(AlertDelivery.stem(for: alert) + ".md")) } ?? "")"
                    return [String(alert.id), alert.label, alert.asOf, status, when, detail]
                }))
            }
        }
    }

    /// One line per watched patient (flips and its alert), then one per delivered or failed alert.
    static func printOutcomes(_ result: WatchJob.Result, quiet: Bool, alerts: DataLocations.Resolved) {
        for outcome in result.outcomes {
            if let failure = outcome.failure {
                Swift.print("watch \(outcome.label): failed: \(failure)")
            } else if outcome.flips.isEmpty {
                if !quiet { Swift.print("watch \(outcome.label): no change") }
            } else {
                Swift.print("watch \(outcome.label): \(outcome.flips.count) change\(outcome.flips.count == 1 ? "" : "s"); alert #\(outcome.alertID.map(String.init) ?? "?") recorded")
            }
        }
        for delivered in result.delivery.delivered {
            let files = delivered.files.isEmpty ? "" : " to " + delivered.files.joined(separator: ", ")
            Swift.print("alert #\(delivered.alertID) (\(delivered.label)): delivered\(files)\(delivered.notified ? "; notify command accepted it" : "")")
        }
        for failed in result.delivery.failed {
            Swift.print("alert #\(failed.alertID) (\(failed.label)): NOT delivered, still pending: \(failed.reason)")
            Terminal.error("alert #\(failed.alertID) for \(failed.label) could not be delivered to \(alerts.path): \(failed.reason); it stays pending and the next run delivers it")
        }
    }
}

/// Where alerts are delivered: `--alerts` and `--notify-command`.
struct AlertOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Where alert files are written (default: $XDG_STATE_HOME/formulary/alerts, ~/.local/state/formulary/alerts).", valueName: "dir"))
    var alerts: String?

    @Option(name: .customLong("notify-command"), help: ArgumentHelp("A command (run with /bin/sh -c) that receives each alert's JSON on stdin; a non-zero exit leaves the alert pending.", valueName: "cmd"))
    var notifyCommand: String?

    func target() -> (target: AlertDelivery.Target, resolved: DataLocations.Resolved) {
        let resolved = DataLocations().alerts(commandLine: alerts)
        return (AlertDelivery.Target(directory: URL(fileURLWithPath: resolved.path), notifyCommand: notifyCommand), resolved)
    }
}
