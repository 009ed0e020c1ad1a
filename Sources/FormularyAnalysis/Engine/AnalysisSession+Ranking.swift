import FormularyCriteria

extension AnalysisSession {
    /// The group an option is ranked in, from what it is and how it would be used.
    func strategy(for option: DrugOption, use: OptionUse) -> Strategy {
        let root = option.productOf.flatMap { reference.option(id: $0) } ?? option
        if root.id == "esketamine" { return .esketamine }
        if root.drugClass == .psychotherapy { return .psychotherapy }
        if root.drugClass == .procedure || root.kind == .procedure { return .neuromodulation }
        if use == .addOn || !root.countsAsAntidepressant { return .augment }
        return currentAntidepressantClasses.contains(root.drugClass) ? .switchWithinClass : .switchClass
    }

    /// How many different antidepressants had an adequate trial (ADQ-TRD) in the episode, under
    /// the plan's adequacy rules: two or more is treatment resistance.
    func adequateAntidepressantTrials() -> Int {
        let document = policy.planDocument ?? policy.defaultDocument
        let rules = (document?.adequacy.values.map { $0 } ?? []).filter { $0.purpose == .trd }
        var drugs = Set<String>()
        for item in facts.therapy where item.source != .planned {
            for option in item.counting.compactMap({ reference.option(id: $0) }) where option.countsAsAntidepressant {
                if rules.contains(where: { AdequacyJudge.judgeTRD(item, counting: option, rule: $0, facts: facts, day: facts.asOf).counts }) {
                    drugs.insert(option.id)
                }
            }
        }
        return drugs.count
    }

    /// The strategy order in force for this patient (before or after treatment resistance).
    func strategyOrder() -> (order: [Strategy], resistant: Bool, adequate: Int) {
        let data = reference.safety.strategies
        let adequate = adequateAntidepressantTrials()
        let resistant = adequate >= data.resistantAfterAdequateTrials
        let order = (resistant ? data.afterResistance : data.beforeResistance).compactMap(Strategy.init(rawValue:))
        return (order.count == Strategy.allCases.count ? order : Strategy.allCases, resistant, adequate)
    }

    /// The patient's own use of the option: taken now, or tried and stopped in the current
    /// episode (any time when no episode start is known). Claims of one drug count as one use.
    func history(for option: DrugOption) -> OptionHistory? {
        let items = facts.therapy.filter { item in
            item.handle.id == option.id || (option.kind == .ingredient && item.counting == [option.id])
        }
        guard !items.isEmpty else { return procedureHistory(for: option) }
        let asOf = facts.asOf
        func outcomes(_ group: [TherapyItem]) -> [String] {
            var seen = Set<String>()
            return group.flatMap { $0.outcomes.map { $0.rawValue } }.filter { $0 != TrialOutcome.unknown.rawValue && seen.insert($0).inserted }
        }
        func refs(_ group: [TherapyItem]) -> String {
            let sorted = group.sorted { $0.start < $1.start }
            return sorted.count == 1 ? sorted[0].ref : "\(sorted[0].ref)…\(sorted[sorted.count - 1].ref)"
        }
        let current = items.filter { $0.isActive(on: asOf) || $0.source == .claim && ($0.end ?? $0.start) >= asOf - 7 }
        if !current.isEmpty {
            let start = items.filter { $0.start <= asOf }.map(\.start).min() ?? current[0].start
            return OptionHistory(status: .current, ref: refs(current), start: start, end: nil, mgPerDay: current.compactMap(\.mgPerDay).max(),
                                 outcomes: outcomes(current))
        }
        let episode = facts.episodeStart
        let tried = items.filter { item in episode.map { item.coverageEnd(on: asOf) >= $0 } ?? true }
        guard !tried.isEmpty else { return nil }
        return OptionHistory(status: .tried, ref: refs(tried), start: tried.map(\.start).min() ?? asOf,
                             end: tried.map { $0.coverageEnd(on: asOf) }.max(), mgPerDay: tried.compactMap(\.mgPerDay).max(), outcomes: outcomes(tried))
    }

    /// Psychotherapy, TMS, ECT or esketamine courses the profile records, as history.
    func procedureHistory(for option: DrugOption) -> OptionHistory? {
        let courses = facts.procedures.filter { _, named in
            named?.id == option.id || (option.drugClass == .psychotherapy && named?.drugClass == .psychotherapy)
        }.map(\.record)
        guard let last = courses.max(by: { ($0.start ?? $0.end ?? facts.asOf) < ($1.start ?? $1.end ?? facts.asOf) }) else { return nil }
        let ongoing = last.outcome == .ongoing || (last.end == nil && last.start.map { $0 <= facts.asOf } == true)
        let episode = facts.episodeStart
        if !ongoing, let episode, let end = last.end, end < episode { return nil }
        return OptionHistory(status: ongoing ? .current : .tried, ref: last.ref, start: last.start ?? last.end ?? facts.asOf, end: ongoing ? nil : last.end,
                             mgPerDay: nil, outcomes: [last.outcome.rawValue] + (last.sessions.map { ["\($0) sessions"] } ?? []))
    }
}
