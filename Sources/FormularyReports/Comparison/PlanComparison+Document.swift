import FormularyAnalysis
import FormularyCriteria
import Foundation

extension PlanComparison {
    func document() -> ReportDocument {
        let asOf = analysis.asOf
        let regimen = RegimenCost.regimen(analysis)
        let costs = yearlyCosts
        var blocks: [Block] = []
        blocks.append(.callout(.info, blocks: [.paragraph([
            .strong("How to read this comparison. "),
            .text("The same person and records, analyzed under each plan. It starts with what each plan would cost for a year with the medicines you take now (premiums, the deductible and the drug costs, cheapest first) beside how soon each plan reaches the key options for treatment-resistant depression, then what each plan requires. Every dollar figure is an estimate: see “How the costs were estimated”. The plans' own documents are final."),
        ])]))
        if let warning = yearWarning(costs) { blocks.append(.callout(.warning, blocks: [.paragraph(warning)])) }
        blocks.append(.contents([("plans", "Plans compared"), ("yearly", "The yearly cost"), ("regimen", "Current medicines"),
                                 ("key-options", "Key options"), ("treatments", "Clinic treatments"), ("options", "Next options side by side"),
                                 ("restrictions", "Restrictions and appeals"), ("method", "How the costs were estimated"), ("glossary", "Glossary")]))
        blocks.append(.section(id: "plans", card: false, blocks: plansTable(costs)))
        blocks.append(.section(id: "yearly", card: false, blocks: yearlySection(costs, regimen: regimen, asOf: asOf)))
        blocks.append(.section(id: "regimen", card: false, blocks: regimenSection(regimen)))
        blocks.append(.section(id: "key-options", card: false, blocks: keyOptions(asOf: asOf)))
        blocks.append(.section(id: "treatments", card: false, blocks: treatmentsSection(costs)))
        blocks.append(.section(id: "options", card: false, blocks: sideBySide(asOf: asOf)))
        blocks.append(.section(id: "restrictions", card: false, blocks: restrictions()))
        blocks.append(.section(id: "method", card: false, blocks: method(costs)))
        blocks.append(.section(id: "glossary", card: false, blocks: [.heading(level: 2, text: "Glossary"),
                                                                     .definitions(Glossary.terms.map { ($0.term, [.text($0.definition)]) })]))
        let years = Set(costs.map(\.year)).sorted().map(String.init).joined(separator: ", ")
        return ReportDocument(
            title: "Plan comparison: \(TextFormat.plural(plans.count, "plan")) side by side",
            subtitle: [.text("For open enrollment · plan year "), .strong(years), .text(" · as of "), .strong(TextFormat.day(asOf)),
                       .text(" · profile "), .code(analysis.patient)],
            blocks: blocks,
            footer: ReportFooter.lines(metadata)
        )
    }

