import FormularyAnalysis
import FormularyCriteria

/// The coverage report's per-option detail for its appendix: what the plan requires, what is
/// met with the records that show it, what remains with the steps and dates, deadlines,
/// exception grounds and notes. Plain words throughout; rule ids, verdict codes and record
/// references are in the sources appendix. Restates the analysis, decides nothing.
enum CoverageDetails {
    /// Whether an option has anything to say beyond its row in the option table: covered drugs
    /// with no requirement and nothing but general warnings have none.
    static func needsBlock(_ option: OptionResult) -> Bool {
        switch option.verdict {
        // Waiting periods and dose changes of a covered drug are in the safety appendix.
        case .coveredNoUM:
            !option.rules.isEmpty || !option.lookbackExpiries.isEmpty || !notes(option).isEmpty
        case .notCovered: !option.exceptionGrounds.isEmpty
        default: true
        }
    }

    static func notes(_ option: OptionResult) -> [String] {
        option.notes.filter { $0 != option.coverage.reason }.map(PlainWords.sentence)
    }

    /// Options whose requirements, evidence, path and notes read the same (Rexulti and Vraylar
    /// under one rule, two step-therapy drugs behind the same two generics) share one block,
    /// in the analysis's order; their coverage lines stay separate.
    static func groups(_ options: [OptionResult]) -> [[OptionResult]] {
        var order: [String] = []
        var bySignature: [String: [OptionResult]] = [:]
        for option in options where needsBlock(option) {
            let key = signature(option)
            if bySignature[key] == nil { order.append(key) }
            bySignature[key, default: []].append(option)
        }
        return order.compactMap { bySignature[$0] }
    }

    /// Everything a block says except the option's name and coverage line.
    static func signature(_ option: OptionResult) -> String {
        var parts: [String] = [option.verdict.rawValue, option.basis.rawValue, option.approval ?? ""]
        for rule in option.rules {
            parts += [rule.ruleID, rule.title ?? "", String(rule.applied), rule.notAppliedReason ?? ""]
            for criterion in rule.criteria {
                parts += [criterion.id, criterion.label, criterion.status.rawValue, criterion.detail, criterion.documentationNeeded ?? "", String(criterion.alternativeGroup ?? 0)]
                parts += criterion.evidence.map { [$0.drug ?? "", $0.from?.description ?? "", $0.through?.description ?? "", $0.detail, String($0.counts)].joined(separator: "/") }
            }
        }
        if let path = option.remaining {
            parts += [String(path.reachable), path.reachableOn?.description ?? "", path.blockedReason ?? ""]
            parts += path.steps.map { "\($0.order)/\($0.description)/\($0.start?.description ?? "")/\($0.earliestMet?.description ?? "")/\($0.safety.map(\.message))" }
            parts += path.prunedSteps.map { "\($0.name)/\($0.reason)" }
        }
        parts += option.lookbackExpiries.map { "\($0.ruleID)/\($0.drug)/\($0.expiresOn)" }
        parts += option.exceptionGrounds.map { "\($0.ground)/\($0.description)/\($0.decisionHours ?? 0)" }
        parts += option.safety.filter { $0.verdict != .warn }.map { "\($0.ruleID)/\($0.message)/\($0.earliestStart?.description ?? "")" }
        parts += notes(option)
        return parts.joined(separator: "|")
    }

