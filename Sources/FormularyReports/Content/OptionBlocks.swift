import FormularyAnalysis
import FormularyCriteria
import FormularyModel

/// The blocks that describe one option under one plan (coverage, requirements, what is met,
/// what remains, safety, exception grounds), shared by the coverage report and the pre-check
/// sheet. They restate the analysis; they never decide anything.
enum OptionBlocks {
    /// The "Earliest" cell: now, a date, or why there is none.
    static func earliest(_ option: OptionResult, asOf: Day) -> String {
        if option.reachableNow { return "now" }
        switch option.verdict {
        case .notCovered: return "not covered"
        case .contraindicated: return "not an option"
        default: break
        }
        guard let remaining = option.remaining else { return option.verdict == .needsDocumentation ? "once records are sent" : "—" }
        if remaining.reachable, let day = remaining.reachableOn {
            return day <= asOf ? "now, after \(TextFormat.plural(remaining.stepCount, "step"))" : TextFormat.day(day)
        }
        return "no path found"
    }

    /// `costLabel`: "Your cost" for the patient's own report, "Cost to the patient" for staff.
    static func coverageItems(_ option: OptionResult, costLabel: String = "Your cost") -> [[Inline]] {
        let coverage = option.coverage
        var items: [[Inline]] = []
        let status: String
        switch coverage.status {
        case .covered: status = "on the plan's list"
        case .nonFormulary: status = "not on the plan's list (non-formulary)"
        case .notCovered: status = "excluded by the plan"
        case .unknown: status = "unknown: the plan's data is not available"
        }
        // Where the analysis says why it is not covered, its reason is the clearer sentence.
        if let reason = coverage.reason, coverage.status != .covered {
            items.append([.strong("Coverage: "), .text(reason)])
        } else {
            items.append([.strong("Coverage: "), .text(status)])
        }
        if let tier = TextFormat.tier(coverage) {
            var line: [Inline] = [.strong("Tier: "), .text(tier)]
            if coverage.tierCategory == nil || coverage.tierCategory == .unknown {
                line.append(.text(" (the plan's file numbers its tiers without naming them)"))
            }
            items.append(line)
        }
        if coverage.costShare != nil {
            var line: [Inline] = [.strong("\(costLabel): "), .text(TextFormat.cost(coverage.costShare, benefit: coverage.benefit))]
            if let note = coverage.costShare?.note { line.append(.text(" (\(note))")) }
            items.append(line)
        }
        if let benefit = coverage.benefit {
            var line: [Inline] = [.strong("Paid by: "), .text(benefitText(benefit))]
            if !coverage.codes.isEmpty {
                line.append(.text(" · billing codes "))
                for (index, code) in coverage.codes.enumerated() {
                    if index > 0 { line.append(.text(", ")) }
                    line.append(.code(code))
                }
            }
            items.append(line)
        }
        if let limit = option.quantityLimit ?? coverage.quantityLimit { items.append([.strong("Quantity limit: "), .text(limit)]) }
        if let approval = option.approval { items.append([.strong("An approval lasts: "), .text(approval)]) }
        if coverage.newStartsOnly == true {
            items.append([.strong("New starts only: "), .text("the plan's requirements apply only to people starting the drug (Medicare protected classes).")])
        }
        return items
    }

    static func benefitText(_ benefit: String) -> String {
        switch benefit {
        case "pharmacy": "the pharmacy benefit (filled at a pharmacy)"
        case "medical": "the medical benefit (given and billed by a clinic)"
        case "behavioral-health": "the behavioral-health benefit"
        default: benefit
        }
    }

    /// "Prior authorization PA-ESK — esketamine (Spravato) for TRD, version A-2025-01".
    static func ruleLine(_ rule: RuleResult) -> [Inline] {
        var line: [Inline] = [.strong(VerdictWording.ruleKind(rule)), .text(" "), .code(rule.ruleID)]
        if let title = rule.title { line.append(.text(": \(title)")) }
        line.append(.text(", version \(rule.ruleVersion)"))
        if !rule.applied {
            line.append(.text(" — does not apply here: \(rule.notAppliedReason ?? "not applied")"))
        } else {
            line.append(.text(" — \(TextFormat.plural(rule.criteria.count, "requirement"))"))
        }
        return line
    }

    static func requirementItems(_ option: OptionResult) -> [[Inline]] {
        var items = option.rules.map(ruleLine)
        if items.isEmpty {
            if option.coverage.priorAuthorization == true { items.append([.text("The plan flags prior authorization; its criteria are not in the data.")]) }
            if option.coverage.stepTherapy == true { items.append([.text("The plan flags step therapy; its criteria are not in the data.")]) }
        }
        return items
    }

    /// Met criteria with the evidence that counts, each on its own line.
    static func metItems(_ option: OptionResult, showRefs: Bool) -> [[Inline]] {
        option.rules.filter(\.applied).flatMap { rule in
            rule.criteria.filter { $0.status == .met }.map { criterion in
                var line: [Inline] = [.badge(VerdictWording.criterion(criterion.status)), .text(" "), .strong(criterion.label), .text(": \(criterion.detail)")]
                for evidence in criterion.evidence where evidence.counts {
                    line.append(.lineBreak)
                    line += EvidenceText.inlines(evidence, showRef: showRefs)
                }
                return line
            }
        }
    }

