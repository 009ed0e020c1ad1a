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
    }

    struct Scheduled {
        var candidate: Candidate
        var start: Day
        var end: Day
        var duration: Int
        var dose: Double?
    }

    func path(for option: DrugOption) -> RemainingPath {
        if let cached = paths[option.id] { return cached }
        if visiting.contains(option.id) {
            return RemainingPath(reachable: false, reachableOn: nil, stepCount: 0, steps: [], blockedReason: "circular step requirement", costRank: 0, prunedSteps: [])
        }
        visiting.insert(option.id)
        defer { visiting.remove(option.id) }
        let result = searchPath(for: option)
        paths[option.id] = result
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
        var pruned: [PrunedStep] = []
        var chosen: [Scheduled] = []
        var classes: [[Candidate]] = []
        var continuing: (day: Day, items: [TherapyItem])?
        if !goalMet([], on: facts.asOf) {
            let candidates = collectCandidates(excluding: option, needs: needs, pruned: &pruned)
            classes = equivalenceClasses(candidates, needs: needs)
            let solution = search(classes: classes, needs: needs, goal: goalMet)
            // Keeping a current drug may get there without a new one: the first day an ongoing
            // trial reaches a need's minimum duration and every rule is met.
            continuing = continuation(needs: needs, before: solution?.map(\.end).max(), goal: goalMet)
            if continuing == nil {
                guard let solution else {
                    let reason = classes.isEmpty ? "no covered, non-contraindicated drug can satisfy the remaining steps" : "no combination of up to \(maxTrialSteps) covered trials meets the criteria"
                    return RemainingPath(reachable: false, reachableOn: nil, stepCount: 0, steps: [], blockedReason: reason, costRank: 0, prunedSteps: pruned)
                }
                chosen = solution
            }
        }

        // Steps: prerequisites and trials in schedule order, then actions on what remains.
        var steps: [PathStep] = []
        var costRank = 0.0
        if let continuing {
            for item in continuing.items {
                let satisfying = needs.filter { need in item.counting.contains { id in table.handle(id).map { need.accepts($0.option) } ?? false } }
                steps.append(PathStep(order: 0, kind: .continueTrial, optionID: item.option.id, option: item.option.displayName,
                                      drugClass: item.option.drugClass.rawValue,
                                      description: "continue \(item.option.displayName)\(item.mgPerDay.map { " at \($0.clean) mg/day" } ?? "") (started \(item.start)) through \(continuing.day) (counts if the response stays inadequate or partial)",
                                      start: item.start, earliestMet: continuing.day, durationDays: Day.inclusiveCount(from: item.start, through: continuing.day),
                                      tierCode: nil, costShare: nil, safety: [], satisfies: Array(Set(satisfying.map { "\($0.ruleID).\($0.criterionID)" })).sorted(),
                                      alternatives: []))
            }
        }
        for item in chosen {
            for var prerequisite in item.candidate.prerequisites {
                prerequisite.kind = prerequisite.kind == .action ? .action : .prerequisite
                prerequisite.description = "for \(item.candidate.option.displayName): " + prerequisite.description
                steps.append(prerequisite)
            }
            let satisfying = needs.filter { $0.accepts(item.candidate.option) }
            let isTRD = satisfying.contains { $0.rule.purpose == .trd }
            let doseText = item.dose.map { " at ≥ \($0.clean) mg/day" } ?? ""
            let description = isTRD
                ? "new trial of \(item.candidate.option.displayName)\(doseText) for ≥ \(item.duration) consecutive days (counts if the response stays inadequate or partial)"
                : "fill ≥ \(item.duration) days' supply of \(item.candidate.option.displayName)"
            let others = classes.first { $0.contains { $0.option.id == item.candidate.option.id } }?
                .map(\.option.displayName).filter { $0 != item.candidate.option.displayName } ?? []
            let findings = findings(for: item.candidate.option, startingOn: item.start).filter { $0.verdict != .contraindicated }
            steps.append(PathStep(order: 0, kind: .trial, optionID: item.candidate.option.id, option: item.candidate.option.displayName,
                                  drugClass: item.candidate.option.drugClass.rawValue, description: description, start: item.start, earliestMet: item.end,
                                  durationDays: item.duration, tierCode: item.candidate.tierCode, costShare: item.candidate.cost, safety: findings,
                                  satisfies: Array(Set(satisfying.map { "\($0.ruleID).\($0.criterionID)" })).sorted(), alternatives: others))
            costRank += item.candidate.costRank
        }
        let goalDay = continuing?.day ?? chosen.map(\.end).max() ?? facts.asOf
        let planned = chosen.map(plannedItem)
        var washouts = assessment.safety.filter { $0.earliestStart != nil }
        if !planned.isEmpty {
            // The option starts after the planned trials: their own washouts count too (an SSRI step before an MAOI).
            washouts = SafetyEngine(facts: facts.adding(planned: planned), reference: reference)
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

    /// The earliest day (before `limit`, the new-trial solution's date) on which keeping the
    /// current drugs meets every rule, with the ongoing items that get there.
    func continuation(needs: [TrialNeed], before limit: Day?, goal: ([TherapyItem], Day) -> Bool) -> (day: Day, items: [TherapyItem])? {
        let ongoing = facts.trials.filter { $0.source == .chart && $0.end == nil && $0.start <= facts.asOf }
        var days = Set<Day>()
        for item in ongoing {
            for need in needs where item.counting.contains(where: { id in table.handle(id).map { need.accepts($0.option) } ?? false }) {
                let day = item.start + (need.minDays - 1)
                if day > facts.asOf && (limit.map { day <= $0 } ?? true) { days.insert(day) }
            }
        }
        for day in days.sorted() where goal([], day) {
            let items = ongoing.filter { item in needs.contains { need in item.counting.contains { id in table.handle(id).map { need.accepts($0.option) } ?? false } } }
            return (day, items)
        }
        return nil
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
            let lastProcedure = facts.profile.procedures.filter { reference.option(named: $0.type).map(absent.pool.contains) ?? false }.compactMap { $0.end ?? facts.asOf }.max()
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
    func collectCandidates(excluding option: DrugOption, needs: [TrialNeed], pruned: inout [PrunedStep]) -> [Candidate] {
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
            guard let handle = table.handle(candidate.id) else { continue }
            candidates.append(Candidate(handle: handle, order: order, ready: max(ready, washout), prerequisites: prerequisites,
                                        costRank: assessment.coverage.summary.costShare?.rank ?? 500, tierCode: assessment.coverage.summary.tierCode,
                                        cost: assessment.coverage.summary.costShare, alreadyUsed: used))
        }
        return candidates
    }

    /// Candidates that are interchangeable for the search (same class, duration, start, cost,
    /// prerequisites, needs): ties, of which any one is correct (§5.0 rule 12). Within a class,
    /// untried drugs come first (a second trial of the same drug adds no distinct agent).
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
            classes[key]?.sorted { ($0.alreadyUsed ? 1 : 0, $0.order) < ($1.alreadyUsed ? 1 : 0, $1.order) }
        }.sorted { a, b in
            let x = a[0], y = b[0]
            return (x.prerequisites.count, x.costRank, x.ready.ordinal, x.order) < (y.prerequisites.count, y.costRank, y.ready.ordinal, y.order)
        }
    }

    /// Breadth-first over multisets of equivalence classes; the first depth with a solution
    /// wins, cheapest then earliest within it.
    func search(classes: [[Candidate]], needs: [TrialNeed], goal: ([TherapyItem], Day) -> Bool) -> [Scheduled]? {
        var level: [[Int]] = [[]]
        let levelCap = 400
        for _ in 1...max(1, maxTrialSteps) {
            var next: [[Int]] = []
            var best: (schedule: [Scheduled], key: (Int, Double, Int))?
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
                    let end = schedule.map(\.end).max() ?? facts.asOf
                    if goal(schedule.map(plannedItem), end) {
                        let steps = schedule.count + schedule.reduce(0) { $0 + $1.candidate.prerequisites.count }
                        let key = (steps, schedule.reduce(0) { $0 + $1.candidate.costRank }, end.ordinal)
                        if best == nil || key < best!.key { best = (schedule, key) }
                    } else if next.count < levelCap {
                        next.append(candidateState)
                    }
                }
            }
            if let best { return best.schedule }
            level = next
            if level.isEmpty { break }
        }
        return nil
    }

    /// Trials one after another: each starts when it is ready and the previous one is done.
    func schedule(_ members: [Candidate], needs: [TrialNeed]) -> [Scheduled] {
        var result: [Scheduled] = []
        var nextFree = facts.asOf
        for candidate in members.sorted(by: { ($0.ready.ordinal, $0.order) < ($1.ready.ordinal, $1.order) }) {
            let relevant = needs.filter { $0.accepts(candidate.option) }
            let duration = relevant.map(\.minDays).max() ?? 30
            let doses = relevant.filter { $0.rule.purpose == .trd }.compactMap { AdequacyJudge.minimumDose(for: candidate.option, rule: $0.rule) }
            let start = max(candidate.ready, nextFree)
            let end = start + (duration - 1)
            result.append(Scheduled(candidate: candidate, start: start, end: end, duration: duration, dose: doses.max() ?? candidate.option.minTrdMgPerDay))
            nextFree = end + 1
        }
        return result
    }

    func plannedItem(_ scheduled: Scheduled) -> TherapyItem {
        TherapyItem(ref: "planned:\(scheduled.candidate.option.id)", source: .planned, option: scheduled.candidate.handle, counting: [scheduled.candidate.option.id],
                    start: scheduled.start, end: scheduled.end, daysSupply: scheduled.duration, mgPerDay: scheduled.dose, outcome: .inadequate,
                    cash: false, previousPlan: false, clinicianConfirmed: false, confoundedBy: nil, rxcui: nil, labeler: nil,
                    drugText: scheduled.candidate.option.name)
    }
}
