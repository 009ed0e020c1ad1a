import FormularyAnalysis
import FormularyCriteria

/// The coverage report's "Sources" appendix: every identifier the rest of the report keeps out
/// of its sentences (verdict codes, rule ids and versions, tier codes, billing codes, safety
/// rule ids with their citations, the criteria file) and the analysis's own notes, verbatim, so
/// a clinic or the plan can trace each answer.
enum CoverageSources {
    static func blocks(_ plan: PlanResult, options: [OptionResult], asOf: Day) -> [Block] {
        var blocks: [Block] = []
        var items = ReportFooter.sourceItems(plan, asOf: asOf)
        if let words = pinnedVersionText(plan.criteria, asOf: asOf) { items.append([.strong("Criteria version: "), .text(words)]) }
        blocks.append(.list(items))

        // Rules by option; the other options' verdict codes on one line each.
        let ruled = options.filter { !$0.rules.isEmpty }
        let rows: [[[Inline]]] = ruled.map { option in
            var rules: [Inline] = []
            for (index, rule) in option.rules.enumerated() {
                if index > 0 { rules.append(.lineBreak) }
                rules += [.code(rule.ruleID), .text(" \(VerdictWording.ruleKind(rule).lowercased()), version \(rule.ruleVersion)\(rule.applied ? "" : " (not applied)")")]
                if let line = rule.line { rules.append(.text(", line \(line)")) }
            }
            return [[.text(VerdictWording.optionName(option))], [.code(option.verdict.rawValue)], rules]
        }
        if !rows.isEmpty {
            blocks.append(.table(Table(caption: "Verdict codes and the criteria rules behind them", headers: ["Option", "Verdict", "Rules (id, kind, version, line in the criteria file)"], rows: rows)))
        }
        var verdictOrder: [Verdict] = []
        var byVerdict: [Verdict: [String]] = [:]
        for option in options where option.rules.isEmpty {
            if byVerdict[option.verdict] == nil { verdictOrder.append(option.verdict) }
            byVerdict[option.verdict, default: []].append(VerdictWording.optionName(option))
        }
        var facts: [[Inline]] = verdictOrder.map { verdict in
            [.strong("Verdict "), .code(verdict.rawValue), .text(", no criteria rule: \(byVerdict[verdict]?.joined(separator: ", ") ?? "")")]
        }
        var tiers: [String] = []
        for option in options {
            guard let code = option.coverage.tierCode else { continue }
            let entry = "\(code) = \(PlainWords.tier(option.coverage) ?? code)"
            if !tiers.contains(entry) { tiers.append(entry) }
        }
        if !tiers.isEmpty { facts.append([.strong("Tier codes in the plan's data: "), .text(tiers.joined(separator: "; "))]) }
        let billed = options.filter { !$0.coverage.codes.isEmpty }
        if !billed.isEmpty {
            var line: [Inline] = [.strong("Billing codes: ")]
            for (index, option) in billed.enumerated() {
                if index > 0 { line.append(.text("; ")) }
                line.append(.text("\(VerdictWording.optionName(option)) "))
                for (codeIndex, code) in option.coverage.codes.enumerated() {
                    if codeIndex > 0 { line.append(.text(", ")) }
                    line.append(.code(code))
                }
            }
            facts.append(line)
        }
        for option in options {
            if let note = option.coverage.costShare?.note { facts.append([.strong("Cost note, \(VerdictWording.optionName(option)): "), .text(note)]) }
        }
        if !facts.isEmpty { blocks.append(.list(facts)) }

        // Safety rules: each once, with the options it touched and its citation.
        var order: [String] = []
        var byRule: [String: (citation: String, options: [String])] = [:]
        for finding in plan.regimenSafety + options.flatMap({ option in option.safety }) {
            if byRule[finding.ruleID] == nil { order.append(finding.ruleID); byRule[finding.ruleID] = (finding.citation, []) }
        }
        for option in options {
            for finding in option.safety where !(byRule[finding.ruleID]?.options.contains(VerdictWording.optionName(option)) ?? true) {
                byRule[finding.ruleID]?.options.append(VerdictWording.optionName(option))
            }
        }
        if !order.isEmpty {
            let safetyRows: [[[Inline]]] = order.sorted { ruleNumber($0) < ruleNumber($1) }.map { id in
                let entry = byRule[id]
                let names = entry?.options ?? []
                let applies = names.isEmpty ? "your current medicines" : (names.count > 4 ? names.prefix(4).joined(separator: ", ") + " and \(names.count - 4) more" : names.joined(separator: ", "))
                return [[.code(id)], [.text(SafetyWording.topic(id))], [.text(applies)], [.text(entry?.citation ?? "")]]
            }
            blocks.append(.table(Table(caption: "Safety rules applied", headers: ["Rule", "About", "Applies to", "Source"], rows: safetyRows)))
        }
        if !plan.notes.isEmpty {
            blocks.append(.paragraph([.strong("The analysis's notes, as written:")]))
            blocks.append(.list(plan.notes.map { [.text($0)] }))
        }
        return blocks
    }

    static func ruleNumber(_ id: String) -> Int { Int(id.drop { !$0.isNumber }) ?? Int.max }

    /// A pinned criteria version in words, when it matters: "The plan's rules from Jul 1, 2025
    /// are used, as the patient file asks, although this report is as of Mar 20, 2025; before
    /// Jul 1, 2025 …". `nil` when no version is pinned.
    static func pinnedVersionText(_ criteria: CriteriaSummary, asOf: Day) -> String? {
        guard criteria.pinned else { return nil }
        let from = TextFormat.day(criteria.rulesAsOf)
        if criteria.rulesAsOf > asOf {
            return "The plan's rules that take effect on \(from) are used, as the patient file asks, although this report is as of \(TextFormat.day(asOf)). Before \(from) the plan applies its earlier rules, and a request sent before then is judged by those."
        }
        return "The plan's rules in force from \(from) are used, as the patient file asks. If the plan has changed its rules since, a request sent now is judged by the newer ones."
    }
}
