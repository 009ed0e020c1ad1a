import FormularyCriteria
import FormularyModel

/// The remaining-path search. It never special-cases a drug: it adds planned trials of covered,
/// non-contraindicated candidate drugs (each reachable by its own rules, found recursively) and
/// re-evaluates the option's rules with the ordinary evaluator until every rule is met, breadth
/// first by number of trials, then cheapest, then earliest.
extension AnalysisSession {
    /// A drug the search may add as a trial, with what it takes to start it.
    struct Candidate {
        var handle: OptionHandle
        var option: DrugOption { handle.option }
        var order: Int
        /// The first day it can start: after its own prerequisites and any washout.
        var ready: Day
        var prerequisites: [PathStep]
        var costRank: Double
        var tierCode: String?
        var cost: CostEstimate?
        var alreadyUsed: Bool
        /// Already counts, from the history alone, toward every need it could fill: another
        /// trial of it adds nothing (kept last in its class, never offered as an alternative).
        var countsAlready: Bool
    }

    struct Scheduled {
        var candidate: Candidate
        var start: Day
        /// The last day of its supply or trial; the next planned trial starts after it.
        var end: Day
        /// The first day it counts toward every need it serves: a paid fill on its fill date
        /// (supply rules, §5.0 rule 3), a duration trial on start + minDays − 1.
        var met: Day
        var duration: Int
        var dose: Double?
        var counting: PathStep.Counting
    }

    func path(for option: DrugOption) -> RemainingPath {
        // Every answer is the one a search starting at this option finds, whatever was asked
        // before (so two sessions can share a plan's options, `TRDAnalyzer.results`): a step
        // drug's path that needs the option being searched is no way to it.
        consulting.insert(option.id)
        if visiting.contains(option.id) {
            cuts.insert(option.id)
            return RemainingPath(reachable: false, reachableOn: nil, stepCount: 0, steps: [], blockedReason: "circular step requirement", costRank: 0, prunedSteps: [])
        }
        // A kept path stands only if its search consulted none of the options now being searched.
        if let kept = paths[option.id], kept.consulted.isDisjoint(with: visiting) {
            consulting.formUnion(kept.consulted)
            return kept.path
        }
        visiting.insert(option.id)
        let outerCuts = cuts
        let outerConsulting = consulting
        cuts = []
        consulting = []
        let result = searchPath(for: option)
        visiting.remove(option.id)
        // A cut at this option itself is what a search starting here finds too; a cut at an
        // option further out is not, so that path is worked out again when asked from elsewhere.
        cuts.remove(option.id)
        if cuts.isEmpty { paths[option.id] = (result, consulting) }
        cuts.formUnion(outerCuts)
        consulting.formUnion(outerConsulting)
        return result
    }

