import FormularyAnalysis
import FormularyCriteria

extension PreCheckSheet {
    func document() -> ReportDocument {
        let asOf = analysis.asOf
        let planName = plan.planName ?? plan.planID
        let optionName = VerdictWording.optionName(option)
        var blocks: [Block] = []

        var intro: [Inline] = [.strong("For clinic staff. "),
                               .text("Checked against \(plan.criteria.title ?? plan.criteria.documentID ?? "the plan's criteria")")]
        if let version = plan.criteria.policyVersion { intro.append(.text(", version \(version)\(plan.criteria.pinned ? " (pinned)" : "")")) }
        intro.append(.text(", rules in force on \(TextFormat.day(plan.criteria.rulesAsOf)). This sheet restates the analysis of the patient file: verify each item against the chart before submitting."))
        blocks.append(.callout(.info, blocks: [.paragraph(intro)]))
        if let note = VerdictWording.basisNote(option.basis) {
            blocks.append(.callout(.warning, blocks: [.paragraph([.strong("Criteria: "), .text(note)])]))
        }
        if let timing = timingText {
            blocks.append(.callout(.warning, blocks: [.paragraph([.strong("Criteria version: "), .text(timing)])]))
        }

        blocks.append(.section(id: "result", card: false, blocks: result(asOf: asOf)))
        blocks.append(.section(id: "checklist", card: false, blocks: checklist()))
        blocks.append(.section(id: "missing", card: false, blocks: missing()))
        if let path = option.remaining {
            var remaining: [Block] = [.heading(level: 2, text: "What remains")]
            if !path.steps.isEmpty { remaining.append(.list(OptionBlocks.stepItems(path), ordered: true)) }
            remaining.append(.paragraph(OptionBlocks.pathSummary(path, asOf: asOf)))
            let pruned = OptionBlocks.prunedItems(path)
            if !pruned.isEmpty { remaining += [.paragraph([.strong("Left out of the path:")]), .list(pruned)] }
            blocks.append(.section(id: "remaining", card: false, blocks: remaining))
        }
        let expiries = OptionBlocks.expiryItems(option)
        if !expiries.isEmpty {
            blocks.append(.section(id: "deadlines", card: false, blocks: [.heading(level: 2, text: "Submit before"), .list(expiries)]))
        }
        if !option.safety.isEmpty {
            blocks.append(.section(id: "safety", card: false, blocks: [.heading(level: 2, text: "Safety for this option"),
                                                                       .list(OptionBlocks.safetyItems(option.safety, plainWords: false))]))
        }
        let grounds = OptionBlocks.groundItems(option)
        if !grounds.isEmpty {
            blocks.append(.section(id: "exceptions", card: false, blocks: [.heading(level: 2, text: "Exception routes"), .list(grounds)]))
        }
        if !plan.trials.isEmpty {
            blocks.append(.section(id: "trials", card: false, blocks: [
                .heading(level: 2, text: "Trials in the record"),
                .table(TrialTable.table(plan.trials, caption: "Trials and how each adequacy rule judged them", showRefs: true)),
            ]))
        }
        blocks.append(.section(id: "letter", card: false, blocks: [
            .heading(level: 2, text: "Draft letter of medical necessity"),
            .callout(.draft, blocks: MedicalNecessityLetter(plan: plan, option: option, asOf: asOf).blocks()),
        ]))
        blocks.append(.section(id: "source", card: false, blocks: [.heading(level: 2, text: "Source"), .list(ReportFooter.sourceItems(plan, asOf: asOf) + ruleSources())]))

        return ReportDocument(
            title: "PA pre-check: \(optionName), \(planName)",
            subtitle: [.text("Plan \(plan.planID) · option "), .code(option.optionID), .text(" · as of "), .strong(TextFormat.day(asOf)),
                       .text(" · profile "), .code(analysis.patient)],
            blocks: blocks,
            footer: ReportFooter.lines(metadata)
        )
    }

    var appliedCriteria: [CriterionResult] { option.rules.filter(\.applied).flatMap(\.criteria) }

    /// Whether the criteria checked are the ones in force on the submission date (the as-of
    /// date): always when no version is pinned (the analysis chose the version in force then).
    enum CriteriaTiming: Equatable {
        case inForce
        /// A pinned version that starts after the as-of date.
        case future(version: String, starts: Day)
        /// A pinned version whose window no longer (or not yet) holds the as-of date, as the
        /// analysis notes it.
        case outside(version: String, note: String)
    }

    var criteriaTiming: CriteriaTiming {
        let criteria = plan.criteria
        guard criteria.pinned, let version = criteria.policyVersion else { return .inForce }
        if criteria.rulesAsOf > analysis.asOf { return .future(version: version, starts: criteria.rulesAsOf) }
        // The analysis notes a pinned version whose window does not hold the as-of date.
        if let note = plan.notes.first(where: { $0.hasPrefix("criteria version \(version) pinned") }) { return .outside(version: version, note: note) }
        return .inForce
    }

    /// What the pinned version means for submitting today, or nil when the criteria are in force.
    var timingText: String? {
        switch criteriaTiming {
        case .inForce: return nil
        case let .future(version, starts):
            return "this sheet checks version \(version), which takes effect on \(TextFormat.day(starts)). Until then, the version in force on \(TextFormat.day(analysis.asOf)) applies, and this sheet did not check it: run the pre-check without pinning a version to see today's criteria, or submit this one on or after \(TextFormat.day(starts))."
        case let .outside(version, _):
            return "this sheet checks version \(version), which is not in force on \(TextFormat.day(analysis.asOf)): run the pre-check without pinning a version to check the criteria in force before submitting."
        }
    }

    func readiness() -> String {
        let open = appliedCriteria.filter { $0.status == .unmet }.count
        guard criteriaTiming != .inForce else { return verdictReadiness(open: open) }
        let when: String = if case let .future(_, starts) = criteriaTiming { " before \(TextFormat.day(starts))" } else { "" }
        let notInForce = "the criteria checked are not the ones in force on \(TextFormat.day(analysis.asOf)) (see “Criteria version”)"
        switch option.verdict {
        case .coveredPAMet:
            return "Not ready to submit\(when): \(notInForce). Under the version checked, every criterion is met on the evidence below."
        case .coveredNoUM:
            return "Not ready to send\(when): \(notInForce). Under the version checked, no prior authorization or step therapy applies."
        case .stMet:
            return "Not ready to send\(when): \(notInForce). Under the version checked, the step therapy is met in the records."
        case .needsDocumentation:
            return "Not ready to submit\(when): \(notInForce). Under the version checked, it is met with the records listed under “Documentation still missing”."
        case .paNotMet, .stNotMet, .notCovered, .contraindicated:
            return verdictReadiness(open: open) + " Also, \(notInForce)."
        }
    }

    func verdictReadiness(open: Int) -> String {
        switch option.verdict {
        case .coveredPAMet: return "Ready to submit: every criterion is met on the evidence below."
        case .coveredNoUM: return "No prior authorization or step therapy applies: the prescription can be sent as is."
        case .stMet: return "The step therapy is met in the records: the pharmacy claim should pass the step edit. If it rejects, submit this sheet's evidence."
        case .needsDocumentation: return "Submit with the records listed under “Documentation still missing”: the plan cannot see them in its claims."
        case .paNotMet, .stNotMet: return "Not ready: \(TextFormat.plural(open, "criterion", "criteria")) not met yet. See “What remains”."
        case .notCovered: return "Not covered by the plan: only an exception request can help (see “Exception routes”)."
        case .contraindicated: return "Contraindicated for this patient by a safety rule: do not submit."
        }
    }

    func result(asOf: Day) -> [Block] {
        let criteria = appliedCriteria
        func count(_ status: CriterionStatus) -> Int { criteria.filter { $0.status == status }.count }
        return [
            .heading(level: 2, text: "Result"),
            .paragraph([.badge(VerdictWording.badge(option.verdict)), .text(" "), .code(option.verdict.rawValue)]),
            .paragraph([.strong(readiness())]),
            .paragraph([.text(option.summary)]),
            .paragraph([.text("Criteria: \(count(.met)) met, \(count(.needsDocumentation)) met with records to attach, \(count(.unmet)) not met, \(count(.unknown)) unknown.")]),
            .list(OptionBlocks.coverageItems(option, costLabel: "Cost to the patient")),
        ]
    }

    func checklist() -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Criteria checklist")]
        if option.rules.isEmpty {
            blocks.append(.paragraph([.text(option.coverage.priorAuthorization == true || option.coverage.stepTherapy == true
                ? "The formulary flags a requirement but no criteria file covers it: ask the plan for its criteria."
                : "No prior authorization or step-therapy rule applies to this option.")]))
            return blocks
        }
        for rule in option.rules {
            blocks.append(.heading(level: 3, text: "\(rule.ruleID): \(rule.title ?? VerdictWording.ruleKind(rule))"))
            var facts: [[Inline]] = [
                [.strong("Kind: "), .text(VerdictWording.ruleKind(rule))],
                [.strong("Status: "), .badge(VerdictWording.criterion(rule.status))],
                [.strong("Rule version: "), .text(rule.ruleVersion), .text(rule.policyVersion.map { "; policy version in force \($0)\(rule.pinned ? " (pinned)" : "")" } ?? "")],
                [.strong("Citation: "), .text(rule.citation)],
                [.strong("Criteria file: "), .code(rule.file + (rule.line.map { ":\($0)" } ?? ""))],
            ]
            if !rule.applied { facts.append([.strong("Not applied: "), .text(rule.notAppliedReason ?? "does not apply")]) }
            if let approval = rule.approval { facts.append([.strong("Approval: "), .text(approval)]) }
            if let reauthorization = rule.reauthorization { facts.append([.strong("Reauthorization: "), .text(reauthorization)]) }
            if let note = VerdictWording.basisNote(rule.basis) { facts.append([.strong("Basis: "), .text(note)]) }
            blocks.append(.list(facts))
            let rows: [[[Inline]]] = rule.criteria.map { criterion in
                var label: [Inline] = [.text(criterion.label)]
                if let group = criterion.alternativeGroup { label += [.lineBreak, .emphasis("any one of group \(group)")] }
                var evidence: [Inline] = [.text(criterion.detail)]
                for item in criterion.evidence {
                    evidence.append(.lineBreak)
                    evidence += EvidenceText.inlines(item, showRef: true)
                }
                let toDocument: [Inline] = criterion.status == .met ? [.text("—")] : [.text(criterion.documentationNeeded ?? "document: \(criterion.label)")]
                return [label, [.badge(VerdictWording.criterion(criterion.status))], evidence, toDocument,
                        [.text(criterion.line.map(String.init) ?? "—")]]
            }
            blocks.append(.table(Table(caption: "\(rule.ruleID) criteria, version \(rule.ruleVersion)",
                                       headers: ["Criterion", "Status", "Evidence and dates", "Still to document", "Line"], rows: rows, style: "checklist")))
        }
        return blocks
    }

    func missing() -> [Block] {
        let open = appliedCriteria.filter { $0.status != .met }
        var blocks: [Block] = [.heading(level: 2, text: "Documentation still missing")]
        if open.isEmpty {
            blocks.append(.paragraph([.text("Nothing: the records cover every criterion. Attach the evidence listed in the checklist.")]))
        } else {
            blocks.append(.list(open.map { criterion in
                [.badge(VerdictWording.criterion(criterion.status)), .text(" "), .strong(criterion.label), .text(": \(criterion.documentationNeeded ?? criterion.detail)")]
            }))
        }
        return blocks
    }

    func ruleSources() -> [[Inline]] {
        option.rules.map { rule in [.strong("\(rule.ruleID): "), .text(rule.citation)] }
    }
}
