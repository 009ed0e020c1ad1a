import Foundation
import FormularyAnalysis
import FormularyCriteria
import FormularyModel
import FormularyReports
import FormularyStore

/// What the reports need from the database and the reference folder that the analysis does not
/// carry, read here so the reports themselves never touch either: the report-name secret, each
/// compared plan's listing and cost-share rows, the cost model and appeal routes, and the plans
/// of the patient's kind offered in a state.
public enum ReportInputs {
    /// The report-name key of the database at `path`, or nil when no database exists there
    /// (opening one would create it, and a new database's key names nothing the person has).
    public static func nameKey(databasePath path: String) throws -> ReportNameKey? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return try nameKey(FormularyStore(path: path))
    }

    public static func nameKey(_ store: FormularyStore) throws -> ReportNameKey? {
        ReportNameKey(try store.reportNameKey())
    }

    /// The plan data of every plan in the analysis that the database lists: premium,
    /// deductible, plan year, and the cost-share rows of the tiers the current medicines sit on.
    public static func planFacts(for analysis: AnalysisResult, store: FormularyStore) throws -> [PlanFacts] {
        var ids: [PlanID] = []
        for plan in analysis.plans where !ids.contains(PlanID(plan.planID)) { ids.append(PlanID(plan.planID)) }
        // The current medicines' drugs as each plan's analysis resolved them.
        var drugs = Set<RxCUI>()
        for plan in analysis.plans {
            let current = Set(plan.trials.filter { $0.end == nil }.compactMap(\.optionID))
            for option in plan.options where current.contains(option.optionID) {
                if let rxcui = option.coverage.rxcui { drugs.insert(rxcui) }
            }
        }
        let coverage = drugs.isEmpty ? [] : try store.coverage(plans: ids, drugs: drugs.sorted())
        return try ids.compactMap { id in
            guard let listing = try store.planListing(id) else { return nil }
            var seen = Set<CostShare>()
            let shares = coverage.filter { $0.plan == id }.flatMap(\.lines).flatMap(\.costShares).filter { seen.insert($0).inserted }
            return PlanFacts(listing: listing, costShares: shares)
        }
    }

    /// The cost model and appeal routes of the reference folder in force (`folder`, else where
    /// `DataLocations` resolves it). A file that folder lacks (a user's copy made before the file
    /// existed) comes from the bundled reference folder; when neither has it the error names
    /// every place looked in. An invalid file throws, naming the file, the line and the key.
    public static func references(folder: String? = nil, locations: DataLocations = DataLocations()) throws
        -> (costModel: CostModel, appeals: AppealReference) {
        let inForce = try folder ?? locations.reference(commandLine: nil).path
        func path(_ name: String) throws -> String {
            var searched = [(inForce as NSString).appendingPathComponent(name)]
            if locations.fileExists(searched[0]) { return searched[0] }
            if let root = locations.bundledRoot {
                let bundled = ((root as NSString).appendingPathComponent("reference") as NSString).appendingPathComponent(name)
                if locations.fileExists(bundled) { return bundled }
                searched.append(bundled)
            }
            throw DataLocations.BundledDataMissing(what: name, searched: searched + (locations.bundledRoot == nil ? locations.bundledCandidates : []))
        }
        return (try CostModel.load(path: try path(CostModel.fileName)), try AppealReference.load(path: try path(AppealReference.fileName)))
    }

    /// The plans of the patient's kind offered in `state`.
    public struct StateSelection: Sendable {
        /// The markets of the patient's own plans (`medicare-part-d`, `marketplace`, …).
        public var markets: [Market]
        /// Plan ids, sorted.
        public var plans: [String]
        /// Plans included although the data names no state for them (Medicare stand-alone and
        /// regional plans are listed by region): the person should check that they serve the state.
        public var withoutState: [String]
    }

    /// The plans offered in `state` of the same kind as the patient's own plans (their markets):
    /// Medicare Advantage and stand-alone drug plans for a Medicare patient, marketplace plans
    /// for a marketplace patient. Medicare plans whose listing names no state (PDPs and regional
    /// PPOs are sold by region) are included and reported in `withoutState`.
    public static func plansOfPatientKind(state: String, patientPlans: [String], service: AnalysisService) throws -> StateSelection {
        var markets: [Market] = []
        for reference in patientPlans {
            for plan in service.documents.criteria.resolvePlanReference(reference).plans {
                guard let market = try service.store.planListing(plan)?.plan.market, !markets.contains(market) else { continue }
                markets.append(market)
            }
        }
        guard !markets.isEmpty else {
            throw AppError.planNotImported(plan: patientPlans.isEmpty ? "(the patient file names none)" : patientPlans.joined(separator: ", "))
        }
        let listings = try service.store.plans().filter { markets.contains($0.plan.market) }
        var plans: [String] = []
        var withoutState: [String] = []
        for listing in listings {
            let id = listing.plan.id.rawValue
            guard !plans.contains(id) else { continue }
            if listing.plan.states.contains(state.uppercased()) {
                plans.append(id)
            } else if listing.plan.states.isEmpty, listing.plan.market == .medicarePartD {
                plans.append(id)
                withoutState.append(id)
            }
        }
        return StateSelection(markets: markets, plans: plans.sorted(), withoutState: withoutState.sorted())
    }
}