    private func searchPath(for option: DrugOption) -> RemainingPath {
        let assessment = assess(option)
        let applied = assessment.appliedRules
        let document = assessment.document
        let adequacy = adequacyLookup(document)
        let ownWashoutNow = assessment.safety.compactMap(\.earliestStart).max() ?? facts.asOf

        // Criteria no trial or action can change (age, timing, a contraindication, a low score).
        var blockers: [String] = []
        for rule in applied {
            let evaluation = evaluate(rule, option: option, document: document, assumption: .actionableAndTrials)
            if evaluation.status != .met {
                blockers += evaluation.criteria.filter { $0.status != .met }.map { "\($0.label): \($0.detail)" }
            }
        }
        if !blockers.isEmpty {
            return RemainingPath(reachable: false, reachableOn: nil, stepCount: 0, steps: [], blockedReason: blockers.joined(separator: "; "),
                                 costRank: 0, prunedSteps: [])
        }

        /// Every rule met — or, with no new trials, met once documentation is attached (cash fills,
        /// a previous plan): then the path is paperwork, not another drug.
        func goalMet(_ planned: [TherapyItem], on day: Day) -> Bool {
            applied.allSatisfy { rule in
                let status = evaluate(rule, option: option, document: document, planned: planned, day: day, assumption: .actionable).status
                return status == .met || (planned.isEmpty && status == .needsDocumentation)
            }
        }

        let needs = TrialNeed.collect(applied, adequacy: adequacy)
        // The days a current drug, kept, crosses a need's minimum: besides the day the planned
        // trials are done, the only days a rule can newly be met (time otherwise only moves
        // items out of lookbacks).
        let crossings = ongoingCrossings(needs, option: option, document: document)
        let crossingDays = Set(crossings.map(\.day)).sorted()
        /// The first day on or after `base` (when `planned` are all done) that every rule is met.
        func firstGoalDay(_ planned: [TherapyItem], from base: Day) -> Day? {
            if goalMet(planned, on: base) { return base }
            return crossingDays.first { $0 > base && goalMet(planned, on: $0) }
        }

        var pruned: [PrunedStep] = []
        var chosen: [Scheduled] = []
        var classes: [[Candidate]] = []
        var goalDay = facts.asOf
        if !goalMet([], on: facts.asOf) {
            let counted = countedAgents(needs, option: option, document: document, on: facts.asOf)
            let candidates = collectCandidates(excluding: option, needs: needs, counted: counted, pruned: &pruned)
            classes = equivalenceClasses(candidates, needs: needs)
            let solution = search(classes: classes, needs: needs, goal: firstGoalDay)
            // Keeping the current drugs may get there without a new one, no later than a new trial would.
            if let day = crossingDays.first(where: { day in (solution.map { day <= $0.day } ?? true) && goalMet([], on: day) }) {
                goalDay = day
            } else {
                guard let solution else {
                    let reason = classes.isEmpty ? "no covered, non-contraindicated drug can satisfy the remaining steps" : "no combination of up to \(maxTrialSteps) covered trials meets the criteria"
                    return RemainingPath(reachable: false, reachableOn: nil, stepCount: 0, steps: [], blockedReason: reason, costRank: 0, prunedSteps: pruned)
                }
                chosen = solution.schedule
                goalDay = solution.day
            }
        }

        // Steps: current drugs to keep taking, prerequisites and trials in schedule order, then
        // actions on what remains.
        var steps: [PathStep] = []
        var costRank = 0.0
        // What the history alone already counts on the goal day: a step does not "satisfy" a
        // criterion its drug already counts toward, and no such drug is offered as an alternative.
        let countedOnGoal = chosen.isEmpty ? [] : countedAgents(needs, option: option, document: document, on: goalDay)
        // A current drug that starts counting between now and the goal day only does so if it is kept.
        var continuing: [(item: TherapyItem, day: Day)] = []
        for crossing in crossings.sorted(by: { $0.day < $1.day }) where crossing.day <= goalDay && !continuing.contains(where: { $0.item === crossing.item }) {
            continuing.append((item: crossing.item, day: crossing.day))
        }
        for (item, day) in continuing {
            let satisfying = needs.filter { need in item.counting.contains { id in table.handle(id).map { need.accepts($0.option) } ?? false } }
            steps.append(PathStep(order: 0, kind: .continueTrial, optionID: item.option.id, option: item.option.displayName,
                                  drugClass: item.option.drugClass.rawValue,
                                  description: "continue \(item.option.displayName)\(item.mgPerDay.map { " at \($0.clean) mg/day" } ?? "") (started \(item.start)) through \(goalDay) (counts from \(day) if the response stays inadequate or partial)",
                                  start: item.start, earliestMet: day, durationDays: Day.inclusiveCount(from: item.start, through: day),
                                  tierCode: nil, costShare: nil, safety: [], satisfies: Array(Set(satisfying.map(\.label))).sorted(),
                                  alternatives: [], counting: .daysOnDrug))
        }
        for item in chosen {
            for var prerequisite in item.candidate.prerequisites {
                prerequisite.kind = prerequisite.kind == .action ? .action : .prerequisite
                prerequisite.description = "for \(item.candidate.option.displayName): " + prerequisite.description
                steps.append(prerequisite)
            }
            let accepted = needs.indices.filter { needs[$0].accepts(item.candidate.option) }
            let fresh = accepted.filter { !countedOnGoal[$0].contains(item.candidate.option.id) }
            let satisfying = (fresh.isEmpty ? accepted : fresh).map { needs[$0] }
            let isTRD = satisfying.contains { $0.rule.purpose == .trd }
            let doseText = item.dose.map { " at ≥ \($0.clean) mg/day" } ?? ""
            let description = isTRD
                ? "new trial of \(item.candidate.option.displayName)\(doseText) for ≥ \(item.duration) consecutive days (counts if the response stays inadequate or partial)"
                : item.counting == .fillDate
                ? "fill ≥ \(item.duration) days' supply of \(item.candidate.option.displayName) (the paid fill counts on its fill date)"
                : "take \(item.candidate.option.displayName) from \(item.start): with its earlier days it reaches \(item.duration) days on \(item.met)"
            // Equally good choices: the same class of candidates, minus drugs already on the path,
            // drugs that already count toward what this step satisfies, and — before an MAOI —
            // drugs whose own washout is longer (fluoxetine's 5 weeks would move the date).
            let planned = Set(chosen.map(\.candidate.option.id))
            let maoiAhead = option.has(.maoi) || chosen.contains { $0.candidate.option.has(.maoi) }
            let ownWashout = item.candidate.option.washoutBeforeMAOIDays ?? 0
            let others = classes.first { $0.contains { $0.option.id == item.candidate.option.id } }?
                .filter { member in
                    !planned.contains(member.option.id)
                        && !(fresh.isEmpty ? accepted : fresh).contains { countedOnGoal[$0].contains(member.option.id) }
                        && !(maoiAhead && (member.option.washoutBeforeMAOIDays ?? 0) > ownWashout)
                }
                .map(\.option.displayName) ?? []
            let findings = findings(for: item.candidate.option, startingOn: item.start).filter { $0.verdict != .contraindicated }
            steps.append(PathStep(order: 0, kind: .trial, optionID: item.candidate.option.id, option: item.candidate.option.displayName,
                                  drugClass: item.candidate.option.drugClass.rawValue, description: description, start: item.start, earliestMet: item.met,
                                  durationDays: item.duration, tierCode: item.candidate.tierCode, costShare: item.candidate.cost, safety: findings,
                                  satisfies: Array(Set(satisfying.map(\.label))).sorted(), alternatives: others, counting: item.counting,
                                  minimumMgPerDay: isTRD ? item.dose : nil))
            costRank += item.candidate.costRank
        }
        let planned = chosen.map(plannedItem)
        var washouts = assessment.safety.filter { $0.earliestStart != nil }
        if !planned.isEmpty || !continuing.isEmpty {
            // The option starts after the planned and continued trials, so each one's own washout
            // counts from its last dose (fluoxetine 5 weeks before an MAOI, an SSRI 2 weeks). A
            // continued drug's last dose is the goal day.
            let continued = facts.stopping(Set(continuing.map(\.item.ref)), on: goalDay)
            washouts = SafetyEngine(facts: continued.adding(planned: planned), reference: reference)
                .findings(for: option, startingOn: goalDay + 1).filter { $0.earliestStart != nil }
        }
        let ownWashout = max(ownWashoutNow, washouts.compactMap(\.earliestStart).max() ?? facts.asOf)
        var reachableOn = max(goalDay, ownWashout)
        if ownWashout > facts.asOf && ownWashout > goalDay {
            steps.append(PathStep(order: 0, kind: .wait, optionID: nil, option: nil, drugClass: nil,
                                  description: "washout before \(option.displayName): " + washouts.map(\.message).joined(separator: "; "),
                                  start: facts.asOf, earliestMet: ownWashout, durationDays: ownWashout - facts.asOf, tierCode: nil, costShare: nil,
                                  safety: washouts, satisfies: washouts.map(\.ruleID), alternatives: []))
        }
        for appliedRule in applied {
            let rule = appliedRule.rule
            let evaluation = evaluate(appliedRule, option: option, document: document, planned: planned, day: goalDay)
            let groupsMet = Set(evaluation.criteria.filter { $0.status == .met }.compactMap(\.alternativeGroup))
            var groupsDone = Set<Int>()
            for criterion in evaluation.criteria where criterion.status != .met {
                if let group = criterion.alternativeGroup, groupsMet.contains(group) || groupsDone.contains(group) { continue }
                guard let leaf = appliedRule.leaves.first(where: { $0.id == criterion.id && $0.line == criterion.line }),
                      var step = actionStep(for: leaf, result: criterion, rule: rule, option: option) else { continue }
                if let group = criterion.alternativeGroup {
                    groupsDone.insert(group)
                    step.description = "one of the alternatives, if it applies: " + step.description
                }
                if let met = step.earliestMet { reachableOn = max(reachableOn, met) }
                steps.append(step)
            }
        }
        for index in steps.indices { steps[index].order = index + 1 }
        return RemainingPath(reachable: true, reachableOn: reachableOn, stepCount: steps.count, steps: steps, blockedReason: nil,
                             costRank: costRank, prunedSteps: pruned)
    }

