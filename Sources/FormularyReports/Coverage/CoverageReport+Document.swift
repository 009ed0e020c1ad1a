import FormularyAnalysis
import FormularyCriteria

extension CoverageReport {
    /// The report's content, in the order a person reads it: the answer first, the details,
    /// then what to do and the words explained.
    func document() -> ReportDocument {
        let asOf = analysis.asOf
        let options = AnalysisLookup.ranked(plan)
        let planName = plan.planName ?? plan.planID
        var blocks: [Block] = []

        blocks.append(.callout(.info, blocks: [
            .paragraph([.strong("How to read this report. "),
                        .text("For the treatments most often used when antidepressants have not worked, it shows whether \(planName) covers them, what the plan requires first, what the records already show, and what is left, with the earliest dates. It is not medical advice: choices belong to you and your prescriber, and the plan's own decision is final. Words such as PA, step therapy and tier are explained in the glossary at the end.")]),
        ]))
        if let note = VerdictWording.basisNote(plan.criteria.basis) ?? plan.criteria.note {
            blocks.append(.callout(.warning, blocks: [.paragraph([.strong("Criteria: "), .text(note)])]))
        }
        if !plan.notes.isEmpty {
            blocks.append(.callout(.warning, blocks: [.paragraph([.strong("About the data for this plan")]), .list(plan.notes.map { [.text($0)] })]))
        }
        blocks.append(.contents([("glance", "At a glance"), ("options", "Options ranked"), ("details", "Each option"), ("timeline", "Timeline"),
                                 ("cost", "Cost"), ("safety", "Safety"), ("questions", "Questions to ask"), ("appeals", "Exceptions and appeals"),
                                 ("history", "Treatment history"), ("glossary", "Glossary"), ("about", "About this report")]))

        blocks += glance(options, asOf: asOf)
        blocks += rankedTable(options, asOf: asOf)
        blocks += details(options, asOf: asOf)
        blocks += timeline(options, asOf: asOf)
        blocks += cost(options)
        blocks += safety(options)
        blocks += questions()
        blocks += appeals()
        blocks += history()
        blocks += glossary()
        blocks += about()

        return ReportDocument(
            title: "Coverage report: what \(planName) covers next",
            subtitle: [.text("Plan "), .strong(planName), .text(" (\(plan.planID)) · as of "), .strong(TextFormat.day(asOf)),
                       .text(" · profile "), .code(analysis.patient)],
            blocks: blocks,
            footer: ReportFooter.lines(metadata)
        )
    }

    // MARK: Sections

    func glance(_ options: [OptionResult], asOf: Day) -> [Block] {
        let now = options.filter(\.reachableNow)
        let later = options.filter { !$0.reachableNow && $0.remaining?.reachable == true }
        let records = options.filter { $0.verdict == .needsDocumentation && $0.remaining?.reachable != true }
        let closed = options.filter { $0.verdict == .notCovered || $0.verdict == .contraindicated }
        let stuck = options.filter { [.paNotMet, .stNotMet].contains($0.verdict) && $0.remaining?.reachable != true }
        /// At most `glanceNames` names, best ranked first; the table has the rest.
        func names(_ list: [OptionResult]) -> String {
            let shown = list.prefix(Self.glanceNames).map(VerdictWording.optionName).joined(separator: ", ")
            return list.count > Self.glanceNames ? shown + ", and \(list.count - Self.glanceNames) more in the table below" : shown
        }
        var items: [[Inline]] = []
        // The options people with TRD most often ask about, first.
        var key: [Inline] = [.strong("Key options: ")]
        for (index, choice) in KeyOption.allCases.enumerated() {
            guard let option = choice.find(in: plan) else { continue }
            if index > 0, key.count > 1 { key.append(.text("; ")) }
            key += [.text("\(choice == .augmentation ? "add-on drug " : "")\(VerdictWording.optionName(option)) "), .badge(VerdictWording.shortBadge(option.verdict)),
                    .text(" (\(OptionBlocks.earliest(option, asOf: asOf)))")]
        }
        if key.count > 1 { items.append(key) }
        items.append([.badge(Badge(tone: .good, symbol: "✓", text: "Available now")), .text(" \(now.count): "), .text(now.isEmpty ? "none" : names(now))])
        if !later.isEmpty {
            let dated = later.map { option -> String in
                guard let path = option.remaining, let day = path.reachableOn else { return VerdictWording.optionName(option) }
                let when = day <= asOf ? "as soon as \(TextFormat.plural(path.stepCount, "step")) \(path.stepCount == 1 ? "is" : "are") done" : "from \(TextFormat.day(day))"
                return "\(VerdictWording.optionName(option)) (\(when))"
            }
            let shown = dated.prefix(Self.glanceNames).joined(separator: ", ") + (dated.count > Self.glanceNames ? ", and \(dated.count - Self.glanceNames) more" : "")
            items.append([.badge(Badge(tone: .caution, symbol: "◐", text: "Possible after steps")), .text(" \(later.count): "), .text(shown)])
        }
        if !records.isEmpty {
            items.append([.badge(Badge(tone: .info, symbol: "✎", text: "Needs records")), .text(" \(records.count): "), .text(names(records))])
        }
        if !stuck.isEmpty {
            items.append([.badge(Badge(tone: .neutral, symbol: "–", text: "No path found")), .text(" \(stuck.count): "), .text(names(stuck))])
        }
        if !closed.isEmpty {
            items.append([.badge(Badge(tone: .bad, symbol: "✗", text: "Not available")), .text(" \(closed.count) (not covered or not safe): "), .text(names(closed))])
        }
        return [.section(id: "glance", card: false, blocks: [.heading(level: 2, text: "At a glance"), .list(items)])]
    }

