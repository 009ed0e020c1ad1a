import FormularyCriteria

/// Evaluates one criterion against the facts on a day, with the evidence a PA reviewer would
/// want to see — including items that did *not* count and why.
enum CriterionEvaluator {
    static func evaluate(_ labeled: LabeledCriterion, _ context: EvaluationContext) -> CriterionResult {
        var expiries: [AdequacyJudge.Expiry] = []
        return evaluate(labeled, context, expiries: &expiries)
    }

    /// As `evaluate(_:_:)`, also handing back, for the analysis date's own evaluation
    /// (`EvaluationContext.wantsExpiries`), when each counted item of a criterion with a lookback
    /// leaves it (ADQ-ST steps, trial counts with `withinDays`) — for met and partly met criteria.
    static func evaluate(_ labeled: LabeledCriterion, _ context: EvaluationContext, expiries: inout [AdequacyJudge.Expiry]) -> CriterionResult {
        // During the path search the ceiling check has already proved the criteria no trial can
        // change (age, sex, timing, contraindications); skip their work in the hot loop.
        if context.assumption == .actionable {
            switch labeled.criterion {
            case .age, .sex, .noContraindication, .postpartum, .coursesPerPregnancy, .flag, .prescriber, .adverseOutcome, .concurrent, .absent, .procedure:
                return CriterionResult(id: labeled.id, label: labeled.label, status: .met, detail: "assumed for the path search", line: labeled.line)
            default:
                break
            }
        }
        var result: CriterionResult
        switch labeled.criterion {
        case .step(let step):
            let outcome = evaluateStep(step, context)
            if context.wantsExpiries { expiries = outcome.expiries(context) }
            result = outcome.result
        case .trials(let trials):
            let outcome = evaluateTrialCount(trials, context)
            if context.wantsExpiries { expiries = outcome.expiries }
            result = outcome.result
        default:
            result = evaluate(labeled.criterion, context)
        }
        if context.assumption != .none {
            switch labeled.criterion {
            case .flag, .prescriber, .adverseOutcome, .concurrent, .absent, .procedure:
                result.status = .met
            case .score, .diagnosis:
                if result.status == .unknown { result.status = .met }
            case .trials, .step:
                if context.assumption == .actionableAndTrials { result.status = .met }
            default:
                break
            }
        }
        result.id = labeled.id
        result.label = labeled.label
        result.line = labeled.line
        if result.status != .met, let documentation = labeled.documentation { result.documentationNeeded = documentation }
        return result
    }

    private static func make(_ status: CriterionStatus, _ detail: String, _ evidence: [Evidence] = [], documentation: String? = nil) -> CriterionResult {
        CriterionResult(id: "", label: "", status: status, evidence: evidence, detail: detail, documentationNeeded: documentation)
    }

    static func itemsCounting(_ pool: AgentPool, _ context: EvaluationContext) -> [(TherapyItem, OptionHandle)] {
        var result: [(TherapyItem, OptionHandle)] = []
        for item in context.facts.therapy {
            for id in item.counting {
                guard let handle = context.table.handle(id), pool.contains(handle.option) else { continue }
                result.append((item, handle))
            }
        }
        return result
    }

    static func evidence(_ item: TherapyItem, detail: String, counts: Bool = true, on day: Day) -> Evidence {
        let kind: Evidence.Kind = switch item.source {
        case .claim: .claim
        case .chart: .trial
        case .planned: .plannedTrial
        case .medication: .medication
        }
        var text = detail
        if item.cash { text += " (paid in cash: not in the plan's claims)" }
        if item.previousPlan { text += " (under a previous plan)" }
        return Evidence(kind: kind, ref: item.ref, drug: item.drugText, from: item.start,
                        through: item.source == .claim ? item.end : item.end ?? nil, value: item.mgPerDay.map { "\($0.clean) mg/day" },
                        detail: text, counts: counts)
    }

