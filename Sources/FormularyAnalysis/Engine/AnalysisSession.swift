import Foundation
import FormularyCriteria
import FormularyModel

/// One plan's analysis in progress: memoizes each option's assessment and remaining path so
/// the path search can ask "is this step drug reachable, and how" recursively (C needs B, B
/// needs A) without repeating work or looping.
///
/// A class because the memo tables are shared by the recursive search; it lives only inside
/// one `TRDAnalyzer.analyzePlan` call and is never shared across tasks.
final class AnalysisSession {
    let facts: PatientFacts
    let reference: DrugReference
    let table: OptionTable
    let policy: ResolvedPolicy
    let resolver: CoverageResolver
    let safety: SafetyEngine
    let maxTrialSteps: Int
    /// Plan-independent evaluations, shared with the other plans of the same analysis.
    let memo: EvaluationMemo
    /// RxCUIs the patient fills now (a formulary line for one of them is preferred).
    let currentRxCUIs: Set<RxCUI>

    var assessments: [String: Assessment] = [:]
    /// Assessments shared with a second session of the same plan on another thread (`twin`,
    /// `TRDAnalyzer.results`): each reads the other's before working one out.
    var shared: SharedAssessments?
    /// `documentsSerial` answers for no document, the plan's and the default set's.
    var documentSerials: [Int: Int] = [:]
    /// Paths found, with the options whose paths their search consulted on the way (step drugs
    /// with their own PA/ST, and theirs): a kept path is used only while none of those is being
    /// searched (`path(for:)`).
    var paths: [String: (path: RemainingPath, consulted: Set<String>)] = [:]
    var visiting: Set<String> = []
    /// Options of `visiting` the searches in progress were cut at ("circular step requirement"):
    /// a path found with such a cut depends on where the search started, so it is not kept.
    var cuts: Set<String> = []
    /// Options whose paths the searches in progress have consulted.
    var consulting: Set<String> = []
    /// The classes of the antidepressants taken now.
    lazy var currentAntidepressantClasses: Set<DrugClass> =
        Set(facts.active(on: facts.asOf).filter { $0.option.countsAsAntidepressant }.map(\.option.drugClass))
    /// The exception overlays that reach this plan and patient (`applicableOverlays`).
    lazy var overlays: [ExceptionOverlay] = applicableOverlays()

    init(facts: PatientFacts, reference: DrugReference, table: OptionTable, policy: ResolvedPolicy, resolver: CoverageResolver, maxTrialSteps: Int,
         memo: EvaluationMemo) {
        self.memo = memo
        assessments.reserveCapacity(reference.options.count)
        self.facts = facts
        self.reference = reference
        self.table = table
        self.policy = policy
        self.resolver = resolver
        self.safety = SafetyEngine(facts: facts, reference: reference)
        self.maxTrialSteps = maxTrialSteps
        self.currentRxCUIs = Set(facts.claims.filter { $0.isActive(on: facts.asOf) || ($0.end ?? $0.start) >= facts.asOf - 45 }.compactMap(\.rxcui))
    }

    /// A session for the same plan answering through `memo` (a copy of this one's), for a second
    /// thread: it shares the plan's lines and the patient's facts, and works out its own
    /// assessments and paths. Both sessions give every option the same result.
    func twin(memo: EvaluationMemo) -> AnalysisSession {
        AnalysisSession(facts: facts, reference: reference, table: table, policy: policy, resolver: resolver.using(memo), maxTrialSteps: maxTrialSteps,
                        memo: memo)
    }

    /// A rule as it applies (or not) to this patient.
    struct AppliedRule {
        var rule: CriteriaRule
        /// The rule's number in the memo (`nil`: not memoized).
        var serial: Int?
        /// The rule's criteria, depth first.
        var leaves: [LabeledCriterion]
        var evaluation: RuleEvaluation
        var applied: Bool
        var notAppliedReason: String?
    }

