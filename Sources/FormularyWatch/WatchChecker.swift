import Foundation
import FormularyAnalysis
import FormularyCriteria
import FormularyModel
import FormularyStore

/// Re-runs the analysis of every watched patient and writes an alert for each whose verdicts
/// flipped: after a refresh that changed their plan's data, or when the criteria changed.
public struct WatchChecker {
    /// The result of checking one watched patient.
    public struct Outcome: Sendable {
        public var label: String
        public var flips: [VerdictFlip]
        /// The alert files written (Markdown and JSON), empty when nothing flipped.
        public var files: [URL]
        /// Why the profile could not be analyzed, if it could not.
        public var failure: String?
    }

    let store: FormularyStore
    let reference: DrugReference
    let analyzer: TRDAnalyzer
    let alertsDirectory: URL

    public init(store: FormularyStore, reference: DrugReference, criteria: CriteriaSet, alertsDirectory: URL) {
        self.store = store
        self.reference = reference
        analyzer = TRDAnalyzer(reference: reference, criteria: criteria)
        self.alertsDirectory = alertsDirectory
    }

    /// Checks watched patients as of `asOf`. `changedPlans` limits the check to patients on those
    /// plans (nil: everyone, as after a criteria change). `causes` are written into each alert.
    public func check(asOf: Day, changedPlans: Set<String>? = nil, causes: [String] = [], now: Date = Date()) throws -> [Outcome] {
        try store.watches().compactMap { watch in
            let profile: PatientProfile
            do {
                profile = try PatientLoader.load(text: watch.profile, file: watch.fileName, reference: reference)
            } catch {
                return Outcome(label: watch.label, flips: [], files: [], failure: (error as? any LocalizedError)?.errorDescription ?? "\(error)")
            }
            let plans = watch.plans.isEmpty ? profile.plans : watch.plans
            let previous = watch.lastAnalysis.flatMap { try? JSONDecoder().decode(AnalysisResult.self, from: Data($0.utf8)) }
            // A profile may name a plan by a criteria version id; the last analysis knows the plan ids.
            let analyzedPlans = Set(plans).union(previous?.plans.map(\.planID) ?? [])
            if let changedPlans, previous != nil, changedPlans.isDisjoint(with: analyzedPlans) { return nil }
            let result: AnalysisResult
            do {
                result = try analyzer.analyze(AnalysisRequest(patient: profile, plans: plans, asOf: asOf), coverage: store)
            } catch {
                return Outcome(label: watch.label, flips: [], files: [], failure: (error as? any LocalizedError)?.errorDescription ?? "\(error)")
            }
            let flips = VerdictFlip.compare(before: previous, after: result)
            var files: [URL] = []
            if !flips.isEmpty {
                let alert = WatchAlert(patient: watch.label, asOf: asOf, generatedAt: now, flips: flips,
                                       causes: causes + Self.criteriaChanges(before: previous, after: result))
                files = try write(alert)
            }
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            try store.recordWatchAnalysis(id: watch.id, analysis: String(decoding: try encoder.encode(result), as: UTF8.self), at: now)
            return Outcome(label: watch.label, flips: flips, files: files, failure: nil)
        }
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
                causes.append("plan \(plan.planID): formulary data \(old.dataSource ?? "none") → \(plan.dataSource ?? "none")")
            }
        }
        return causes
    }

    /// Writes the alert as Markdown and JSON with mode 0600; names carry the label, not a name.
    private func write(_ alert: WatchAlert) throws -> [URL] {
        try FileManager.default.createDirectory(at: alertsDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let safeLabel = String(alert.patient.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" })
        var stem = "alert-\(safeLabel)-\(alert.asOf)"
        var suffix = 2
        while FileManager.default.fileExists(atPath: alertsDirectory.appendingPathComponent(stem + ".md").path) {
            stem = "alert-\(safeLabel)-\(alert.asOf)-\(suffix)"
            suffix += 1
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let outputs = [(stem + ".md", Data(alert.markdown.utf8)), (stem + ".json", try encoder.encode(alert))]
        return try outputs.map { name, data in
            let url = alertsDirectory.appendingPathComponent(name)
            guard FileManager.default.createFile(atPath: url.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
            return url
        }
    }
}
