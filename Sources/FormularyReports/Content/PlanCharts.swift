import FormularyAnalysis
import FormularyCriteria
import Foundation

/// The charts of a plan's analysis, with the same data as a table for Markdown and for anyone
/// who cannot see the chart.
enum PlanCharts {
    /// How many options with a path ahead the timeline shows, best ranked first.
    static let maximumPathOptions = 6

    // MARK: Timeline

    /// Treatment so far: trials as bars to the as-of date, manufacturer switches as markers.
    static func history(_ plan: PlanResult, asOf: Day, id: String) -> TimelineChart {
        var rows: [TimelineChart.Row] = []
        for trial in plan.trials.sorted(by: { $0.start < $1.start }) {
            let dose = TextFormat.dose(trial.mgPerDay, drug: trial.drug).map { " \($0)" } ?? ""
            let end = trial.end ?? asOf
            let style: TimelineChart.Style = trial.effectiveOutcome == "confounded" ? .confounded : (trial.end == nil ? .current : .past)
            let outcome = trial.effectiveOutcome == trial.documentedOutcome ? trial.documentedOutcome : "\(trial.documentedOutcome), counted as \(trial.effectiveOutcome)"
            rows.append(TimelineChart.Row(label: trial.drug + dose,
                                          tooltip: "\(trial.drug)\(dose), \(TextFormat.range(trial.start, trial.end)): \(outcome)",
                                          segment: .init(from: trial.start, through: end, style: style), marker: nil))
        }
        for event in plan.events {
            let change = [event.fromLabeler, event.toLabeler].compactMap { $0 }.joined(separator: " → ")
            rows.append(TimelineChart.Row(label: "maker switch: \(event.drug)",
                                          tooltip: "\(TextFormat.day(event.date)): \(event.drug) maker switch \(change). \(PlainWords.sentence(event.detail))",
                                          segment: nil, marker: (event.date, change.isEmpty ? "maker switch" : change, false)))
        }
        // Each rating scale's scores, oldest first, beside the trials and switches they follow.
        let scores = (plan.scores ?? []).filter { $0.date <= asOf }
        var scales: [String] = []
        for score in scores where !scales.contains(score.scale) { scales.append(score.scale) }
        for scale in scales {
            let series = scores.filter { $0.scale == scale }.sorted { $0.date < $1.date }
            let values = series.map { "\(TextFormat.number($0.value)) on \(TextFormat.day($0.date))" }
            rows.append(TimelineChart.Row(label: "\(scale) scores", tooltip: "\(scale): " + values.joined(separator: "; "), segment: nil, marker: nil,
                                          points: series.map { ($0.date, TextFormat.number($0.value)) }))
        }
        return TimelineChart(id: id, title: "Treatment so far",
                             description: "Each treatment trial in the records from its start to its end (or to the as-of date \(TextFormat.day(asOf)) when ongoing), medicine maker switches, and the rating-scale scores (PHQ-9 and others) with their values.",
                             asOf: asOf, groups: [.init(title: "", rows: rows)])
    }

    /// The steps ahead: for the best-ranked options with a dated path, each trial or wait from
    /// its earliest start to the day it counts, and a flag on the day the option is available.
    static func path(_ plan: PlanResult, asOf: Day, options: [OptionResult], id: String) -> TimelineChart {
        var groups: [TimelineChart.Group] = []
        for option in options where groups.count < maximumPathOptions {
            let name = VerdictWording.optionName(option)
            var rows: [TimelineChart.Row] = []
            if option.verdict != .contraindicated && option.verdict != .notCovered {
                for finding in option.safety where finding.verdict == .washout {
                    guard let start = finding.earliestStart, start > asOf else { continue }
                    rows.append(TimelineChart.Row(label: "wait (washout)", tooltip: "\(PlainWords.capitalized(TextFormat.clause(finding.message))). Earliest start \(TextFormat.day(start)).",
                                                  segment: .init(from: asOf, through: start, style: .wait), marker: (start, "may start \(TextFormat.shortDay(start))", true)))
                }
            }
            if let path = option.remaining, path.reachable {
                for step in path.steps.sorted(by: { $0.order < $1.order }) {
                    guard let start = step.start, let met = step.earliestMet, met > start else { continue }
                    let label = step.kind == .wait ? "wait" : "\(step.order). " + (step.option ?? step.description)
                    rows.append(TimelineChart.Row(label: label, tooltip: "Step \(step.order): \(PlainWords.sentence(step.description)), \(TextFormat.range(start, met))",
                                                  segment: .init(from: start, through: met, style: step.kind == .wait ? .wait : .planned),
                                                  marker: nil))
                }
                if let day = path.reachableOn, day > asOf, !rows.isEmpty {
                    rows.append(TimelineChart.Row(label: "available", tooltip: "\(name): every requirement met on \(TextFormat.day(day))",
                                                  segment: nil, marker: (day, "from \(TextFormat.shortDay(day))", true)))
                }
            }
            if !rows.isEmpty { groups.append(.init(title: name, rows: rows)) }
        }
        var chart = TimelineChart(id: id, title: "The steps ahead",
                                  description: "For each option that needs more time: the trials and waits still to do, from their earliest start to the day they count, and a flag on the day the option becomes available. The dashed line is the as-of date \(TextFormat.day(asOf)).",
                                  asOf: asOf, groups: groups)
        chart.minimumFutureDays = 28
        return chart
    }