    func rankedTable(_ options: [OptionResult], asOf: Day) -> [Block] {
        let rows: [[[Inline]]] = options.map { option in
            [[.text("\(option.rank). \(VerdictWording.optionName(option))")],
             [.badge(VerdictWording.shortBadge(option.verdict))],
             [.text(option.coverage.tierCode ?? "—")],
             [.text(TextFormat.shortCost(option.coverage.costShare))],
             [.text(TextFormat.restrictions(option))],
             [.text(OptionBlocks.earliest(option, asOf: asOf))]]
        }
        return [.section(id: "options", card: false, blocks: [
            .heading(level: 2, text: "Your options, ranked"),
            .paragraph([.text("The analysis ranks options available now first, then by the fewest remaining steps, the cost, and the time to qualify. PA = prior authorization, ST = step therapy, QL = quantity limit.")]),
            .table(Table(caption: "Options under \(plan.planName ?? plan.planID), best first",
                         headers: ["Option", "Status", "Tier", "Your cost", "Plan requires", "Earliest"], rows: rows)),
        ])]
    }

    /// How many names the "At a glance" lines show before "and N more".
    static let glanceNames = 8

    /// Whether an option needs a card: anything to say beyond its table row. A covered drug
    /// with nothing but general warnings has none; its warnings are in the safety section.
    func needsCard(_ option: OptionResult) -> Bool {
        switch option.verdict {
        case .coveredNoUM:
            option.safety.contains { $0.verdict != .warn } || !option.notes.isEmpty || !option.lookbackExpiries.isEmpty
        case .notCovered: !option.exceptionGrounds.isEmpty || option.notes.contains { $0 != option.coverage.reason }
        default: true
        }
    }