    static func evaluate(_ criterion: Criterion, _ context: EvaluationContext) -> CriterionResult {
        let facts = context.facts
        let day = context.day
        switch criterion {
        case let .age(min, max):
            guard let age = facts.age(on: day) else { return make(.unknown, "age not documented", documentation: "date of birth") }
            let ok = (min.map { age >= $0 } ?? true) && (max.map { age <= $0 } ?? true)
            return make(ok ? .met : .unmet, "age \(age)", [Evidence(kind: .demographics, ref: "patient.age", value: "\(age)", detail: "age \(age) on \(day)")])

        case .sex(let sex):
            guard let actual = facts.profile.demographics.sex else { return make(.unknown, "sex not documented") }
            return make(actual == sex ? .met : .unmet, "sex \(actual.rawValue)", [Evidence(kind: .demographics, ref: "patient.sex", value: actual.rawValue, detail: "sex \(actual.rawValue)")])

        case .diagnosis(let dx):
            let matching = facts.profile.diagnoses.filter { dx.matches($0.code) }
            let usable = matching.filter { !dx.notInRemission || !$0.isInRemission(on: day) }
            let evidence = matching.map { diagnosis in
                Evidence(kind: .diagnosis, ref: diagnosis.ref, from: diagnosis.episodeStart ?? diagnosis.onset, value: diagnosis.code,
                         detail: diagnosis.code + (diagnosis.episodeStart.map { ", episode since \($0)" } ?? "")
                            + (dx.notInRemission && diagnosis.isInRemission(on: day) ? ", in remission" : ""),
                         counts: usable.contains(diagnosis))
            }
            if !usable.isEmpty { return make(.met, "diagnosis \(usable.map(\.code).joined(separator: ", "))", evidence) }
            if facts.profile.diagnoses.isEmpty { return make(.unknown, "no diagnosis documented", documentation: "diagnosis with ICD-10 code (\(dx.codes.joined(separator: ", ")))") }
            return make(.unmet, matching.isEmpty ? "no diagnosis among \(dx.codes.joined(separator: ", "))" : "diagnosis in remission", evidence,
                        documentation: "diagnosis \(dx.codes.joined(separator: ", "))\(dx.notInRemission ? " not in remission" : "")")

        case .score(let score):
            let key = ScoreRecord.scaleKey(score.scale)
            guard let latest = facts.profile.scores.filter({ ScoreRecord.scaleKey($0.scale) == key && $0.date <= day }).max(by: { $0.date < $1.date }) else {
                return make(.unknown, "no \(score.scale) on or before \(day)", documentation: "a current \(score.scale) score")
            }
            let evidence = [Evidence(kind: .score, ref: latest.ref, from: latest.date, value: latest.value.clean, detail: "\(latest.scale) \(latest.value.clean) on \(latest.date) (most recent)")]
            if let within = score.withinDays, day - latest.date >= within {
                return make(.unknown, "most recent \(score.scale) is older than \(within) days", evidence, documentation: "a current \(score.scale) score")
            }
            let ok = (score.min.map { latest.value >= $0 } ?? true) && (score.max.map { latest.value <= $0 } ?? true)
            return make(ok ? .met : .unmet, "\(latest.scale) \(latest.value.clean) on \(latest.date)", evidence)

        case .trials(let trials):
            return evaluateTrialCount(trials, context).result

        case .step(let step):
            return evaluateStep(step, context).result

        case .concurrent(let concurrent):
            let candidates = itemsCounting(concurrent.pool, context).filter { (item: TherapyItem, _: OptionHandle) in
                item.isActive(on: day) && item.outcome != .notApplicable && (!concurrent.oralOnly || item.option.route == .oral)
                    && ((item.source == .claim && concurrent.sources.contains(.claims)) || (item.source != .claim && concurrent.sources.contains(.chart)))
            }
            if let (_, option) = candidates.first {
                return make(.met, "\(option.name) covers \(day)", candidates.map { evidence($0.0, detail: "\($0.1.name) covering \(day)", on: day) })
            }
            return make(.unmet, "no \(concurrent.oralOnly ? "oral " : "")\(concurrent.pool.describe(context.reference)) covering \(day)",
                        documentation: "a current antidepressant prescription/claim")

        case .absent(let absent):
            let start = day - (absent.withinDays - 1)
            var hits: [Evidence] = itemsCounting(absent.pool, context).filter { item, _ in item.coverageEnd(on: day) >= start && item.start <= day }
                .map { evidence($0.0, detail: "\($0.1.name) within \(absent.withinDays) days", counts: false, on: day) }
            for (procedure, option) in facts.procedures {
                guard let option, absent.pool.contains(option) || absent.pool.options.contains(option.id) else { continue }
                let end = procedure.end ?? day
                if end >= start && (procedure.start ?? end) <= day {
                    hits.append(Evidence(kind: .procedure, ref: procedure.ref, drug: procedure.type, from: procedure.start, through: procedure.end,
                                         detail: "\(procedure.type) within \(absent.withinDays) days", counts: false))
                }
            }
            if hits.isEmpty { return make(.met, "no \(absent.pool.describe(context.reference)) in the last \(absent.withinDays) days") }
            return make(.unmet, "\(absent.pool.describe(context.reference)) within the last \(absent.withinDays) days", hits)

        case .procedure(let procedure):
            let types = Set(procedure.types.map { $0.lowercased() })
            let matching = facts.profile.procedures.filter { types.contains($0.type.lowercased()) && ($0.start ?? $0.end ?? day) <= day }
            let inEpisode = matching.filter { record in
                guard procedure.withinCurrentEpisode, let episode = facts.episodeStart else { return true }
                return (record.end ?? record.start ?? day) >= episode
            }
            let qualifying = inEpisode.filter { !procedure.withoutRemission || !($0.outcome == .remission || $0.outcome == .response) }
            let sessions = qualifying.compactMap(\.sessions).reduce(0, +)
            let evidence = matching.map { record in
                Evidence(kind: .procedure, ref: record.ref, drug: record.type, from: record.start, through: record.end,
                         value: record.sessions.map { "\($0) sessions" },
                         detail: "\(record.type) \(record.sessions.map { "\($0) sessions" } ?? "sessions not documented"), \(record.outcomeText ?? record.outcome.rawValue)",
                         counts: qualifying.contains(record))
            }
            if sessions >= procedure.minSessions { return make(.met, "\(sessions) sessions of \(procedure.types.joined(separator: "/"))", evidence) }
            if qualifying.contains(where: { $0.sessions == nil }) {
                return make(.unknown, "session count not documented", evidence, documentation: "psychotherapy notes with session count")
            }
            return make(.unmet, "\(sessions) of \(procedure.minSessions) sessions", evidence,
                        documentation: "≥ \(procedure.minSessions) sessions of \(procedure.types.joined(separator: "/")) without remission")

        case .flag(let name):
            let value = facts.profile.flags.value(name)
            let flagEvidence = [Evidence(kind: .flag, ref: "flags.\(name.rawValue)", value: value.map { $0 ? "yes" : "no" } ?? "not stated", detail: name.rawValue)]
            switch value {
            case true?: return make(.met, "\(name.rawValue): yes", flagEvidence)
            case false?: return make(.unmet, "\(name.rawValue): no", flagEvidence)
            case nil: return make(.unknown, "\(name.rawValue): not stated", flagEvidence)
            }

        case .prescriber(let specialties):
            guard let specialty = facts.profile.flags.prescriberSpecialty else {
                return make(.unknown, "prescriber specialty not stated", documentation: "prescriber is a \(specialties.joined(separator: "/")) (or in consultation)")
            }
            let ok = specialties.contains(specialty.lowercased())
            return make(ok ? .met : .unmet, "prescriber: \(specialty)", [Evidence(kind: .flag, ref: "flags.prescriberSpecialty", value: specialty, detail: "prescriber specialty")],
                        documentation: ok ? nil : "a \(specialties.joined(separator: "/")) prescriber or consultation note")

        case .noContraindication(let rules):
            let blocks = context.safety.findings(for: context.option, startingOn: day).filter { rules.contains($0.ruleID) && $0.verdict == .contraindicated }
            if blocks.isEmpty { return make(.met, "no \(rules.joined(separator: "/")) contraindication documented") }
            return make(.unmet, blocks.map(\.message).joined(separator: "; "),
                        blocks.map { Evidence(kind: .safety, ref: $0.ruleID, detail: $0.message, counts: false) })

        case .adverseOutcome(let pool):
            let trials = itemsCounting(pool, context).filter { item, _ in
                item.source == .chart && (item.outcomes.contains(.intolerance) || item.outcome == .confounded || item.confoundedBy != nil && item.outcome != .response)
            }
            if let (item, option) = trials.first {
                let recorded = item.outcomes.map(\.rawValue).joined(separator: " + ")
                return make(.met, "documented adverse outcome on generic \(option.name)", [evidence(item, detail: recorded + (item.confoundedBy.map { "; \($0)" } ?? ""), on: day)])
            }
            for event in facts.events where event.date <= day {
                guard let option = context.reference.option(named: event.drug), pool.contains(option) || pool.options.contains(option.id) else { continue }
                let scale = facts.profile.scores.filter { $0.date <= day }
                let before = scale.filter { $0.date < event.date }.max { $0.date < $1.date }
                let after = scale.filter { $0.date >= event.date && ScoreRecord.scaleKey($0.scale) == ScoreRecord.scaleKey(before?.scale ?? "") }.max { $0.date < $1.date }
                let worsening = context.reference.safety.scoreWorsening
                if let before, let after, ScoreRecord.scaleKey(before.scale) == ScoreRecord.scaleKey(worsening.scale) || worsening.scale.isEmpty,
                   after.value - before.value >= worsening.minimumRise {
                    return make(.met, "\(before.scale) \(before.value.clean) → \(after.value.clean) after the labeler switch on \(event.date)",
                                [Evidence(kind: .event, ref: "MANUFACTURER_SWITCH", drug: event.drug, from: event.date, value: "\(event.fromLabeler ?? "?")→\(event.toLabeler ?? "?")",
                                          detail: "labeler \(event.fromLabeler ?? "?") → \(event.toLabeler ?? "?")"),
                                 Evidence(kind: .score, ref: after.ref, from: after.date, value: after.value.clean,
                                          detail: "\(after.scale) \(before.value.clean) on \(before.date) → \(after.value.clean) on \(after.date)")],
                                documentation: "chart note describing the adverse outcome on the new labeler")
                }
            }
            return make(.unknown, "no adverse outcome on a generic documented", documentation: "chart note describing the adverse outcome on the generic product")

        case .postpartum(let postpartum):
            guard let delivery = facts.profile.demographics.deliveryDate else {
                return make(.unknown, "delivery date not documented", documentation: "delivery date")
            }
            let onsets = facts.profile.diagnoses.filter { diagnosis in postpartum.codes.contains { $0.uppercased() == diagnosis.code.uppercased() } }
            guard let diagnosis = onsets.first, let onset = diagnosis.onset ?? diagnosis.episodeStart else {
                return make(.unknown, "symptom onset not documented", documentation: "date of symptom onset")
            }
            let afterDelivery = onset - delivery
            let onsetOK = (afterDelivery >= 0 && afterDelivery <= postpartum.onsetMaxDaysAfterDelivery) || (postpartum.onsetInThirdTrimester && afterDelivery < 0 && afterDelivery >= -91)
            let requestDays = day - delivery
            let requestOK = requestDays >= 0 && requestDays <= postpartum.requestMaxDaysAfterDelivery
            let evidence = [Evidence(kind: .demographics, ref: "patient.deliveryDate", from: delivery, value: delivery.description, detail: "delivered \(delivery)"),
                            Evidence(kind: .diagnosis, ref: diagnosis.ref, from: onset, value: diagnosis.code,
                                     detail: "onset \(onset) (\(afterDelivery >= 0 ? "\(afterDelivery) days after" : "\(-afterDelivery) days before") delivery)")]
            let detail = "onset \(afterDelivery) days after delivery; request \(requestDays) days after delivery"
            return make(onsetOK && requestOK ? .met : .unmet, detail, evidence)

        case .coursesPerPregnancy(let max):
            let pregnancyStart = facts.profile.demographics.deliveryDate.map { $0 - 280 }
            let courses = facts.therapy.filter { item in
                item.counting.contains(context.option.id) && (pregnancyStart.map { item.start >= $0 } ?? true) && item.source != .planned
            }
            let evidence = courses.map { Self.evidence($0, detail: "\($0.option.name) course", counts: false, on: day) }
            return make(courses.count < max ? .met : .unmet, courses.isEmpty ? "first course this pregnancy" : "\(courses.count) course(s) already this pregnancy", evidence)
        }
    }

