import ArgumentParser
import Foundation
import FormularyAnalysis
import FormularyCriteria
import FormularyModel

/// `formulary criteria`: check and read the human-edited PA/ST criteria files.
struct CriteriaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "criteria",
        abstract: "Validate criteria files, or show the rules that apply to an option on a plan.",
        subcommands: [CriteriaValidateCommand.self, CriteriaShowCommand.self]
    )
}

/// `formulary criteria validate PATH`: every problem with file, line and rule id.
struct CriteriaValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a criteria file or folder: unknown keys, types, drugs, classes, adequacy rules, overlapping dates, citations.",
        discussion: """
            Examples:
              formulary criteria validate Formularies/criteria
              formulary criteria validate Formularies/criteria/reference-a.yaml
            """
    )

    @Argument(help: ArgumentHelp("A criteria file or folder.", valueName: "path"))
    var path: String

    @Option(help: ArgumentHelp("The drug reference folder.", valueName: "path"))
    var reference = "Formularies/reference"

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingFailures {
            let drugs = try DrugReferenceLoader.load(directory: reference)
            let loader = CriteriaLoader(reference: drugs)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw DocumentError.unreadable(file: path, reason: "no such file or folder")
            }
            let set = isDirectory.boolValue ? try loader.loadDirectory(path) : CriteriaSet(documents: [try loader.loadFile(path)])
            if output.json {
                try Terminal.printJSON(set.documents.map { ["id": $0.id, "file": $0.file, "rules": "\($0.rules.count)", "versions": $0.versions.map(\.id).joined(separator: ",")] })
                return
            }
            for document in set.documents {
                print("ok  \(document.file): \(document.id), versions \(document.versions.map(\.id).joined(separator: ", ")), \(document.rules.count) rules, \(document.lines.count) lines, \(document.overlays.count) overlays")
            }
        }
    }
}

/// `formulary criteria show --plan ID --option NAME`: the rules in force, with citations.
struct CriteriaShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the PA/ST rules and coverage line that apply to an option on a plan, as of a date.",
        discussion: """
            Examples:
              formulary criteria show --plan 99990AZ0010001 --option Spravato --as-of 2025-06-30
              formulary criteria show --plan A-2025-07 --option Trintellix --json
            """
    )

    @Option(help: ArgumentHelp("The plan id or criteria version id.", valueName: "id"))
    var plan: String

    @Option(help: ArgumentHelp("The option (generic, brand, TMS, ECT…).", valueName: "name"))
    var option: String

    @Option(name: .customLong("as-of"), help: ArgumentHelp("Pick rules in force on this date (YYYY-MM-DD); default today.", valueName: "date"))
    var asOf: String?

    @OptionGroup var inputs: AnalysisInputOptions
    @OptionGroup var output: OutputOptions

    struct Shown: Encodable {
        var plan: String
        var option: String
        var policyVersion: String?
        var pinned: Bool
        var basis: CriteriaBasis
        var note: String?
        var line: CriteriaLine?
        var rules: [CriteriaRule]
    }

    func run() throws {
        try reportingFailures {
            let loaded = try AnalysisInputs.load(inputs)
            guard let drug = loaded.reference.option(named: option) else { throw DocumentError.unknownOption(option) }
            let resolved = loaded.criteria.resolvePlanReference(plan)
            let day = try AnalysisInputs.day(asOf, profile: PatientProfile(id: "none"))
            for planID in resolved.plans {
                let policy = try loaded.criteria.policy(plan: planID, formulary: nil, asOf: day, pinnedVersion: inputs.criteriaVersion ?? resolved.pinnedVersion)
                let found = policy.rules(for: drug.id)
                let line = policy.line(for: drug.id)
                let shown = Shown(plan: planID.rawValue, option: drug.displayName, policyVersion: policy.version?.id, pinned: policy.pinned,
                                  basis: found.basis, note: found.basis.note, line: line?.line, rules: found.rules)
                if output.json {
                    try Terminal.printJSON(shown)
                } else {
                    print(render(shown, reference: loaded.reference, policy: policy))
                }
            }
        }
    }

    func render(_ shown: Shown, reference: DrugReference, policy: ResolvedPolicy) -> String {
        var out = ["\(shown.option) on plan \(shown.plan) — criteria version \(shown.policyVersion ?? "none")\(shown.pinned ? " (pinned)" : "") as of \(policy.ruleDate)"]
        if let note = shown.note { out.append("  [\(note)]") }
        if let line = shown.line {
            var text = "  line: \(line.status.rawValue)"
            if let tier = line.tier { text += ", tier \(tier)" }
            if !line.codes.isEmpty { text += ", codes \(line.codes.joined(separator: ", "))" }
            if let limit = line.quantityLimit { text += ", QL \(limit)" }
            if let reason = line.reason { text += " — \(reason)" }
            out.append(text)
        }
        if shown.rules.isEmpty { out.append("  no PA or step-therapy rule in the criteria (the formulary file's flags decide)") }
        for rule in shown.rules {
            out.append("")
            out.append("  \(rule.id) — \(rule.kind.rawValue)\(rule.title.map { ": \($0)" } ?? "")")
            out.append("    version \(rule.version), effective \(rule.effective.description); \(rule.file)\(rule.line.map { " line \($0)" } ?? "")")
            out.append("    citation: \(rule.citation)")
            if let lookback = rule.newStartLookbackDays { out.append("    new starts only: no claim of the drug in the prior \(lookback) days") }
            out += requirementLines(rule.requirement, indent: "    ")
            if let approval = rule.approval { out.append("    approval: \(approval.description)") }
            if let limit = rule.quantityLimit { out.append("    quantity limit: \(limit)") }
            if let reauthorization = rule.reauthorization { out.append("    reauthorization: \(reauthorization)") }
        }
        return out.joined(separator: "\n")
    }

    func requirementLines(_ requirement: Requirement, indent: String) -> [String] {
        switch requirement {
        case .criterion(let labeled): ["\(indent)- \(labeled.label)\(labeled.line.map { "  (line \($0))" } ?? "")"]
        case .allOf(let items): items.flatMap { requirementLines($0, indent: indent) }
        case .anyOf(let items): ["\(indent)- one of:"] + items.flatMap { requirementLines($0, indent: indent + "    ") }
        }
    }
}
