import Foundation
import FormularyAnalysis
import FormularyCriteria
import FormularyModel
import FormularyStore

/// Re-runs the analysis of every watched patient and records an alert for each whose verdicts
/// flipped: after a refresh that changed their plan's data, or when the criteria changed.
///
/// The alert is recorded as pending in the same transaction that stores the new analysis (an
/// outbox), so a flip is never lost: delivering it (`AlertDelivery`) happens afterwards, and a
/// failed delivery is retried by the next run.
public struct WatchChecker {
    /// The result of checking one watched patient.
    public struct Outcome: Sendable {
        public var label: String
        public var flips: [VerdictFlip]
        /// The pending alert recorded for the flips, if any.
        public var alertID: Int64?
        /// Why the profile could not be analyzed, if it could not.
        public var failure: String?
    }

    let store: FormularyStore
    let reference: DrugReference
    let analyzer: TRDAnalyzer

    public init(store: FormularyStore, reference: DrugReference, criteria: CriteriaSet) {
        self.store = store
        self.reference = reference
        analyzer = TRDAnalyzer(reference: reference, criteria: criteria)
    }

    /// Which watched patients a check re-analyzes.
    public enum Scope: Sendable {
        /// Everyone (`watch check`, or after the criteria or drug reference changed).
        case everyone
        /// Patients never analyzed, and those whose plans' current data is not the data their last
        /// analysis read. Decided from the database alone, so a run that died after an import and
        /// before its check is caught up by the next run.
        case dataChanged
    }

    /// Checks watched patients as of `asOf`. `causes` are written into each alert, after the
    /// per-plan changes read from the two analyses.
    public func check(asOf: Day, scope: Scope = .everyone, causes: [String] = [], now: Date = Date()) throws -> [Outcome] {
        try store.watches().compactMap { watch in
            let profile: PatientProfile
            do {
                profile = try PatientLoader.load(text: watch.profile, file: watch.fileName, reference: reference)
            } catch {
                return Outcome(label: watch.label, flips: [], failure: (error as? any LocalizedError)?.errorDescription ?? "\(error)")
            }
            let plans = watch.plans.isEmpty ? profile.plans : watch.plans
            let previous = watch.lastAnalysis.flatMap { try? JSONDecoder().decode(AnalysisResult.self, from: Data($0.utf8)) }
            if case .dataChanged = scope, let previous, try !dataChanged(since: previous) { return nil }
            let result: AnalysisResult
            do {
                result = try analyzer.analyze(AnalysisRequest(patient: profile, plans: plans, asOf: asOf), coverage: store)
            } catch {
                return Outcome(label: watch.label, flips: [], failure: (error as? any LocalizedError)?.errorDescription ?? "\(error)")
            }
            let flips = VerdictFlip.compare(before: previous, after: result)
            var pending: FormularyStore.NewAlert?
            if !flips.isEmpty {
                let alert = WatchAlert(patient: watch.label, asOf: asOf, generatedAt: now, flips: flips,
                                       causes: causes + Self.criteriaChanges(before: previous, after: result))
                pending = FormularyStore.NewAlert(label: watch.label, asOf: asOf.description, payload: try alert.json())
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            let alertID = try store.recordWatchCheck(
                id: watch.id, analysis: String(decoding: try encoder.encode(result), as: UTF8.self), at: now, alert: pending)
            return Outcome(label: watch.label, flips: flips, alertID: alertID, failure: nil)
        }
    }

    /// True when a plan's current snapshot is not the one `previous` read (or the plan left the data).
    func dataChanged(since previous: AnalysisResult) throws -> Bool {
        for plan in previous.plans {
            let current = try store.planListing(PlanID(plan.planID)).map { "\($0.snapshot.sourceName) snapshot \($0.snapshot.id)" }
                ?? "not in the formulary data"
            if current != plan.dataSource { return true }
        }
        return false
    }

    /// Criteria version and data-source changes per plan, read from the two analyses.
    static func criteriaChanges(before: AnalysisResult?, after: AnalysisResult) -> [String] {
        guard let before else { return [] }
        var causes: [String] = []
        for plan in after.plans {
            guard let old = before.plans.first(where: { $0.planID == plan.planID }) else { continue }
            if old.criteria.policyVersion != plan.criteria.policyVersion {
                causes.append("plan \(plan.planID): criteria \(old.criteria.policyVersion ?? "none") → \(plan.criteria.policyVersion ?? "none")")
            }
            if old.dataSource != plan.dataSource {
                causes.append("plan \(plan.planID): its formulary data changed, \(old.dataSource ?? "none") → \(plan.dataSource ?? "none")")
            }
        }
        return causes
    }
}
