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

    /// ADQ-TRD on one item (a chart or planned trial; claims alone carry no outcome). A trial
    /// recorded with more than one outcome (`[inadequate, intolerance]`) can count as a failed
    /// trial and be documented intolerance at once.
    static func judgeTRD(_ item: TherapyItem, counting option: DrugOption, rule: AdequacyRule, facts: PatientFacts, day: Day) -> TRDJudgement {
        let end = item.coverageEnd(on: day)
        let days = Day.inclusiveCount(from: item.start, through: end)
        if rule.excludedOptions.contains(option.id) || rule.excludedOptions.contains(item.option.id) {
            return TRDJudgement(counts: false, intolerance: false, days: days, reason: "\(option.name) never counts under \(rule.id)")
        }
        if item.start > day { return TRDJudgement(counts: false, intolerance: false, days: 0, reason: "starts after \(day)") }
        let adverse = item.adverseOutcome
        guard let outcome = item.responseOutcome else {
            return TRDJudgement(counts: false, intolerance: true, days: days,
                                reason: "documented \((adverse ?? .intolerance).rawValue): does not count as a failed trial (counts only where intolerance is allowed)")
        }
        let also = adverse.map { "; also documented \($0.rawValue)" } ?? ""
        func judgement(_ counts: Bool, _ reason: String, days: Int = days) -> TRDJudgement {
            TRDJudgement(counts: counts, intolerance: adverse != nil, days: days, reason: reason + also)
        }
        if item.source == .claim {
            return judgement(false, "claims show no outcome: document the response in the chart")
        }
        if rule.excludedOutcomes.contains(outcome) {
            let why = outcome == .confounded ? "outcome confounded (\(item.confoundedBy ?? "confounder")); needs clinician confirmation" : "outcome \(outcome.rawValue) excluded"
            return judgement(false, why)
        }
        if !rule.outcomes.isEmpty && !rule.outcomes.contains(outcome) {
            // No documented response: not a failed trial and not dropped either; the chart must say.
            if outcome == .unknown {
                return judgement(false, "no documented outcome: needs documentation of the response (\(rule.outcomes.map(\.rawValue).joined(separator: ", ")) or response) to count")
            }
            return judgement(false, "outcome \(outcome.rawValue) is not \(rule.outcomes.map(\.rawValue).joined(separator: "/"))")
        }
        if rule.requireMinimumDose, let minimum = minimumDose(for: option, rule: rule) {
            guard let dose = item.mgPerDay else {
                return judgement(false, "dose not documented (needs ≥ \(minimum.clean) mg/day)")
            }
            if dose < minimum {
                return judgement(false, "\(dose.clean) mg/day < \(minimum.clean) mg/day minimum")
            }
        }
        if rule.withinCurrentEpisode, let episode = facts.episodeStart, item.start < episode {
            return judgement(false, "started \(item.start), before the current episode (\(episode))")
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
            return judgement(false, reason)
        }
        return judgement(true, "\(days) days" + (item.mgPerDay.map { " at \($0.clean) mg/day" } ?? "") + ", \(outcome.rawValue)")
    }

    /// Whether a step rule reads supply (a paid claim counts at once, §5.0 rule 3) rather than
    /// days held: it takes claims. A planned step fill is then a paid claim on its fill date.
    static func countsSupplyAtOnce(_ rule: AdequacyRule) -> Bool {
        rule.purpose == .step && rule.sources.contains(.claims)
    }

    /// The last day an item covers for a step rule judged on `day`: a claim its whole supply at
    /// once (fill + supply − 1), a chart trial the days held so far, a planned fill like a claim
    /// when the rule reads claims (else like a chart trial).
    static func stepCoverageEnd(_ item: TherapyItem, rule: AdequacyRule, on day: Day) -> Day {
        switch item.source {
        case .claim: item.end ?? item.start
        case .planned where countsSupplyAtOnce(rule): item.end ?? item.start
        default: item.coverageEnd(on: day)
        }
    }

    /// ADQ-ST for one agent: the union of days covered by its claims and chart trials whose
    /// coverage ends inside the lookback, visible first, then counting documentation-only items.
    struct StepJudgement {
        var agent: String
        var visibleDays: Int
        var documentedDays: Int
        /// The first visible documented intolerance or contraindication (it alone meets the step).
        var intolerance: TherapyItem? { intolerances.first }
        /// Every visible item documenting intolerance or a contraindication (when the rule lets it count).
        var intolerances: [TherapyItem]
        var visibleItems: [TherapyItem]
        var documentationItems: [TherapyItem]
        var excluded: [(TherapyItem, String)]
        var metVisibly: Bool
        var metWithDocumentation: Bool
    }

    /// `explain: false` leaves out the reasons items do not count (for the scans that only ask
    /// whether the agent is met on a later day).
    static func judgeStep(agent: DrugOption, items: [TherapyItem], rule: AdequacyRule, minDays: Int, lookback: Int?, day: Day,
                          explain: Bool = true) -> StepJudgement {
        let windowStart = lookback.map { day - ($0 - 1) }
        var visible: [TherapyItem] = []
        var documented: [TherapyItem] = []
        var excluded: [(TherapyItem, String)] = []
        var intolerances: [TherapyItem] = []
        var documentedIntolerance = false
        for item in items where item.start <= day {
            switch item.source {
            case .claim: if !rule.sources.contains(.claims) { continue }
            case .planned: if rule.sources.isEmpty { continue }
            case .chart, .medication: if !rule.sources.contains(.chart) { continue }
            }
            if rule.excludedOptions.contains(agent.id) {
                if explain { excluded.append((item, "never counts under \(rule.id)")) }
                continue
            }
            let end = stepCoverageEnd(item, rule: rule, on: day)
            let inside = windowStart.map { end >= $0 } ?? true
            let needsDocs = (item.cash && rule.documentationOnly.contains("cash")) || (item.previousPlan && rule.documentationOnly.contains("previous-plan"))
            // Documented intolerance or contraindication (alone or beside a response outcome) meets the step by itself.
            if rule.intoleranceCounts, item.adverseOutcome != nil {
                if !inside && !rule.documentationOnly.contains("outside-lookback") {
                    if explain { excluded.append((item, "outside the \(lookback ?? 0)-day lookback (ended \(end))")) }
                } else if inside && !needsDocs {
                    intolerances.append(item)
                } else {
                    documented.append(item)
                    documentedIntolerance = true
                }
                continue
            }
            let outcome = item.responseOutcome ?? item.effectiveOutcome
            if rule.excludedOutcomes.contains(outcome) {
                if explain {
                    excluded.append((item, outcome == .confounded ? "confounded (\(item.confoundedBy ?? "confounder")): not a failed trial without clinician confirmation" : "outcome \(outcome.rawValue) excluded"))
                }
                continue
            }
            if !inside && !rule.documentationOnly.contains("outside-lookback") {
                if explain { excluded.append((item, "outside the \(lookback ?? 0)-day lookback (ended \(end))")) }
                continue
            }
            if inside && !needsDocs { visible.append(item) } else { documented.append(item) }
        }
        func unionDays(_ items: [TherapyItem]) -> Int {
            let intervals = items.map { item -> (Int, Int) in
                (item.start.ordinal, stepCoverageEnd(item, rule: rule, on: day).ordinal)
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
        let metVisibly = !intolerances.isEmpty || visibleDays >= minDays
        return StepJudgement(agent: agent.id, visibleDays: visibleDays, documentedDays: allDays, intolerances: intolerances, visibleItems: visible,
                             documentationItems: documented, excluded: excluded, metVisibly: metVisibly,
                             metWithDocumentation: !metVisibly && (allDays >= minDays || documentedIntolerance))
    }

    /// When an agent that meets a step visibly on `day` stops meeting it: the first day one of
    /// its items leaves the lookback (coverage end + N, §5.0 rule 4) and what is left no longer
    /// reaches the minimum. `nil` without a lookback, or when an ongoing trial keeps it counting.
    static func stepExpiry(agent: DrugOption, items: [TherapyItem], rule: AdequacyRule, minDays: Int, lookback: Int?, day: Day,
                           judgement: StepJudgement) -> Expiry? {
        guard let lookback, judgement.metVisibly else { return nil }
        // An ongoing trial that already meets it alone (or documents intolerance) never leaves.
        func ongoing(_ item: TherapyItem) -> Bool { item.source != .claim && item.source != .planned && item.end == nil }
        if judgement.intolerances.contains(where: ongoing)
            || judgement.visibleItems.contains(where: { ongoing($0) && Day.inclusiveCount(from: $0.start, through: day) >= minDays }) {
            return nil
        }
        // Items with a fixed last day leave the window on it + N; ongoing trials never do.
        var leaving: [(item: TherapyItem, end: Day, adverse: Bool)] = []
        for item in judgement.visibleItems where !ongoing(item) {
            leaving.append((item, stepCoverageEnd(item, rule: rule, on: item.end ?? day), false))
        }
        for item in judgement.intolerances where !ongoing(item) {
            leaving.append((item, stepCoverageEnd(item, rule: rule, on: item.end ?? day), true))
        }
        for leaveDay in Set(leaving.map { $0.end + lookback }).sorted() where leaveDay > day {
            let later = judgeStep(agent: agent, items: items, rule: rule, minDays: minDays, lookback: lookback, day: leaveDay, explain: false)
            guard !later.metVisibly else { continue }
            // The item leaving that day (documented intolerance first when both leave together).
            let gone = leaving.filter { $0.end + lookback == leaveDay }.sorted { ($0.adverse ? 0 : 1) < ($1.adverse ? 0 : 1) }
            guard let item = gone.first else { return nil }
            return Expiry(agent: agent.id, item: item.item, coverageEnd: item.end, expiresOn: leaveDay,
                          basis: item.adverse ? Expiry.basis(of: item.item) : .daysSupply)
        }
        return nil
    }

    /// The day an agent's counted evidence leaves a lookback, and what that evidence is.
    struct Expiry {
        var agent: String
        var item: TherapyItem
        var coverageEnd: Day
        var expiresOn: Day
        var basis: LookbackExpiry.Basis

        static func basis(of item: TherapyItem) -> LookbackExpiry.Basis {
            switch item.adverseOutcome {
            case .contraindication?: .contraindication
            case .intolerance?: .intolerance
            default: .daysSupply
            }
        }
    }
}
