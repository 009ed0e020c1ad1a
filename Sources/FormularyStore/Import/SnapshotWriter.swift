import Foundation
import GRDB
import FormularyModel

/// Writes one import's rows into the store. It is the `ImportSink` importers see; it lives inside
/// the import's single write transaction and is discarded with it.
final class SnapshotWriter: ImportSink {
    private let db: Database
    private let snapshotID: Int64
    private let replacesConcepts: Bool

    private var fileID: Int64?
    private var formularyRows: [FormularyID: Int64] = [:]
    private var lastFormulary: (id: FormularyID, row: Int64)?
    /// Drug rows by RxCUI, and by name for drugs without one, with the NDCs already recorded.
    private var drugsByRxCUI: [String: DrugSlot] = [:]
    private var drugsByName: [String: DrugSlot] = [:]
    /// What row ids stand for, so a refused row can be named in words.
    private let names = KeyNames()
    private var conceptsCleared = false
    /// What this import wrote, for the content check and the shrink guard.
    private(set) var content = SnapshotContent()
    /// The plans written, by external id.
    private(set) var planIDs: [String] = []
    /// The formularies written, by external id.
    var formularyIDs: [String] { formularyRows.keys.map(\.rawValue) }

    private let insertEntry: BulkStatement
    private let insertEntryDetail: BulkStatement
    private let insertPlanEntry: BulkStatement
    private let insertDrug: BulkStatement
    private let insertNDC: BulkStatement
    private let insertCost: BulkStatement
    private let insertConceptNDC: BulkStatement

    private struct DrugSlot {
        var id: Int64
        var ndcs: [NDC] = []
    }

    /// Reverse maps from row ids to the identifiers people know.
    private final class KeyNames {
        var formularies: [Int64: String] = [:]
        var drugs: [Int64: String] = [:]

        /// Names an `entry` (or `entry_detail`) row: formulary id at column 0, drug id at 1, and the
        /// source line last.
        func entry(_ row: ArraySlice<BulkStatement.Value>) -> String {
            "for formulary \(name(row, 0, in: formularies)), \(name(row, 1, in: drugs))"
                + (row.count == 12 ? " (source line \(BulkStatement.text(row, 11)))" : "")
        }

        /// Names a `plan_entry` row: plan at column 1, drug id at 2, source line at 12.
        func planEntry(_ row: ArraySlice<BulkStatement.Value>) -> String {
            "for plan \(BulkStatement.text(row, 1)), \(name(row, 2, in: drugs)) (source line \(BulkStatement.text(row, 12)))"
        }

        private func name(_ row: ArraySlice<BulkStatement.Value>, _ column: Int, in map: [Int64: String]) -> String {
            let text = BulkStatement.text(row, column)
            return Int64(text).flatMap { map[$0] } ?? text
        }
    }

