import Foundation
import GRDB
import FormularyModel

extension FormularyStore {
    /// Every formulary line for `drug` under `plan` in the current data: the formulary's own lines
    /// and any plan-scoped supplemental lines, each with its tier, cost shares, indication limits
    /// and source. Empty when the plan exists but does not list the drug.
    public func lookup(plan id: PlanID, drug query: DrugQuery) throws -> [CoverageLine] {
        try pool.read { db in
            let planRows = try Self.currentPlanRows(db, id: id)
            guard !planRows.isEmpty else { throw StoreError.planNotFound(id.rawValue) }
            let drugIDs = try Self.drugIDs(db, matching: query)
            guard !drugIDs.isEmpty else { return [] }
            return try planRows.flatMap { try Self.coverageLines(db, planRow: $0, drugIDs: drugIDs) }
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

    static func coverageLines(_ db: Database, planRow: Row, drugIDs: [Int64]) throws -> [CoverageLine] {
        let listing = planListing(planRow)
        let snapshotID = listing.snapshot.id
        let formularyRow: Int64 = planRow["formulary_row"]
        let contractPlan = contractPlan(of: listing.plan.id.rawValue)
        let idList = drugIDs.map(String.init).joined(separator: ",")

        let tiers = try Row.fetchAll(db, sql: "SELECT * FROM tier WHERE formulary_id = ?", arguments: [formularyRow])
            .reduce(into: [String: TierDefinition]()) { result, row in
                let code: String = row["source_code"]
                result[code] = TierDefinition(
                    formulary: listing.formulary.id, sourceCode: code, sourceSystem: row["source_system"],
                    category: TierCategory(rawValue: row["category"]) ?? .unknown, label: row["label"],
                    isSpecialty: row["is_specialty"])
            }
        let costs = try Row.fetchAll(
            db, sql: "SELECT * FROM cost_share WHERE snapshot_id = ? AND plan_external_id = ? ORDER BY id",
            arguments: [snapshotID, listing.plan.id.rawValue]
        ).map { costShare($0, plan: listing.plan.id) }

        let entryRows = try Row.fetchAll(db, sql: """
            SELECT e.*, x.pa_new_starts, x.st_new_starts, x.ql_max_daily, x.ql_description,
                   d.rxcui, d.name AS drug_name, c.name AS concept_name, sf.name AS file_name,
                   (SELECT min(ndc) FROM drug_ndc WHERE drug_id = e.drug_id) AS any_ndc
            FROM entry e JOIN drug d ON d.id = e.drug_id
            LEFT JOIN entry_detail x ON x.formulary_id = e.formulary_id AND x.drug_id = e.drug_id
            LEFT JOIN concept c ON c.rxcui = d.rxcui
            LEFT JOIN source_file sf ON sf.id = e.file_id
            WHERE e.formulary_id = ? AND e.drug_id IN (\(idList))
            ORDER BY coalesce(c.name, d.name, d.rxcui)
            """, arguments: [formularyRow])
        let planEntryRows = try Row.fetchAll(db, sql: """
            SELECT e.*, d.rxcui, d.name AS drug_name, c.name AS concept_name, sf.name AS file_name,
                   (SELECT min(ndc) FROM drug_ndc WHERE drug_id = e.drug_id) AS any_ndc
            FROM plan_entry e JOIN drug d ON d.id = e.drug_id
            LEFT JOIN concept c ON c.rxcui = d.rxcui
            LEFT JOIN source_file sf ON sf.id = e.file_id
            WHERE e.snapshot_id = ? AND e.contract_plan = ? AND e.drug_id IN (\(idList))
            ORDER BY coalesce(c.name, d.name, d.rxcui)
            """, arguments: [snapshotID, contractPlan])

        // One query for the plan's indication limits, not one per line.
        let indicationsByRxCUI = try Row.fetchAll(
            db, sql: "SELECT rxcui, disease FROM indication WHERE snapshot_id = ? AND contract_plan = ? ORDER BY disease",
            arguments: [snapshotID, contractPlan]
        ).reduce(into: [String: [String]]()) { $0[$1["rxcui"], default: []].append($1["disease"]) }

        func line(_ row: Row, scope: EntryScope) throws -> CoverageLine {
            let rxcui: String? = row["rxcui"]
            let tierCode: String = row["tier_code"]
            let ndc: String? = row["any_ndc"]
            let status: Int64 = row["status"]
            let planScoped = row.hasColumn("capped_benefit")
            let pa = UMFlag(required: row["pa"], newStartsOnly: planScoped ? nil : row["pa_new_starts"] as Bool?)
            let st = UMFlag(required: row["st"], newStartsOnly: planScoped ? nil : row["st_new_starts"] as Bool?)
            let ql = QuantityLimit(
                required: row["ql"], amount: row["ql_amount"], days: row["ql_days"],
                maximumDaily: planScoped ? nil : row["ql_max_daily"] as Double?,
                description: planScoped ? nil : row["ql_description"] as String?)
            let drug = DrugRef(rxcui: rxcui.map { RxCUI($0) }, ndc: ndc.map { NDC($0) }, name: row["drug_name"] as String?)
            let entry = FormularyEntry(
                scope: scope, drug: drug, tierCode: tierCode, status: StatusCode.status(for: status),
                priorAuthorization: pa, stepTherapy: st, quantityLimit: ql,
                selectedDrug: planScoped ? nil : row["selected_drug"] as Bool?,
                cappedBenefit: planScoped ? row["capped_benefit"] as Bool? : nil,
                sourceLine: row["source_line"])
            let name: String? = row["concept_name"] ?? row["drug_name"]
            let isInsulin = name?.lowercased().contains("insulin") ?? false
            let tierCosts = costs.filter { cost in
                switch cost.scope {
                case .all: cost.tierCode == tierCode
                case .insulin: isInsulin && (cost.tierCode == nil || cost.tierCode == tierCode)
                }
            }
            let indications = rxcui.flatMap { indicationsByRxCUI[$0] } ?? []
            return CoverageLine(
                plan: listing, entry: entry, drugName: name, tier: tiers[tierCode], costShares: tierCosts,
                indications: indications, sourceFile: row["file_name"])
        }

        return try entryRows.map { try line($0, scope: .formulary(listing.formulary.id)) }
            + planEntryRows.map { try line($0, scope: .contractPlan(contractPlan)) }
    }

    static func costShare(_ row: Row, plan: PlanID) -> CostShare {
        func decimal(_ column: String) -> Decimal? { (row[column] as String?).flatMap { Decimal(string: $0) } }
        return CostShare(
            plan: plan, tierCode: row["tier_code"],
            phase: BenefitPhase(rawValue: row["phase"]) ?? .any,
            channel: PharmacyChannel(rawValue: row["channel"]) ?? .any,
            daysSupply: row["days_supply"], offered: row["offered"],
            copay: decimal("copay"), coinsurance: decimal("coinsurance"), coinsuranceRaw: row["coinsurance_raw"],
            minimum: decimal("minimum"), maximum: decimal("maximum"), deductibleApplies: row["deductible_applies"],
            qualifier: (row["qualifier"] as String?).flatMap(CostShareQualifier.init(rawValue:)),
            scope: CostShareScope(rawValue: row["scope"]) ?? .all)
    }
}