    /// An option's coverage, safety, rules and verdict as of the analysis date. A class: the
    /// path search and the results read each one many times, and copying it (a coverage line,
    /// findings, rules) showed up as a seventh of a many-plan analysis in memmove alone.
    final class Assessment {
        let option: DrugOption
        let coverage: CoverageResolver.Resolved
        let safety: [SafetyFinding]
        let verdict: Verdict
        let basis: CriteriaBasis
        let rules: [AppliedRule]
        let document: CriteriaDocument?
        let notes: [String]

        init(option: DrugOption, coverage: CoverageResolver.Resolved, safety: [SafetyFinding], verdict: Verdict, basis: CriteriaBasis,
             rules: [AppliedRule], document: CriteriaDocument?, notes: [String]) {
            self.option = option
            self.coverage = coverage
            self.safety = safety
            self.verdict = verdict
            self.basis = basis
            self.rules = rules
            self.document = document
            self.notes = notes
        }

        var appliedRules: [AppliedRule] { rules.filter(\.applied) }
    }

    func adequacyLookup(_ document: CriteriaDocument?) -> (String) -> AdequacyRule? {
        let policy = self.policy
        return { policy.adequacy($0, in: document) }
    }

    func context(_ option: DrugOption, facts: PatientFacts? = nil, day: Day? = nil, document: CriteriaDocument?,
                 assumption: EvaluationContext.Assumption = .none) -> EvaluationContext {
        EvaluationContext(facts: facts ?? self.facts, day: day ?? self.facts.asOf, option: option, reference: reference, table: table,
                          adequacy: adequacyLookup(document), assumption: assumption)
    }

    /// A rule (with its memo number) evaluated for `option` on `day` (default: the as-of date)
    /// with `planned` trials added to the facts, through the memo.
    func evaluate(_ rule: CriteriaRule, serial: Int?, option: DrugOption, document: CriteriaDocument?, planned: [TherapyItem] = [], day: Day? = nil,
                  assumption: EvaluationContext.Assumption = .none) -> RuleEvaluation {
        let day = day ?? facts.asOf
        var key: EvaluationMemo.RuleKey?
        if let serial {
            key = EvaluationMemo.RuleKey(rule: serial, documents: documentsSerial(document), option: option.id, day: day, assumption: assumption,
                                         planned: planned.map(EvaluationMemo.PlannedKey.init))
        }
        return memo.evaluation(key) {
            RequirementEvaluator.evaluate(rule.requirement, context(option, facts: planned.isEmpty ? facts : facts.adding(planned: planned), day: day,
                                                                    document: document, assumption: assumption))
        }
    }

    func evaluate(_ applied: AppliedRule, option: DrugOption, document: CriteriaDocument?, planned: [TherapyItem] = [], day: Day? = nil,
                  assumption: EvaluationContext.Assumption = .none) -> RuleEvaluation {
        evaluate(applied.rule, serial: applied.serial, option: option, document: document, planned: planned, day: day, assumption: assumption)
    }

    /// The memo number of "adequacy rules from `document`, then the plan's, then the default set's".
    /// A rule's document is the plan's, the default set's, or none: three numbers per plan.
    func documentsSerial(_ document: CriteriaDocument?) -> Int {
        let slot = document == nil ? 0 : document === policy.planDocument ? 1 : document === policy.defaultDocument ? 2 : 3
        if let known = documentSerials[slot] { return known }
        let serial = memo.serial(of: EvaluationMemo.Documents(rule: document.map(ObjectIdentifier.init), plan: policy.planDocument.map(ObjectIdentifier.init),
                                                              fallback: policy.defaultDocument.map(ObjectIdentifier.init)))
        if slot < 3 { documentSerials[slot] = serial }
        return serial
    }

    /// Safety findings for starting `option` on `day` given the profile's own facts, through the memo.
    func findings(for option: DrugOption, startingOn day: Day) -> [SafetyFinding] {
        memo.safety(EvaluationMemo.SafetyKey(option: option.id, day: day)) { safety.findings(for: option, startingOn: day) }
    }

