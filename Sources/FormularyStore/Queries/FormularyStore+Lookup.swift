import Foundation
import GRDB
import FormularyModel

extension FormularyStore {
    /// Every formulary line for `drug` under `plan` in the current data: the formulary's own lines
    /// and any plan-scoped supplemental lines, each with its tier, cost shares, indication limits
    /// and source. Empty when the plan exists but does not list the drug.
    public func lookup(plan id: PlanID, drug query: DrugQuery) throws -> [CoverageLine] {
        try pool.read { db in
            let reader = CoverageReader(db)
            let plans = try reader.currentPlans(id)
            guard !plans.isEmpty else { throw StoreError.planNotFound(id.rawValue) }
            let drugs = try reader.drugs(ids: Self.drugIDs(db, matching: query))
            return try reader.lines(for: plans, drugs: drugs).flatMap { $0 }
        }
    }

    /// Drug ids whose RxCUI, NDC or name (from the source or the drug reference) match.
    static func drugIDs(_ db: Database, matching query: DrugQuery) throws -> [Int64] {
        switch query {
        case .rxcui(let rxcui):
            return try Int64.fetchAll(db, sql: "SELECT id FROM drug WHERE rxcui = ?", arguments: [rxcui.rawValue])
        case .ndc(let ndc):
            // The formulary's own (proxy) NDC, or the RxCUI a drug reference maps the NDC to.
            return try Int64.fetchAll(db, sql: """
                SELECT drug_id FROM drug_ndc WHERE ndc = ?1
                UNION
                SELECT d.id FROM concept_ndc m JOIN drug d ON d.rxcui = m.rxcui WHERE m.ndc = ?1
                """, arguments: [ndc.rawValue])
        case .name(let name):
            let pattern = "%" + escapeLike(name) + "%"
            return try Int64.fetchAll(db, sql: """
                SELECT id FROM drug WHERE name LIKE ?1 ESCAPE '\\'
                UNION
                SELECT d.id FROM concept c JOIN drug d ON d.rxcui = c.rxcui
                WHERE c.name LIKE ?1 ESCAPE '\\' OR c.brand_name LIKE ?1 ESCAPE '\\' OR c.ingredient_names LIKE ?1 ESCAPE '\\'
                """, arguments: [pattern])
        }
    }

    /// The Part D contract-plan (`H0028-007`) of a plan id (`H0028-007-000`), which plan-scoped
    /// tables key on; other ids are their own scope.
    static func contractPlan(of planID: String) -> String {
        let parts = planID.split(separator: "-")
        return parts.count == 3 ? parts[0] + "-" + parts[1] : planID
    }
}

extension FormularyStore {
    /// A drug name people may type: a brand or ingredient, with its ingredients for display.
    public struct KnownDrugName: Hashable, Sendable {
        public var name: String
        /// The ingredients, when `name` is a brand ("vortioxetine" for Trintellix).
        public var ingredients: String?

        public init(name: String, ingredients: String?) {
            self.name = name
            self.ingredients = ingredients
        }
    }

    /// True when any drug in the database (formulary drugs or the imported reference) matches.
    public func hasDrug(matching query: DrugQuery) throws -> Bool {
        try pool.read { db in try !Self.drugIDs(db, matching: query).isEmpty }
    }

    /// Every brand and ingredient name the imported drug reference knows, for "did you mean".
    public func knownDrugNames() throws -> [KnownDrugName] {
        try pool.read { db in
            var names = try Row.fetchAll(db, sql: """
                SELECT DISTINCT brand_name, ingredient_names FROM concept WHERE brand_name IS NOT NULL AND brand_name <> ''
                """).map { KnownDrugName(name: $0[0], ingredients: $0[1]) }
            names += try String.fetchAll(db, sql: "SELECT DISTINCT ingredient_names FROM concept WHERE ingredient_names <> ''")
                .map { KnownDrugName(name: $0, ingredients: nil) }
            return names
        }
    }

    /// Every plan id in the current data, for "did you mean".
    public func currentPlanIDs() throws -> [String] {
        try plans().map(\.plan.id.rawValue)
    }
}