    func details(_ options: [OptionResult], asOf: Day) -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Each option in detail")]
        for option in options where needsCard(option) {
            blocks.append(.section(id: Anchor.make("option", option.optionID), card: true, blocks: card(option, asOf: asOf)))
        }
        let plain = options.filter { !needsCard($0) }
        if !plain.isEmpty {
            blocks.append(.paragraph([.strong("Fully described by the table above: "), .text(plain.map(VerdictWording.optionName).joined(separator: ", ") + ".")]))
        }
        return [.section(id: "details", card: false, blocks: blocks)]
    }

    func card(_ option: OptionResult, asOf: Day) -> [Block] {
        var blocks: [Block] = [
            .heading(level: 3, text: "\(option.rank). \(VerdictWording.optionName(option))"),
            .paragraph([.badge(VerdictWording.badge(option.verdict)), .text(" "), .code(option.verdict.rawValue)]),
            .paragraph([.text(option.summary)]),
            .paragraph([.emphasis(VerdictWording.meaning(option.verdict))]),
        ]
        if let note = VerdictWording.basisNote(option.basis) {
            blocks.append(.callout(.warning, blocks: [.paragraph([.text(note)])]))
        }
        blocks.append(.heading(level: 4, text: "Coverage"))
        blocks.append(.list(OptionBlocks.coverageItems(option)))
        let requirements = OptionBlocks.requirementItems(option)
        if !requirements.isEmpty {
            blocks.append(.heading(level: 4, text: "What the plan requires"))
            blocks.append(.list(requirements))
        }
        if option.verdict == .contraindicated {
            // Requirements do not matter while a safety rule rules the option out: say why, once.
            let ruling = option.safety.filter { $0.verdict == .contraindicated }
            blocks.append(.heading(level: 4, text: "Why it is ruled out"))
            blocks.append(.list(OptionBlocks.safetyItems(ruling, plainWords: true)))
            let others = option.safety.filter { $0.verdict != .contraindicated }
            if !others.isEmpty {
                blocks.append(.heading(level: 4, text: "Other safety notes"))
                blocks.append(.list(OptionBlocks.safetyItems(others, plainWords: false)))
            }
            let grounds = OptionBlocks.groundItems(option)
            if !grounds.isEmpty {
                blocks.append(.heading(level: 4, text: "Exception possible"))
                blocks.append(.list(grounds))
            }
            return blocks
        }
        let met = OptionBlocks.metItems(option, showRefs: false)
        if !met.isEmpty {
            blocks.append(.heading(level: 4, text: "Already met, and the records that show it"))
            blocks.append(.list(met))
        }
        let open = OptionBlocks.openItems(option, showRefs: false)
        if !open.isEmpty || option.remaining != nil {
            blocks.append(.heading(level: 4, text: "What remains"))
            if !open.isEmpty { blocks.append(.list(open)) }
            if let path = option.remaining {
                if !path.steps.isEmpty {
                    blocks.append(.paragraph([.strong("Steps, in order:")]))
                    blocks.append(.list(OptionBlocks.stepItems(path), ordered: true))
                }
                blocks.append(.paragraph(OptionBlocks.pathSummary(path, asOf: asOf)))
                let pruned = OptionBlocks.prunedItems(path)
                if !pruned.isEmpty {
                    blocks.append(.paragraph([.strong("Left out of the path:")]))
                    blocks.append(.list(pruned))
                }
            }
        }
        let expiries = OptionBlocks.expiryItems(option)
        if !expiries.isEmpty {
            blocks.append(.heading(level: 4, text: "Deadlines"))
            blocks.append(.list(expiries))
        }
        if !option.safety.isEmpty {
            blocks.append(.heading(level: 4, text: "Safety"))
            blocks.append(.list(OptionBlocks.safetyItems(option.safety, plainWords: true)))
        }
        let grounds = OptionBlocks.groundItems(option)
        if !grounds.isEmpty {
            blocks.append(.heading(level: 4, text: "Exception possible"))
            blocks.append(.list(grounds))
        }
        let notes = option.notes.filter { $0 != option.coverage.reason }
        if !notes.isEmpty {
            blocks.append(.heading(level: 4, text: "Notes"))
            blocks.append(.list(notes.map { [.text($0)] }))
        }
        return blocks
    }

    func timeline(_ options: [OptionResult], asOf: Day) -> [Block] {
        let history = PlanCharts.history(plan, asOf: asOf, id: "history-chart")
        let path = PlanCharts.path(plan, asOf: asOf, options: options, id: "path-chart")
        var blocks: [Block] = [.heading(level: 2, text: "Timeline of treatment and the steps ahead")]
        if history.isEmpty && path.isEmpty {
            blocks.append(.paragraph([.text("The records hold no dated trials, and no option needs dated steps.")]))
            return [.section(id: "timeline", card: false, blocks: blocks)]
        }
        if !history.isEmpty {
            blocks.append(.heading(level: 3, text: "Treatment so far"))
            var caption = "Each trial from its start to its end (or to the as-of date while it goes on)."
            if plan.trials.contains(where: { $0.effectiveOutcome == "confounded" }) { caption += " A hatched bar is a trial the analysis does not count yet (confounded)." }
            if !plan.events.isEmpty { caption += " A diamond marks a medicine maker switch." }
            blocks.append(.figure(history.svg(), caption: caption, fallback: []))
        }
        if !path.isEmpty {
            blocks.append(.heading(level: 3, text: "The steps ahead"))
            blocks.append(.paragraph([.text("For the best-ranked options that need more time: each trial or wait from its earliest start to the day it counts, and a flag on the day the option becomes available. The dashed line is the as-of date.")]))
            blocks.append(.figure(path.svg(), caption: "The steps ahead, with their earliest dates.", fallback: []))
        }
        blocks.append(.table(PlanCharts.timelineTable([history, path])))
        return [.section(id: "timeline", card: false, blocks: blocks)]
    }

    func cost(_ options: [OptionResult]) -> [Block] {
        let chart = PlanCharts.costChart(options, id: "cost-chart")
        var blocks: [Block] = [.heading(level: 2, text: "Cost by tier and option")]
        blocks.append(.paragraph([.text("Estimates are for a 30-day supply, from the copay in the plan's cost-share data for each tier. Coinsurance is a share of a price the data does not hold, so it has no dollar estimate; medical-benefit treatments are charged per session. Deductibles and premiums are not included.")]))
        if chart.bars.isEmpty {
            blocks.append(.paragraph([.text("The plan's data has no cost information for these options.")]))
        } else {
            blocks.append(.figure(chart.svg(), caption: "Estimated monthly cost by tier, lowest first; each bar names the options it covers (the table below lists them all).", fallback: []))
            blocks.append(.table(PlanCharts.costTable(chart)))
        }
        return [.section(id: "cost", card: false, blocks: blocks)]
    }

    func safety(_ options: [OptionResult]) -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Safety notes in plain words")]
        blocks.append(.paragraph([.text("These come from the safety rules the analysis applies. Talk to your prescriber before stopping or starting anything.")]))
        if !plan.regimenSafety.isEmpty {
            blocks.append(.heading(level: 3, text: "Your current medicines"))
            blocks.append(.list(OptionBlocks.safetyItems(plan.regimenSafety, plainWords: true)))
        }
        let open = options.filter { $0.verdict != .notCovered }
        // The plain-words explanation of a rule is said once, at its first finding.
        var explained = Set(plan.regimenSafety.map(\.ruleID))
        /// One line per finding, naming every option it applies to: the same serotonin warning
        /// for twenty drugs is said once.
        func findings(_ verdicts: Set<SafetyVerdict>) -> [[Inline]] {
            var order: [String] = []
            var grouped: [String: (finding: SafetyFinding, options: [String])] = [:]
            for option in open {
                for finding in option.safety where verdicts.contains(finding.verdict) {
                    let key = [finding.ruleID, finding.verdict.rawValue, finding.message, finding.earliestStart?.description ?? ""].joined(separator: "|")
                    if grouped[key] == nil { order.append(key); grouped[key] = (finding, []) }
                    grouped[key]?.options.append(VerdictWording.optionName(option))
                }
            }
            return order.compactMap { key in
                guard let entry = grouped[key] else { return nil }
                var line: [Inline] = [.strong(entry.options.joined(separator: ", ")), .text(": ")]
                line += OptionBlocks.safetyItems([entry.finding], plainWords: explained.insert(entry.finding.ruleID).inserted).first ?? []
                return line
            }
        }
        let sections: [(String, Set<SafetyVerdict>)] = [("Waiting periods before starting", [.washout]), ("Dose changes", [.adjust]),
                                                         ("Ruled out for safety", [.contraindicated]), ("Interactions and warnings", [.warn])]
        for (title, verdicts) in sections {
            let items = findings(verdicts)
            if !items.isEmpty {
                blocks.append(.heading(level: 3, text: title))
                blocks.append(.list(items))
            }
        }
        if !plan.events.isEmpty {
            blocks.append(.heading(level: 3, text: "Medicine maker switches"))
            for event in plan.events {
                var line: [Inline] = [.strong(TextFormat.day(event.date)), .text(": the pharmacy switched \(event.drug)")]
                if let from = event.fromLabeler, let to = event.toLabeler { line.append(.text(" from maker \(from) to maker \(to)")) }
                line.append(.text(". The drug name and plan coverage stay the same, but generics from different makers are not always identical."))
                if let before = event.scoreBefore, let after = event.scoreAfter {
                    line += [.lineBreak, .strong("Scores: "), .text("before \(before); after \(after).")]
                }
                line += [.lineBreak, .text(event.detail)]
                if let context = event.context { line += [.lineBreak, .emphasis("Background: \(context)")] }
                blocks.append(.paragraph(line))
            }
            let confounded = plan.trials.filter { $0.confoundedBy != nil }
            if !confounded.isEmpty {
                blocks.append(.paragraph([.text("Because of the switch, the analysis does not count these trials as failed until a clinician confirms: \(confounded.map(\.drug).joined(separator: ", ")). Options: ask the pharmacy for the previous maker, ask the prescriber about a brand “dispense as written” request, or report the problem to the FDA (MedWatch).")]))
            }
        }
        if blocks.count == 2 {
            blocks.append(.paragraph([.text("The analysis found no safety notes for these options.")]))
        }
        return [.section(id: "safety", card: false, blocks: blocks)]
    }

    func questions() -> [Block] {
        let list = QuestionList(plan: plan)
        var blocks: [Block] = [.heading(level: 2, text: "Questions to ask"),
                               .paragraph([.text("Drawn from what this report found. Bring them to your next appointment or call.")])]
        for (title, items) in [("Your doctor or prescriber", list.doctor), ("Your pharmacist", list.pharmacist), ("Your plan", list.plan)] where !items.isEmpty {
            blocks.append(.heading(level: 3, text: title))
            blocks.append(.list(items.map { [.text($0)] }))
        }
        if list.isEmpty { blocks.append(.paragraph([.text("Nothing in this analysis calls for a specific question.")])) }
        return [.section(id: "questions", card: false, blocks: blocks)]
    }

    func appeals() -> [Block] {
        let guide = AppealGuide(plan: plan)
        var blocks: [Block] = [.heading(level: 2, text: "Exceptions and appeals")]
        blocks.append(.paragraph([.text("An exception asks the plan to cover a drug or waive a rule for medical reasons; an appeal asks it to reconsider a denial. The prescriber usually files, with a supporting statement.")]))
        if !guide.grounds.isEmpty {
            blocks.append(.table(Table(caption: "Options with a reason for an exception", headers: ["Option", "Reason", "What the analysis found", "Route", "Decision time"],
                                       rows: guide.grounds.map { [[.text($0.option)], [.text($0.ground)], [.text($0.description)], [.text($0.route)], [.text($0.decision)]] })))
        }
        for process in guide.processes {
            blocks.append(.heading(level: 3, text: process.title))
            if !process.deadlines.isEmpty {
                blocks.append(.paragraph([.strong("Deadlines")]))
                blocks.append(.list(process.deadlines.map { [.text($0)] }))
            }
            blocks.append(.paragraph([.strong("What to do")]))
            blocks.append(.list(process.steps.map { [.text($0)] }, ordered: true))
            for note in process.notes { blocks.append(.paragraph([.emphasis(note)])) }
            if let citation = process.citation { blocks.append(.paragraph([.strong("Source: "), .text(citation)])) }
        }
        return [.section(id: "appeals", card: false, blocks: blocks)]
    }

    func history() -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Treatment history as the analysis read it")]
        if plan.trials.isEmpty {
            blocks.append(.paragraph([.text("The records hold no treatment trials.")]))
        } else {
            blocks.append(.paragraph([.text("Each trial, and how each of the plan's trial rules judged it. A trial under a previous plan or paid in cash counts only with records, because the plan cannot see it in its claims.")]))
            blocks.append(.table(TrialTable.table(plan.trials, caption: "Trials in the records")))
        }
        if !plan.unrecognizedDrugs.isEmpty {
            blocks.append(.paragraph([.strong("Not recognized (shown, never counted): "), .text(plan.unrecognizedDrugs.map(\.text).joined(separator: "; "))]))
        }
        return [.section(id: "history", card: false, blocks: blocks)]
    }

    func glossary() -> [Block] {
        [.section(id: "glossary", card: false, blocks: [.heading(level: 2, text: "Glossary"),
                                                        .definitions(Glossary.terms.map { ($0.term, [.text($0.definition)]) })])]
    }

    func about() -> [Block] {
        [.section(id: "about", card: false, blocks: [.heading(level: 2, text: "About this report"), .list(ReportFooter.sourceItems(plan, asOf: analysis.asOf))])]
    }
}