    /// Fills the memo with what `assess` and `result` ask of it that no formulary line decides:
    /// each option's standing, safety findings on the as-of date, criteria line, rules and
    /// their evaluations on the as-of date. Stops before the next option once `stop` says so.
    func warm(_ options: [DrugOption], stop: () -> Bool) {
        for option in options {
            if stop() { return }
            _ = standing(of: option)
            _ = findings(for: option, startingOn: facts.asOf)
            _ = memo.criteriaLine(for: option.id, in: policy, serial: resolver.policySerial)
            let found = memo.rules(for: option.id, in: policy, serial: resolver.policySerial)
            for rule in found.rules {
                let serial = memo.serial(of: rule, in: found.document)
                _ = memo.leaves(of: rule, serial: serial)
                _ = evaluate(rule, serial: serial, option: option, document: found.document)
            }
        }
    }

    // MARK: Assessment

    func assess(_ option: DrugOption) -> Assessment {
        if let cached = assessments[option.id] { return cached }
        if let published = shared?.assessment(of: option.id) {
            assessments[option.id] = published
            return published
        }
        let coverage = resolver.resolve(option, preferring: currentRxCUIs)
        let findings = findings(for: option, startingOn: facts.asOf)
        var notes: [String] = []
        var found = memo.rules(for: option.id, in: policy, serial: resolver.policySerial)
        let paFlag = coverage.fromLine ? coverage.summary.priorAuthorization : nil
        let stFlag = coverage.fromLine ? coverage.summary.stepTherapy : nil
        if found.basis == .typical, coverage.fromLine {
            // The default set is only for entries the formulary flags: a kind it says is absent is not shown at all.
            found.rules = found.rules.filter { ($0.kind == .priorAuthorization ? paFlag : stFlag) != false }
        }
        var basis = found.basis
        var applied: [AppliedRule] = []
        var flagOnlyKinds: [CriteriaRule.Kind] = []

        for rule in found.rules {
            let serial = memo.serial(of: rule, in: found.document)
            let evaluation = evaluate(rule, serial: serial, option: option, document: found.document)
            var isApplied = true
            var reason: String?
            if coverage.fromLine {
                let flag = rule.kind == .priorAuthorization ? paFlag : stFlag
                if flag == false {
                    isApplied = false
                    reason = "the formulary line shows no \(rule.kind == .priorAuthorization ? "prior authorization" : "step therapy"); the formulary wins"
                }
            }
            if isApplied, let lookback = rule.newStartLookbackDays, let evidence = continuingUse(option, lookbackDays: lookback) {
                isApplied = false
                reason = "continuing user (\(evidence)): Part D applies PA/ST to new starts only"
            }
            applied.append(AppliedRule(rule: rule, serial: serial, leaves: memo.leaves(of: rule, serial: serial), evaluation: evaluation,
                                       applied: isApplied, notAppliedReason: reason))
        }
        if coverage.fromLine {
            if paFlag == true && !applied.contains(where: { $0.rule.kind == .priorAuthorization }) { flagOnlyKinds.append(.priorAuthorization) }
            if stFlag == true && !applied.contains(where: { $0.rule.kind == .stepTherapy }) { flagOnlyKinds.append(.stepTherapy) }
        }
        if let note = basis.note, !found.rules.isEmpty { notes.append(note) }
        if !flagOnlyKinds.isEmpty {
            notes.append("criteria unknown: flag only (\(flagOnlyKinds.map { $0 == .priorAuthorization ? "PA" : "ST" }.joined(separator: ", ")) flagged by the formulary, no criteria file covers it)")
            if found.rules.isEmpty { basis = .flagOnly }
        }
        if found.rules.isEmpty && flagOnlyKinds.isEmpty { basis = .none }
        if applied.contains(where: { !$0.applied && $0.notAppliedReason?.hasPrefix("continuing") == true }) {
            notes.append(applied.first { $0.notAppliedReason?.hasPrefix("continuing") == true }?.notAppliedReason ?? "")
        }

        let verdict = decide(coverage: coverage, findings: findings, rules: applied.filter(\.applied), flagOnly: flagOnlyKinds)
        if verdict == .notCovered, let reason = coverage.summary.reason { notes.append(reason) }
        let assessment = Assessment(option: option, coverage: coverage, safety: findings, verdict: verdict, basis: basis, rules: applied,
                                    document: found.document, notes: notes)
        assessments[option.id] = assessment
        shared?.publish(assessment, for: option.id)
        return assessment
    }

