import Foundation
import FormularyCriteria
import FormularyModel
import FormularyStore

/// `lookup` as every front end runs it: one plan, one drug (an RxCUI, an NDC or a name), with
/// "did you mean" when the plan or the name is not known.
public struct LookupService: Sendable {
    public struct Answer: Sendable {
        public var listing: PlanListing
        public var query: DrugQuery
        public var lines: [CoverageLine]
        /// For a medical-benefit item (Spravato, TMS, ECT) the formulary does not list: who decides,
        /// in the analysis's words.
        public var benefitNote: String?
    }

    public let store: FormularyStore
    public let locations: DataLocations

    public init(store: FormularyStore, locations: DataLocations = DataLocations()) {
        self.store = store
        self.locations = locations
    }

    /// The formulary lines for `drug` under `plan`. Empty lines are an answer (not covered) when
    /// the drug is known; a name nothing knows, or a plan the data lacks, is an `AppError` with
    /// the nearest known names.
    public func lookup(plan text: String, drug text2: String) throws -> Answer {
        let planID = PlanID(text.trimmingCharacters(in: .whitespaces))
        let query = DrugQuery(parsing: text2)
        let lines: [CoverageLine]
        do {
            lines = try store.lookup(plan: planID, drug: query)
        } catch StoreError.planNotFound {
            let candidates = try store.currentPlanIDs().map { NameSuggestions.Candidate(name: $0, display: $0) }
            throw AppError.unknownPlan(plan: planID.rawValue, suggestions: NameSuggestions.nearest(to: planID.rawValue, in: candidates))
        }
        guard let listing = try store.planListing(planID) else { throw StoreError.planNotFound(planID.rawValue) }
        if lines.isEmpty, case .name(let name) = query, try !store.hasDrug(matching: query), reference()?.option(named: name) == nil {
            throw AppError.unknownDrug(name: name, suggestions: NameSuggestions.nearest(to: name, in: try nameCandidates()))
        }
        var note: String?
        if lines.isEmpty, case .name(let name) = query, let option = reference()?.option(named: name), option.benefit != .pharmacy {
            note = listing.plan.isStandAlonePDP ? Plan.notPartDBenefit
                : "\(option.displayName) is a \(option.benefit == .medical ? "medical" : "behavioral-health")-benefit item: the drug formulary does not list it; the plan's medical benefit and its prior authorization decide (`formulary analyze` shows the criteria)"
        }
        return Answer(listing: listing, query: query, lines: lines, benefitNote: note)
    }

    /// The TRD drug reference in force, when it can be found and read.
    func reference() -> DrugReference? {
        guard let location = try? locations.reference(commandLine: nil) else { return nil }
        return try? AnalysisDocuments.loadReference(at: location)
    }

    /// Names from the imported drug reference and, when it can be found, the TRD reference's
    /// options, brands and aliases.
    func nameCandidates() throws -> [NameSuggestions.Candidate] {
        var candidates = try store.knownDrugNames().map { known in
            NameSuggestions.Candidate(name: known.name, display: known.ingredients.map { "\(known.name) (\($0))" } ?? known.name)
        }
        if let reference = reference() {
            for option in reference.options {
                candidates.append(.init(name: option.name, display: option.name))
                for brand in option.brands { candidates.append(.init(name: brand, display: "\(brand) (\(option.name))")) }
                for alias in option.aliases { candidates.append(.init(name: alias, display: "\(alias) (\(option.name))")) }
            }
        }
        return candidates
    }
}