    /// The timeline's data as a table.
    static func timelineTable(_ charts: [TimelineChart]) -> Table {
        var rows: [[[Inline]]] = []
        for group in charts.flatMap(\.groups) {
            for row in group.rows {
                var when = ""
                if let segment = row.segment { when = TextFormat.range(segment.from, segment.through) }
                if let marker = row.marker, marker.day != row.segment?.through { when += (when.isEmpty ? "" : "; ") + TextFormat.day(marker.day) }
                if let first = row.points.first?.day, let last = row.points.last?.day { when = TextFormat.range(first, last) }
                rows.append([[.text(row.label)], [.text(group.title.isEmpty ? "treatment so far" : group.title)], [.text(when)], [.text(row.tooltip)]])
            }
        }
        return Table(caption: "The timeline's dates", headers: ["Item", "For", "When", "Details"], rows: rows, style: "chart-data")
    }

    // MARK: Cost

    /// One bar per tier and cost: options that cost the same under the same tier share a bar,
    /// which names them, so twenty generics at the same copay are one line, not twenty.
    static func costChart(_ options: [OptionResult], id: String) -> BarChart {
        struct Group { var tier: String; var cost: CostEstimate?; var benefit: String?; var rank: Double; var names: [String] }
        var groups: [Group] = []
        for option in options where option.verdict != .notCovered && option.coverage.costShare != nil {
            let tier = PlainWords.tier(option.coverage) ?? "No tier"
            let cost = option.coverage.costShare
            if let index = groups.firstIndex(where: { $0.tier == tier && TextFormat.cost($0.cost, benefit: $0.benefit) == TextFormat.cost(cost, benefit: option.coverage.benefit) }) {
                groups[index].names.append(VerdictWording.optionName(option))
            } else {
                groups.append(Group(tier: tier, cost: cost, benefit: option.coverage.benefit, rank: cost?.rank ?? 0, names: [VerdictWording.optionName(option)]))
            }
        }
        groups.sort { $0.rank < $1.rank }
        let bars = groups.map { group in
            BarChart.Bar(label: group.tier,
                         detail: (group.names.count > 2 ? "\(group.names.count) options: " : "") + group.names.joined(separator: ", "),
                         value: group.cost?.estimatedMonthly,
                         valueText: group.cost?.estimatedMonthly.map { "\(TextFormat.money($0)) a month" }
                             ?? TextFormat.shortCost(group.cost) + (group.benefit == "medical" ? " per session" : "") + ", no dollar estimate")
        }
        return BarChart(id: id, title: "Estimated monthly cost by tier",
                        description: "For each tier and cost, the estimated cost for a month and the options charged that way; options charged as coinsurance have no dollar estimate because the price is not in the data.",
                        bars: bars)
    }

    static func costTable(_ chart: BarChart) -> Table {
        Table(caption: "Estimated monthly cost by tier", headers: ["Tier", "Estimated cost", "Options"],
              rows: chart.bars.map { [[.text($0.label)], [.text($0.valueText)], [.text($0.detail ?? "—")]] }, style: "chart-data")
    }
}
