import Foundation
import FormularyModel
import FormularyCriteria

/// Plain-text renderings for people: the ranked analysis, and a clinic's PA precheck
/// checklist. Kept in the library so every front end (CLI, server, reports) says the same.
public enum AnalysisText {
    public static func render(_ result: AnalysisResult) -> String {
        var out: [String] = ["Analysis for \(result.patient) as of \(result.asOf)"]
        for plan in result.plans {
            out.append("")
            out.append("Plan \(plan.planID)" + (plan.planName.map { " — \($0)" } ?? "") + (plan.formularyID.map { " (formulary \($0))" } ?? ""))
            var criteria = "  criteria: \(plan.criteria.title ?? "none")"
            if let version = plan.criteria.policyVersion { criteria += ", version \(version)\(plan.criteria.pinned ? " (pinned)" : "")" }
            if let note = plan.criteria.note { criteria += " — \(note)" }
            out.append(criteria)
            for note in plan.notes { out.append("  note: \(note)") }
            for event in plan.events {
                out.append("  ⚑ \(event.kind.rawValue) \(event.date): \(event.drug) labeler \(event.fromLabeler ?? "?") → \(event.toLabeler ?? "?")"
                           + [event.scoreBefore.map { "before: \($0)" }, event.scoreAfter.map { "after: \($0)" }].compactMap { $0 }.map { "; " + $0 }.joined())
            }
            for finding in plan.regimenSafety { out.append("  current regimen: \(finding.verdict.rawValue) \(finding.ruleID): \(finding.message)") }
            for drug in plan.unrecognizedDrugs { out.append("  not recognized (not counted): \(drug.text) [\(drug.ref)]") }
            out.append("")
            out += shortlist(plan)
            var lastGroup: String?
            for option in plan.options {
                let group = groupTitle(option)
                if group != lastGroup {
                    out.append("── \(group) ──")
                    lastGroup = group
                }
                out += render(option)
            }
        }
        return out.joined(separator: "\n")
    }

    /// The shortlist: at most five next options, each with its reason, first.
    static func shortlist(_ plan: PlanResult) -> [String] {
        guard !plan.shortlist.isEmpty else { return ["Next options: none is usable under this plan now; see the options below.", ""] }
        var out = ["Next options (shortlist):"]
        for (index, item) in plan.shortlist.enumerated() {
            var line = "  \(index + 1). \(item.name) — \(item.verdict.rawValue), \(item.use == .addOn ? "add-on" : "switch")"
            if let cost = item.monthlyCost { line += ", about $\(Int(cost.rounded()))/month" }
            out.append(line)
            out.append("     \(item.reason)")
            if !item.safetyFlags.isEmpty { out.append("     safety: \(item.safetyFlags.joined(separator: ", "))") }
        }
        out.append("")
        return out
    }

    /// The heading an option is listed under: its strategy, or tried, current, not covered, contraindicated.
    static func groupTitle(_ option: OptionResult) -> String {
        if option.verdict == .contraindicated { return "contraindicated" }
        if option.verdict == .notCovered { return "not covered by this plan" }
        switch option.history?.status {
        case .current?: return "taken now"
        case .tried?: return "tried in this episode"
        case nil: return option.strategy.title
        }
    }

    static func render(_ option: OptionResult) -> [String] {
        let flags = option.safety.map { "\($0.ruleID) \($0.verdict.rawValue)" }.uniqued()
        var out = ["\(option.rank). \(option.name) — \(option.verdict.rawValue)" + (option.use == .addOn ? " (add-on)" : " (switch)")
                   + (flags.isEmpty ? "" : " ⚠ " + flags.joined(separator: ", "))]
        if let history = option.history {
            let outcome = history.outcomes.isEmpty ? "" : ", \(history.outcomes.joined(separator: " and "))"
            let dose = history.mgPerDay.map { " \($0.clean) mg/day" } ?? ""
            out.append(history.status == .current
                ? "   taken now since \(history.start)\(dose)\(outcome) [\(history.ref)]: a current drug, not a next option"
                : "   tried \(history.start) → \(history.end.map(\.description) ?? "?")\(dose)\(outcome) [\(history.ref)]")
        }
        if let start = option.earliestStart, !option.reachableNow, option.verdict.isReachableNow { out.append("   earliest start: \(start) (washout)") }
        out.append("   \(option.summary)")
        var coverage = "   coverage: "
        switch option.coverage.status {
        case .covered:
            coverage += "tier \(option.coverage.tierCode ?? "?")"
            if let category = option.coverage.tierCategory { coverage += " (\(category.displayName))" }
        case .nonFormulary: coverage += "not on the formulary"
        case .notCovered: coverage += "not covered"
        case .unknown: coverage += "unknown"
        }
        if let cost = option.coverage.costShare { coverage += "; " + describe(cost) }
        if !option.coverage.codes.isEmpty { coverage += "; codes \(option.coverage.codes.joined(separator: ", "))" }
        out.append(coverage)
        if let limit = option.quantityLimit { out.append("   quantity limit: \(limit)") }
        if let approval = option.approval, option.verdict != .coveredNoUM { out.append("   approval: \(approval)") }
        for rule in option.rules {
            var line = "   rule \(rule.ruleID) [\(rule.ruleVersion)] \(rule.status.rawValue)"
            if !rule.applied { line += " — not applied: \(rule.notAppliedReason ?? "")" }
            line += " · \(rule.citation)"
            out.append(line)
            for criterion in rule.criteria where rule.applied {
                out.append("     \(mark(criterion.status)) \(criterion.label): \(criterion.detail)")
            }
        }
        if let remaining = option.remaining {
            if remaining.reachable {
                if !remaining.steps.isEmpty {
                    out.append("   remaining path (\(remaining.stepCount) step\(remaining.stepCount == 1 ? "" : "s"); reachable \(remaining.reachableOn.map(\.description) ?? "?")):")
                    for step in remaining.steps {
                        var line = "     \(step.order). \(step.description)"
                        if let start = step.start, step.kind == .trial { line += " — start \(start)" }
                        if let met = step.earliestMet { line += ", counts on \(met)" }
                        if let tier = step.tierCode { line += " [tier \(tier)]" }
                        out.append(line)
                        for finding in step.safety { out.append("        \(finding.verdict.rawValue) \(finding.ruleID): \(finding.message)") }
                        if !step.alternatives.isEmpty { out.append("        or: \(step.alternatives.joined(separator: ", "))") }
                    }
                }
            } else {
                out.append("   no path: \(remaining.blockedReason ?? "unknown")")
            }
            for pruned in remaining.prunedSteps where pruned.contraindicated {
                out.append("   excluded step: \(pruned.name) (\(pruned.reason))")
            }
        }
        for expiry in option.lookbackExpiries { out.append("   lookback: \(expiry.drug) (\(expiry.ruleID)) leaves the window on \(expiry.expiresOn)") }
        for ground in option.exceptionGrounds {
            var line = "   exception ground: \(ground.description)"
            if let hours = ground.decisionHours { line += " — decision \(hours) h" + (ground.exigentHours.map { " (\($0) h exigent)" } ?? "") }
            if let citation = ground.citation { line += " · \(citation)" }
            out.append(line)
        }
        for finding in option.safety { out.append("   \(finding.verdict.rawValue) \(finding.ruleID): \(finding.message)" + (finding.earliestStart.map { " (earliest start \($0))" } ?? "")) }
        for note in option.notes { out.append("   note: \(note)") }
        out.append("")
        return out
    }