    /// One block for options that read the same: a card with an `h3` and short lists.
    static func block(_ group: [OptionResult], plan: PlanResult, asOf: Day) -> [Block] {
        guard let option = group.first else { return [] }
        var blocks: [Block] = [.heading(level: 3, text: QuestionList.list(group.map(VerdictWording.optionName), "and"))]
        var status: [Inline] = [.badge(CoverageWording.status(option)), .text(" " + CoverageWording.meaning(option))]
        if let note = VerdictWording.basisNote(option.basis) { status += [.lineBreak, .emphasis(note)] }
        blocks.append(.paragraph(status))
        if group.count == 1 {
            blocks.append(.paragraph(coverageLine(option)))
        } else {
            blocks.append(.list(group.map { [.strong(VerdictWording.optionName($0) + ": ")] + coverageLine($0) }))
        }

        if option.verdict == .contraindicated {
            let ruling = option.safety.filter { $0.verdict == .contraindicated }
            blocks.append(.paragraph([.strong("Why it is ruled out: "), .text(ruling.map { PlainWords.capitalized(TextFormat.clause($0.message)) }.joined(separator: "; ") + ".")]))
            blocks += grounds(option)
            return blocks
        }

        let requirements = option.rules.map { rule -> [Inline] in
            var line: [Inline] = [.strong(VerdictWording.ruleKind(rule))]
            if let title = rule.title { line.append(.text(": \(PlainWords.sentence(title))")) }
            if rule.applied {
                let met = rule.criteria.filter { $0.status == .met }.count
                line.append(.text(" — \(met) of \(TextFormat.plural(rule.criteria.count, "requirement")) met"))
            } else {
                line.append(.text(" — does not apply here: \(PlainWords.sentence(rule.notAppliedReason ?? "not applied"))"))
            }
            return line
        }
        if !requirements.isEmpty {
            blocks.append(.list(requirements))
        } else if option.coverage.priorAuthorization == true || option.coverage.stepTherapy == true {
            blocks.append(.paragraph([.text("The plan flags a requirement, but its criteria are not in the data: ask the plan for them.")]))
        }

        let criteria = option.rules.filter(\.applied).flatMap(\.criteria)
        let met = criteria.filter { $0.status == .met }
        if !met.isEmpty {
            // The criterion's own detail names the record for a flag, an age or a diagnosis;
            // trials, fills, scores and procedures get their own lines with dates.
            blocks.append(.paragraph([.badge(VerdictWording.criterion(.met)), .strong(" Already met, and the records that show it:")]))
            blocks.append(.list(met.map { criterion in
                let label = PlainWords.sentence(criterion.label), detail = TextFormat.clause(PlainWords.sentence(criterion.detail))
                var line: [Inline] = [.strong(label)]
                if detail.lowercased() != label.lowercased(), !detail.isEmpty { line.append(.text(": \(detail)")) }
                let dated = criterion.evidence.filter { $0.counts && Self.datedKinds.contains($0.kind) }
                if !dated.isEmpty { line.append(.emphasis(" — records: \(CoverageHistory.shortEvidence(dated))")) }
                return line
            }))
        }
        let open = criteria.filter { $0.status != .met }
        if !open.isEmpty {
            blocks.append(.paragraph([.strong(open.allSatisfy { $0.status == .unknown } && option.verdict != .paNotMet && option.verdict != .stNotMet
                                                ? "Still to answer (the analysis counts it as met; the plan may ask):" : "Still open:")]))
            blocks.append(.list(open.map { criterion in
                var line = criterionLine(criterion)
                if let group = criterion.alternativeGroup { line.append(.emphasis(" (one of the alternatives in group \(group))")) }
                if let needed = criterion.documentationNeeded { line += [.lineBreak, .strong("To send: "), .text(PlainWords.sentence(needed))] }
                for evidence in CoverageHistory.evidenceLines(criterion.evidence, plan: plan) {
                    line += [.lineBreak] + evidence
                }
                return line
            }))
        }
        if let path = option.remaining {
            let steps = path.steps.sorted { $0.order < $1.order }
            if !steps.isEmpty {
                blocks.append(.paragraph([.strong("Steps, in order:")]))
                blocks.append(.list(steps.map(stepLine), ordered: true))
            }
            if path.reachable {
                if let day = path.reachableOn {
                    let when = day <= asOf ? "as soon as the steps are done" : "\(TextFormat.day(day)) (\(TextFormat.relative(day, from: asOf)))"
                    blocks.append(.paragraph([.strong("Earliest date everything is met: "), .text("\(when), after \(TextFormat.plural(path.stepCount, "step")).")]))
                }
            } else {
                let missing = path.blockedReason.map(PlainWords.sentence) ?? "the records do not show what the plan asks for"
                blocks.append(.paragraph([.strong("No trial can meet this. "), .text("What is missing is information in the records, not another trial: \(TextFormat.clause(missing)). If it applies to you, the prescriber can document it.")]))
            }
            let pruned = path.prunedSteps.map { pruned -> [Inline] in
                var line: [Inline] = [.strong(pruned.name), .text(": \(PlainWords.sentence(pruned.reason))")]
                if pruned.contraindicated { line.append(.emphasis(" (not safe for you: grounds for an exception)")) }
                return line
            }
            if !pruned.isEmpty {
                blocks.append(.paragraph([.strong("Left out of the path:")]))
                blocks.append(.list(pruned))
            }
        }
        let expiries = option.lookbackExpiries.map { expiry -> [Inline] in
            let kind = option.rules.first { $0.ruleID == expiry.ruleID }.map { VerdictWording.ruleKind($0).lowercased() } ?? "the plan's rule"
            return [.strong(TextFormat.day(expiry.expiresOn)), .text(": the \(expiry.drug) trial (last covered \(TextFormat.day(expiry.coverageEnd))) stops counting toward the \(kind): it leaves the plan's lookback window. Send the request before then, or attach records.")]
        }
        if !expiries.isEmpty {
            blocks.append(.paragraph([.strong("Deadlines:")]))
            blocks.append(.list(expiries))
        }
        // Waiting periods and dose changes are said once, in the safety appendix (C).
        blocks += grounds(option)
        let notes = notes(option)
        if !notes.isEmpty { blocks.append(.paragraph([.strong("Notes: "), .text(notes.joined(separator: " "))])) }
        return blocks
    }