    // MARK: Trials (ADQ-TRD)

    /// A drug that qualifies under a trial-count criterion: an adequate trial, or documented
    /// intolerance where the criterion lets intolerance count for its class.
    struct QualifyingTrial {
        var agent: String
        var drugClass: DrugClass
        var documentation: Bool
        var intolerance: Bool
        var item: TherapyItem
    }

    struct TrialCountOutcome {
        var result: CriterionResult
        var qualifying: [QualifyingTrial]
        /// When each visibly counted agent leaves the criterion's `withinDays` window.
        var expiries: [AdequacyJudge.Expiry]
    }

    /// Items inside a trial-count criterion's window on `day`: coverage end ≥ day − (N − 1), the
    /// lookback convention of §5.0 rule 4.
    static func insideWindow(_ item: TherapyItem, _ criterion: TrialCountCriterion, day: Day) -> Bool {
        guard let within = criterion.withinDays else { return true }
        return item.coverageEnd(on: day) >= day - (within - 1)
    }

    static func evaluateTrialCount(_ criterion: TrialCountCriterion, _ context: EvaluationContext) -> TrialCountOutcome {
        guard let rule = context.adequacy(criterion.adequacy) else {
            return TrialCountOutcome(result: make(.unknown, "adequacy rule \(criterion.adequacy) not defined"), qualifying: [], expiries: [])
        }
        let day = context.day
        var evidence: [Evidence] = []
        var qualifying: [QualifyingTrial] = []
        for (item, option) in itemsCounting(criterion.pool, context) where item.source != .claim {
            guard insideWindow(item, criterion, day: day) else { continue }
            let judgement = AdequacyJudge.judgeTRD(item, counting: option.option, rule: rule, facts: context.facts, day: day)
            let usableIntolerance = judgement.intolerance && criterion.intoleranceCountsPerClass
            if judgement.counts || usableIntolerance {
                qualifying.append(QualifyingTrial(agent: option.id, drugClass: option.drugClass, documentation: item.documentationOnly,
                                                  intolerance: usableIntolerance && !judgement.counts, item: item))
            }
            guard context.wantsDetail else { continue }
            let detail = usableIntolerance && !judgement.counts ? "documented intolerance counts for its class"
                : usableIntolerance ? judgement.reason + " (the intolerance counts for its class too)" : judgement.reason
            var expiry = ""
            if let within = criterion.withinDays, judgement.counts || usableIntolerance, let end = item.end {
                expiry = " · leaves the \(within)-day window on \(min(end, day) + within)"
            }
            evidence.append(Self.evidence(item, detail: "\(option.name) (\(option.drugClass.displayName)): " + detail + expiry,
                                          counts: judgement.counts || usableIntolerance, on: day))
        }
        func satisfied(_ items: [QualifyingTrial]) -> Bool {
            let agents = Set(items.map(\.agent))
            let classes = Set(items.map(\.drugClass))
            return agents.count >= criterion.count && classes.count >= criterion.distinctClasses
        }
        let visible = qualifying.filter { !$0.documentation }
        guard context.wantsDetail else {
            let status: CriterionStatus = satisfied(visible) ? .met : satisfied(qualifying) ? .needsDocumentation : .unmet
            return TrialCountOutcome(result: make(status, ""), qualifying: qualifying, expiries: [])
        }
        // Drugs the rule never counts (zuranolone) are listed so nobody wonders why.
        for item in context.facts.trials where item.counting.contains(where: rule.excludedOptions.contains) {
            evidence.append(Self.evidence(item, detail: "\(item.option.name): never counts under \(rule.id)", counts: false, on: day))
        }
        // Claims-only episodes explain themselves (no outcome) without cluttering: one line per agent.
        var claimAgents = Set<String>()
        for (item, option) in itemsCounting(criterion.pool, context) where item.source == .claim && !claimAgents.contains(option.id) {
            let chart = context.facts.trials.contains { $0.counting.contains(option.id) }
            if !chart {
                claimAgents.insert(option.id)
                evidence.append(Self.evidence(item, detail: "\(option.name): claims only, no documented outcome\(item.confoundedBy != nil ? "; confounded by a manufacturer switch" : "")",
                                              counts: false, on: day))
            }
        }
        let agents = Set(visible.map(\.agent)).count
        let classes = Set(visible.map(\.drugClass))
        let summary = "\(agents) qualifying \(rule.id) trial\(agents == 1 ? "" : "s") (\(classes.map(\.displayName).sorted().joined(separator: ", ")))"
        let expiries = trialExpiries(visible, criterion: criterion, context)
        if satisfied(visible) { return TrialCountOutcome(result: make(.met, summary, evidence), qualifying: qualifying, expiries: expiries) }
        if satisfied(qualifying) {
            return TrialCountOutcome(result: make(.needsDocumentation, summary + "; more only with documentation", evidence,
                                                  documentation: "chart notes or pharmacy receipts for trials paid in cash or under a previous plan"),
                                     qualifying: qualifying, expiries: expiries)
        }
        let needAgents = max(0, criterion.count - agents)
        let needClasses = max(0, criterion.distinctClasses - classes.count)
        var need: [String] = []
        if needAgents > 0 { need.append("\(needAgents) more trial\(needAgents == 1 ? "" : "s")") }
        if needClasses > 0 { need.append("\(needClasses) more class\(needClasses == 1 ? "" : "es")") }
        return TrialCountOutcome(result: make(.unmet, summary + "; needs " + need.joined(separator: " and "), evidence,
                                              documentation: "≥ \(rule.minDays) days at ≥ the minimum dose in the current episode, outcome inadequate or partial"),
                                 qualifying: qualifying, expiries: expiries)
    }