    /// The PA checklist a clinic fills in: each criterion met / unmet / unknown with its
    /// evidence, and the documentation still needed.
    public static func precheck(_ option: OptionResult, plan: PlanResult, asOf: Day) -> String {
        var out = ["PA precheck: \(option.name) on plan \(plan.planID)\(plan.planName.map { " (\($0))" } ?? "") as of \(asOf)"]
        out.append("verdict: \(option.verdict.rawValue)")
        out.append(option.summary)
        if option.rules.isEmpty { out.append("no PA or step-therapy rule applies") }
        var needed: [String] = []
        for rule in option.rules {
            out.append("")
            out.append("\(rule.ruleID) (\(rule.kind.rawValue), version \(rule.ruleVersion)) — \(rule.citation)")
            if let note = rule.basis.note { out.append("  [\(note)]") }
            if !rule.applied { out.append("  not applied: \(rule.notAppliedReason ?? "")"); continue }
            for criterion in rule.criteria {
                out.append("  [\(mark(criterion.status))] \(criterion.label)\(criterion.alternativeGroup.map { " (alternative group \($0))" } ?? "")")
                out.append("        \(criterion.detail)")
                for evidence in criterion.evidence {
                    var line = "        · \(evidence.counts ? "" : "(not counted) ")\(evidence.detail)"
                    if let ref = evidence.ref { line += " [\(ref)]" }
                    out.append(line)
                }
                if criterion.status != .met, let documentation = criterion.documentationNeeded { needed.append(documentation) }
            }
            if let approval = rule.approval { out.append("  approval: \(approval)") }
            if let reauthorization = rule.reauthorization { out.append("  reauthorization: \(reauthorization)") }
        }
        let documented = Set(option.rules.flatMap { rule in rule.criteria.filter { $0.status != .met && $0.documentationNeeded != nil }.map { "\(rule.ruleID).\($0.id)" } })
        for step in option.remaining?.steps ?? [] where step.kind == .action && !step.satisfies.contains(where: documented.contains) {
            needed.append(step.description)
        }
        out.append("")
        out.append("documentation still needed:")
        let unique = uniqued(needed)
        out += unique.isEmpty ? ["  none"] : unique.map { "  - \($0)" }
        for ground in option.exceptionGrounds { out.append("exception ground: \(ground.description)" + (ground.citation.map { " · \($0)" } ?? "")) }
        for finding in option.safety { out.append("safety: \(finding.verdict.rawValue) \(finding.ruleID): \(finding.message)") }
        return out.joined(separator: "\n")
    }

    static func mark(_ status: CriterionStatus) -> String {
        switch status {
        case .met: "✓"
        case .unmet: "✗"
        case .unknown: "?"
        case .needsDocumentation: "docs"
        }
    }

    static func describe(_ cost: CostEstimate) -> String {
        var parts: [String] = []
        if let copay = cost.copay, copay > 0 { parts.append("$\(copay) copay") }
        if let coinsurance = cost.coinsurance, coinsurance > 0 { parts.append("\(coinsurance * 100)% coinsurance") }
        if parts.isEmpty { parts.append("$0") }
        if let days = cost.daysSupply { parts.append("\(days)-day") }
        if let note = cost.note { parts.append(note) }
        return parts.joined(separator: ", ")
    }

    /// Order-preserving de-duplication.
    static func uniqued(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.filter { seen.insert($0).inserted }
    }
}