    /// Each current (ongoing chart) trial with the days after the as-of date on which, kept,
    /// it starts counting toward one of the needs (per need through the memo: the same for
    /// every plan whose rules share the criterion).
    func ongoingCrossings(_ needs: [TrialNeed], option: DrugOption, document: CriteriaDocument?) -> [(day: Day, item: TherapyItem)] {
        let ongoing = facts.trials.filter { $0.source == .chart && $0.end == nil && $0.start <= facts.asOf }
        guard !ongoing.isEmpty else { return [] }
        let documents = documentsSerial(document)
        return needs.flatMap { need in
            let key = need.ruleSerial.map {
                EvaluationMemo.CountingKey(rule: $0, documents: documents, criterion: need.criterionID, line: need.line, option: option.id, day: facts.asOf)
            }
            return memo.crossings(key) {
                var crossings: [(day: Day, item: TherapyItem)] = []
                for item in ongoing {
                    for id in item.counting {
                        guard let agent = table.handle(id)?.option, need.accepts(agent), let day = crossing(of: item, agent: agent, need: need),
                              day > facts.asOf else { continue }
                        crossings.append((day, item))
                    }
                }
                return crossings
            }
        }
    }

    /// The first day an ongoing trial of `agent` makes it count toward `need` if continued: a
    /// duration rule on start + minDays − 1; a supply rule on the first day the agent's visible
    /// days (its claims and chart trials together) reach the minimum.
    func crossing(of item: TherapyItem, agent: DrugOption, need: TrialNeed) -> Day? {
        guard need.rule.purpose == .step, case .step(let step) = need.criterion else {
            // Only a trial that would count then (dose, episode, outcome so far) is worth keeping for it.
            let day = item.start + (need.minDays - 1)
            return AdequacyJudge.judgeTRD(item, counting: agent, rule: need.rule, facts: facts, day: day).counts ? day : nil
        }
        let items = facts.therapy.filter { $0.counting.contains(agent.id) }
        let lookback = step.lookbackDays ?? need.rule.lookbackDays
        let now = AdequacyJudge.judgeStep(agent: agent, items: items, rule: need.rule, minDays: need.minDays, lookback: lookback, day: facts.asOf, explain: false)
        guard !now.metVisibly else { return nil }
        // Days held grow by at most one a day: start where the shortfall could first be made up.
        let last = item.start + (need.minDays - 1)
        var day = max(facts.asOf + 1, facts.asOf + (need.minDays - now.visibleDays))
        while day <= max(last, facts.asOf + 1) {
            if AdequacyJudge.judgeStep(agent: agent, items: items, rule: need.rule, minDays: need.minDays, lookback: lookback, day: day, explain: false).metVisibly { return day }
            day = day + 1
        }
        return nil
    }