    init(db: Database, snapshotID: Int64, replacesConcepts: Bool) throws {
        self.db = db
        self.snapshotID = snapshotID
        self.replacesConcepts = replacesConcepts
        let names = self.names
        insertEntry = try BulkStatement(
            db, into: "entry",
            columns: ["formulary_id", "drug_id", "tier_code", "status", "pa", "st", "ql", "ql_amount", "ql_days",
                      "selected_drug", "file_id", "source_line"],
            what: "formulary line") { names.entry($0) }
        insertEntryDetail = try BulkStatement(
            db, into: "entry_detail",
            columns: ["formulary_id", "drug_id", "pa_new_starts", "st_new_starts", "ql_max_daily", "ql_description"],
            what: "formulary line detail") { names.entry($0) }
        insertPlanEntry = try BulkStatement(
            db, into: "plan_entry",
            columns: ["snapshot_id", "contract_plan", "drug_id", "tier_code", "status", "pa", "st", "ql", "ql_amount",
                      "ql_days", "capped_benefit", "file_id", "source_line"],
            what: "plan-scoped formulary line") { names.planEntry($0) }
        // Drug rows are written one at a time: their new row ids are needed at once.
        insertDrug = try BulkStatement(db, into: "drug", columns: ["rxcui", "name"], batched: false, what: "drug") {
            "RxCUI \(BulkStatement.text($0, 0)) / \(BulkStatement.text($0, 1))"
        }
        insertNDC = try BulkStatement(db, into: "drug_ndc", columns: ["ndc", "drug_id"], onConflict: .ignore, what: "NDC") {
            "NDC \(BulkStatement.text($0, 0))"
        }
        insertCost = try BulkStatement(
            db, into: "cost_share",
            columns: ["snapshot_id", "plan_external_id", "tier_code", "phase", "channel", "days_supply", "offered", "copay",
                      "coinsurance", "coinsurance_raw", "minimum", "maximum", "deductible_applies", "qualifier", "scope"],
            what: "cost share") { "for plan \(BulkStatement.text($0, 1)), tier \(BulkStatement.text($0, 2))" }
        insertConceptNDC = try BulkStatement(
            db, into: "concept_ndc", columns: ["ndc", "rxcui", "is_current", "snapshot_id"], onConflict: .ignore,
            what: "NDC mapping") { "NDC \(BulkStatement.text($0, 0)) → RxCUI \(BulkStatement.text($0, 1))" }
        // Drugs are shared across snapshots; load the known ones so ids are reused.
        let rows = try Row.fetchCursor(db, sql: "SELECT id, rxcui, name FROM drug")
        while let row = try rows.next() {
            let id: Int64 = row[0]
            if let rxcui: String = row[1] {
                drugsByRxCUI[rxcui] = DrugSlot(id: id)
                names.drugs[id] = "RxCUI \(rxcui)"
            } else if let name: String = row[2] {
                drugsByName[name] = DrugSlot(id: id)
                names.drugs[id] = "\"\(name)\""
            }
        }
    }

    /// Called once the importer is done, before the transaction commits.
    func finish() throws {
        try clearConceptsOnce()
        for statement in [insertEntry, insertEntryDetail, insertPlanEntry, insertNDC, insertCost, insertConceptNDC] { try statement.flush() }
    }

    /// A drug-reference import replaces the whole reference, even if it brings no concepts.
    private func clearConceptsOnce() throws {
        guard replacesConcepts, !conceptsCleared else { return }
        try db.execute(sql: "DELETE FROM concept")
        try db.execute(sql: "DELETE FROM concept_ndc")
        conceptsCleared = true
    }

    func beginFile(name: String, role: String) throws {
        try db.execute(
            sql: "INSERT INTO source_file (snapshot_id, name, role) VALUES (?, ?, ?)",
            arguments: [snapshotID, name, role])
        fileID = db.lastInsertedRowID
    }

    func finishFile(sha256: String, byteCount: Int64) throws {
        guard let fileID else { return }
        try db.execute(
            sql: "UPDATE source_file SET sha256 = ?, byte_count = ? WHERE id = ?",
            arguments: [sha256, byteCount, fileID])
    }

    func add(_ formulary: Formulary) throws {
        if let row = formularyRows[formulary.id] {
            try db.execute(
                sql: "UPDATE formulary SET version = coalesce(?, version), name = coalesce(?, name), contract_year = coalesce(?, contract_year) WHERE id = ?",
                arguments: [formulary.version, formulary.name, formulary.contractYear, row])
        } else {
            try db.execute(
                sql: "INSERT INTO formulary (snapshot_id, external_id, version, name, contract_year) VALUES (?, ?, ?, ?, ?)",
                arguments: [snapshotID, formulary.id.rawValue, formulary.version, formulary.name, formulary.contractYear])
            formularyRows[formulary.id] = db.lastInsertedRowID
            names.formularies[db.lastInsertedRowID] = formulary.id.rawValue
            content.formularies += 1
        }
        // A row with only an id stands for a formulary that was referenced, not described.
        if formulary.name != nil || formulary.version != nil || formulary.contractYear != nil { content.declaredFormularies += 1 }
    }

