import ArgumentParser
import Foundation
import FormularyAnalysis
import FormularyApp
import FormularyCriteria
import FormularyModel

/// `formulary criteria`: check and read the human-edited PA/ST criteria files.
struct CriteriaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "criteria",
        abstract: "Validate criteria files, show the rules that apply to an option on a plan, or copy the bundled criteria to edit.",
        discussion: """
            The criteria in force are --criteria, else $FORMULARY_CRITERIA, else your own copy in $XDG_CONFIG_HOME/formulary/criteria (~/.config/formulary/criteria; `formulary criteria init` makes it), else the criteria bundled with the program. The drug reference resolves the same way (--reference, $FORMULARY_REFERENCE, ~/.config/formulary/reference, bundled). `formulary criteria show` prints which one is used.

            Examples:
              formulary criteria show
              formulary criteria validate
            """,
        subcommands: [CriteriaValidateCommand.self, CriteriaShowCommand.self, CriteriaInitCommand.self]
    )
}

/// `formulary criteria validate PATH`: every problem with file, line and rule id.
struct CriteriaValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check a criteria file or folder: unknown keys, types, drugs, classes, adequacy rules, overlapping dates, citations.",
        discussion: """
            Without PATH, the criteria in force (see `formulary criteria --help`).

            Examples:
              formulary criteria validate
              formulary criteria validate Formularies/criteria
              formulary criteria validate Formularies/criteria/reference-a.yaml
            """
    )

    @Argument(help: ArgumentHelp("A criteria file or folder (default: the criteria in force).", valueName: "path"))
    var path: String?

    @Option(help: ArgumentHelp("The drug reference folder (default: as `criteria --help` says).", valueName: "path"))
    var reference: String?

    @OptionGroup var output: OutputOptions

    func run() throws {
        try reportingFailures {
            let locations = DataLocations()
            let drugs = try AnalysisDocuments.loadReference(at: try locations.reference(commandLine: reference))
            let loader = CriteriaLoader(reference: drugs)
            let path = try locations.criteria(commandLine: path).path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw DocumentError.unreadable(file: path, reason: "no such file or folder")
            }
            let set = isDirectory.boolValue ? try loader.loadDirectory(path) : CriteriaSet(documents: [try loader.loadFile(path)])
            if output.json {
                try Terminal.printJSON(set.documents.map { ["id": $0.id, "file": $0.file, "rules": "\($0.rules.count)", "versions": $0.versions.map(\.id).joined(separator: ",")] })
                return
            }
            print("ok  \(drugs.safety.file): safety rules \(drugs.safety.version), \(drugs.safety.rules.count) rules, \(drugs.safety.interactions.count) interaction pairs")
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
            Without --plan and --option, where the criteria and the drug reference in force come from, and each place looked at in order.

            Examples:
              formulary criteria show
              formulary criteria show --plan 99990AZ0010001 --option Spravato \\
                  --as-of 2025-06-30
              formulary criteria show --plan A-2025-07 --option Trintellix --json
            """
    )

    @Option(help: ArgumentHelp("The plan id or criteria version id.", valueName: "id"))
    var plan: String?

    @Option(help: ArgumentHelp("The option (generic, brand, TMS, ECT…).", valueName: "name"))
    var option: String?

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

    func validate() throws {
        _ = try AsOf.parse(asOf)
        if (plan == nil) != (option == nil) { throw ValidationError("give both --plan and --option, or neither to see where the criteria come from") }
    }

    func run() throws {
        try reportingFailures {
            guard let plan, let option else {
                try showLocations()
                return
            }
            let loaded = try inputs.documents()
            if !output.json { loaded.provenance.forEach { print($0) } }
            guard let drug = loaded.reference.option(named: option) else { throw DocumentError.unknownOption(option) }
            let resolved = loaded.criteria.resolvePlanReference(plan)
            let day = try AsOf.parse(asOf) ?? .today
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

extension CriteriaShowCommand {
    /// Where the criteria and the drug reference come from, step by step.
    struct Locations: Encodable {
        struct Step: Encodable {
            var step: String
            var path: String?
            var exists: Bool
            var used: Bool
        }

        var criteria: DataLocations.Resolved?
        var reference: DataLocations.Resolved?
        var criteriaSteps: [Step]
        var referenceSteps: [Step]
        var bundled: String?
        var bundledSearched: [String]
        var problem: String?
    }

    func showLocations() throws {
        let locations = DataLocations()
        var failure: (any Error)?
        var criteria: DataLocations.Resolved?
        var reference: DataLocations.Resolved?
        do {
            criteria = try locations.criteria(commandLine: inputs.criteria)
            reference = try locations.reference(commandLine: inputs.reference)
        } catch {
            failure = error
        }
        func steps(_ list: [(step: String, path: String?, exists: Bool)], used: DataLocations.Resolved?) -> [Locations.Step] {
            var found = false
            return list.map { item in
                let isUsed = !found && item.path != nil && item.path == used?.path
                if isUsed { found = true }
                return Locations.Step(step: item.step, path: item.path, exists: item.exists, used: isUsed)
            }
        }
        let shown = Locations(
            criteria: criteria, reference: reference,
            criteriaSteps: steps(locations.steps(commandLine: inputs.criteria, variable: DataLocations.criteriaVariable,
                                                 user: locations.userCriteria, bundled: "criteria"), used: criteria),
            referenceSteps: steps(locations.steps(commandLine: inputs.reference, variable: DataLocations.referenceVariable,
                                                  user: locations.userReference, bundled: "reference"), used: reference),
            bundled: locations.bundledRoot, bundledSearched: locations.bundledCandidates, problem: failure.map(Failure.message))
        if output.json {
            try Terminal.printJSON(shown)
        } else {
            var lines = ["criteria: \(criteria?.description ?? "not found")", "drug reference: \(reference?.description ?? "not found")", ""]
            for (title, list) in [("criteria", shown.criteriaSteps), ("drug reference", shown.referenceSteps)] {
                lines.append("The \(title) in force is the first of these that is set:")
                for (index, step) in list.enumerated() {
                    let state = step.path == nil ? "not set" : step.used ? "in use" : step.exists ? "exists" : "not there"
                    lines.append("  \(index + 1). \(step.step): \(step.path ?? "-") (\(state))")
                }
            }
            lines.append("")
            lines.append("Bundled data: \(shown.bundled ?? "not found; looked in " + shown.bundledSearched.joined(separator: ", "))")
            print(lines.joined(separator: "\n"))
        }
        if let failure { throw failure }
    }
}

/// `formulary criteria init`: the bundled criteria, copied into the user's folder to edit.
struct CriteriaInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Copy the bundled criteria into your own folder (~/.config/formulary/criteria) to edit; it is then used instead.",
        discussion: """
            The copy is made with folders 0700 and files 0600. After editing, check it with `formulary criteria validate`: errors name the file, the line and the rule.

            Examples:
              formulary criteria init
              formulary criteria init --force
            """
    )

    @Flag(help: "Replace an existing copy (its files are overwritten; files you added stay).")
    var force = false

    func run() throws {
        try reportingFailures {
            let locations = DataLocations()
            let source = (try locations.requireBundledRoot(for: "criteria") as NSString).appendingPathComponent("criteria")
            let destination = locations.userCriteria
            if FileManager.default.fileExists(atPath: destination) && !force { throw AppError.userCriteriaExist(path: destination) }
            let copied = try UserFiles.copyFolder(from: source, to: destination)
            print("Copied \(copied.count) criteria file\(copied.count == 1 ? "" : "s") from \(source) to \(destination).")
            print("They are now the criteria in force (unless --criteria or $FORMULARY_CRITERIA says otherwise).")
            print("Edit them, then run `formulary criteria validate` to check them.")
        }
    }
}
