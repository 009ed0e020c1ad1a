import Dispatch
import Foundation
import FormularyCriteria
import FormularyModel

/// The analyzer: for one patient and each plan, which treatment-resistant-depression options
/// are covered now, what stands in the way of the others, the cheapest path to each, and what
/// is unsafe. Pure: formulary facts come through `CoverageProvider`; no files, no SQL, no clock.
///
/// ```swift
/// let analyzer = TRDAnalyzer(reference: reference, criteria: criteria)
/// let result = try analyzer.analyze(AnalysisRequest(patient: profile, asOf: day), coverage: store)
/// ```
public struct TRDAnalyzer: Sendable {
    public let reference: DrugReference
    public let criteria: CriteriaSet
    /// How many new trials a remaining path may add (the search depth).
    public var maxTrialSteps = 4
    /// Whether an analysis of a few plans (one chunk) also uses a second core: while the
    /// formulary lines are read, it works out what does not depend on them (each option's safety
    /// findings, standing and rule evaluations on the as-of date); then the two cores share each
    /// plan's options. On for the command line and reports; the web server, whose concurrent
    /// requests already fill the cores, turns it off. The answer is the same either way.
    public var usesSecondCore = true

    /// The reference's options as handles (built once, read by every analysis).
    let table: OptionTable
    /// The products of every option a remaining path may step through.
    let stepCandidateRxCUIs: [RxCUI]
    let stepCandidateRxCUISet: Set<RxCUI>

    public init(reference: DrugReference, criteria: CriteriaSet) {
        self.reference = reference
        self.criteria = criteria
        table = OptionTable(reference: reference)
        stepCandidateRxCUIs = Self.uniqueProducts(of: reference.options.filter(Self.isStepCandidate), in: reference)
        stepCandidateRxCUISet = Set(stepCandidateRxCUIs)
    }

    /// Drugs a path may add as a trial step, or whose coverage a step may hinge on.
    /// The score series a report draws: every score on or before the as-of date, oldest first;
    /// nil when there is none (the key is then left out of the JSON).
    static func scorePoints(_ profile: PatientProfile, asOf: Day) -> [ScorePoint]? {
        let points = profile.scores.filter { $0.date <= asOf }.sorted { ($0.date, $0.scale) < ($1.date, $1.scale) }
            .map { ScorePoint(scale: $0.scale, value: $0.value, date: $0.date, ref: $0.ref) }
        return points.isEmpty ? nil : points
    }

    static func isStepCandidate(_ option: DrugOption) -> Bool {
        option.kind == .ingredient || option.kind == .combination || option.kind == .brandProduct
    }

    /// The products of `options` not in `known`, in order, without repeats.
    static func uniqueProducts(of options: [DrugOption], in reference: DrugReference, excluding known: Set<RxCUI> = []) -> [RxCUI] {
        var seen = Set<RxCUI>()
        return options.flatMap { reference.products(of: $0) }.filter { !known.contains($0) && seen.insert($0).inserted }
    }

    public func analyze(_ request: AnalysisRequest, coverage provider: any CoverageProvider) throws -> AnalysisResult {
        let references = request.plans.isEmpty ? request.patient.plans : request.plans
        guard !references.isEmpty else { throw AnalysisError.noPlan }
        let targets = planTargets(references, pinnedVersion: request.pinnedVersion)
        let options = try selectOptions(request)
        let facts = PatientFacts(profile: request.patient, asOf: request.asOf, reference: reference, table: table)
        // The formulary lines of every option asked and every option a path may step through,
        // for every plan at once.
        let rxcuis = stepCandidateRxCUIs + Self.uniqueProducts(of: options.filter { !Self.isStepCandidate($0) }, in: reference,
                                                               excluding: stepCandidateRxCUISet)
        let plans = try analyzePlans(targets, rxcuis: rxcuis, facts: facts, options: options, provider: provider)
        return AnalysisResult(patient: request.patient.id, asOf: request.asOf, plans: plans)
    }