    /// For each need, the agents that already count toward it on `day` from the history alone.
    func countedAgents(_ needs: [TrialNeed], option: DrugOption, document: CriteriaDocument?, on day: Day) -> [Set<String>] {
        let documents = documentsSerial(document)
        return needs.map { need in
            let key = need.ruleSerial.map {
                EvaluationMemo.CountingKey(rule: $0, documents: documents, criterion: need.criterionID, line: need.line, option: option.id, day: day)
            }
            return memo.countingAgents(key) { CriterionEvaluator.countingAgents(need.criterion, context(option, day: day, document: document)) }
        }
    }

    /// What a person does about a criterion that a trial cannot satisfy.
    func actionStep(for leaf: LabeledCriterion, result: CriterionResult, rule: CriteriaRule, option: DrugOption) -> PathStep? {
        var description: String
        var earliest: Day?
        var kind = PathStep.Kind.action
        switch leaf.criterion {
        case .flag(let name):
            description = switch name {
            case .medWatchFiled: "file an FDA MedWatch 3500 report, then submit the PA"
            case .pdmpAttested: "prescriber checks the PDMP and attests it on the PA"
            case .remsSite: "treat at a Spravato REMS-certified site"
            default: "document: \(leaf.label)"
            }
        case .prescriber(let specialties):
            let who = specialties.map { $0 == "psychiatry" ? "psychiatrist" : $0 }.joined(separator: " or ")
            description = "have a \(who) prescribe, or document a consultation with one"
        case .absent(let absent):
            kind = .wait
            let lastUse = facts.therapy.filter { item in item.counting.contains { id in reference.option(id: id).map(absent.pool.contains) ?? false } }
                .map { $0.coverageEnd(on: facts.asOf) }.max()
            let lastProcedure = facts.procedures.filter { $0.option.map(absent.pool.contains) ?? false }.compactMap { $0.record.end ?? facts.asOf }.max()
            let last = [lastUse, lastProcedure].compactMap { $0 }.max() ?? facts.asOf
            earliest = last + absent.withinDays
            description = "wait until \(last + absent.withinDays): no \(absent.pool.describe(reference)) within \(absent.withinDays) days"
        case .procedure(let procedure):
            let have = Int(result.detail.split(separator: " ").first ?? "0") ?? 0
            let remaining = max(1, procedure.minSessions - have)
            earliest = facts.asOf + 7 * (remaining - 1)
            description = "complete \(remaining) more session\(remaining == 1 ? "" : "s") of \(procedure.types.joined(separator: "/")) (weekly: by \(earliest!))"
        case .concurrent(let concurrent):
            description = "be on \(concurrent.oralOnly ? "an oral " : "")\(concurrent.pool.describe(reference)) covering the request date"
        case .trials, .step:
            guard result.status == .needsDocumentation || result.status == .unknown else { return nil }
            description = "attach documentation: \(result.documentationNeeded ?? leaf.label)"
        case .age, .sex, .postpartum, .coursesPerPregnancy, .noContraindication:
            return nil
        case .score, .diagnosis, .adverseOutcome:
            description = "document: " + (result.documentationNeeded ?? leaf.label)
        }
        if result.status == .needsDocumentation {
            description = "attach documentation: \(result.documentationNeeded ?? leaf.label)"
        }
        return PathStep(order: 0, kind: kind, optionID: nil, option: nil, drugClass: nil, description: description, start: facts.asOf,
                        earliestMet: earliest, durationDays: nil, tierCode: nil, costShare: nil, safety: [], satisfies: ["\(rule.id).\(leaf.id)"],
                        alternatives: [])
    }

