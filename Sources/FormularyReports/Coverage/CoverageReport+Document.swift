import FormularyAnalysis
import FormularyCriteria
import Foundation

extension CoverageReport {
    /// The report's content, the answer first:
    ///
    /// 1. **Page 1**, the next options: the analysis's shortlist with status, monthly cost,
    ///    what has to happen first, the earliest date and safety flags.
    /// 2. **Page 2**, the steps ahead (timeline) and the questions for the doctor and the
    ///    pharmacist.
    /// 3. **The appendix** (`Block.appendix`, printed from a new page): every option, what each
    ///    requires with the evidence, safety, cost, the treatment history as trial spans,
    ///    exceptions and appeals, the glossary, and the sources with every id and code.
    ///
    /// Plain words before the sources: tiers by meaning, no verdict codes, rule ids or file
    /// flags (those are in the sources appendix).
    func document() -> ReportDocument {
        let asOf = analysis.asOf
        let options = AnalysisLookup.ranked(plan)
        let planName = plan.planName ?? plan.planID
        let shortlist = shortlistEntries(options)
        var blocks: [Block] = []

        blocks.append(.contents([("next", "Next options"), ("steps", "Steps ahead"), ("questions", "Questions"), ("all-options", "A. All options"),
                                 ("requirements", "B. Requirements"), ("safety", "C. Safety"), ("cost", "D. Cost"), ("history", "E. History"),
                                 ("appeals", "F. Exceptions and appeals"), ("glossary", "G. Glossary"), ("sources", "H. Sources")]))
        blocks += next(shortlist, options: options, asOf: asOf, planName: planName)
        blocks.append(.pageBreak)
        blocks += stepsAhead(shortlist, asOf: asOf)
        blocks += questions(shortlist)

        var appendix: [Block] = [.paragraph([.text("The details behind the first pages: every option the analysis checked, what each one requires and the records that show it, safety, cost, the treatment history, how to ask for an exception, the words explained, and the sources.")])]
        appendix += allOptions(options, asOf: asOf)
        appendix += requirements(options, asOf: asOf)
        appendix += safety(options)
        appendix += cost(options)
        appendix += history(shortlist, asOf: asOf)
        appendix += appeals(shortlist)
        appendix += glossary()
        appendix.append(.section(id: "sources", card: false, blocks: [.heading(level: 2, text: "H. Sources: codes, rules and data behind this report")]
                                    + CoverageSources.blocks(plan, options: options, asOf: asOf)))
        blocks.append(.appendix(id: "appendix", blocks: appendix))

        return ReportDocument(
            title: "Coverage report: what \(planName) covers next",
            subtitle: [.text("Plan "), .strong(planName), .text(" · as of "), .strong(TextFormat.day(asOf)), .text(" · profile "), .code(analysis.patient)],
            blocks: blocks,
            footer: ReportFooter.lines(metadata)
        )
    }

    // MARK: Page 1

    /// One row of page 1: an option of the analysis's shortlist, with the shortlist's own
    /// earliest start, monthly cost and safety flags when the analysis has them (schema 1.1).
    struct Entry {
        var option: OptionResult
        var item: ShortlistItem?
    }

    /// The analysis's shortlist; for an analysis saved before schema 1.1 (no shortlist), its
    /// best-ranked options that are neither current, closed nor ruled out, at most five.
    func shortlistEntries(_ options: [OptionResult]) -> [Entry] {
        if !plan.shortlist.isEmpty {
            return plan.shortlist.compactMap { item in options.first { $0.optionID == item.optionID }.map { Entry(option: $0, item: item) } }
        }
        return options.filter { ![.notCovered, .contraindicated].contains($0.verdict) && $0.history?.status != .current }
            .prefix(Self.shortlistSize).map { Entry(option: $0, item: nil) }
    }

    static let shortlistSize = 5