    /// The Medicare new-start test: a claim of the requested drug (the same option: vortioxetine
    /// for Trintellix, the combination itself for Auvelity — not its components) whose coverage
    /// ends within the lookback (as-of − (N − 1) or later) makes the patient a continuing user.
    /// Cash fills are not claims.
    func continuingUse(_ option: DrugOption, lookbackDays: Int) -> String? {
        let start = facts.asOf - (lookbackDays - 1)
        let claim = facts.claims.filter { !$0.cash && $0.handle.id == option.id && ($0.end ?? $0.start) >= start }.max { $0.start < $1.start }
        return claim.map { "claim \($0.ref) filled \($0.start), supply through \($0.end ?? $0.start)" }
    }

    func decide(coverage: CoverageResolver.Resolved, findings: [SafetyFinding], rules: [AppliedRule], flagOnly: [CriteriaRule.Kind]) -> Verdict {
        switch coverage.summary.status {
        case .notCovered, .nonFormulary: return .notCovered
        case .unknown where coverage.summary.source == .none: return .notCovered
        default: break
        }
        if findings.contains(where: { $0.verdict == .contraindicated }) { return .contraindicated }
        let pa = rules.filter { $0.rule.kind == .priorAuthorization }
        let st = rules.filter { $0.rule.kind == .stepTherapy }
        if pa.isEmpty && st.isEmpty && flagOnly.isEmpty { return .coveredNoUM }
        if pa.contains(where: { $0.evaluation.status == .unmet }) { return .paNotMet }
        if st.contains(where: { $0.evaluation.status == .unmet }) { return .stNotMet }
        if !flagOnly.isEmpty || rules.contains(where: { $0.evaluation.status == .unknown || $0.evaluation.status == .needsDocumentation }) {
            return .needsDocumentation
        }
        return pa.isEmpty ? .stMet : .coveredPAMet
    }

    // MARK: Result

    func result(for option: DrugOption) -> OptionResult {
        let assessment = assess(option)
        var remaining: RemainingPath?
        if [.paNotMet, .stNotMet, .needsDocumentation].contains(assessment.verdict) {
            remaining = path(for: option)
        }
        let rules = assessment.rules.map { applied in
            RuleResult(ruleID: applied.rule.id, kind: applied.rule.kind, title: applied.rule.title, ruleVersion: applied.rule.version,
                       policyVersion: policy.version?.id, pinned: policy.pinned, citation: applied.rule.citation,
                       basis: assessment.document?.appliesTo.isDefault == true ? .typical : .planSpecific, file: applied.rule.file, line: applied.rule.line,
                       status: applied.evaluation.status, applied: applied.applied, notAppliedReason: applied.notAppliedReason,
                       criteria: applied.evaluation.criteria, approval: applied.rule.approval?.description, reauthorization: applied.rule.reauthorization)
        }
        let approval = assessment.rules.filter(\.applied).compactMap { $0.rule.approval?.description }.first
        let ruleLimits = assessment.rules.filter(\.applied).compactMap(\.rule.quantityLimit)
        let lineLimit = assessment.coverage.summary.quantityLimit == CoverageResolver.unstatedLimit && !ruleLimits.isEmpty ? nil : assessment.coverage.summary.quantityLimit
        let quantityLimit = [lineLimit] + ruleLimits.map { Optional($0) }
        let safetyFindings = assessment.safety
        let timing = startTiming(assessment, remaining: remaining)
        let standing = standing(of: option)
        return OptionResult(optionID: option.id, name: option.displayName, brands: option.brands, drugClass: option.drugClass.rawValue, rank: 0,
                            verdict: assessment.verdict, use: standing.use, strategy: standing.strategy,
                            history: standing.history, reachableNow: timing.reachableNow,
                            earliestStart: timing.earliestStart, basis: assessment.basis,
                            summary: summary(assessment, remaining: remaining), coverage: assessment.coverage.summary, rules: rules, remaining: remaining,
                            lookbackExpiries: lookbackExpiries(assessment), exceptionGrounds: exceptionGrounds(assessment, remaining: remaining),
                            safety: safetyFindings, notes: assessment.notes + switchNotes(option), approval: approval,
                            quantityLimit: Array(Set(quantityLimit.compactMap { $0 })).sorted().joined(separator: "; ").nilIfEmpty)
    }