    /// A warning when a plan's data year is not the as-of year.
    func yearWarning(_ costs: [YearlyCost]) -> [Inline]? {
        let asOfYear = analysis.asOf.year
        let other = costs.filter { $0.yearFromData && $0.year != asOfYear }
        guard !other.isEmpty else { return nil }
        let years = Set(other.map(\.year)).sorted().map(String.init).joined(separator: " and ")
        let whose = other.count == costs.count ? "Every plan's data"
            : "The data of " + other.map { cost in plans.first { $0.planID == cost.planID }.map(planHeader) ?? cost.planID }.joined(separator: ", ")
        return [.strong("Plan year \(years), as of \(asOfYear). "),
                .text("\(whose) is for plan year \(years), but this comparison is as of \(TextFormat.day(analysis.asOf)). The costs use plan year \(years)'s premiums, deductibles and limits; the requirements were checked as of the as-of date. Check each plan's \(years) documents before you choose.")]
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

    func plansTable(_ costs: [YearlyCost]) -> [Block] {
        let rows: [[[Inline]]] = zip(plans, costs).map { plan, cost in
            var criteria: [Inline] = [.text(plan.criteria.title ?? plan.criteria.documentID ?? "none")]
            if let version = plan.criteria.policyVersion { criteria.append(.text(", version \(version)")) }
            criteria += [.lineBreak, .emphasis(ReportFooter.basisText(plan.criteria.basis))]
            let year: [Inline] = cost.yearFromData ? [.text(String(cost.year))] : [.text("\(cost.year)"), .lineBreak, .emphasis("not in the data: the as-of year")]
            return [[.text(planHeader(plan))], [.text(marketText(plan.market, planID: plan.planID))], year, [.text(plan.formularyID ?? "—")], criteria,
                    [.text(plan.dataSource ?? "—")]]
        }
        return [.heading(level: 2, text: "Plans compared"),
                .table(Table(caption: "The plans in this comparison", headers: ["Plan", "Type", "Plan year", "Formulary", "Criteria used", "Formulary data"], rows: rows))]
    }

    func marketText(_ market: String?, planID: String = "") -> String {
        switch market {
        case "medicare-part-d":
            planID.uppercased().hasPrefix("S") ? "Medicare stand-alone drug plan (PDP)"
                : planID.uppercased().hasPrefix("H") || planID.uppercased().hasPrefix("R") ? "Medicare Advantage with drug coverage (MA-PD)"
                : "Medicare (Part D drug coverage)"
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
            rows.append([[.strong("Copays for a year (30-day cost × 12)")]] + groupCosts.map { cost in [.strong(cost.annualText)] })
            blocks.append(.table(Table(caption: "Current medicines\(groupSuffix(index))", headers: ["Medicine"] + group.map(planHeader), rows: rows, style: "compare")))
        }
        blocks.append(.paragraph([.text("The copays alone, before premiums and the deductible: the yearly cost above adds those and the yearly limit.")]))
        return blocks
    }

    // MARK: The yearly cost

    /// The plans cheapest first by the estimated year: a table with the time to reach the key
    /// options beside each total, the breakdown (premiums, deductible, drug costs), a stacked
    /// chart, and what each estimate leaves out.
    func yearlySection(_ costs: [YearlyCost], regimen: [RegimenCost.Item], asOf: Day) -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "The yearly cost, cheapest first")]
        let ordered = plans.indices.sorted { a, b in
            let (x, y) = (costs[a].sortKey, costs[b].sortKey)
            return x.0 != y.0 ? x.0 < y.0 : x.1 != y.1 ? x.1 < y.1 : a < b
        }
        blocks.append(.paragraph([.text(regimen.isEmpty
            ? "The records show no current medicine, so each year is the premiums alone. Every figure is an estimate for the plan year shown."
            : "For the medicines taken now (\(regimen.map(\.drug).joined(separator: ", "))): premiums + the deductible + the drug costs after it, with the yearly out-of-pocket limit applied. Estimates for the plan year shown; how each was made is under “How the costs were estimated”.")]))
        func label(_ index: Int) -> String { "\(planHeader(plans[index])) · \(costs[index].year)" }
        let keyRows: [[[Inline]]] = ordered.enumerated().map { rank, index in
            let plan = plans[index]
            return [[.text("\(rank + 1). \(label(index))")], [.strong(costs[index].totalText)]]
                + KeyOption.allCases.map { key in shortReach(key.find(in: plan), key: key, asOf: asOf) }
        }
        blocks.append(.table(Table(caption: "Estimated yearly total and how soon each plan reaches the key options",
                                   headers: ["Plan · plan year", "Estimated yearly total", "Spravato", "TMS", "Augmentation"], rows: keyRows)))
        let breakdown: [[[Inline]]] = ordered.map { index in
            let cost = costs[index]
            return [[.text(label(index))], [.text(cost.premiumText)], [.text(cost.deductibleText)], [.text(cost.drugText)], [.strong(cost.totalText)]]
        }
        let chart = CostChart(id: "yearly-cost-chart", title: "Estimated yearly cost by plan: premiums, deductible and drug costs",
                              description: "For each plan, cheapest first, a bar made of the year's premiums, the deductible and the drug costs after it, with the total beside it. The same numbers are in the table “What the yearly total is made of”.",
                              bars: ordered.map { index in
                                  let plan = plans[index], cost = costs[index]
                                  let details = [plan.planName == nil ? nil : plan.planID, "plan year \(cost.year)", versionNote(plan)].compactMap { $0 }
                                  return CostChart.Bar(label: plan.planName ?? plan.planID, detail: details.joined(separator: ", "), premiums: cost.premiums,
                                                       deductible: cost.deductiblePart, drugs: cost.drugPart, valueText: cost.totalText)
                              })
        blocks.append(.figure(chart.svg(), caption: "Estimated yearly cost by plan: premiums, deductible and drug costs (an estimate; the table below has the same numbers).",
                              fallback: []))
        blocks.append(.table(Table(caption: "What the yearly total is made of",
                                   headers: ["Plan · plan year", "Premiums", "Deductible", "Drug costs after the deductible", "Estimated yearly total"],
                                   rows: breakdown)))
        var notes: [[Inline]] = []
        for index in ordered where !costs[index].notes.isEmpty {
            notes.append([.strong(label(index) + ": "), .text(costs[index].notes.joined(separator: " "))])
        }
        if !notes.isEmpty {
            blocks.append(.paragraph([.strong("What each estimate leaves out or assumes")]))
            blocks.append(.list(notes))
        }
        if costs.contains(where: { $0.kind == .partD }) {
            let plan = costModel.paymentPlan
            blocks.append(.callout(.info, blocks: [.paragraph([.strong("\(plan.name). "), .text(plan.description), .text(" Source: \(plan.citation).")])]))
        }
        return blocks
    }

    /// A key option in a few words for the yearly table: "now", "Oct 26, 2025 · 3 steps", "no path", "not covered".
    func shortReach(_ option: OptionResult?, key: KeyOption, asOf: Day) -> [Inline] {
        guard let option else { return [.text("not analyzed")] }
        var out: [Inline] = key == .augmentation ? [.text(VerdictWording.optionName(option)), .lineBreak] : []
        if option.reachableNow { return out + [.strong("now")] }
        switch option.verdict {
        case .notCovered: return out + [.text("not covered")]
        case .contraindicated: return out + [.text("not safe for this patient")]
        default: break
        }
        if let path = option.remaining {
            if path.reachable {
                if let day = path.reachableOn, day > asOf { out += [.strong(TextFormat.day(day)), .text(" · \(TextFormat.plural(path.stepCount, "step"))")] }
                else { out += [.text("after \(TextFormat.plural(path.stepCount, "step"))")] }
                return out
            }
            return out + [.text("no path yet")]
        }
        if let start = option.earliestStart, start > asOf { return out + [.text("from \(TextFormat.day(start))")] }
        return out + [.text(VerdictWording.shortBadge(option.verdict).text)]
    }

    // MARK: Clinic treatments

    /// Spravato, TMS and ECT: the person's estimated share under each plan.
    func treatmentsSection(_ costs: [YearlyCost]) -> [Block] {
        var blocks: [Block] = [.heading(level: 2, text: "Clinic treatments: your estimated share"),
                               .paragraph([.text("Spravato, TMS and ECT are paid by the medical benefit, per session. Each figure is an estimate: the plan's coinsurance (or copay) times an allowed amount from Medicare's national fee schedule, approximate, not a price quote; the clinic and the plan can tell you the real amount. A treatment still needs the plan's approval (see “Key options”).")])]
        let options = ["esketamine": "Spravato", "tms": "TMS", "ect": "ECT"]
        let estimates = zip(plans, costs).map { plan, cost in
            ["esketamine", "tms", "ect"].map { MedicalCost(optionID: $0, plan: plan, model: costModel, year: cost.year) }
        }
        for (index, group) in planGroups.enumerated() {
            var rows: [[[Inline]]] = []
            for (position, optionID) in ["esketamine", "tms", "ect"].enumerated() {
                for course in costModel.courses(option: optionID) {
                    rows.append([[.text("\(options[optionID] ?? optionID): \(course.label)")]] + group.indices.map { offset in
                        let estimate = estimates[index * Self.plansPerTable + offset][position]
                        if let status = estimate.status { return [.emphasis(status)] }
                        return [.text(estimate.estimates.first { $0.label == course.label }?.text ?? "—")]
                    })
                }
            }
            blocks.append(.table(Table(caption: "Estimated share per treatment\(groupSuffix(index))", headers: ["Treatment"] + group.map(planHeader), rows: rows, style: "compare")))
        }
        var basis: [[Inline]] = []
        for (plan, list) in zip(plans, estimates) {
            let lines = Array(Set(list.flatMap(\.basis))).sorted()
            if !lines.isEmpty { basis.append([.strong(planHeader(plan) + ": "), .text(lines.joined(separator: " "))]) }
        }
        if !basis.isEmpty {
            blocks.append(.paragraph([.strong("How these were estimated")]))
            blocks.append(.list(basis))
        }
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
        var blocks: [Block] = [.heading(level: 2, text: "Restrictions, exceptions and appeals by plan")]
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
            blocks.append(.list(items.isEmpty ? [[.text("No restrictions on the options analyzed.")]] : items))
            let guide = AppealGuide(plan: plan, reference: appeals)
            let routes = guide.processes.filter { $0.id != AppealGuide.deniedProcess.id }
            if !routes.isEmpty {
                blocks.append(.paragraph([.strong("Where to ask for an exception or appeal on this plan")]))
                blocks.append(.list(routes.map { process in
                    var line: [Inline] = [.strong(process.title + ". ")]
                    if let who = process.whoFiles { line.append(.text("Who files: \(TextFormat.clause(who)). ")) }
                    line.append(.text(process.deadlines.joined(separator: " ")))
                    if let citation = process.citation { line += [.text(" "), .emphasis("Source: \(citation).")] }
                    return line
                }))
            }
        }
        return blocks
    }

    func method(_ costs: [YearlyCost]) -> [Block] {
        var items: [[Inline]] = [
            [.strong("Yearly total "), .text("= premiums (the monthly premium × 12) + the deductible + the drug costs after it, never more than the yearly out-of-pocket limit for drugs. Premiums and deductibles come from the plan data; when the data has none, the table says so and the total leaves them out.")],
            [.strong("Medicare drug plans (Part D, the 2025 redesign): "), .text("you pay the deductible first, then the plan's copay or coinsurance (initial coverage), and $0 for covered drugs once your out-of-pocket spending reaches the year's cap. The deductible is counted in full when it applies to a current medicine's tier (assuming the first fill costs at least the deductible, as brand drugs do); the copays are the 30-day cost of each medicine × 12. Premiums do not count toward the cap.")],
            [.strong("Marketplace and employer plans: "), .text("the deductible (when the data has it), then the copays, up to the plan's out-of-pocket maximum; when the data has no maximum, the ACA maximum for the year is used.")],
            [.text("Medicines charged as coinsurance (a percentage of the price) have no dollar amount, because the drug's price is not in the data: they are listed as “without a dollar estimate”, never as $0, and the total becomes a range up to the yearly limit.")],
            [.text("Clinic treatments (Spravato, TMS, ECT) are shown apart: the plan's coinsurance or copay × an approximate allowed amount from Medicare's national fee schedule. They count toward a plan's out-of-pocket maximum, not toward the Part D cap.")],
            [.text("Not included: 90-day or mail-order savings, pharmacy price differences, extra help (LIS) and premium tax credits, and anything not in the plan data. A medicine that needs a prior authorization or a step is priced as if approved: check its status in “Current medicines”.")],
        ]
        var sources: [String] = []
        for year in Set(costs.map(\.year)).sorted() {
            if costs.contains(where: { $0.kind == .partD && $0.year == year }), let partD = costModel.partD(year: year) {
                sources.append("Part D \(partD.entry.year): deductible at most \(TextFormat.money(partD.entry.maximumDeductible)), out-of-pocket cap \(TextFormat.money(partD.entry.outOfPocketCap)) (\(partD.entry.citation)).")
            }
            if costs.contains(where: { ($0.kind == .marketplace || $0.kind == .employer) && $0.year == year }), let aca = costModel.aca(year: year) {
                sources.append("ACA \(aca.entry.year): out-of-pocket maximum \(TextFormat.money(aca.entry.selfOnly)) for one person, \(TextFormat.money(aca.entry.family)) for a family (\(aca.entry.citation)).")
            }
        }
        sources.append("Every number the model uses, with its source: \(CostModel.fileName) version \(costModel.version).")
        items.append([.strong("Sources: "), .text(sources.joined(separator: " "))])
        return [.heading(level: 2, text: "How the costs were estimated"), .list(items)]
    }
}