    /// One target per plan and pinned criteria version, in the order first named: two versions
    /// of one plan (`plans: [A-2025-01, A-2025-07]`) are two targets, each analyzed and labelled.
    /// Only exact repeats (the same plan under the same pinned version, or unpinned twice) are
    /// merged, and the merged result's notes say which references named it.
    func planTargets(_ references: [String], pinnedVersion: String?) -> [PlanTarget] {
        var targets: [PlanTarget] = []
        for text in references {
            let resolved = criteria.resolvePlanReference(text)
            let pinned = pinnedVersion ?? resolved.pinnedVersion
            for plan in resolved.plans {
                if let index = targets.firstIndex(where: { $0.plan == plan && $0.pinned?.lowercased() == pinned?.lowercased() }) {
                    targets[index].references.append(text)
                } else {
                    targets.append(PlanTarget(plan: plan, pinned: pinned, references: [text]))
                }
            }
        }
        return targets
    }

    /// Plans per batch when an analysis of many plans runs on several cores (`analyzePlans`):
    /// small enough that the cores finish close together, large enough that a batch's one read
    /// is mostly lines (batches of 8, 16 and 32 plans of 404: 32 was fastest, `formulary-bench`).
    public static let plansPerChunk = 32

    /// The cores this process may use, read once: Foundation reads the cgroup's CPU limit from
    /// files on every `activeProcessorCount` (about 2% of a one-plan analysis, perf).
    static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// Each plan's result, in order. Many plans (one patient against every formulary) run on all
    /// cores: one worker per core (up to one per `plansPerChunk` plans), each with its own memo,
    /// takes the next batch of `plansPerChunk` plans until none is left, and reads each batch's
    /// lines in one read. Taking batches in turn rather than a fixed half each keeps both cores
    /// busy to the end: with fixed halves, one core of this 2-core virtual machine often finished
    /// 10–40 ms before the other (of about 100). A batch's plans share one database snapshot;
    /// batches may see different ones if an import commits meanwhile, as separate analyses would.
    func analyzePlans(_ targets: [PlanTarget], rxcuis: [RxCUI], facts: PatientFacts, options: [DrugOption],
                      provider: any CoverageProvider) throws -> [PlanResult] {
        let cores = Self.cores
        let workers = min(cores, (targets.count + Self.plansPerChunk - 1) / Self.plansPerChunk)
        guard workers > 1 else {
            return try analyzeChunk(targets[...], rxcuis: rxcuis, facts: facts, options: options, provider: provider, memo: EvaluationMemo(),
                                    secondCore: usesSecondCore && cores > 1)
        }
        let batches = stride(from: 0, to: targets.count, by: Self.plansPerChunk).map { targets[$0..<min($0 + Self.plansPerChunk, targets.count)] }
        let results = TakenInTurn<Result<[PlanResult], any Error>>(count: batches.count)
        let answers = ChunkAnswers(facts: facts, reference: reference)
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            let memo = EvaluationMemo()
            while let index = results.take() {
                results.set(index, Result { try analyzeChunk(batches[index], rxcuis: rxcuis, facts: facts, options: options, provider: provider, memo: memo,
                                                             answers: answers) })
            }
        }
        return try results.values().flatMap { result in
            try (result ?? .failure(AnalysisError.coverageUnavailable(plan: "", reason: "a batch did not finish"))).get()
        }
    }

    /// The results of one chunk of plans, read in one read.
    /// - Parameters:
    ///   - memo: answers kept across the chunks one thread analyzes.
    ///   - answers: the chunk's line-independent answers, when already worked out.
    ///   - secondCore: work out the first plan's line-independent answers while its lines are
    ///     read, then share each plan's options between two threads (`usesSecondCore`), the
    ///     second with a memo of its own.
    func analyzeChunk(_ targets: ArraySlice<PlanTarget>, rxcuis: [RxCUI], facts: PatientFacts, options: [DrugOption],
                      provider: any CoverageProvider, memo: EvaluationMemo, answers: ChunkAnswers? = nil, secondCore: Bool = false) throws -> [PlanResult] {
        let coverage: [PlanCoverage]
        var prepared: ChunkAnswers?
        do {
            let plans = targets.map(\.plan)
            if secondCore, let first = targets.first {
                (coverage, prepared) = try readWhileWarming(memo, for: first, facts: facts, options: options) { try provider.coverage(plans: plans, drugs: rxcuis) }
            } else {
                coverage = try provider.coverage(plans: plans, drugs: rxcuis)
            }
        } catch {
            let first = targets.first?.plan.rawValue ?? ""
            throw AnalysisError.coverageUnavailable(plan: targets.count > 1 ? "\(first) (and \(targets.count - 1) more plans read with it)" : first,
                                                    reason: "\(error)")
        }
        guard coverage.count == targets.count, zip(targets, coverage).allSatisfy({ $0.plan == $1.plan }) else {
            throw AnalysisError.coverageUnavailable(plan: targets.first?.plan.rawValue ?? "",
                                                    reason: "the coverage provider answered \(coverage.count) of \(targets.count) plans, or not in the order asked")
        }
        let chunkAnswers = answers ?? prepared ?? ChunkAnswers(facts: facts, reference: reference)
        let regimenSafety = chunkAnswers.regimenSafety
        let scores = chunkAnswers.scores
        // The second core's sessions answer through a memo of their own, copied once the warming
        // is done and kept for the chunk's later plans.
        let twinMemo = secondCore ? memo.copy() : nil
        return try zip(targets, coverage).map { target, found in
            try analyzePlan(target, coverage: found, facts: facts, options: options, memo: memo, regimenSafety: regimenSafety, scores: scores,
                            twinMemo: twinMemo)
        }
    }

    /// `read()` on this thread while another works out what the chunk shows whatever the lines
    /// say (`ChunkAnswers`, returned; the trials table and strategy order, into `memo`), then
    /// fills `memo` with `target`'s answers that need no formulary line (`AnalysisSession.warm`),
    /// under the criteria policy its plan id alone selects. The warming stops at the next option
    /// once the read is done. Memo answers are keyed by everything they depend on (rule,
    /// documents, option, day), so a policy that turns out different once the formulary is known
    /// only leaves unused answers, never wrong ones.
    /// The memo is touched by one thread at a time: `SecondCore.run` returns after both.
    func readWhileWarming(_ memo: EvaluationMemo, for target: PlanTarget, facts: PatientFacts, options: [DrugOption],
                          read: () throws -> [PlanCoverage]) throws -> ([PlanCoverage], ChunkAnswers?) {
        let state = OverlappedRead()
        let warming = WarmingJob(memo: memo)
        let coverage = try SecondCore.run(worker: { [self] in
            // First what the chunk needs whatever the lines say (the regimen's findings, the
            // scores, the trials table and strategy order), then the options' answers.
            state.prepare(ChunkAnswers(facts: facts, reference: reference))
            guard let policy = try? criteria.policy(plan: target.plan, formulary: nil, asOf: facts.asOf, pinnedVersion: target.pinned) else { return }
            let resolver = CoverageResolver(lines: [], listing: nil, reference: reference, table: table, policy: policy, memo: warming.memo)
            let session = AnalysisSession(facts: facts, reference: reference, table: table, policy: policy, resolver: resolver, maxTrialSteps: maxTrialSteps,
                                          memo: warming.memo)
            _ = warming.memo.adequacyAnswers(for: policy.planDocument ?? policy.defaultDocument) {
                EvaluationMemo.AdequacyAnswers(strategy: session.strategyOrder(), trials: session.trialAssessments())
            }
            session.warm(options, stop: state.isFinished)
        }) {
            defer { state.finish() }
            return try read()
        }
        return (coverage, state.prepared())
    }

    /// The options to analyze: named ones, or the TRD defaults plus indication-specific ones
    /// the patient's diagnoses call for (zuranolone with F53).
    func selectOptions(_ request: AnalysisRequest) throws -> [DrugOption] {
        if !request.options.isEmpty {
            var result: [DrugOption] = []
            for name in request.options {
                guard let option = reference.option(named: name) else { throw AnalysisError.unknownOption(name) }
                if !result.contains(option) { result.append(option) }
            }
            return result
        }
        let codes = request.patient.diagnoses.map { $0.code.uppercased() }
        return reference.options.filter { option in
            option.trdOption || option.defaultWhenDiagnosis.contains { prefix in codes.contains { $0.hasPrefix(prefix.uppercased()) } }
        }
    }

    func analyzePlan(_ target: PlanTarget, coverage: PlanCoverage, facts: PatientFacts, options: [DrugOption],
                     memo: EvaluationMemo, regimenSafety: [SafetyFinding], scores: [ScorePoint]?, twinMemo: EvaluationMemo? = nil) throws -> PlanResult {
        let plan = target.plan
        let listing = coverage.listing
        let policy = try criteria.policy(plan: plan, formulary: listing?.formulary.id, asOf: facts.asOf, pinnedVersion: target.pinned)
        let resolver = CoverageResolver(lines: coverage.lines, listing: listing, reference: reference, table: table, policy: policy, memo: memo)
        let session = AnalysisSession(facts: facts, reference: reference, table: table, policy: policy, resolver: resolver, maxTrialSteps: maxTrialSteps,
                                     memo: memo)
        // The trials table and the strategy order read only the adequacy rules of the plan's
        // criteria (else the default set's): once per such document.
        let perDocument = memo.adequacyAnswers(for: policy.planDocument ?? policy.defaultDocument) {
            EvaluationMemo.AdequacyAnswers(strategy: session.strategyOrder(), trials: session.trialAssessments())
        }
        let strategy = perDocument.strategy
        let unranked = twinMemo.map { Self.results(for: options, sharedBy: session, and: session.twin(memo: $0)) }
            ?? options.map { session.result(for: $0) }
        var results = OptionRanking.ranked(unranked, order: strategy.order)
        var shortlist = Shortlist.build(results, order: strategy.order)
        // S13: esketamine and TMS both on the shortlist means a choice between them, not both.
        if Set(shortlist.map(\.optionID)).isSuperset(of: ["esketamine", "tms"]) {
            for index in results.indices where ["esketamine", "tms"].contains(results[index].optionID)
                && !results[index].safety.contains(where: { $0.ruleID == "S13" }) {
                results[index].safety.append(session.safety.bothOnShortlist())
            }
            shortlist = Shortlist.build(results, order: strategy.order)
        }

        let document = policy.planDocument
        let label = PlanResult.label(plan: plan.rawValue, pinnedVersion: policy.pinned ? policy.version?.id : nil)
        var notes: [String] = []
        notes.append(strategy.resistant
            ? "\(strategy.adequate) adequate antidepressant trials in this episode: treatment-resistant, so augmentation, esketamine and neuromodulation are ranked first"
            : "\(strategy.adequate) adequate antidepressant trial\(strategy.adequate == 1 ? "" : "s") in this episode: another antidepressant is ranked first")
        if target.references.count > 1 {
            notes.append("\(label) was named \(target.references.count) times (\(target.references.joined(separator: ", "))): analyzed once")
        }
        if listing == nil { notes.append("plan \(plan) is not in the formulary data: pharmacy coverage is unknown until it is imported") }
        if let year = listing?.plan.year ?? listing?.formulary.contractYear, year != facts.asOf.year {
            notes.append("the formulary data is for contract year \(year), the analysis is as of \(facts.asOf) (\(facts.asOf.year)): check that the plan's \(facts.asOf.year) formulary says the same")
        }
        if policy.pinned, let version = policy.version, !version.window.contains(facts.asOf) {
            notes.append("criteria version \(version.id) pinned: its rules apply although the as-of date \(facts.asOf) is outside \(version.window.description)")
        }
        if document == nil { notes.append(policy.defaultDocument == nil ? "no criteria for this plan: PA/ST flags only (criteria unknown: flag only)"
                                                                        : "no plan-specific criteria: PA/ST entries use typical criteria, not this plan's") }
        let summary = CriteriaSummary(documentID: document?.id ?? policy.defaultDocument?.id, title: document?.title ?? policy.defaultDocument?.title,
                                      file: document?.file ?? policy.defaultDocument?.file, policyVersion: policy.version?.id, pinned: policy.pinned,
                                      rulesAsOf: policy.ruleDate, basis: document != nil ? .planSpecific : (policy.defaultDocument != nil ? .typical : .flagOnly),
                                      note: document != nil ? nil : (policy.defaultDocument != nil ? CriteriaBasis.typical.note : CriteriaBasis.flagOnly.note))
        return PlanResult(planID: plan.rawValue, planLabel: label, planName: listing?.plan.name, market: listing?.plan.market.rawValue ?? document?.market,
                          formularyID: listing?.formulary.id.rawValue,
                          dataSource: listing.map { "\($0.snapshot.sourceName) snapshot \($0.snapshot.id)" } ?? "not in the formulary data",
                          criteria: summary, options: results, trials: perDocument.trials, events: facts.events,
                          regimenSafety: regimenSafety,
                          unrecognizedDrugs: facts.unrecognized, notes: notes, shortlist: shortlist,
                          scores: scores)
    }
}

