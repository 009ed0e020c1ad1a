import Foundation
import FormularyModel
import Yams

/// Loads and validates criteria files (schema: `Formularies/criteria/README.md`). Validation
/// reports every problem — unknown keys, wrong types, unknown drugs, classes, adequacy rules
/// and safety rules, rule versions outside the file's versions, overlapping effective dates
/// for one rule id and plan, missing citations — each with file, line and rule id.
public struct CriteriaLoader {
    public let reference: DrugReference

    public init(reference: DrugReference) { self.reference = reference }

    /// Loads every `*.yaml` / `*.yml` file of a folder (sorted by name) and checks them together
    /// (overlaps across files).
    public func loadDirectory(_ path: String) throws -> CriteriaSet {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) } catch {
            throw DocumentError.unreadable(file: path, reason: (error as NSError).localizedDescription)
        }
        let files = names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
        let base = path.hasSuffix("/") ? path : path + "/"
        var documents: [CriteriaDocument] = []
        for name in files { documents.append(try loadFile(base + name)) }
        try checkOverlaps(documents)
        return CriteriaSet(documents: documents)
    }

    public func loadFile(_ path: String) throws -> CriteriaDocument {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw DocumentError.unreadable(file: path, reason: (error as NSError).localizedDescription)
        }
        return try load(yaml: text, file: path)
    }

    /// Loads several in-memory documents as one set (tests, embedded callers).
    public func loadSet(_ sources: [(text: String, file: String)]) throws -> CriteriaSet {
        let documents = try sources.map { try load(yaml: $0.text, file: $0.file) }
        try checkOverlaps(documents)
        return CriteriaSet(documents: documents)
    }

    /// Parses and validates one document.
    public func load(yaml text: String, file: String) throws -> CriteriaDocument {
        let reader = DocumentReader(file: file)
        guard let root = reader.parse(text) else {
            try reader.throwIfInvalid()
            throw DocumentError.invalid(file: file, issues: reader.issues)
        }
        let topKeys: Set<String> = ["schema", "id", "title", "description", "appliesTo", "market", "state", "funding", "disclaimer",
                                    "versions", "adequacy", "lines", "rules", "overlays"]
        guard let top = reader.mapping(root, "", allowed: topKeys) else {
            try reader.throwIfInvalid()
            throw DocumentError.invalid(file: file, issues: reader.issues)
        }
        if let schema = reader.string(top, "schema", required: true), schema != "formulary-criteria/1" {
            reader.report(.invalidValue, top.value("schema"), "schema", value: schema, problem: "expected formulary-criteria/1")
        }
        let id = reader.string(top, "id", required: true) ?? file
        let appliesTo = top.value("appliesTo").flatMap { readAppliesTo($0, "appliesTo", reader) } ?? {
            reader.report(.missingField, root, "appliesTo", problem: "\"appliesTo\" is required (plans, formularies or default: true)")
            return AppliesTo()
        }()
        var versions: [PolicyVersion] = []
        for item in reader.list(top, "versions", required: true) {
            guard let map = reader.mapping(item.node, item.path, allowed: ["id", "from", "through", "note"]),
                  let versionID = reader.string(map, "id", required: true), let from = reader.day(map, "from", required: true) else { continue }
            let window = DayWindow(from: from, through: reader.day(map, "through"))
            if let through = window.through, through < from {
                reader.report(.invalidValue, map.value("through"), map.path("through"), value: through.description, problem: "through is before from")
            }
            if let clash = versions.first(where: { $0.window.overlaps(window) }) {
                reader.report(.overlappingDates, item.node, item.path, value: versionID,
                              problem: "version \(versionID) (\(window.description)) overlaps version \(clash.id) (\(clash.window.description))")
            }
            versions.append(PolicyVersion(id: versionID, window: window, note: reader.string(map, "note")))
        }
        var adequacy: [String: AdequacyRule] = [:]
        if let adequacyNode = top.value("adequacy"), let map = reader.mapping(adequacyNode, "adequacy") {
            for entry in map.entries {
                if let rule = readAdequacy(entry.key, entry.value, "adequacy.\(entry.key)", reader) { adequacy[entry.key] = rule }
            }
        }
        let lines = reader.list(top, "lines").compactMap { readLine($0.node, $0.path, reader) }
        var rules: [CriteriaRule] = []
        for item in reader.list(top, "rules", required: true) {
            if let rule = readRule(item.node, item.path, reader, file: file, adequacy: adequacy, versions: versions, documentAppliesTo: appliesTo) {
                if let clash = rules.first(where: { $0.id == rule.id && $0.effective.overlaps(rule.effective) && sharesPlans($0.appliesTo ?? appliesTo, rule.appliesTo ?? appliesTo) }) {
                    reader.ruleID = rule.id
                    reader.report(.overlappingDates, item.node, item.path, value: rule.effective.description,
                                  problem: "rule \(rule.id) version \(rule.version) (\(rule.effective.description)) overlaps version \(clash.version) (\(clash.effective.description)) for the same plans")
                    reader.ruleID = nil
                }
                rules.append(rule)
            }
        }
        let overlays = reader.list(top, "overlays").compactMap { readOverlay($0.node, $0.path, reader) }
        try reader.throwIfInvalid()
        return CriteriaDocument(id: id, file: file, title: reader.string(top, "title") ?? id, appliesTo: appliesTo,
                                market: reader.string(top, "market"), state: reader.string(top, "state")?.uppercased(),
                                funding: reader.string(top, "funding"), versions: versions, adequacy: adequacy, lines: lines,
                                rules: rules, overlays: overlays, disclaimer: reader.string(top, "disclaimer"))
    }

    /// Same rule id, overlapping dates, overlapping plans across documents: an error naming both.
    func checkOverlaps(_ documents: [CriteriaDocument]) throws {
        var issues: [DocumentIssue] = []
        for (i, first) in documents.enumerated() {
            for second in documents[(i + 1)...] {
                for ruleA in first.rules {
                    for ruleB in second.rules where ruleA.id == ruleB.id && ruleA.effective.overlaps(ruleB.effective)
                        && sharesPlans(ruleA.appliesTo ?? first.appliesTo, ruleB.appliesTo ?? second.appliesTo) {
                        issues.append(DocumentIssue(
                            kind: .overlappingDates, file: second.file, line: ruleB.line, ruleID: ruleB.id, fieldPath: "rules",
                            value: ruleB.effective.description,
                            problem: "rule \(ruleB.id) (\(ruleB.effective.description)) overlaps the same rule in \(first.file) line \(ruleA.line.map(String.init) ?? "?") for the same plans"))
                    }
                }
            }
        }
        if let file = issues.first?.file { throw DocumentError.invalid(file: file, issues: issues) }
    }

    func sharesPlans(_ a: AppliesTo, _ b: AppliesTo) -> Bool {
        if a.isDefault && b.isDefault { return true }
        return !Set(a.plans).isDisjoint(with: b.plans) || !Set(a.formularies).isDisjoint(with: b.formularies)
    }

    // MARK: Sections

    func readAppliesTo(_ node: Node, _ path: String, _ reader: DocumentReader) -> AppliesTo? {
        guard let map = reader.mapping(node, path, allowed: ["plans", "formularies", "default"]) else { return nil }
        let result = AppliesTo(plans: reader.strings(map, "plans"), formularies: reader.strings(map, "formularies"),
                               isDefault: reader.bool(map, "default") ?? false)
        if result.plans.isEmpty && result.formularies.isEmpty && !result.isDefault {
            reader.report(.missingField, node, path, problem: "name plans, formularies, or set default: true")
        }
        return result
    }

    func readAdequacy(_ id: String, _ node: Node, _ path: String, _ reader: DocumentReader) -> AdequacyRule? {
        let keys: Set<String> = ["purpose", "description", "minDays", "requireMinimumDose", "minimumDose", "withinCurrentEpisode", "outcomes",
                                 "excludedOutcomes", "intoleranceCounts", "chartStopOverridesClaims", "excludedOptions", "lookbackDays",
                                 "sources", "documentationOnly"]
        guard let map = reader.mapping(node, path, allowed: keys) else { return nil }
        let purposeText = reader.string(map, "purpose", required: true) ?? "trd"
        guard let purpose = AdequacyRule.Purpose(rawValue: purposeText) else {
            reader.report(.invalidValue, map.value("purpose"), map.path("purpose"), value: purposeText, problem: "purpose must be trd or step")
            return nil
        }
        guard let minDays = reader.int(map, "minDays", required: true, range: 1...3650) else { return nil }
        func outcomes(_ key: String) -> [TrialOutcome]? {
            guard map.has(key) else { return nil }
            return reader.strings(map, key).compactMap { text in
                if let outcome = TrialOutcome(rawValue: text) ?? TrialOutcome(text: text) { return outcome }
                reader.report(.invalidValue, map.value(key), map.path(key), value: text, problem: "unknown trial outcome")
                return nil
            }
        }
        var overrides: [String: Double] = [:]
        if let doseNode = map.value("minimumDose"), let doseMap = reader.mapping(doseNode, map.path("minimumDose")) {
            for entry in doseMap.entries {
                guard let option = resolveOption(entry.key, entry.keyNode, doseMap.path(entry.key), reader) else { continue }
                if let text = entry.value.scalar?.string, let value = Double(text) { overrides[option] = value } else {
                    reader.report(.wrongType, entry.value, doseMap.path(entry.key), problem: "expected mg/day as a number")
                }
            }
        }
        let excluded = reader.strings(map, "excludedOptions").compactMap { resolveOption($0, map.value("excludedOptions"), map.path("excludedOptions"), reader) }
        var sources: [AdequacyRule.Source] = [.claims, .chart]
        if map.has("sources") {
            sources = reader.strings(map, "sources").compactMap { text in
                if let source = AdequacyRule.Source(rawValue: text) { return source }
                reader.report(.invalidValue, map.value("sources"), map.path("sources"), value: text, problem: "sources are claims and/or chart")
                return nil
            }
        }
        let documentationOnly = map.has("documentationOnly") ? reader.strings(map, "documentationOnly") : ["cash", "previous-plan"]
        for text in documentationOnly where !["cash", "previous-plan", "outside-lookback"].contains(text) {
            reader.report(.invalidValue, map.value("documentationOnly"), map.path("documentationOnly"), value: text, problem: "expected cash, previous-plan or outside-lookback")
        }
        return AdequacyRule(id: id, purpose: purpose, description: reader.string(map, "description"), minDays: minDays,
                            requireMinimumDose: reader.bool(map, "requireMinimumDose") ?? (purpose == .trd), minimumDoseOverrides: overrides,
                            withinCurrentEpisode: reader.bool(map, "withinCurrentEpisode") ?? (purpose == .trd),
                            outcomes: outcomes("outcomes") ?? (purpose == .trd ? [.inadequate, .partial] : []),
                            excludedOutcomes: outcomes("excludedOutcomes") ?? [.confounded],
                            intoleranceCounts: reader.bool(map, "intoleranceCounts") ?? (purpose == .step),
                            chartStopOverridesClaims: reader.bool(map, "chartStopOverridesClaims") ?? true, excludedOptions: excluded,
                            lookbackDays: reader.int(map, "lookbackDays", range: 1...3650), sources: sources, documentationOnly: documentationOnly)
    }

    func readLine(_ node: Node, _ path: String, _ reader: DocumentReader) -> CriteriaLine? {
        let keys: Set<String> = ["option", "tier", "benefit", "status", "reason", "codes", "quantityLimit", "copay", "coinsurance", "costNote",
                                 "effective", "citation"]
        guard let map = reader.mapping(node, path, allowed: keys), let name = reader.string(map, "option", required: true),
              let option = resolveOption(name, map.value("option"), map.path("option"), reader) else { return nil }
        let statusText = reader.string(map, "status") ?? "covered"
        guard let status = CriteriaLine.Status(rawValue: statusText) else {
            reader.report(.invalidValue, map.value("status"), map.path("status"), value: statusText, problem: "status must be covered, non-formulary or not-covered")
            return nil
        }
        var benefit: DrugOption.Benefit?
        if let text = reader.string(map, "benefit") {
            benefit = DrugOption.Benefit(rawValue: text)
            if benefit == nil { reader.report(.invalidValue, map.value("benefit"), map.path("benefit"), value: text, problem: "benefit must be pharmacy, medical or behavioral-health") }
        }
        let coinsurance = reader.double(map, "coinsurance")
        if let coinsurance, !(0...1).contains(coinsurance) {
            reader.report(.invalidValue, map.value("coinsurance"), map.path("coinsurance"), value: coinsurance.clean, problem: "coinsurance is a fraction 0…1")
        }
        return CriteriaLine(option: option, tier: reader.string(map, "tier"), benefit: benefit, status: status, reason: reader.string(map, "reason"),
                            codes: reader.strings(map, "codes"), quantityLimit: reader.string(map, "quantityLimit"), copay: reader.double(map, "copay"),
                            coinsurance: coinsurance, costNote: reader.string(map, "costNote"),
                            effective: map.value("effective").flatMap { readWindow($0, map.path("effective"), reader) },
                            citation: reader.string(map, "citation"), line: node.mark?.line)
    }

    func readWindow(_ node: Node, _ path: String, _ reader: DocumentReader) -> DayWindow? {
        guard let map = reader.mapping(node, path, allowed: ["from", "through"]), let from = reader.day(map, "from", required: true) else { return nil }
        let window = DayWindow(from: from, through: reader.day(map, "through"))
        if let through = window.through, through < from {
            reader.report(.invalidValue, map.value("through"), map.path("through"), value: through.description, problem: "through is before from")
        }
        return window
    }

    static let ruleKeys: Set<String> = ["id", "kind", "title", "version", "effective", "citation", "options", "appliesTo", "newStarts", "requires",
                                        "approval", "reauthorization", "quantityLimit", "note"]

    func readRule(_ node: Node, _ path: String, _ reader: DocumentReader, file: String, adequacy: [String: AdequacyRule],
                  versions: [PolicyVersion], documentAppliesTo: AppliesTo) -> CriteriaRule? {
        guard case .mapping(let raw) = node else {
            reader.report(.wrongType, node, path, problem: "a rule is a mapping")
            return nil
        }
        let ruleID = raw["id"]?.scalar?.string
        reader.ruleID = ruleID
        defer { reader.ruleID = nil }
        guard let map = reader.mapping(node, path, allowed: Self.ruleKeys), let id = reader.string(map, "id", required: true) else { return nil }
        let kindText = reader.string(map, "kind", required: true) ?? ""
        let kind = CriteriaRule.Kind(rawValue: kindText)
        if kind == nil, !kindText.isEmpty {
            reader.report(.invalidValue, map.value("kind"), map.path("kind"), value: kindText, problem: "kind must be prior-authorization or step-therapy")
        }
        let citation = reader.string(map, "citation")
        if citation == nil || citation?.isEmpty == true {
            reader.report(.missingCitation, node, map.path("citation"), problem: "every rule needs a citation (policy, URL or document)")
        }
        let version = reader.string(map, "version", required: true) ?? ""
        if !version.isEmpty, !versions.contains(where: { $0.id == version }) {
            reader.report(.invalidValue, map.value("version"), map.path("version"), value: version,
                          problem: "not one of this file's versions (\(versions.map(\.id).joined(separator: ", ")))")
        }
        let effective = map.value("effective").flatMap { readWindow($0, map.path("effective"), reader) }
        if !map.has("effective") { reader.report(.missingField, node, map.path("effective"), problem: "\"effective\" (from/through) is required") }
        let options = reader.strings(map, "options", required: true).compactMap { resolveOption($0, map.value("options"), map.path("options"), reader) }
        var newStarts: Int?
        if let newStartNode = map.value("newStarts"), let newStartMap = reader.mapping(newStartNode, map.path("newStarts"), allowed: ["lookbackDays"]) {
            newStarts = reader.int(newStartMap, "lookbackDays", required: true, range: 1...3650)
        }
        var approval: Approval?
        if let approvalNode = map.value("approval"), let approvalMap = reader.mapping(approvalNode, map.path("approval"), allowed: ["days", "months", "sessions"]) {
            approval = Approval(days: reader.int(approvalMap, "days"), months: reader.int(approvalMap, "months"), sessions: reader.int(approvalMap, "sessions"))
        }
        let context = RuleContext(adequacy: adequacy, reader: reader)
        let requirement: Requirement
        if let requiresNode = map.value("requires") {
            requirement = readRequirementList(requiresNode, map.path("requires"), context, combine: Requirement.allOf) ?? .allOf([])
        } else {
            reader.report(.missingField, node, map.path("requires"), problem: "\"requires\" is required")
            requirement = .allOf([])
        }
        let ruleAppliesTo = map.value("appliesTo").flatMap { readAppliesTo($0, map.path("appliesTo"), reader) }
        guard let kind, let effective, let citation else { return nil }
        return CriteriaRule(id: id, kind: kind, title: reader.string(map, "title"), version: version, effective: effective, citation: citation,
                            options: options, appliesTo: ruleAppliesTo, newStartLookbackDays: newStarts, requirement: requirement,
                            approval: approval, reauthorization: reader.string(map, "reauthorization"),
                            quantityLimit: reader.string(map, "quantityLimit"), file: file, line: node.mark?.line)
    }

    struct RuleContext {
        let adequacy: [String: AdequacyRule]
        let reader: DocumentReader
    }

    func readRequirementList(_ node: Node, _ path: String, _ context: RuleContext, combine: ([Requirement]) -> Requirement) -> Requirement? {
        guard case .sequence(let sequence) = node else {
            // A single mapping is a one-item list.
            return readRequirement(node, path, context).map { combine([$0]) }
        }
        let items = sequence.enumerated().compactMap { readRequirement($0.element, "\(path)[\($0.offset)]", context) }
        return combine(items)
    }

    static let criterionKeys: Set<String> = ["age", "sex", "diagnosis", "score", "trials", "step", "concurrent", "absent", "procedure", "flag",
                                             "prescriber", "noContraindication", "adverseOutcome", "postpartum", "coursesPerPregnancy",
                                             "allOf", "anyOf"]

    func readRequirement(_ node: Node, _ path: String, _ context: RuleContext) -> Requirement? {
        let reader = context.reader
        guard let map = reader.mapping(node, path, allowed: Self.criterionKeys.union(["id", "label", "documentation"])) else { return nil }
        let kinds = map.entries.map(\.key).filter { Self.criterionKeys.contains($0) }
        guard kinds.count == 1, let key = kinds.first, let value = map.value(key) else {
            reader.report(kinds.isEmpty ? .missingField : .invalidValue, node, path, value: kinds.joined(separator: ", "),
                          problem: "each requirement has exactly one of: \(Self.criterionKeys.sorted().joined(separator: ", "))")
            return nil
        }
        let itemPath = map.path(key)
        if key == "allOf" { return readRequirementList(value, itemPath, context, combine: Requirement.allOf) }
        if key == "anyOf" { return readRequirementList(value, itemPath, context, combine: Requirement.anyOf) }
        guard let criterion = readCriterion(key, value, itemPath, context) else { return nil }
        let label = reader.string(map, "label") ?? criterion.describe(reference, adequacy: { context.adequacy[$0] })
        return .criterion(LabeledCriterion(id: reader.string(map, "id") ?? criterion.kindID, label: label, criterion: criterion,
                                           line: node.mark?.line, documentation: reader.string(map, "documentation")))
    }

    func readCriterion(_ key: String, _ node: Node, _ path: String, _ context: RuleContext) -> Criterion? {
        let reader = context.reader
        func map(_ allowed: Set<String>) -> MappingView? { reader.mapping(node, path, allowed: allowed) }
        func checkAdequacy(_ view: MappingView, purpose: AdequacyRule.Purpose) -> String? {
            guard let name = reader.string(view, "adequacy", required: true) else { return nil }
            guard let rule = context.adequacy[name] else {
                reader.report(.unknownAdequacyRule, view.value("adequacy"), view.path("adequacy"), value: name,
                              problem: "unknown adequacy rule; this file defines \(context.adequacy.keys.sorted().joined(separator: ", "))")
                return nil
            }
            if rule.purpose != purpose {
                reader.report(.invalidValue, view.value("adequacy"), view.path("adequacy"), value: name,
                              problem: "adequacy rule \(name) is for \(rule.purpose.rawValue), this criterion needs \(purpose.rawValue)")
            }
            return name
        }
        switch key {
        case "age":
            guard let view = map(["min", "max"]) else { return nil }
            return .age(min: reader.int(view, "min", range: 0...130), max: reader.int(view, "max", range: 0...130))
        case "sex":
            guard let text = reader.scalarText(node, path, expected: "F or M") else { return nil }
            switch text.uppercased() {
            case "F": return .sex(.female)
            case "M": return .sex(.male)
            default:
                reader.report(.invalidValue, node, path, value: text, problem: "sex must be F or M")
                return nil
            }
        case "diagnosis":
            guard let view = map(["codes", "notInRemission"]) else { return nil }
            let codes = reader.strings(view, "codes", required: true)
            return .diagnosis(DiagnosisCriterion(codes: codes, notInRemission: reader.bool(view, "notInRemission") ?? false))
        case "score":
            guard let view = map(["scale", "min", "max", "withinDays"]), let scale = reader.string(view, "scale", required: true) else { return nil }
            return .score(ScoreCriterion(scale: scale, min: reader.double(view, "min"), max: reader.double(view, "max"), withinDays: reader.int(view, "withinDays")))
        case "trials":
            guard let view = map(["count", "distinctClasses", "adequacy", "from", "intoleranceCountsPerClass", "withinDays"]) else { return nil }
            // Read every part before giving up, so one run reports every problem.
            let count = reader.int(view, "count", required: true, range: 1...20)
            let adequacy = checkAdequacy(view, purpose: .trd)
            let pool = readPool(view, context)
            guard let count, let adequacy, let pool else { return nil }
            return .trials(TrialCountCriterion(count: count, distinctClasses: reader.int(view, "distinctClasses", range: 1...20) ?? 1, adequacy: adequacy,
                                               pool: pool, intoleranceCountsPerClass: reader.bool(view, "intoleranceCountsPerClass") ?? false,
                                               withinDays: reader.int(view, "withinDays")))
        case "step":
            guard let view = map(["count", "adequacy", "from", "lookbackDays", "minDays"]) else { return nil }
            let adequacy = checkAdequacy(view, purpose: .step)
            let pool = readPool(view, context)
            guard let adequacy, let pool else { return nil }
            return .step(StepCriterion(pool: pool, count: reader.int(view, "count", range: 1...20) ?? 1, adequacy: adequacy,
                                       lookbackDays: reader.int(view, "lookbackDays", range: 1...3650), minDays: reader.int(view, "minDays", range: 1...365)))
        case "concurrent":
            guard let view = map(["from", "oralOnly", "sources"]), let pool = readPool(view, context) else { return nil }
            let sources = view.has("sources") ? reader.strings(view, "sources").compactMap { AdequacyRule.Source(rawValue: $0) } : [.claims, .chart]
            return .concurrent(ConcurrentCriterion(pool: pool, oralOnly: reader.bool(view, "oralOnly") ?? false, sources: sources))
        case "absent":
            guard let view = map(["from", "withinDays"]), let pool = readPool(view, context),
                  let days = reader.int(view, "withinDays", required: true, range: 1...3650) else { return nil }
            return .absent(AbsentCriterion(pool: pool, withinDays: days))
        case "procedure":
            guard let view = map(["types", "minSessions", "withinCurrentEpisode", "withoutRemission"]),
                  let sessions = reader.int(view, "minSessions", required: true, range: 1...1000) else { return nil }
            return .procedure(ProcedureCriterion(types: reader.strings(view, "types", required: true), minSessions: sessions,
                                                 withinCurrentEpisode: reader.bool(view, "withinCurrentEpisode") ?? true,
                                                 withoutRemission: reader.bool(view, "withoutRemission") ?? true))
        case "flag":
            guard let text = reader.scalarText(node, path, expected: "a flag name") else { return nil }
            guard let name = PatientFlags.Name(rawValue: text) else {
                reader.report(.invalidValue, node, path, value: text, problem: "unknown flag; known: \(PatientFlags.Name.allCases.map(\.rawValue).joined(separator: ", "))")
                return nil
            }
            return .flag(name)
        case "prescriber":
            guard let view = map(["specialties"]) else { return nil }
            return .prescriber(specialties: reader.strings(view, "specialties", required: true).map { $0.lowercased() })
        case "noContraindication":
            guard let view = map(["safetyRules"]) else { return nil }
            let rules = reader.strings(view, "safetyRules", required: true)
            for rule in rules where !reference.safety.ids.contains(rule) {
                reader.report(.unknownSafetyRule, view.value("safetyRules"), view.path("safetyRules"), value: rule, problem: "safety rules are S1…S19 (DOMAIN.md §3)")
            }
            return .noContraindication(safetyRules: rules)
        case "adverseOutcome":
            guard let view = map(["from"]), let pool = readPool(view, context) else { return nil }
            return .adverseOutcome(pool)
        case "postpartum":
            guard let view = map(["codes", "onsetInThirdTrimester", "onsetMaxDaysAfterDelivery", "requestMaxDaysAfterDelivery"]),
                  let onset = reader.int(view, "onsetMaxDaysAfterDelivery", required: true, range: 0...3650),
                  let request = reader.int(view, "requestMaxDaysAfterDelivery", required: true, range: 0...3650) else { return nil }
            return .postpartum(PostpartumCriterion(codes: reader.strings(view, "codes", required: true),
                                                   onsetInThirdTrimester: reader.bool(view, "onsetInThirdTrimester") ?? true,
                                                   onsetMaxDaysAfterDelivery: onset, requestMaxDaysAfterDelivery: request))
        case "coursesPerPregnancy":
            guard let view = map(["max"]), let max = reader.int(view, "max", required: true, range: 1...20) else { return nil }
            return .coursesPerPregnancy(max: max)
        default:
            return nil
        }
    }

    /// `from:` — a mapping {options, classes, antidepressants, exclude} or a list of option and
    /// class names.
    func readPool(_ view: MappingView, _ context: RuleContext) -> AgentPool? {
        let reader = context.reader
        guard let node = view.value("from") else {
            reader.report(.missingField, view.node, view.path("from"), problem: "\"from\" (the drugs or classes) is required")
            return nil
        }
        let path = view.path("from")
        var pool = AgentPool()
        func add(_ name: String, _ node: Node?, _ path: String, exclude: Bool) {
            if name.lowercased() == "antidepressants" || name.lowercased() == "any antidepressant" {
                if !exclude { pool.antidepressants = true }
                return
            }
            if let option = reference.option(named: name), option.kind != .procedure || DrugClass(name: name) == nil {
                if DrugClass(name: name) != nil, option.id.lowercased() != name.lowercased(), option.name.lowercased() != name.lowercased() {
                    // A class word that is also an alias (none today): prefer the class.
                } else {
                    if exclude { pool.excludeOptions.append(option.id) } else { pool.options.append(option.id) }
                    return
                }
            }
            if let drugClass = DrugClass(name: name) {
                if exclude { pool.excludeClasses.append(drugClass) } else { pool.classes.append(drugClass) }
                return
            }
            reader.report(.unknownDrug, node, path, value: name, problem: "not a drug, brand or class the drug reference knows")
        }
        if case .sequence = node {
            for (index, item) in node.array().enumerated() {
                if let name = reader.scalarText(item, "\(path)[\(index)]", expected: "a drug or class name") { add(name, item, "\(path)[\(index)]", exclude: false) }
            }
            return pool
        }
        if case .scalar(let scalar) = node {
            add(scalar.string, node, path, exclude: false)
            return pool
        }
        guard let map = reader.mapping(node, path, allowed: ["options", "classes", "antidepressants", "exclude"]) else { return nil }
        for (index, name) in reader.strings(map, "options").enumerated() {
            if let option = reference.option(named: name) { pool.options.append(option.id) } else {
                reader.report(.unknownDrug, map.value("options"), "\(map.path("options"))[\(index)]", value: name, problem: "not a drug or brand the drug reference knows")
            }
        }
        for (index, name) in reader.strings(map, "classes").enumerated() {
            if let drugClass = DrugClass(name: name) { pool.classes.append(drugClass) } else {
                reader.report(.unknownClass, map.value("classes"), "\(map.path("classes"))[\(index)]", value: name,
                              problem: "unknown class; known: \(DrugClass.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        pool.antidepressants = reader.bool(map, "antidepressants") ?? false
        for (index, name) in reader.strings(map, "exclude").enumerated() { add(name, map.value("exclude"), "\(map.path("exclude"))[\(index)]", exclude: true) }
        if pool.options.isEmpty && pool.classes.isEmpty && !pool.antidepressants {
            reader.report(.missingField, node, path, problem: "name options, classes or antidepressants: true")
        }
        return pool
    }

    func resolveOption(_ name: String, _ node: Node?, _ path: String, _ reader: DocumentReader) -> String? {
        if let option = reference.option(named: name) { return option.id }
        reader.report(.unknownDrug, node, path, value: name, problem: "not a drug, brand or procedure the drug reference knows")
        return nil
    }

    func readOverlay(_ node: Node, _ path: String, _ reader: DocumentReader) -> ExceptionOverlay? {
        let keys: Set<String> = ["id", "kind", "title", "state", "funding", "grounds", "decisionHours", "exigentHours", "deemedApprovedIfLate",
                                 "appealDays", "citation"]
        guard let map = reader.mapping(node, path, allowed: keys), let id = reader.string(map, "id", required: true) else { return nil }
        reader.ruleID = id
        defer { reader.ruleID = nil }
        let kindText = reader.string(map, "kind", required: true) ?? ""
        guard let kind = ExceptionOverlay.Kind(rawValue: kindText) else {
            reader.report(.invalidValue, map.value("kind"), map.path("kind"), value: kindText,
                          problem: "kind must be state-step-therapy-exception, medicare-coverage-determination or formulary-exception")
            return nil
        }
        let grounds = reader.strings(map, "grounds").compactMap { text -> ExceptionOverlay.Ground? in
            if let ground = ExceptionOverlay.Ground(rawValue: text) { return ground }
            reader.report(.invalidValue, map.value("grounds"), map.path("grounds"), value: text,
                          problem: "known grounds: \(ExceptionOverlay.Ground.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        guard let citation = reader.string(map, "citation") else {
            reader.report(.missingCitation, node, map.path("citation"), problem: "every overlay needs a citation")
            return nil
        }
        guard let hours = reader.int(map, "decisionHours", required: true, range: 1...10000) else { return nil }
        return ExceptionOverlay(id: id, kind: kind, title: reader.string(map, "title"), state: reader.string(map, "state")?.uppercased(),
                                funding: reader.string(map, "funding"), grounds: grounds, decisionHours: hours,
                                exigentHours: reader.int(map, "exigentHours"), deemedApprovedIfLate: reader.bool(map, "deemedApprovedIfLate") ?? false,
                                appealDays: reader.int(map, "appealDays"), citation: citation, line: node.mark?.line)
    }
}