    /// The option's use, strategy group and history: the same under every plan, so worked out
    /// once per analysis (through the memo).
    func standing(of option: DrugOption) -> EvaluationMemo.OptionStanding {
        memo.standing(of: option.id) {
            let use = safety.use(of: option)
            return EvaluationMemo.OptionStanding(use: use, strategy: strategy(for: option, use: use), history: history(for: option))
        }
    }

    /// Brand-product options whose generic had a labeler switch: dispensing the earlier labeler is an alternative.
    func switchNotes(_ option: DrugOption) -> [String] {
        guard option.kind == .brandProduct, let parent = option.productOf else { return [] }
        return facts.events.filter { reference.option(named: $0.drug)?.id == parent }.map { event in
            "alternative without a PA: ask the pharmacy to dispense labeler \(event.fromLabeler ?? "?") again (the generic switched \(event.fromLabeler ?? "?") → \(event.toLabeler ?? "?") on \(event.date))"
        }
    }

    func summary(_ assessment: Assessment, remaining: RemainingPath?) -> String {
        let name = assessment.option.displayName
        let tier = assessment.coverage.summary.tierCode.map { " (tier \($0))" } ?? ""
        var text: String
        switch assessment.verdict {
        case .coveredNoUM: text = "\(name) is covered\(tier) with no prior authorization or step therapy."
        case .coveredPAMet: text = "\(name) is covered\(tier); this patient meets the prior-authorization criteria: submit the PA."
        case .stMet: text = "\(name) is covered\(tier); the step therapy is already met."
        case .paNotMet: text = "\(name) needs prior authorization\(tier) and the criteria are not met yet."
        case .stNotMet: text = "\(name) needs step therapy\(tier) that is not met yet."
        case .needsDocumentation: text = "\(name)\(tier): criteria can be met only with documentation the plan cannot see in claims."
        case .notCovered: text = "\(name) is not covered: \(assessment.coverage.summary.reason ?? "not on the formulary")."
        case .contraindicated:
            let rules = assessment.safety.filter { $0.verdict == .contraindicated }.map(\.ruleID).joined(separator: ", ")
            text = "\(name) is contraindicated for this patient (\(rules))."
        }
        if let remaining, remaining.reachable, let date = remaining.reachableOn, remaining.stepCount > 0 {
            text += " Earliest: \(date) after \(remaining.stepCount) step\(remaining.stepCount == 1 ? "" : "s")."
        } else if let remaining, !remaining.reachable, let reason = remaining.blockedReason {
            text += " No path: \(reason)."
        }
        if let note = assessment.basis.note { text += " (\(note))" }
        return text
    }

    /// When each item that counts toward an applied rule's lookback criterion leaves the window
    /// (supply, adequate trials, documented intolerance or contraindication), for met and partly
    /// met criteria: worked out with the rule's evaluation on the analysis date (memoized).
    func lookbackExpiries(_ assessment: Assessment) -> [LookbackExpiry] {
        var out: [LookbackExpiry] = []
        for applied in assessment.rules where applied.applied {
            for item in applied.evaluation.expiries {
                let expiry = item.expiry
                out.append(LookbackExpiry(ruleID: applied.rule.id, criterionID: item.id, ref: expiry.item.ref, drug: expiry.agent,
                                          coverageEnd: expiry.coverageEnd, expiresOn: expiry.expiresOn, basis: expiry.basis,
                                          criterionMet: item.criterionMet))
            }
        }
        return out.sorted { ($0.expiresOn, $0.ruleID, $0.criterionID, $0.drug) < ($1.expiresOn, $1.ruleID, $1.criterionID, $1.drug) }
    }