    func add(_ plan: Plan) throws {
        let formularyRow = try formularyRow(plan.formulary)
        do {
            try db.execute(
                sql: """
                    INSERT INTO plan (snapshot_id, external_id, name, organization_name, market, formulary_id, year,
                        premium_monthly, drug_deductible, states, snp_type)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    snapshotID, plan.id.rawValue, plan.name, plan.organizationName, plan.market.rawValue, formularyRow,
                    plan.year, plan.premiumMonthly.map { "\($0)" }, plan.drugDeductible.map { "\($0)" },
                    plan.states.joined(separator: ","), plan.snpType,
                ])
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw StoreError.rejectedRow(what: "plan \(plan.id)", reason: "the same plan id appears twice in this import")
        }
        content.plans += 1
        planIDs.append(plan.id.rawValue)
    }

    func add(_ tier: TierDefinition) throws {
        let formularyRow = try formularyRow(tier.formulary)
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO tier (formulary_id, source_code, source_system, category, label, is_specialty)
                VALUES (?, ?, ?, ?, ?, ?)
                """,
            arguments: [formularyRow, tier.sourceCode, tier.sourceSystem, tier.category.rawValue, tier.label, tier.isSpecialty])
    }

    func add(_ cost: CostShare) throws {
        let s = insertCost
        s.bind(snapshotID)
        s.bind(cost.plan.rawValue)
        s.bind(cost.tierCode)
        s.bind(cost.phase.rawValue)
        s.bind(cost.channel.rawValue)
        s.bind(cost.daysSupply)
        s.bind(cost.offered)
        s.bind(cost.copay.map { "\($0)" })
        s.bind(cost.coinsurance.map { "\($0)" })
        s.bind(cost.coinsuranceRaw)
        s.bind(cost.minimum.map { "\($0)" })
        s.bind(cost.maximum.map { "\($0)" })
        s.bind(cost.deductibleApplies)
        s.bind(cost.qualifier?.rawValue)
        s.bind(cost.scope.rawValue)
        try s.endRow()
    }

    func add(_ entry: FormularyEntry) throws {
        content.entries += 1
        let drugRow = try drugRow(entry.drug)
        switch entry.scope {
        case .formulary(let formulary):
            let formularyRow = try formularyRow(formulary)
            let s = insertEntry
            s.bind(formularyRow)
            s.bind(drugRow)
            Self.bindLine(entry, to: s)
            s.bind(entry.selectedDrug)
            s.bind(fileID)
            s.bind(entry.sourceLine)
            try s.endRow()
            let pa = entry.priorAuthorization.newStartsOnly, st = entry.stepTherapy.newStartsOnly
            let daily = entry.quantityLimit.maximumDaily, description = entry.quantityLimit.description
            if pa != nil || st != nil || daily != nil || description != nil {
                let d = insertEntryDetail
                d.bind(formularyRow)
                d.bind(drugRow)
                d.bind(pa)
                d.bind(st)
                d.bind(daily)
                d.bind(description)
                try d.endRow()
            }
        case .contractPlan(let contractPlan):
            let s = insertPlanEntry
            s.bind(snapshotID)
            s.bind(contractPlan)
            s.bind(drugRow)
            Self.bindLine(entry, to: s)
            s.bind(entry.cappedBenefit)
            s.bind(fileID)
            s.bind(entry.sourceLine)
            try s.endRow()
        }
    }

    /// Binds the columns both entry tables share, in their order: tier_code, status, pa, st, ql,
    /// ql_amount, ql_days.
    private static func bindLine(_ entry: FormularyEntry, to s: BulkStatement) {
        s.bind(entry.tierCode)
        s.bind(StatusCode.code(for: entry.status))
        s.bind(entry.priorAuthorization.required)
        s.bind(entry.stepTherapy.required)
        s.bind(entry.quantityLimit.required)
        s.bind(entry.quantityLimit.amount)
        s.bind(entry.quantityLimit.days)
    }

    func add(_ indication: IndicationRestriction) throws {
        try db.execute(
            sql: "INSERT INTO indication (snapshot_id, contract_plan, rxcui, disease) VALUES (?, ?, ?, ?)",
            arguments: [snapshotID, indication.contractPlan, indication.rxcui.rawValue, indication.disease])
    }

    func add(_ mapping: NDCMapping) throws {
        try clearConceptsOnce()
        content.ndcMappings += 1
        let s = insertConceptNDC
        s.bind(mapping.ndc.rawValue)
        s.bind(mapping.rxcui.rawValue)
        s.bind(mapping.isCurrent)
        s.bind(snapshotID)
        try s.endRow()
    }

    func add(_ concept: DrugConcept) throws {
        try clearConceptsOnce()
        content.concepts += 1
        try db.execute(
            sql: """
                INSERT OR REPLACE INTO concept (rxcui, snapshot_id, term_type, name, ingredients, ingredient_names, brand_name)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                concept.rxcui.rawValue, snapshotID, concept.termType, concept.name,
                concept.ingredients.map(\.rawValue).joined(separator: ";"), concept.ingredientNames.joined(separator: ";"),
                concept.brandName,
            ])
    }

    // MARK: - Keys

    /// The row id of a formulary of this snapshot, creating a bare row for one not yet described
    /// (entries may arrive before the formulary's own record).
    private func formularyRow(_ id: FormularyID) throws -> Int64 {
        // Rows arrive grouped by formulary: skip the hash lookup for a run of the same one.
        if let last = lastFormulary, last.id == id { return last.row }
        if let row = formularyRows[id] {
            lastFormulary = (id, row)
            return row
        }
        try db.execute(
            sql: "INSERT INTO formulary (snapshot_id, external_id) VALUES (?, ?)",
            arguments: [snapshotID, id.rawValue])
        let row = db.lastInsertedRowID
        formularyRows[id] = row
        names.formularies[row] = id.rawValue
        lastFormulary = (id, row)
        content.formularies += 1
        return row
    }

    /// The shared drug row for an RxCUI (or, without one, a name), created on first sight; records
    /// each NDC the first time it is seen with the drug.
    private func drugRow(_ drug: DrugRef) throws -> Int64 {
        let byRxCUI: Bool
        let key: String
        if let rxcui = drug.rxcui {
            byRxCUI = true
            key = rxcui.rawValue
        } else if let name = drug.name, !name.isEmpty {
            byRxCUI = false
            key = name
        } else {
            throw StoreError.rejectedRow(what: "a formulary line", reason: "it names no RxCUI and no drug name")
        }
        var slot: DrugSlot
        if let known = byRxCUI ? drugsByRxCUI[key] : drugsByName[key] {
            slot = known
            guard let ndc = drug.ndc, !slot.ndcs.contains(ndc) else { return slot.id }
        } else {
            insertDrug.bind(drug.rxcui?.rawValue)
            insertDrug.bind(drug.name)
            try insertDrug.endRow()
            slot = DrugSlot(id: db.lastInsertedRowID)
            names.drugs[slot.id] = Self.describe(drug)
        }
        if let ndc = drug.ndc, !slot.ndcs.contains(ndc) {
            slot.ndcs.append(ndc)
            insertNDC.bind(ndc.rawValue)
            insertNDC.bind(slot.id)
            try insertNDC.endRow()
        }
        if byRxCUI { drugsByRxCUI[key] = slot } else { drugsByName[key] = slot }
        return slot.id
    }

    private static func describe(_ drug: DrugRef) -> String {
        if let rxcui = drug.rxcui { return "RxCUI \(rxcui)" }
        if let ndc = drug.ndc { return "NDC \(ndc)" }
        return drug.name.map { "\"\($0)\"" } ?? "(unnamed)"
    }
}
