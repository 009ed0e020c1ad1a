import ArgumentParser
import Foundation
import FormularyApp
import FormularyCriteria
import FormularyModel
import FormularyStore

/// `formulary diff`: what changed between two snapshots of a source.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Show what changed between two snapshots of a source (drugs, tiers, PA/ST/QL, cost shares), or between two criteria versions.",
        discussion: """
            With --source, compares snapshots; without --from and --to, the current snapshot with the one before it. With --criteria, compares the rules in force in two policy versions (--from and --to are version ids): rules added and removed, criteria added and removed.

            Examples:
              formulary diff --source partd
              formulary diff --source partd --drug 1790892 --md
              formulary diff --source partd --json
              formulary diff --criteria Formularies/criteria --from A-2025-01 \\
                  --to A-2025-07
            """
    )

    @Option(help: "The source name (see `formulary snapshots`).")
    var source: String?

    @Option(help: ArgumentHelp("A criteria folder or file: compare two of its policy versions.", valueName: "path"))
    var criteria: String?

    @Option(help: "The older snapshot id (with --source) or policy version id (with --criteria).")
    var from: String?

    @Option(help: "The newer snapshot id (with --source) or policy version id (with --criteria).")
    var to: String?

    @Option(parsing: .upToNextOption, help: "Only these RxCUIs.")
    var drug: [String] = []

    @Flag(name: .customLong("md"), help: "Print Markdown.")
    var markdown = false

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if markdown && output.json { throw ValidationError("choose one of --json and --md") }
        guard (source == nil) != (criteria == nil) else { throw ValidationError("name one of --source and --criteria") }
        if criteria != nil && (from == nil || to == nil) { throw ValidationError("--criteria needs --from and --to version ids") }
        if source != nil {
            for value in [from, to].compactMap({ $0 }) where Int64(value) == nil {
                throw ValidationError("with --source, --from and --to are snapshot ids; \"\(value)\" is not one")
            }
        }
        for value in drug where !RxCUI.isWellFormed(value) {
            throw ValidationError("--drug takes RxCUIs (1 to 8 digits); \"\(value)\" is not one")
        }
    }

    func run() throws {
        try reportingFailures {
            if let criteria, let from, let to {
                let documents = try AnalysisDocuments.load(DocumentChoice(criteria: criteria))
                let diff = try CriteriaDiff.compare(documents.criteria, from: from, to: to)
                if output.json { try Terminal.printJSON(diff) } else { print(DiffText.render(diff, markdown: markdown)) }
                return
            }
            let diff = try store.openExisting().diff(sourceName: source ?? "", from: from.flatMap { Int64($0) }, to: to.flatMap { Int64($0) },
                                             drugs: drug.map { RxCUI($0) })
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

    static func render(_ diff: CriteriaDiff, markdown: Bool) -> String {
        let bullet = markdown ? "- " : "  "
        var out = ["\(markdown ? "## " : "")Criteria changes in \(diff.document): \(diff.from) → \(diff.to)"]
        if diff.isEmpty {
            out += ["", "No changes."]
            return out.joined(separator: "\n")
        }
        for rule in diff.rulesAdded {
            out.append("\(bullet)rule added: \(rule.ruleID)" + (rule.title.map { " (\($0))" } ?? "") + " for \(rule.options.joined(separator: ", "))")
        }
        for rule in diff.rulesRemoved {
            out.append("\(bullet)rule removed: \(rule.ruleID)" + (rule.title.map { " (\($0))" } ?? "") + " for \(rule.options.joined(separator: ", "))")
        }
        for change in diff.rulesChanged {
            out.append("\(bullet)rule \(change.ruleID) (\(change.options.joined(separator: ", "))) changed:")
            let inner = markdown ? "  - " : "    "
            out += change.criteriaRemoved.map { "\(inner)requirement removed: \($0)" }
            out += change.criteriaAdded.map { "\(inner)requirement added: \($0)" }
            out += change.fieldChanges.map { "\(inner)\($0)" }
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