    /// For a trial count with a window (`withinDays`): the day each visibly counted agent's last
    /// qualifying item leaves it. An ongoing trial keeps its agent in the window.
    static func trialExpiries(_ visible: [QualifyingTrial], criterion: TrialCountCriterion, _ context: EvaluationContext) -> [AdequacyJudge.Expiry] {
        guard let within = criterion.withinDays, context.wantsExpiries else { return [] }
        var out: [AdequacyJudge.Expiry] = []
        for (agent, items) in Dictionary(grouping: visible, by: \.agent).sorted(by: { $0.key < $1.key }) {
            guard !items.contains(where: { $0.item.end == nil }) else { continue }
            guard let last = items.max(by: { ($0.item.coverageEnd(on: context.day), $0.intolerance ? 0 : 1) < ($1.item.coverageEnd(on: context.day), $1.intolerance ? 0 : 1) })
            else { continue }
            let end = last.item.coverageEnd(on: context.day)
            out.append(AdequacyJudge.Expiry(agent: agent, item: last.item, coverageEnd: end, expiresOn: end + within,
                                            basis: last.intolerance ? AdequacyJudge.Expiry.basis(of: last.item) : .adequateTrial))
        }
        return out
    }

    // MARK: Steps (ADQ-ST)

    struct StepOutcome {
        var result: CriterionResult
        var judgements: [AdequacyJudge.StepJudgement]
        var lookback: Int?
        /// What the expiries need: the rule, the minimum and each agent's items.
        var rule: AdequacyRule?
        var minDays: Int
        var items: [String: [TherapyItem]]

