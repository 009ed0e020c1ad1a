import ArgumentParser
import Foundation
import FormularyModel
import FormularyStore

/// `formulary diff`: what changed between two snapshots of a source.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two snapshots of a source: drugs, tiers, PA/ST/QL and cost shares.",
        discussion: """
            Without --from and --to, compares the current snapshot with the one before it.

            Examples:
              formulary diff --source partd
              formulary diff --source partd --from 3 --to 7 --drug 1790892 --md
              formulary diff --source partd --json
            """
    )

    @Option(help: "The source name (see `formulary snapshots`).")
    var source: String

    @Option(help: "The older snapshot id.")
    var from: Int64?

    @Option(help: "The newer snapshot id.")
    var to: Int64?

    @Option(parsing: .upToNextOption, help: "Only these RxCUIs.")
    var drug: [String] = []

    @Flag(name: .customLong("md"), help: "Print Markdown.")
    var markdown = false

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if markdown && output.json { throw ValidationError("choose one of --json and --md") }
        for value in drug where !RxCUI.isWellFormed(value) {
            throw ValidationError("--drug takes RxCUIs (1 to 8 digits); \"\(value)\" is not one")
        }
    }

    func run() throws {
        try reportingFailures {
            let diff = try store.open().diff(sourceName: source, from: from, to: to, drugs: drug.map { RxCUI($0) })
            if output.json {
                try Terminal.printJSON(diff)
            } else {
                print(DiffText.render(diff, markdown: markdown))
            }
        }
    }
}

/// A snapshot diff for people: plain text, or Markdown for portals and email.
enum DiffText {
    static func render(_ diff: SnapshotDiff, markdown: Bool) -> String {
        let heading = markdown ? "## " : ""
        let sub = markdown ? "### " : ""
        let bullet = markdown ? "- " : "  "
        var out = ["\(heading)Changes in \(diff.to.sourceName): snapshot \(diff.from.id) (\(diff.from.importedAt.formatted(.iso8601))) → snapshot \(diff.to.id) (\(diff.to.importedAt.formatted(.iso8601)))"]
        if diff.isEmpty {
            out.append("")
            out.append("No changes.")
            return out.joined(separator: "\n")
        }
        if !diff.plansAdded.isEmpty { out += ["", "\(bullet)Plans added: \(diff.plansAdded.map(\.rawValue).joined(separator: ", "))"] }
        if !diff.plansRemoved.isEmpty { out += ["", "\(bullet)Plans removed: \(diff.plansRemoved.map(\.rawValue).joined(separator: ", "))"] }
        for formulary in diff.formularies {
            out.append("")
            var title = "\(sub)Formulary \(formulary.formulary)"
            if formulary.added { title += " (new)" }
            if formulary.removed { title += " (removed)" }
            if !formulary.plans.isEmpty { title += " — plans \(formulary.plans.map(\.rawValue).joined(separator: ", "))" }
            out.append(title)
            for line in formulary.drugsAdded { out.append("\(bullet)added: \(name(line.drug)) at tier \(line.tierCode) (\(line.tierCategory.displayName))") }
            for line in formulary.drugsRemoved { out.append("\(bullet)removed: \(name(line.drug)) (was tier \(line.tierCode))") }
            for change in formulary.changed {
                let fields = change.changes.map { "\($0.field) \($0.before ?? "unknown") → \($0.after ?? "unknown")" }
                out.append("\(bullet)changed: \(name(change.drug)): \(fields.joined(separator: "; "))")
            }
        }
        if !diff.costChanges.isEmpty {
            out.append("")
            out.append("\(sub)Cost-share changes")
            for change in diff.costChanges {
                let days = change.daysSupply.map { "\($0)-day" } ?? "any supply"
                out.append("\(bullet)\(change.plan) tier \(change.tierCode ?? "all") \(change.phase.rawValue) \(change.channel.displayName) \(days): "
                    + "\(change.before ?? "none") → \(change.after ?? "none")")
            }
        }
        return out.joined(separator: "\n")
    }

    static func name(_ drug: DrugRef) -> String {
        switch (drug.name, drug.rxcui) {
        case let (name?, rxcui?): "\(name) (RxCUI \(rxcui))"
        case let (nil, rxcui?): "RxCUI \(rxcui)"
        case let (name?, nil): name
        default: "unnamed drug"
        }
    }
}
