import Foundation
import FormularyAnalysis
import FormularyCriteria
import FormularyModel
import FormularyStore

/// One analysis as every front end runs it: read the patient, pick the date, check that the
/// plans' formularies are imported, analyze. The CLI, the demo, the reports and the watchlist
/// all come through here, so they cannot drift apart.
public struct AnalysisService: Sendable {
    public let documents: AnalysisDocuments
    public let store: FormularyStore

    public init(documents: AnalysisDocuments, store: FormularyStore) {
        self.documents = documents
        self.store = store
    }

    /// Reads a patient file: the documented profile format (YAML or JSON), or patient records
    /// (FHIR JSON, NDJSON or XML; a monitoring log; a folder or zip of them), told apart by
    /// content and imported as `formulary patient import` imports them (NDCs mapped through this
    /// store's RxNorm data).
    public func loadPatient(path: String) throws -> PatientProfile {
        if PatientRecordsService.holdsRecords(path: path) {
            return try PatientRecordsService(reference: documents.reference, store: store).loadProfile(paths: [path])
        }
        return try PatientLoader.load(path: path, reference: documents.reference)
    }

    /// Analyzes the patient in `path` for `plans` (empty: the patient's) and `options` (empty:
    /// the TRD options) as of `asOf` (nil: the patient file's date, else today).
    public func analyze(patientPath path: String, asOf: Day? = nil, plans: [String] = [],
                        options: [String] = [], use: OptionUse? = nil) throws -> AnalysisResult {
        try analyze(loadPatient(path: path), asOf: asOf, plans: plans, options: options, use: use)
    }

    /// `use` (the command line's `--as`) applies to every option of `options`, over the profile's requests.
    public func analyze(_ profile: PatientProfile, asOf: Day? = nil, plans: [String] = [], options: [String] = [],
                        use: OptionUse? = nil) throws -> AnalysisResult {
        var profile = profile
        if let use {
            for name in options {
                guard let option = documents.reference.option(named: name) else { throw DocumentError.unknownOption(name) }
                profile.requests.append(OptionRequest(option: option.id, use: use, ref: "--as"))
            }
        }
        let request = AnalysisRequest(patient: profile, plans: plans, asOf: asOf ?? profile.asOf ?? .today, options: options,
                                      pinnedVersion: documents.pinnedVersion)
        try requirePlansImported(request)
        return try documents.analyzer.analyze(request, coverage: store)
    }

    /// Pharmacy coverage needs the plan's formulary in the database: say so plainly instead of
    /// reporting every drug as not covered.
    func requirePlansImported(_ request: AnalysisRequest) throws {
        let references = request.plans.isEmpty ? request.patient.plans : request.plans
        guard !references.isEmpty else { throw AnalysisError.noPlan }
        for reference in references {
            for plan in documents.criteria.resolvePlanReference(reference).plans where try store.planListing(plan) == nil {
                throw AppError.planNotImported(plan: plan.rawValue)
            }
        }
    }
}

extension Day {
    /// Today's date in this machine's time zone: what "as of today" means to a cron job.
    public static var today: Day {
        let parts = Calendar.current.dateComponents([.year, .month, .day], from: Date())
        return Day(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) ?? Day(ordinal: 0)
    }
}