    func next(_ shortlist: [Entry], options: [OptionResult], asOf: Day, planName: String) -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Your best next options")]
        let shown = Set(shortlist.map(\.option.optionID))
        let rest = options.filter { !shown.contains($0.optionID) }
        let now = rest.filter { $0.reachableNow && $0.history?.status != .current }.count
        let later = rest.filter { !$0.reachableNow && $0.remaining?.reachable == true }.count
        let closed = rest.filter { $0.verdict == .notCovered || $0.verdict == .contraindicated }.count
        var counts: [String] = []
        if now > 0 { counts.append("\(now) more covered now") }
        if later > 0 { counts.append("\(later) possible after steps or records") }
        if closed > 0 { counts.append("\(closed) not covered or not safe for you") }
        var intro = shortlist.count == 1 ? "The readiest" : "The \(shortlist.count) readiest"
        intro += " of the \(options.count) options the analysis checked"
        intro += plan.shortlist.isEmpty ? ", in the analysis's order (this analysis has no shortlist of its own)" : ", one of each kind first"
        intro += counts.isEmpty ? "." : "; appendix A has the others (\(counts.joined(separator: ", ")))."
        blocks.append(.paragraph([.text(intro + " Not medical advice: choices belong to you and your prescriber, and the plan's own decision is final.")]))

        // What the person must know before reading the table: whose criteria, which version, the data.
        var warnings: [[Inline]] = []
        if let note = VerdictWording.basisNote(plan.criteria.basis) { warnings.append([.strong("Criteria: "), .text(note)]) }
        if plan.criteria.rulesAsOf > asOf, let words = CoverageSources.pinnedVersionText(plan.criteria, asOf: asOf) {
            warnings.append([.strong("Which rules: "), .text(words)])
        }
        for note in plan.notes where !isPinnedNote(note) {
            warnings.append([.text(PlainWords.capitalized(TextFormat.clause(PlainWords.sentence(note))) + ".")])
        }
        if !warnings.isEmpty { blocks.append(.callout(.warning, blocks: [.list(warnings)])) }

        let rows: [[[Inline]]] = shortlist.enumerated().map { index, entry in
            let option = entry.option
            // How it would be used: the analysis's (schema 1.1); an older analysis does not say.
            var name: [Inline] = [.strong("\(index + 1). \(VerdictWording.optionName(option))")]
            if let item = entry.item { name += [.lineBreak, .emphasis(CoverageWording.useText(item.use, strategy: item.strategy))] }
            return [name,
                    [.badge(CoverageWording.status(option))],
                    CoverageWording.cost(option, monthly: entry.item?.monthlyCost.map { Decimal($0) } ?? option.coverage.costShare?.estimatedMonthly),
                    [.text(CoverageWording.firstStep(option, asOf: asOf))],
                    [.text(CoverageWording.earliest(option, start: entry.item?.earliestStart, asOf: asOf))],
                    CoverageWording.safety(option, flags: entry.item?.safetyFlags)]
        }
        if rows.isEmpty {
            blocks.append(.paragraph([.text("The analysis found no option to suggest under this plan: see every option in appendix A.")]))
        } else {
            blocks.append(.table(Table(caption: "Your next options under \(planName), readiest first",
                                       headers: ["Option", "Status", "Your cost a month", "What has to happen first", "Earliest start", "Safety"],
                                       rows: rows, style: "shortlist")))
        }