    /// Criteria not met, unknown, or met only with records the plan cannot see.
    static func openItems(_ option: OptionResult, showRefs: Bool) -> [[Inline]] {
        option.rules.filter(\.applied).flatMap { rule in
            rule.criteria.filter { $0.status != .met }.map { criterion in
                var line: [Inline] = [.badge(VerdictWording.criterion(criterion.status)), .text(" "), .strong(criterion.label), .text(": \(criterion.detail)")]
                if let group = criterion.alternativeGroup { line.append(.emphasis(" (one of the alternatives in group \(group))")) }
                if let needed = criterion.documentationNeeded {
                    line.append(.lineBreak)
                    line += [.strong("To send: "), .text(needed)]
                }
                for evidence in criterion.evidence {
                    line.append(.lineBreak)
                    line += EvidenceText.inlines(evidence, showRef: showRefs)
                }
                return line
            }
        }
    }

    static func stepItems(_ path: RemainingPath) -> [[Inline]] {
        path.steps.sorted { $0.order < $1.order }.map { step in
            var line: [Inline] = [.text(step.description)]
            var facts: [String] = []
            if let start = step.start { facts.append("start \(TextFormat.day(start))") }
            if let met = step.earliestMet, met != step.start { facts.append("counts from \(TextFormat.day(met))") }
            if let days = step.durationDays { facts.append(TextFormat.plural(days, "day")) }
            if let tier = step.tierCode, !step.description.contains("tier \(tier)") { facts.append("tier \(tier)") }
            if step.costShare != nil { facts.append(TextFormat.shortCost(step.costShare)) }
            if !facts.isEmpty { line.append(.text(" (\(facts.joined(separator: ", ")))")) }
            if !step.alternatives.isEmpty { line.append(.text("; equally good instead: \(step.alternatives.joined(separator: ", "))")) }
            for finding in step.safety {
                line.append(.lineBreak)
                line += [.badge(VerdictWording.safety(finding.verdict)), .text(" \(finding.ruleID): \(finding.message)")]
                if let start = finding.earliestStart { line.append(.text(" (earliest start \(TextFormat.day(start)))")) }
            }
            return line
        }
    }

    static func pathSummary(_ path: RemainingPath, asOf: Day) -> [Inline] {
        if path.reachable {
            guard let day = path.reachableOn else { return [.text("Reachable once the steps are done.")] }
            let when = day <= asOf ? "as soon as the steps above are done" : "\(TextFormat.day(day)) (\(TextFormat.relative(day, from: asOf)))"
            return [.strong("Earliest date everything is met: "), .text(when + ", after \(TextFormat.plural(path.stepCount, "step")).")]
        }
        return [.strong("No path found: "), .text(path.blockedReason ?? "no sequence of covered, safe steps reaches this option.")]
    }

    static func prunedItems(_ path: RemainingPath) -> [[Inline]] {
        path.prunedSteps.map { pruned in
            var line: [Inline] = [.strong(pruned.name), .text(": \(pruned.reason)")]
            if pruned.contraindicated { line.append(.emphasis(" (unsafe: grounds for an exception)")) }
            return line
        }
    }

    static func safetyItems(_ findings: [SafetyFinding], plainWords: Bool) -> [[Inline]] {
        findings.map { finding in
            var line: [Inline] = [.badge(VerdictWording.safety(finding.verdict)), .text(" "), .code(finding.ruleID), .text(" \(finding.message)")]
            if let start = finding.earliestStart { line += [.text(". "), .strong("Earliest start: \(TextFormat.day(start))")] }
            if plainWords, let words = SafetyWording.explanation(finding.ruleID) {
                line.append(.lineBreak)
                line.append(.emphasis(words))
            }
            return line
        }
    }

    static func expiryItems(_ option: OptionResult) -> [[Inline]] {
        option.lookbackExpiries.map { expiry in
            [.strong(TextFormat.day(expiry.expiresOn)), .text(": the \(expiry.drug) trial (last covered \(TextFormat.day(expiry.coverageEnd))) stops counting toward "),
             .code(expiry.ruleID), .text(": it leaves the plan's lookback window. If that leaves fewer trials than the rule needs, send the request before this date or attach records.")]
        }
    }

    static func groundItems(_ option: OptionResult) -> [[Inline]] {
        option.exceptionGrounds.map { ground in
            var line: [Inline] = [.strong(AppealGuide.groundLabel(ground.ground)), .text(": \(ground.description)")]
            if let hours = ground.decisionHours {
                line.append(.text(". Decision within \(TextFormat.hours(hours))"))
                if let exigent = ground.exigentHours { line.append(.text(" (\(TextFormat.hours(exigent)) if urgent)")) }
                if ground.deemedApprovedIfLate == true { line.append(.text("; deemed approved if the plan is late")) }
            }
            if let citation = ground.citation { line.append(.text(" — \(citation)")) }
            return line
        }
    }
}
