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

    public init(reference: DrugReference, criteria: CriteriaSet) {
        self.reference = reference
        self.criteria = criteria
    }

    public func analyze(_ request: AnalysisRequest, coverage provider: any CoverageProvider) throws -> AnalysisResult {
        let references = request.plans.isEmpty ? request.patient.plans : request.plans
        guard !references.isEmpty else { throw AnalysisError.noPlan }
        var targets: [(plan: PlanID, pinned: String?)] = []
        for text in references {
            let resolved = criteria.resolvePlanReference(text)
            for plan in resolved.plans where !targets.contains(where: { $0.plan == plan }) {
                targets.append((plan, request.pinnedVersion ?? resolved.pinnedVersion))
            }
        }
        let options = try selectOptions(request)
        let table = OptionTable(reference: reference)
        let facts = PatientFacts(profile: request.patient, asOf: request.asOf, reference: reference, table: table)
        // Every option a path may step through, and the formulary lines of all their products,
        // for every plan at once.
        var seen = Set<String>()
        let wanted = (options + reference.options.filter { $0.kind == .ingredient || $0.kind == .combination || $0.kind == .brandProduct })
            .filter { seen.insert($0.id).inserted }
        var seenRxCUIs = Set<RxCUI>()
        let rxcuis = wanted.flatMap { reference.products(of: $0) }.filter { seenRxCUIs.insert($0).inserted }
        let coverage: [PlanCoverage]
        do { coverage = try provider.coverage(plans: targets.map(\.plan), drugs: rxcuis) } catch {
            throw AnalysisError.coverageUnavailable(plan: targets.map(\.plan.rawValue).joined(separator: ", "), reason: "\(error)")
        }
        var plans: [PlanResult] = []
        for (target, found) in zip(targets, coverage) {
            plans.append(try analyzePlan(target.plan, pinned: target.pinned, coverage: found, facts: facts, options: options, table: table))
        }
        return AnalysisResult(patient: request.patient.id, asOf: request.asOf, plans: plans)
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

    func analyzePlan(_ plan: PlanID, pinned: String?, coverage: PlanCoverage, facts: PatientFacts, options: [DrugOption],
                     table: OptionTable) throws -> PlanResult {
        let listing = coverage.listing
        let policy = try criteria.policy(plan: plan, formulary: listing?.formulary.id, asOf: facts.asOf, pinnedVersion: pinned)
        let resolver = CoverageResolver(lines: coverage.lines, listing: listing, reference: reference, policy: policy)
        let session = AnalysisSession(facts: facts, reference: reference, table: table, policy: policy, resolver: resolver, maxTrialSteps: maxTrialSteps)
        var results = options.map { session.result(for: $0) }
        results.sort(by: OptionRanking.precedes)
        for index in results.indices { results[index].rank = index + 1 }

        let document = policy.planDocument
        var notes: [String] = []
        if listing == nil { notes.append("plan \(plan) is not in the formulary data: pharmacy coverage is unknown until it is imported") }
        if policy.pinned, let version = policy.version, !version.window.contains(facts.asOf) {
            notes.append("criteria version \(version.id) pinned: its rules apply although the as-of date \(facts.asOf) is outside \(version.window.description)")
        }
        if document == nil { notes.append(policy.defaultDocument == nil ? "no criteria for this plan: PA/ST flags only (criteria unknown: flag only)"
                                                                        : "no plan-specific criteria: PA/ST entries use typical criteria, not this plan's") }
        let summary = CriteriaSummary(documentID: document?.id ?? policy.defaultDocument?.id, title: document?.title ?? policy.defaultDocument?.title,
                                      file: document?.file ?? policy.defaultDocument?.file, policyVersion: policy.version?.id, pinned: policy.pinned,
                                      rulesAsOf: policy.ruleDate, basis: document != nil ? .planSpecific : (policy.defaultDocument != nil ? .typical : .flagOnly),
                                      note: document != nil ? nil : (policy.defaultDocument != nil ? CriteriaBasis.typical.note : CriteriaBasis.flagOnly.note))
        return PlanResult(planID: plan.rawValue, planName: listing?.plan.name, market: listing?.plan.market.rawValue ?? document?.market,
                          formularyID: listing?.formulary.id.rawValue,
                          dataSource: listing.map { "\($0.snapshot.sourceName) snapshot \($0.snapshot.id)" } ?? "not in the formulary data",
                          criteria: summary, options: results, trials: session.trialAssessments(), events: facts.events,
                          regimenSafety: SafetyEngine(facts: facts, reference: reference).regimenFindings(),
                          unrecognizedDrugs: facts.unrecognized, notes: notes)
    }
}