        // The options people with TRD ask about most, when the shortlist leaves them out.
        var key: [Inline] = []
        for choice in KeyOption.allCases where choice != .augmentation {
            guard let option = choice.find(in: plan), !shortlist.contains(where: { $0.option.optionID == option.optionID }) else { continue }
            if !key.isEmpty { key.append(.text("; ")) }
            let earliest = CoverageWording.earliest(option, start: nil, asOf: asOf)
            key += [.strong(VerdictWording.optionName(option)), .text(": "), .badge(CoverageWording.status(option))]
            if earliest != "—" { key.append(.text(" (earliest: \(earliest))")) }
        }
        if !key.isEmpty { blocks.append(.paragraph([.strong("Also asked about: ")] + key)) }
        return [.section(id: "next", card: false, blocks: blocks)]
    }

    /// The analysis's note that a pinned version is used outside its dates: the report says it
    /// in words instead (`CoverageSources.pinnedVersionText`), and keeps the note in the sources.
    func isPinnedNote(_ note: String) -> Bool {
        guard plan.criteria.pinned, let version = plan.criteria.policyVersion else { return false }
        return note.contains(version) && note.contains("pinned")
    }

    // MARK: Page 2

    func stepsAhead(_ shortlist: [Entry], asOf: Day) -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "The steps ahead")]
        let chart = PlanCharts.path(plan, asOf: asOf, options: shortlist.map(\.option), id: "path-chart")
        if chart.isEmpty {
            blocks.append(.paragraph([.text("None of the options above needs a trial or a waiting period first: what remains is in the table on page 1.")]))
        } else {
            blocks.append(.paragraph([.text("For the options above that need time first: each trial or wait from its earliest start to the day it counts, and a flag on the day the option becomes available. The dashed line is the as-of date.")]))
            blocks.append(.figure(chart.svg(), caption: "The steps ahead, with their earliest dates (listed in appendix E).", fallback: [.table(PlanCharts.timelineTable([chart]))]))
        }
        return [.section(id: "steps", card: false, blocks: blocks)]
    }

    /// Questions about the shortlisted options and about what the person takes now; questions
    /// about the other options go to the appendix.
    func questions(_ shortlist: [Entry]) -> [Block] {
        let list = focusedQuestions(shortlist)
        var blocks: [Block] = [.heading(level: 2, text: "Questions to ask"),
                               .paragraph([.text("Drawn from what this report found. Bring them to your next appointment or call.")])]
        for (title, items) in [("Your doctor or prescriber", list.doctor), ("Your pharmacist", list.pharmacist)] where !items.isEmpty {
            blocks.append(.heading(level: 3, text: title))
            blocks.append(.list(items.map { [.text($0)] }))
        }
        if list.doctor.isEmpty && list.pharmacist.isEmpty {
            blocks.append(.paragraph([.text("Nothing in this analysis calls for a question to the doctor or the pharmacist.")]))
        }
        return [.section(id: "questions", card: false, blocks: blocks)]
    }

    func focusedQuestions(_ shortlist: [Entry]) -> QuestionList {
        var focused = plan
        let ids = Set(shortlist.map(\.option.optionID))
        focused.options = plan.options.filter { ids.contains($0.optionID) }
        return QuestionList(plan: focused)
    }

    // MARK: Appendix

    func allOptions(_ options: [OptionResult], asOf: Day) -> [Block] {
        let rows: [[[Inline]]] = options.map { option in
            var name: [Inline] = [.text("\(option.rank). \(VerdictWording.optionName(option))")]
            if let history = option.history {
                let when = TextFormat.range(history.start, history.end)
                name += [.lineBreak, .emphasis(history.status == .current ? "taking now, \(when)" : "tried, \(when)")]
            }
            var cost = TextFormat.shortCost(option.coverage.costShare)
            if cost != "—", option.coverage.benefit == "medical" { cost += " per session" }
            return [name, [.badge(CoverageWording.status(option))], [.text(PlainWords.tier(option.coverage) ?? "—")], [.text(cost)],
                    [.text(TextFormat.restrictions(option))], [.text(CoverageWording.earliest(option, start: nil, asOf: asOf))]]
        }
        return [.section(id: "all-options", card: false, blocks: [
            .heading(level: 2, text: "A. All options, ranked"),
            .paragraph([.text("In the analysis's order: options ready now first, then by the fewest remaining steps, the cost and the time to qualify; then what was tried, what you take now, and what is not covered or not safe. PA = prior authorization, ST = step therapy, QL = quantity limit.")]),
            .table(Table(caption: "Every option under \(plan.planName ?? plan.planID), best first",
                         headers: ["Option", "Status", "Tier", "Your cost", "Plan requires", "Earliest"], rows: rows, style: "options")),
        ])]
    }

    func requirements(_ options: [OptionResult], asOf: Day) -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "B. What each option requires, and the records that show it")]
        for group in CoverageDetails.groups(options) {
            blocks.append(.section(id: Anchor.make("option", group[0].optionID), card: true, blocks: CoverageDetails.block(group, plan: plan, asOf: asOf)))
        }
        let plain = options.filter { !CoverageDetails.needsBlock($0) }
        if !plain.isEmpty {
            blocks.append(.paragraph([.strong("No requirement beyond their row in appendix A (their safety notes are in C): "), .text(plain.map(VerdictWording.optionName).joined(separator: ", ") + ".")]))
        }
        return [.section(id: "requirements", card: false, blocks: blocks)]
    }

    func safety(_ options: [OptionResult]) -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "C. Safety notes in plain words")]
        blocks.append(.paragraph([.text("From the safety rules the analysis applies. Talk to your prescriber before stopping or starting anything.")]))
        // The plain-words explanation of a rule is said once, at its first finding.
        var explained = Set<String>()
        func line(_ finding: SafetyFinding) -> [Inline] {
            var line: [Inline] = [.badge(VerdictWording.safety(finding.verdict)), .text(" " + PlainWords.capitalized(TextFormat.clause(finding.message)))]
            if let start = finding.earliestStart { line += [.text(". "), .strong("Earliest start: \(TextFormat.day(start))")] }
            if explained.insert(finding.ruleID).inserted, let words = SafetyWording.explanation(finding.ruleID) {
                line += [.lineBreak, .emphasis(words)]
            }
            return line
        }
        if !plan.regimenSafety.isEmpty {
            blocks.append(.heading(level: 3, text: "Your current medicines"))
            blocks.append(.list(plan.regimenSafety.map(line)))
        }
        let open = options.filter { $0.verdict != .notCovered }
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
                return [.strong(entry.options.joined(separator: ", ")), .text(": ")] + line(entry.finding)
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
                var text: [Inline] = [.strong(TextFormat.day(event.date)), .text(": the pharmacy switched \(event.drug)")]
                if let from = event.fromLabeler, let to = event.toLabeler { text.append(.text(" from maker \(from) to maker \(to)")) }
                text.append(.text(". The drug name and plan coverage stay the same, but generics from different makers are not always identical."))
                if let before = event.scoreBefore, let after = event.scoreAfter {
                    text += [.lineBreak, .strong("Scores: "), .text("before \(before); after \(after).")]
                }
                text += [.lineBreak, .text(PlainWords.sentence(event.detail))]
                if let context = event.context { text += [.lineBreak, .emphasis("Background: \(PlainWords.sentence(context))")] }
                blocks.append(.paragraph(text))
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

    func cost(_ options: [OptionResult]) -> [Block] {
        let chart = PlanCharts.costChart(options, id: "cost-chart")
        var blocks: [Block] = [.heading(level: 2, text: "D. Cost by tier")]
        blocks.append(.paragraph([.text("Estimates for a 30-day supply, from the copay in the plan's cost-share data. Coinsurance is a share of a price the data does not hold, so it has no dollar estimate; medical-benefit treatments are charged per session. Deductibles and premiums are not included.")]))
        if chart.bars.isEmpty {
            blocks.append(.paragraph([.text("The plan's data has no cost information for these options.")]))
        } else {
            let table = PlanCharts.costTable(chart)
            blocks.append(.figure(chart.svg(), caption: "Estimated monthly cost by tier, lowest first; each bar names the options it covers (the table below lists them all).", fallback: []))
            blocks.append(.table(table))
        }
        return [.section(id: "cost", card: false, blocks: blocks)]
    }

    func history(_ shortlist: [Entry], asOf: Day) -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "E. Treatment history as the analysis read it")]
        let chart = PlanCharts.history(plan, asOf: asOf, id: "history-chart")
        if plan.trials.isEmpty {
            blocks.append(.paragraph([.text("The records hold no treatment trials.")]))
        } else {
            blocks.append(.paragraph([.text("Each trial as one span, with monthly fills counted rather than listed, and how the plan's trial rules judge it. A trial under a previous plan or paid in cash counts only with records, because the plan cannot see it in its claims.")]))
            blocks.append(.list(CoverageHistory.trialItems(plan, asOf: asOf)))
        }
        if !chart.isEmpty {
            var caption = "Each trial from its start to its end (or to the as-of date while it goes on)."
            if plan.trials.contains(where: { $0.effectiveOutcome == "confounded" }) { caption += " A hatched bar is a trial the analysis does not count yet (confounded)." }
            if !plan.events.isEmpty { caption += " A diamond marks a medicine maker switch." }
            blocks.append(.figure(chart.svg(), caption: caption, fallback: []))
        }
        let path = PlanCharts.path(plan, asOf: asOf, options: shortlist.map(\.option), id: "path-chart")
        let charts = [chart, path].filter { !$0.isEmpty }
        if !charts.isEmpty { blocks.append(.table(PlanCharts.timelineTable(charts))) }
        if !plan.unrecognizedDrugs.isEmpty {
            blocks.append(.paragraph([.strong("Not recognized (shown, never counted): "), .text(plan.unrecognizedDrugs.map(\.text).joined(separator: "; "))]))
        }
        return [.section(id: "history", card: false, blocks: blocks)]
    }

    func appeals(_ shortlist: [Entry]) -> [Block] {
        let guide = AppealGuide(plan: plan, reference: appeals)
        var blocks: [Block] = [.heading(level: 2, text: "F. Exceptions and appeals")]
        blocks.append(.paragraph([.text("An exception asks the plan to cover a drug or waive a rule for medical reasons; an appeal asks it to reconsider a denial. The prescriber usually files, with a supporting statement.")]))
        // A list rather than a five-column table: long findings stay readable on a phone and
        // flow in two columns in print.
        if !guide.grounds.isEmpty {
            blocks.append(.heading(level: 3, text: "Options with a reason for an exception or an appeal"))
            blocks.append(.list(guide.grounds.map { row in
                [.strong(row.option), .text(" — \(row.ground): \(TextFormat.clause(PlainWords.sentence(row.description))). "),
                 .emphasis("Route: \(row.route); \(row.decision).")]
            }))
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
        // Questions for the plan, and those about options the first pages leave out.
        let all = QuestionList(plan: plan)
        let asked = focusedQuestions(shortlist)
        let more = (all.doctor + all.pharmacist).filter { !asked.doctor.contains($0) && !asked.pharmacist.contains($0) }
        if !all.plan.isEmpty {
            blocks.append(.heading(level: 3, text: "Questions for your plan"))
            blocks.append(.list(all.plan.map { [.text($0)] }))
        }
        if !more.isEmpty {
            blocks.append(.heading(level: 3, text: "More questions, about the other options"))
            blocks.append(.list(more.map { [.text($0)] }))
        }
        return [.section(id: "appeals", card: false, blocks: blocks)]
    }

    /// The glossary, without the words this plan's report cannot use: the Medicare terms for
    /// other plans, the maker-switch terms without a switch.
    func glossary() -> [Block] {
        let medicare = plan.market == "medicare-part-d"
        let switched = !plan.events.isEmpty
        let terms = Glossary.terms.filter { term in
            switch term.term {
            case "Coverage determination", "Redetermination": medicare
            case "Labeler / manufacturer switch": switched
            default: true
            }
        }
        return [.section(id: "glossary", card: false, blocks: [.heading(level: 2, text: "G. Glossary"),
                                                               .definitions(terms.map { ($0.term, [.text($0.definition)]) })])]
    }
}