    /// Drugs that could fill a trial need: in a need's pool, covered, not blocked, and
    /// reachable through their own rules (recursively).
    func collectCandidates(excluding option: DrugOption, needs: [TrialNeed], counted: [Set<String>], pruned: inout [PrunedStep]) -> [Candidate] {
        var candidates: [Candidate] = []
        for (order, candidate) in reference.options.enumerated() where candidate.kind == .ingredient && candidate.benefit == .pharmacy && candidate.id != option.id {
            guard needs.contains(where: { $0.accepts(candidate) }) else { continue }
            let assessment = assess(candidate)
            switch assessment.verdict {
            case .notCovered:
                pruned.append(PrunedStep(optionID: candidate.id, name: candidate.displayName, reason: "not covered", contraindicated: false))
                continue
            case .contraindicated:
                let rules = assessment.safety.filter { $0.verdict == .contraindicated }.map(\.ruleID).joined(separator: ", ")
                pruned.append(PrunedStep(optionID: candidate.id, name: candidate.displayName, reason: rules, contraindicated: true))
                continue
            default:
                break
            }
            var ready = facts.asOf
            var prerequisites: [PathStep] = []
            if assessment.verdict == .paNotMet || assessment.verdict == .stNotMet {
                let own = path(for: candidate)
                guard own.reachable, let date = own.reachableOn else {
                    pruned.append(PrunedStep(optionID: candidate.id, name: candidate.displayName, reason: "its own PA/ST cannot be met: \(own.blockedReason ?? "no path")", contraindicated: false))
                    continue
                }
                ready = date
                prerequisites = own.steps
            }
            let washout = assessment.safety.compactMap(\.earliestStart).max() ?? facts.asOf
            let used = facts.therapy.contains { $0.counting.contains(candidate.id) }
            let countsAlready = needs.indices.allSatisfy { !needs[$0].accepts(candidate) || counted[$0].contains(candidate.id) }
            guard let handle = table.handle(candidate.id) else { continue }
            candidates.append(Candidate(handle: handle, order: order, ready: max(ready, washout), prerequisites: prerequisites,
                                        costRank: assessment.coverage.summary.costShare?.rank ?? 500, tierCode: assessment.coverage.summary.tierCode,
                                        cost: assessment.coverage.summary.costShare, alreadyUsed: used, countsAlready: countsAlready))
        }
        return candidates
    }