    func exceptionGrounds(_ assessment: Assessment, remaining: RemainingPath?) -> [ExceptionGround] {
        var grounds: [ExceptionGround] = []
        let overlays = overlays
        func add(_ ground: ExceptionOverlay.Ground, _ description: String) {
            if let overlay = overlays.first(where: { $0.grounds.contains(ground) }) {
                grounds.append(ExceptionGround(ground: ground.rawValue, description: description, overlayID: overlay.id, citation: overlay.citation,
                                               decisionHours: overlay.decisionHours, exigentHours: overlay.exigentHours,
                                               deemedApprovedIfLate: overlay.deemedApprovedIfLate))
            } else {
                grounds.append(ExceptionGround(ground: ground.rawValue, description: description + " (plan exception process)", overlayID: nil, citation: nil,
                                               decisionHours: nil, exigentHours: nil, deemedApprovedIfLate: nil))
            }
        }
        if assessment.verdict == .notCovered, assessment.coverage.summary.status == .nonFormulary {
            add(.nonFormularyMedicalNecessity, "\(assessment.option.displayName) is not on the formulary: request a formulary exception with the prescriber's statement")
        }
        for applied in assessment.rules where applied.applied {
            let hasStep = applied.leaves.contains { if case .step = $0.criterion { true } else { false } }
            for criterion in applied.evaluation.criteria where criterion.status == .needsDocumentation {
                add(.triedUnderCurrentOrPreviousPlan,
                    "\(criterion.label): met by trials the plan's claims cannot see (cash-paid, a previous plan, or outside the lookback); attach pharmacy receipts or chart notes")
            }
            if hasStep || applied.rule.kind == .stepTherapy, let remaining {
                for pruned in remaining.prunedSteps where pruned.contraindicated {
                    add(.stepContraindicated, "step drug \(pruned.name) is contraindicated (\(pruned.reason)): the step must be waived")
                }
            }
        }
        var seen = Set<String>()
        return grounds.filter { seen.insert($0.ground + $0.description).inserted }
    }

    /// Overlays that reach this plan and patient: state laws for fully insured plans in their state.
    func applicableOverlays() -> [ExceptionOverlay] {
        guard let document = policy.planDocument else { return [] }
        return document.overlays.filter { overlay in
            switch overlay.kind {
            case .stateStepTherapyException:
                let stateOK = overlay.state == nil || overlay.state == document.state || overlay.state == facts.profile.demographics.state
                let fundingOK = overlay.funding == nil || overlay.funding == document.funding
                return stateOK && fundingOK
            case .medicareCoverageDetermination, .formularyException:
                return true
            }
        }
    }

    // MARK: Trials table

