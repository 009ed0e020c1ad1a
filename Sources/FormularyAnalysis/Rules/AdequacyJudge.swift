import FormularyCriteria

/// Applies a named adequacy rule to therapy items: ADQ-TRD per trial (dose, consecutive days,
/// episode, outcome), ADQ-ST per agent (days' supply inside a lookback, visible or only with
/// documentation). One place, so every criterion and the trial table agree.
enum AdequacyJudge {
    /// Why a trial does or does not count for a TRD-purpose rule; `nil` reason = counts.
    struct TRDJudgement {
        var counts: Bool
        /// Counts as a documented intolerance (for "or intolerance per class").
        var intolerance: Bool
        var days: Int
        var reason: String
    }

    static func minimumDose(for option: DrugOption, rule: AdequacyRule) -> Double? {
        rule.minimumDoseOverrides[option.id] ?? option.minTrdMgPerDay
    }

    /// ADQ-TRD on one item (a chart or planned trial; claims alone carry no outcome).
    static func judgeTRD(_ item: TherapyItem, counting option: DrugOption, rule: AdequacyRule, facts: PatientFacts, day: Day) -> TRDJudgement {
        let end = item.coverageEnd(on: day)
        let days = Day.inclusiveCount(from: item.start, through: end)
        if rule.excludedOptions.contains(option.id) || rule.excludedOptions.contains(item.option.id) {
            return TRDJudgement(counts: false, intolerance: false, days: days, reason: "\(option.name) never counts under \(rule.id)")
        }
        if item.start > day { return TRDJudgement(counts: false, intolerance: false, days: 0, reason: "starts after \(day)") }
        let outcome = item.effectiveOutcome
        if outcome == .intolerance || outcome == .contraindication {
            return TRDJudgement(counts: false, intolerance: true, days: days,
                                reason: "documented \(outcome.rawValue): does not count as a failed trial (counts only where intolerance is allowed)")
        }
        if item.source == .claim {
            return TRDJudgement(counts: false, intolerance: false, days: days, reason: "claims show no outcome: document the response in the chart")
        }
        if rule.excludedOutcomes.contains(outcome) {
            let why = outcome == .confounded ? "outcome confounded (\(item.confoundedBy ?? "confounder")); needs clinician confirmation" : "outcome \(outcome.rawValue) excluded"
            return TRDJudgement(counts: false, intolerance: false, days: days, reason: why)
        }
        if !rule.outcomes.isEmpty && !rule.outcomes.contains(outcome) {
            return TRDJudgement(counts: false, intolerance: false, days: days,
                                reason: "outcome \(outcome.rawValue) is not \(rule.outcomes.map(\.rawValue).joined(separator: "/"))")
        }
        if rule.requireMinimumDose, let minimum = minimumDose(for: option, rule: rule) {
            guard let dose = item.mgPerDay else {
                return TRDJudgement(counts: false, intolerance: false, days: days, reason: "dose not documented (needs ≥ \(minimum.clean) mg/day)")
            }
            if dose < minimum {
                return TRDJudgement(counts: false, intolerance: false, days: days, reason: "\(dose.clean) mg/day < \(minimum.clean) mg/day minimum")
            }
        }
        if rule.withinCurrentEpisode, let episode = facts.episodeStart, item.start < episode {
            return TRDJudgement(counts: false, intolerance: false, days: days, reason: "started \(item.start), before the current episode (\(episode))")
        }
        if days < rule.minDays {
            var reason = "\(days) days < \(rule.minDays)"
            if let end = item.end, end < day {
                let claimDays = facts.claims.filter { !Set($0.counting).isDisjoint(with: item.counting) && $0.start >= item.start && $0.start <= end }
                    .compactMap(\.daysSupply).reduce(0, +)
                if rule.chartStopOverridesClaims && claimDays > days {
                    reason += " (chart stop \(end) overrides \(claimDays) days of claims supply)"
                }
            } else if item.end == nil {
                reason += " so far (counts on \(item.start + (rule.minDays - 1)) if continued)"
            }
            return TRDJudgement(counts: false, intolerance: false, days: days, reason: reason)
        }
        return TRDJudgement(counts: true, intolerance: false, days: days, reason: "\(days) days" + (item.mgPerDay.map { " at \($0.clean) mg/day" } ?? "") + ", \(outcome.rawValue)")
    }