extension TRDAnalyzer {
    /// Each option's result, in order, worked out by two sessions of one plan on two threads,
    /// each taking the next option not yet taken. Assessments (an option's coverage, rules and
    /// verdict, which the path search reads for every step drug) go into a table both sessions
    /// read, so a step drug is assessed once, by whichever session needs it first, and neither
    /// waits for the other. A session's memo, assessments and kept paths are pure answers
    /// (`EvaluationMemo`, `AnalysisSession.path(for:)`), so which session answers an option does
    /// not change the answer.
    static func results(for options: [DrugOption], sharedBy first: AnalysisSession, and second: AnalysisSession) -> [OptionResult] {
        let table = SharedAssessments()
        first.shared = table
        second.shared = table
        let work = TakenInTurn<OptionResult>(count: options.count)
        let worker = WorkerSession(session: second)
        SecondCore.run(worker: {
            while let index = work.take() { work.set(index, worker.session.result(for: options[index])) }
        }) {
            while let index = work.take() { work.set(index, first.result(for: options[index])) }
        }
        first.shared = nil
        // Both threads have returned: every option is set.
        return work.values().map { $0! }
    }
}

/// The second session of a plan, used by the worker thread only (`TRDAnalyzer.results(for:sharedBy:and:)`).
private struct WorkerSession: @unchecked Sendable {
    let session: AnalysisSession
}