    /// Evidence worth a line of its own under a met criterion: what happened over time.
    static let datedKinds: Set<Evidence.Kind> = [.claim, .trial, .plannedTrial, .score, .procedure, .event]

    /// "Covered · Preferred brand (tier 3) · $45 a month (estimate) · pharmacy · 1 tablet/day".
    static func coverageLine(_ option: OptionResult) -> [Inline] {
        let coverage = option.coverage
        var parts: [String] = []
        switch coverage.status {
        case .covered: parts.append("On the plan's list")
        case .nonFormulary: parts.append("Not on the plan's list")
        case .notCovered: parts.append("Excluded by the plan")
        case .unknown: parts.append("The plan's data is not available")
        }
        if let reason = coverage.reason, coverage.status != .covered { parts[0] = PlainWords.capitalized(TextFormat.clause(PlainWords.sentence(reason))) }
        if let tier = PlainWords.tier(coverage) { parts.append(tier) }
        if coverage.costShare != nil { parts.append(TextFormat.cost(coverage.costShare, benefit: coverage.benefit)) }
        if let benefit = coverage.benefit { parts.append(benefitShort(benefit)) }
        if let limit = option.quantityLimit ?? coverage.quantityLimit { parts.append("quantity limit: \(PlainWords.sentence(limit))") }
        if let approval = option.approval { parts.append("an approval lasts \(approval)") }
        if coverage.newStartsOnly == true { parts.append("the requirements apply only to people starting the drug") }
        return [.text(parts.joined(separator: " · "))]
    }

    static func benefitShort(_ benefit: String) -> String {
        switch benefit {
        case "pharmacy": "pharmacy benefit"
        case "medical": "medical benefit (billed by a clinic)"
        case "behavioral-health": "behavioral-health benefit"
        default: benefit
        }
    }

    static func criterionLine(_ criterion: CriterionResult) -> [Inline] {
        [.badge(VerdictWording.criterion(criterion.status)), .text(" "), .strong(PlainWords.sentence(criterion.label)), .text(": \(PlainWords.sentence(criterion.detail))")]
    }

    static func stepLine(_ step: PathStep) -> [Inline] {
        var line: [Inline] = [.text(PlainWords.capitalized(PlainWords.sentence(step.description)))]
        var facts: [String] = []
        if let start = step.start { facts.append("start \(TextFormat.day(start))") }
        if let met = step.earliestMet, met != step.start { facts.append("counts from \(TextFormat.day(met))") }
        if step.costShare != nil { facts.append(TextFormat.shortCost(step.costShare)) }
        if !facts.isEmpty { line.append(.text(" (\(facts.joined(separator: ", ")))")) }
        if !step.alternatives.isEmpty { line.append(.text("; equally good instead: \(step.alternatives.joined(separator: ", "))")) }
        for finding in step.safety {
            line += [.lineBreak, .badge(VerdictWording.safety(finding.verdict)), .text(" \(PlainWords.capitalized(TextFormat.clause(finding.message)))")]
            if let start = finding.earliestStart { line.append(.text(" (earliest start \(TextFormat.day(start)))")) }
        }
        return line
    }

    /// The exception grounds by name; their routes, clocks and what the analysis found are in
    /// the appeals appendix (F), said once there.
    static func grounds(_ option: OptionResult) -> [Block] {
        let labels = CoverageWording.unique(option.exceptionGrounds.map { AppealGuide.groundLabel($0.ground) })
        guard !labels.isEmpty else { return [] }
        return [.paragraph([.strong("Exception possible: "), .text(labels.joined(separator: "; ") + " (how to ask, and the deadlines: appendix F).")])]
    }
}