    /// Candidates that are interchangeable for the search (same class, duration, start, cost,
    /// prerequisites, needs): ties, of which any one is correct (§5.0 rule 12). Within a class,
    /// untried drugs come first, and drugs that already count last (a second trial of the same
    /// drug adds no distinct agent).
    func equivalenceClasses(_ candidates: [Candidate], needs: [TrialNeed]) -> [[Candidate]] {
        struct Key: Hashable {
            var drugClass: DrugClass
            var membership: [Int]
            var ready: Day
            var costRank: Int
            var prerequisites: Int
        }
        var keys: [Key] = []
        var classes: [Key: [Candidate]] = [:]
        for candidate in candidates {
            let key = Key(drugClass: candidate.option.drugClass, membership: needs.indices.filter { needs[$0].accepts(candidate.option) },
                          ready: candidate.ready, costRank: Int(candidate.costRank), prerequisites: candidate.prerequisites.count)
            if classes[key] == nil { keys.append(key) }
            classes[key, default: []].append(candidate)
        }
        return keys.compactMap { key in
            classes[key]?.sorted { ($0.countsAlready ? 1 : 0, $0.alreadyUsed ? 1 : 0, $0.order) < ($1.countsAlready ? 1 : 0, $1.alreadyUsed ? 1 : 0, $1.order) }
        }.sorted { a, b in
            let x = a[0], y = b[0]
            return (x.prerequisites.count, x.costRank, x.ready.ordinal, x.order) < (y.prerequisites.count, y.costRank, y.ready.ordinal, y.order)
        }
    }

    /// Breadth-first over multisets of equivalence classes; the first depth with a solution
    /// wins, cheapest then earliest within it. `goal` answers the first day on or after the
    /// planned trials are done that every rule is met.
    func search(classes: [[Candidate]], needs: [TrialNeed], goal: ([TherapyItem], Day) -> Day?) -> (schedule: [Scheduled], day: Day)? {
        var level: [[Int]] = [[]]
        let levelCap = 400
        for _ in 1...max(1, maxTrialSteps) {
            var next: [[Int]] = []
            var best: (schedule: [Scheduled], day: Day, key: (Int, Double, Int))?
            for state in level {
                for index in (state.last ?? 0)..<classes.count {
                    let used = state.filter { $0 == index }.count
                    guard used < classes[index].count else { continue }
                    let candidateState = state + [index]
                    var members: [Candidate] = []
                    var taken: [Int: Int] = [:]
                    for classIndex in candidateState {
                        let position = taken[classIndex, default: 0]
                        members.append(classes[classIndex][position])
                        taken[classIndex] = position + 1
                    }
                    let schedule = self.schedule(members, needs: needs)
                    if let day = goal(schedule.map(plannedItem), schedule.map(\.met).max() ?? facts.asOf) {
                        let steps = schedule.count + schedule.reduce(0) { $0 + $1.candidate.prerequisites.count }
                        let key = (steps, schedule.reduce(0) { $0 + $1.candidate.costRank }, day.ordinal)
                        if best == nil || key < best!.key { best = (schedule, day, key) }
                    } else if next.count < levelCap {
                        next.append(candidateState)
                    }
                }
            }
            if let best { return (best.schedule, best.day) }
            level = next
            if level.isEmpty { break }
        }
        return nil
    }