    func trialAssessments() -> [TrialAssessment] {
        let document = policy.planDocument ?? policy.defaultDocument
        let rules = (document?.adequacy.values.map { $0 } ?? []).sorted { $0.id < $1.id }
        var out: [TrialAssessment] = []
        for item in facts.trials {
            out.append(assessment(of: item, source: "chart", end: item.end, rules: rules))
        }
        // Claims runs without a chart trial of the same drug: one episode per run.
        let claimOnly = facts.claims.filter { claim in !facts.trials.contains { !Set($0.counting).isDisjoint(with: claim.counting) } }
        let grouped = Dictionary(grouping: claimOnly, by: { $0.option.id })
        for (_, claims) in grouped.sorted(by: { $0.key < $1.key }) {
            let ordered = claims.sorted { $0.start < $1.start }
            var run: [TherapyItem] = []
            func flush() {
                guard let first = run.first, let last = run.last else { return }
                let end = last.end ?? last.start
                let merged = run.compactMap(\.confoundedBy).first.map { first.confounded(by: $0) } ?? first
                var assessment = assessment(of: merged, source: "claims (\(run.count) fill\(run.count == 1 ? "" : "s"))", end: end >= facts.asOf ? nil : end, rules: rules)
                assessment.ref = run.count == 1 ? first.ref : "\(first.ref)…\(last.ref)"
                assessment.daysOnDrug = Day.inclusiveCount(from: first.start, through: min(end, facts.asOf))
                out.append(assessment)
            }
            for claim in ordered {
                if let last = run.last, claim.start - (last.end ?? last.start) > ManufacturerSwitchDetector.gapDays { flush(); run = [] }
                run.append(claim)
            }
            flush()
        }
        return out.sorted { $0.start < $1.start }
    }

    func assessment(of item: TherapyItem, source: String, end: Day?, rules: [AdequacyRule]) -> TrialAssessment {
        var adequacy: [String: String] = [:]
        let counting = item.counting.compactMap { reference.option(id: $0) }
        for rule in rules {
            switch rule.purpose {
            case .trd:
                let verdicts = counting.map { AdequacyJudge.judgeTRD(item, counting: $0, rule: rule, facts: facts, day: facts.asOf) }
                adequacy[rule.id] = verdicts.first(where: \.counts).map { "counts: \($0.reason)" } ?? verdicts.first?.reason ?? "not an antidepressant trial"
            case .step:
                if item.effectiveOutcome == .confounded { adequacy[rule.id] = "does not count: confounded"; continue }
                let supply = item.source == .claim ? (item.daysSupply ?? 0) : Day.inclusiveCount(from: item.start, through: item.coverageEnd(on: facts.asOf))
                let lastDay = item.source == .claim ? (item.end ?? item.start) : item.coverageEnd(on: facts.asOf)
                let window = rule.lookbackDays.map { " (inside the \($0)-day lookback until \(lastDay + $0 - 1))" } ?? ""
                adequacy[rule.id] = (item.cash || item.previousPlan ? "needs documentation: " : "") + "\(supply) days on drug\(window)"
            }
        }
        return TrialAssessment(ref: item.ref, drug: item.drugText, optionID: item.option.id, drugClass: item.option.drugClass.rawValue, source: source,
                               start: item.start, end: end, mgPerDay: item.mgPerDay,
                               daysOnDrug: Day.inclusiveCount(from: item.start, through: item.coverageEnd(on: facts.asOf)),
                               documentedOutcome: item.outcome.rawValue, effectiveOutcome: item.effectiveOutcome == .unknown && item.confoundedBy != nil ? "confounded" : item.effectiveOutcome.rawValue,
                               confoundedBy: item.clinicianConfirmed ? nil : item.confoundedBy, paidInCash: item.cash, previousPlan: item.previousPlan, adequacy: adequacy)
    }
}

extension Requirement {
    /// Every criterion in the tree, depth first.
    var leaves: [LabeledCriterion] {
        switch self {
        case .criterion(let labeled): [labeled]
        case .allOf(let items), .anyOf(let items): items.flatMap(\.leaves)
        }
    }
}

extension String {
    var nilIfEmpty: String? { isEmpty ? nil : self }
}

/// Assessments two sessions of one plan share across their threads (`TRDAnalyzer.results`).
/// An assessment is an immutable object; both sessions would work out the same one, so the first
/// published stands.
final class SharedAssessments: @unchecked Sendable {
    private let lock = NSLock()
    private var table: [String: AnalysisSession.Assessment] = [:]

    func assessment(of option: String) -> AnalysisSession.Assessment? {
        lock.lock()
        defer { lock.unlock() }
        return table[option]
    }

    func publish(_ assessment: AnalysisSession.Assessment, for option: String) {
        lock.lock()
        defer { lock.unlock() }
        if table[option] == nil { table[option] = assessment }
    }
}