        /// When each agent that meets the step visibly today stops meeting it (met or partly met criteria).
        func expiries(_ context: EvaluationContext) -> [AdequacyJudge.Expiry] {
            guard let rule, lookback != nil else { return [] }
            return judgements.compactMap { judgement in
                guard judgement.metVisibly, let agent = context.table.handle(judgement.agent)?.option else { return nil }
                return AdequacyJudge.stepExpiry(agent: agent, items: items[judgement.agent] ?? [], rule: rule, minDays: minDays, lookback: lookback,
                                                day: context.day, judgement: judgement)
            }
        }
    }

    /// Each agent of a step criterion's pool with its items and judgement on the context's day.
    static func stepJudgements(_ step: StepCriterion, rule: AdequacyRule, _ context: EvaluationContext) -> [(agent: DrugOption, items: [TherapyItem], judgement: AdequacyJudge.StepJudgement)] {
        let minDays = step.minDays ?? rule.minDays
        let lookback = step.lookbackDays ?? rule.lookbackDays
        let grouped = Dictionary(grouping: itemsCounting(step.pool, context), by: { $0.1.id })
        return grouped.sorted(by: { $0.key < $1.key }).compactMap { agentID, pairs in
            guard let agent = context.table.handle(agentID)?.option else { return nil }
            let items = pairs.map(\.0)
            return (agent, items, AdequacyJudge.judgeStep(agent: agent, items: items, rule: rule, minDays: minDays, lookback: lookback, day: context.day,
                                                          explain: context.wantsDetail))
        }
    }