    /// Trials one after another: each starts when it is ready, the previous one is done, and the
    /// previous ones' washouts before it are over (each drug's own: fluoxetine 5 weeks before an
    /// MAOI). Each counts on its need's earliest day (`TrialNeed.earliestMet`).
    func schedule(_ members: [Candidate], needs: [TrialNeed]) -> [Scheduled] {
        var result: [Scheduled] = []
        var nextFree = facts.asOf
        for candidate in members.sorted(by: { ($0.ready.ordinal, $0.order) < ($1.ready.ordinal, $1.order) }) {
            let relevant = needs.filter { $0.accepts(candidate.option) }
            let duration = relevant.map(\.minDays).max() ?? 30
            let doses = relevant.filter { $0.rule.purpose == .trd }.compactMap { AdequacyJudge.minimumDose(for: candidate.option, rule: $0.rule) }
            var start = max(candidate.ready, nextFree)
            if !result.isEmpty { start = max(start, washoutEnd(before: candidate.option, after: result, from: start)) }
            let end = start + (duration - 1)
            let met = relevant.map { earliestMet($0, candidate: candidate, start: start, end: end) }.max() ?? end
            let counting: PathStep.Counting = !relevant.isEmpty && relevant.allSatisfy({ AdequacyJudge.countsSupplyAtOnce($0.rule) }) ? .fillDate : .daysOnDrug
            result.append(Scheduled(candidate: candidate, start: start, end: end, met: met, duration: duration, dose: doses.max() ?? candidate.option.minTrdMgPerDay,
                                    counting: counting))
            nextFree = end + 1
        }
        return result
    }

    /// The first day a planned trial of `candidate` from `start` counts toward `need`. A step
    /// judged on chart days (a rule that reads no claims) counts the agent's earlier days too,
    /// so it may count before day `minDays`; everything else is `TrialNeed.earliestMet`.
    func earliestMet(_ need: TrialNeed, candidate: Candidate, start: Day, end: Day) -> Day {
        let plain = need.earliestMet(start: start)
        guard need.rule.purpose == .step, !AdequacyJudge.countsSupplyAtOnce(need.rule), case .step(let step) = need.criterion else { return plain }
        let planned = TherapyItem(ref: "planned:\(candidate.option.id)", source: .planned, option: candidate.handle, counting: [candidate.option.id],
                                  start: start, end: end, daysSupply: end - start + 1, mgPerDay: nil, outcome: .inadequate, cash: false, previousPlan: false,
                                  clinicianConfirmed: false, rxcui: nil, labeler: nil, drugText: candidate.option.name)
        let items = facts.therapy.filter { $0.counting.contains(candidate.option.id) } + [planned]
        let lookback = step.lookbackDays ?? need.rule.lookbackDays
        var day = start
        while day < plain {
            if AdequacyJudge.judgeStep(agent: candidate.option, items: items, rule: need.rule, minDays: need.minDays, lookback: lookback, day: day, explain: false).metVisibly { return day }
            day = day + 1
        }
        return plain
    }

    /// The first day `option` may start after the planned trials `earlier` (no earlier than
    /// `day`): the safety engine's washouts for those trials stopped on their last day, each by
    /// its own washout (the history's own washouts are already in the candidate's `ready`). Only
    /// MAOI switches carry washouts (S1–S3), so other pairs skip the work.
    func washoutEnd(before option: DrugOption, after earlier: [Scheduled], from day: Day) -> Day {
        guard option.has(.maoi) || earlier.contains(where: { $0.candidate.option.has(.maoi) }) else { return day }
        let findings = SafetyEngine(facts: facts.onlyPlanned(earlier.map(plannedItem)), reference: reference).findings(for: option, startingOn: day)
        return max(day, findings.filter { $0.verdict == .washout }.compactMap(\.earliestStart).max() ?? day)
    }

    func plannedItem(_ scheduled: Scheduled) -> TherapyItem {
        TherapyItem(ref: "planned:\(scheduled.candidate.option.id)", source: .planned, option: scheduled.candidate.handle, counting: [scheduled.candidate.option.id],
                    start: scheduled.start, end: scheduled.end, daysSupply: scheduled.duration, mgPerDay: scheduled.dose, outcome: .inadequate,
                    cash: false, previousPlan: false, clinicianConfirmed: false, confoundedBy: nil, rxcui: nil, labeler: nil,
                    drugText: scheduled.candidate.option.name)
    }
}