/// Work threads share: the next position to take, and each position's result so far (`NSLock`:
/// `Synchronization.Mutex` needs macOS 15, the package supports 14). A plan's options on two
/// cores; many plans' batches on all cores.
private final class TakenInTurn<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private var slots: [Value?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    /// The next position, or nil when every one is taken.
    func take() -> Int? {
        lock.lock()
        defer { lock.unlock() }
        guard next < slots.count else { return nil }
        defer { next += 1 }
        return next
    }

    func set(_ index: Int, _ value: Value) {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = value
    }

    /// In position order (nil: never set); call after every thread has finished.
    func values() -> [Value?] {
        lock.lock()
        defer { lock.unlock() }
        return slots
    }
}

/// What every plan of a chunk shows whatever its formulary says: the current regimen's safety
/// findings and the score series.
struct ChunkAnswers: Sendable {
    var regimenSafety: [SafetyFinding]
    var scores: [ScorePoint]?

    init(facts: PatientFacts, reference: DrugReference) {
        regimenSafety = SafetyEngine(facts: facts, reference: reference).regimenFindings()
        scores = TRDAnalyzer.scorePoints(facts.profile, asOf: facts.asOf)
    }
}

/// One plan to analyze under one criteria version: the plan, the version pinned for it (none:
/// the version in force on the as-of date), and the plan references that named it.
struct PlanTarget: Sendable {
    var plan: PlanID
    var pinned: String?
    var references: [String]
}

/// A read running beside the warming (`TRDAnalyzer.readWhileWarming`): whether it has finished
/// (the warming asks between options), and what the warming worked out for the whole chunk.
private final class OverlappedRead: @unchecked Sendable {
    private let lock = NSLock()
    private var finished = false
    private var chunkAnswers: ChunkAnswers?

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        finished = true
    }

    func isFinished() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    func prepare(_ answers: ChunkAnswers) {
        lock.lock()
        defer { lock.unlock() }
        chunkAnswers = answers
    }

    /// Call after both sides have returned.
    func prepared() -> ChunkAnswers? {
        lock.lock()
        defer { lock.unlock() }
        return chunkAnswers
    }
}

/// The memo handed to the warming thread. Only one thread uses it at a time: the warming while
/// the read runs, the analysis after both have returned.
private struct WarmingJob: @unchecked Sendable {
    let memo: EvaluationMemo
}