    /// ADQ-ST for one agent: the union of days covered by its claims and chart trials whose
    /// coverage ends inside the lookback, visible first, then counting documentation-only items.
    struct StepJudgement {
        var agent: String
        var visibleDays: Int
        var documentedDays: Int
        var intolerance: TherapyItem?
        var visibleItems: [TherapyItem]
        var documentationItems: [TherapyItem]
        var excluded: [(TherapyItem, String)]
        var metVisibly: Bool
        var metWithDocumentation: Bool
    }

    static func judgeStep(agent: DrugOption, items: [TherapyItem], rule: AdequacyRule, minDays: Int, lookback: Int?, day: Day) -> StepJudgement {
        let windowStart = lookback.map { day - ($0 - 1) }
        var visible: [TherapyItem] = []
        var documented: [TherapyItem] = []
        var excluded: [(TherapyItem, String)] = []
        var intolerance: TherapyItem?
        for item in items where item.start <= day {
            if item.source == .claim && !rule.sources.contains(.claims) { continue }
            if (item.source == .chart || item.source == .planned) && !rule.sources.contains(.chart) { continue }
            if rule.excludedOptions.contains(agent.id) { excluded.append((item, "never counts under \(rule.id)")); continue }
            let outcome = item.effectiveOutcome
            if rule.excludedOutcomes.contains(outcome) {
                excluded.append((item, outcome == .confounded ? "confounded (\(item.confoundedBy ?? "confounder")): not a failed trial without clinician confirmation" : "outcome \(outcome.rawValue) excluded"))
                continue
            }
            let end = item.source == .claim ? (item.end ?? item.start) : item.coverageEnd(on: day)
            let inside = windowStart.map { end >= $0 } ?? true
            let needsDocs = (item.cash && rule.documentationOnly.contains("cash")) || (item.previousPlan && rule.documentationOnly.contains("previous-plan"))
            if !inside && !rule.documentationOnly.contains("outside-lookback") {
                excluded.append((item, "outside the \(lookback ?? 0)-day lookback (ended \(end))"))
                continue
            }
            if (outcome == .intolerance || outcome == .contraindication) && rule.intoleranceCounts {
                if inside && !needsDocs { intolerance = intolerance ?? item } else { documented.append(item) }
                continue
            }
            if inside && !needsDocs { visible.append(item) } else { documented.append(item) }
        }
        func unionDays(_ items: [TherapyItem]) -> Int {
            let intervals = items.map { item -> (Int, Int) in
                let end = item.source == .claim ? (item.end ?? item.start) : item.coverageEnd(on: day)
                return (item.start.ordinal, end.ordinal)
            }.sorted { $0.0 < $1.0 }
            var total = 0
            var current: (Int, Int)?
            for interval in intervals {
                if let open = current, interval.0 <= open.1 + 1 {
                    current = (open.0, max(open.1, interval.1))
                } else {
                    if let open = current { total += open.1 - open.0 + 1 }
                    current = interval
                }
            }
            if let open = current { total += open.1 - open.0 + 1 }
            return total
        }
        let visibleDays = unionDays(visible)
        let allDays = unionDays(visible + documented)
        let metVisibly = intolerance != nil || visibleDays >= minDays
        let documentedIntolerance = documented.contains { $0.effectiveOutcome == .intolerance || $0.effectiveOutcome == .contraindication }
        return StepJudgement(agent: agent.id, visibleDays: visibleDays, documentedDays: allDays, intolerance: intolerance, visibleItems: visible,
                             documentationItems: documented, excluded: excluded, metVisibly: metVisibly,
                             metWithDocumentation: !metVisibly && (allDays >= minDays || documentedIntolerance))
    }
}