    static func evaluateStep(_ step: StepCriterion, _ context: EvaluationContext) -> StepOutcome {
        guard let rule = context.adequacy(step.adequacy) else {
            return StepOutcome(result: make(.unknown, "adequacy rule \(step.adequacy) not defined"), judgements: [], lookback: nil, rule: nil, minDays: 0, items: [:])
        }
        let day = context.day
        let minDays = step.minDays ?? rule.minDays
        let lookback = step.lookbackDays ?? rule.lookbackDays
        var judgements: [AdequacyJudge.StepJudgement] = []
        var itemsByAgent: [String: [TherapyItem]] = [:]
        var evidence: [Evidence] = []
        for (agent, items, judgement) in stepJudgements(step, rule: rule, context) {
            judgements.append(judgement)
            guard context.wantsDetail else { continue }
            // Kept only for the expiries (see `EvaluationContext.wantsExpiries`).
            if context.wantsExpiries { itemsByAgent[agent.id] = items }
            func expiry(_ item: TherapyItem) -> String {
                let end = AdequacyJudge.stepCoverageEnd(item, rule: rule, on: day)
                return lookback.map { " · leaves the \($0)-day lookback on \(end + $0)" } ?? ""
            }
            for item in judgement.visibleItems {
                evidence.append(Self.evidence(item, detail: "\(agent.name): \(judgement.visibleDays) days' supply visible\(judgement.metVisibly ? "" : " (< \(minDays))")\(expiry(item))",
                                              counts: judgement.metVisibly, on: day))
            }
            for item in judgement.intolerances {
                evidence.append(Self.evidence(item, detail: "\(agent.name): documented \((item.adverseOutcome ?? .intolerance).rawValue) satisfies the step\(expiry(item))", on: day))
            }
            for item in judgement.documentationItems {
                evidence.append(Self.evidence(item, detail: "\(agent.name): counts only with documentation", counts: judgement.metWithDocumentation, on: day))
            }
            for (item, reason) in judgement.excluded {
                evidence.append(Self.evidence(item, detail: "\(agent.name): \(reason)", counts: false, on: day))
            }
        }
        let visibleAgents = judgements.filter(\.metVisibly).count
        let documentedAgents = judgements.filter(\.metWithDocumentation).count
        guard context.wantsDetail else {
            let status: CriterionStatus = visibleAgents >= step.count ? .met : visibleAgents + documentedAgents >= step.count ? .needsDocumentation : .unmet
            return StepOutcome(result: make(status, ""), judgements: judgements, lookback: lookback, rule: rule, minDays: minDays, items: itemsByAgent)
        }
        let summary = "\(visibleAgents) agent\(visibleAgents == 1 ? "" : "s") met (\(step.count) needed) from \(step.pool.describe(context.reference))"
        let result: CriterionResult
        if visibleAgents >= step.count {
            result = make(.met, summary, evidence)
        } else if visibleAgents + documentedAgents >= step.count {
            result = make(.needsDocumentation, summary + " visible in claims/chart; the rest only with documentation", evidence,
                          documentation: "pharmacy receipts or chart notes for fills paid in cash, under a previous plan, or outside the lookback")
        } else {
            result = make(.unmet, summary, evidence, documentation: "≥ \(minDays) days' supply of \(step.pool.describe(context.reference))\(lookback.map { " within \($0) days" } ?? ""), or documented intolerance/contraindication")
        }
        return StepOutcome(result: result, judgements: judgements, lookback: lookback, rule: rule, minDays: minDays, items: itemsByAgent)
    }

    // MARK: What already counts

    /// The agents that already count toward a trial or step criterion on the context's day,
    /// visibly (a new trial of one of them adds no agent to the criterion).
    static func countingAgents(_ criterion: Criterion, _ context: EvaluationContext) -> Set<String> {
        switch criterion {
        case .trials(let trials):
            return Set(evaluateTrialCount(trials, context).qualifying.filter { !$0.documentation }.map(\.agent))
        case .step(let step):
            guard let rule = context.adequacy(step.adequacy) else { return [] }
            return Set(stepJudgements(step, rule: rule, context).filter(\.judgement.metVisibly).map(\.agent.id))
        default:
            return []
        }
    }
}
