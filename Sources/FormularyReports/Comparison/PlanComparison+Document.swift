import FormularyAnalysis
import FormularyCriteria
import Foundation

extension PlanComparison {
    func document() -> ReportDocument {
        let asOf = analysis.asOf
        let regimen = RegimenCost.regimen(analysis)
        var blocks: [Block] = []
        blocks.append(.callout(.info, blocks: [.paragraph([
            .strong("How to read this comparison. "),
            .text("The same person and records, analyzed under each plan. Compare what the medicines you take now would cost for a year, what each plan requires, and how soon and in how many steps each plan reaches the key options for treatment-resistant depression. Costs are estimates: see “How the costs were estimated”. The plans' own documents are final."),
        ])]))
        blocks.append(.contents([("plans", "Plans compared"), ("regimen", "Current medicines"), ("key-options", "Key options"),
                                 ("options", "Next options side by side"), ("restrictions", "Restrictions and notes"),
                                 ("method", "How the costs were estimated"), ("glossary", "Glossary")]))
        blocks.append(.section(id: "plans", card: false, blocks: plansTable()))
        blocks.append(.section(id: "regimen", card: false, blocks: regimenSection(regimen)))
        blocks.append(.section(id: "key-options", card: false, blocks: keyOptions(asOf: asOf)))
        blocks.append(.section(id: "options", card: false, blocks: sideBySide(asOf: asOf)))
        blocks.append(.section(id: "restrictions", card: false, blocks: restrictions()))
        blocks.append(.section(id: "method", card: false, blocks: method()))
        blocks.append(.section(id: "glossary", card: false, blocks: [.heading(level: 2, text: "Glossary"),
                                                                     .definitions(Glossary.terms.map { ($0.term, [.text($0.definition)]) })]))
        return ReportDocument(
            title: "Plan comparison: \(TextFormat.plural(plans.count, "plan")) side by side",
            subtitle: [.text("For open enrollment · as of "), .strong(TextFormat.day(asOf)), .text(" · profile "), .code(analysis.patient)],
            blocks: blocks,
            footer: ReportFooter.lines(metadata)
        )
    }

    /// The plans in groups that fit one table.
    var planGroups: [[PlanResult]] {
        stride(from: 0, to: plans.count, by: Self.plansPerTable).map { Array(plans[$0..<min($0 + Self.plansPerTable, plans.count)]) }
    }

    func groupSuffix(_ index: Int) -> String {
        planGroups.count == 1 ? "" : " (plans \(index * Self.plansPerTable + 1)–\(index * Self.plansPerTable + planGroups[index].count) of \(plans.count))"
    }

    func planHeader(_ plan: PlanResult) -> String {
        let name = plan.planName.map { "\($0) (\(plan.planID))" } ?? plan.planID
        return versionNote(plan).map { "\(name), \($0)" } ?? name
    }

    /// `criteria A-2025-01` when the comparison holds this plan under more than one criteria
    /// version (each labelled), else nil.
    func versionNote(_ plan: PlanResult) -> String? {
        guard plans.filter({ $0.planID == plan.planID }).count > 1 else { return nil }
        return "criteria \(plan.criteria.policyVersion ?? "in force on the as-of date")"
    }

    func plansTable() -> [Block] {
        let rows: [[[Inline]]] = plans.map { plan in
            var criteria: [Inline] = [.text(plan.criteria.title ?? plan.criteria.documentID ?? "none")]
            if let version = plan.criteria.policyVersion { criteria.append(.text(", version \(version)")) }
            criteria += [.lineBreak, .emphasis(ReportFooter.basisText(plan.criteria.basis))]
            return [[.text(planHeader(plan))], [.text(marketText(plan.market))], [.text(plan.formularyID ?? "—")], criteria, [.text(plan.dataSource ?? "—")]]
        }
        return [.heading(level: 2, text: "Plans compared"),
                .table(Table(caption: "The plans in this comparison", headers: ["Plan", "Type", "Formulary", "Criteria used", "Formulary data"], rows: rows))]
    }

    func marketText(_ market: String?) -> String {
        switch market {
        case "medicare-part-d": "Medicare (Part D drug coverage)"
        case "marketplace": "ACA marketplace"
        case "commercial": "commercial (employer or individual)"
        case "medicaid": "Medicaid"
        case let other?: other
        case nil: "not stated"
        }
    }

    func optionCell(_ option: OptionResult?, asOf: Day, showName: Bool = false) -> [Inline] {
        guard let option else { return [.text("not in this plan's analysis")] }
        var cell: [Inline] = []
        if showName { cell += [.strong(VerdictWording.optionName(option)), .lineBreak] }
        cell.append(.badge(VerdictWording.shortBadge(option.verdict)))
        var facts: [String] = []
        if let tier = option.coverage.tierCode { facts.append("tier \(tier)") }
        if option.coverage.costShare != nil { facts.append(TextFormat.shortCost(option.coverage.costShare)) }
        let restrictions = TextFormat.restrictions(option)
        if restrictions != "none" { facts.append(restrictions) }
        if !facts.isEmpty { cell += [.lineBreak, .text(facts.joined(separator: " · "))] }
        return cell
    }

    func regimenSection(_ regimen: [RegimenCost.Item]) -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Your current medicines on each plan")]
        guard !regimen.isEmpty else {
            blocks.append(.paragraph([.text("The records show no medicine taken on the as-of date, so there is no regimen to price.")]))
            return blocks
        }
        blocks.append(.list(regimen.map { item in
            let facts = [TextFormat.dose(item.mgPerDay, drug: item.drug), "since \(TextFormat.day(item.since))"].compactMap { $0 }
            return [.strong(item.drug), .text(" " + facts.joined(separator: ", "))]
        }))
        let costs = plans.map { RegimenCost(regimen: regimen, plan: $0) }
        for (index, group) in planGroups.enumerated() {
            var rows: [[[Inline]]] = regimen.map { item in
                [[.text(item.drug)]] + group.map { plan in
                    let option = item.optionID.flatMap { id in plan.options.first { $0.optionID == id } }
                    return optionCell(option, asOf: analysis.asOf)
                }
            }
            // By position: one plan may appear under two criteria versions.
            let groupCosts = costs[(index * Self.plansPerTable)...].prefix(group.count)
            rows.append([[.strong("Estimated yearly cost")]] + groupCosts.map { cost in [.strong(cost.annualText)] })
            blocks.append(.table(Table(caption: "Current medicines\(groupSuffix(index))", headers: ["Medicine"] + group.map(planHeader), rows: rows, style: "compare")))
        }
        let chart = BarChart(id: "regimen-cost-chart", title: "Estimated yearly cost of the current medicines by plan",
                             description: "For each plan, the 30-day cost estimates of the current medicines times 12. Medicines charged as coinsurance are not included.",
                             bars: zip(plans, costs).map { plan, cost in
                                 let details = [plan.planName == nil ? nil : plan.planID, versionNote(plan)].compactMap { $0 }
                                 return BarChart.Bar(label: plan.planName ?? plan.planID, detail: details.isEmpty ? nil : details.joined(separator: ", "),
                                                     value: cost.unpriced.count == cost.lines.count ? nil : cost.annualPriced, valueText: cost.annualText)
                             })
        blocks.append(.figure(chart.svg(), caption: "Estimated yearly cost of the current medicines, by plan (premiums and deductibles not included).",
                              fallback: [.table(Table(caption: "Estimated yearly cost by plan", headers: ["Plan", "Estimated yearly cost"],
                                                      rows: zip(plans, costs).map { [[.text(planHeader($0))], [.text($1.annualText)]] }))]))
        return blocks
    }

    func reachText(_ option: OptionResult?, asOf: Day) -> [Inline] {
        guard let option else { return [.text("—")] }
        if option.reachableNow { return [.strong("now"), .text(" · 0 steps")] }
        if let path = option.remaining {
            if path.reachable {
                let when = path.reachableOn.map { $0 <= asOf ? "once the steps are done" : TextFormat.day($0) } ?? "once the steps are done"
                let days = path.reachableOn.map { $0 > asOf ? " (\($0 - asOf) days)" : "" } ?? ""
                return [.strong(when), .text(days + " · \(TextFormat.plural(path.stepCount, "step"))")]
            }
            return [.text("no path: \(path.blockedReason ?? "no safe, covered steps")")]
        }
        return [.text(option.verdict == .notCovered ? "not covered" : option.verdict == .contraindicated ? "not safe for this patient" : "—")]
    }

    func keyOptions(asOf: Day) -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "How soon each plan reaches the key options"),
                               .paragraph([.text("For each plan: the status today, and the earliest date every requirement is met with the number of steps left (a step is a drug trial, a record to send, or a wait).")])]
        for (index, group) in planGroups.enumerated() {
            var rows: [[[Inline]]] = []
            for key in KeyOption.allCases {
                rows.append([[.text(key.title)]] + group.map { plan in
                    let option = key.find(in: plan)
                    return optionCell(option, asOf: asOf, showName: key == .augmentation) + (option == nil ? [] : [.lineBreak] + reachText(option, asOf: asOf))
                })
            }
            blocks.append(.table(Table(caption: "Key options\(groupSuffix(index))", headers: ["Option"] + group.map(planHeader), rows: rows, style: "compare")))
        }
        return blocks
    }

    func sideBySide(asOf: Day) -> [Block] {
        var best: [String: (rank: Int, name: String)] = [:]
        for plan in plans {
            for option in plan.options {
                let name = VerdictWording.optionName(option)
                if let current = best[option.optionID], current.rank <= option.rank { continue }
                best[option.optionID] = (option.rank, name)
            }
        }
        let ordered = best.sorted { ($0.value.rank, $0.key) < ($1.value.rank, $1.key) }
        var blocks: [Block] = [.heading(level: 2, text: "Next options side by side"),
                               .paragraph([.text("Every option the analysis looked at, in the order of its best rank on any plan. Each cell: the status, the tier, the cost, and the restrictions (PA = prior authorization, ST = step therapy, QL = quantity limit).")])]
        for (index, group) in planGroups.enumerated() {
            let rows: [[[Inline]]] = ordered.map { id, entry in
                [[.text(entry.name)]] + group.map { plan in
                    let option = plan.options.first { $0.optionID == id }
                    guard let option else { return [.text("not analyzed")] }
                    var cell = optionCell(option, asOf: asOf)
                    if !option.reachableNow, let path = option.remaining, path.reachable, let day = path.reachableOn, day > asOf {
                        cell += [.lineBreak, .text("from \(TextFormat.day(day))")]
                    }
                    return cell
                }
            }
            blocks.append(.table(Table(caption: "Options by plan\(groupSuffix(index))", headers: ["Option"] + group.map(planHeader), rows: rows, style: "compare")))
        }
        return blocks
    }

    func restrictions() -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Restrictions and notes by plan")]
        for plan in plans {
            blocks.append(.heading(level: 3, text: planHeader(plan)))
            var items: [[Inline]] = []
            if let note = VerdictWording.basisNote(plan.criteria.basis) { items.append([.strong("Criteria: "), .text(note)]) }
            for note in plan.notes { items.append([.text(note)]) }
            let options = AnalysisLookup.ranked(plan)
            let pa = options.filter { TextFormat.restrictions($0).contains("PA") }.map(VerdictWording.optionName)
            let st = options.filter { TextFormat.restrictions($0).contains("ST") }.map(VerdictWording.optionName)
            let ql = options.filter { TextFormat.restrictions($0).contains("QL") }.map(VerdictWording.optionName)
            let excluded = options.filter { $0.verdict == .notCovered }.map(VerdictWording.optionName)
            if !pa.isEmpty { items.append([.strong("Prior authorization: "), .text(pa.joined(separator: ", "))]) }
            if !st.isEmpty { items.append([.strong("Step therapy: "), .text(st.joined(separator: ", "))]) }
            if !ql.isEmpty { items.append([.strong("Quantity limits: "), .text(ql.joined(separator: ", "))]) }
            if !excluded.isEmpty { items.append([.strong("Not covered: "), .text(excluded.joined(separator: ", "))]) }
            let guide = AppealGuide(plan: plan)
            for process in guide.processes where !process.deadlines.isEmpty {
                items.append([.strong("\(process.title): "), .text(process.deadlines.joined(separator: " "))])
            }
            blocks.append(.list(items.isEmpty ? [[.text("No restrictions on the options analyzed.")]] : items))
        }
        return blocks
    }

    func method() -> [Block] {
        [.heading(level: 2, text: "How the costs were estimated"),
         .list([
            [.text("Yearly cost = the 30-day cost estimate of each current medicine under the plan × 12. The 30-day estimate is the copay the analysis read from the plan's cost-share data for the medicine's tier and pharmacy type.")],
            [.text("Medicines charged as coinsurance (a percentage of the price) have no dollar estimate, because the drug's price is not in the data; they are counted as “without a dollar estimate”, never as $0.")],
            [.text("Not included: premiums, deductibles, out-of-pocket maximums, 90-day or mail-order savings, and medical-benefit treatments such as Spravato or TMS, which are charged per session.")],
            [.text("A medicine that needs a prior authorization or a step on a plan is priced as if approved: check the status in the same table.")],
         ])]
    }
}
