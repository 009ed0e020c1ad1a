import Foundation
import GRDB
import GRDBSQLite
import FormularyModel

/// The hot read path: plans and their formulary lines, for the analysis and `lookup`.
///
/// Measured with `formulary-bench` (one patient × one plan: 216 RxCUIs asked, about 100 lines
/// found), the straightforward GRDB version spent 1.7 ms here. Three costs dominated: preparing
/// SQL that inlined the id list (never cached, and every column passed GRDB's authorizer), GRDB's
/// name-based `row["column"]` (which lowercases the name on every access), and the generic
/// decoding behind it. So every statement here has fixed SQL and is prepared once per connection
/// (`cachedStatement`), id lists travel as one JSON argument (`json_each`), and columns are read
/// by position through the C API (`Columns`). Each SELECT lists its columns in the order its
/// reader reads them.
///
/// A reader lives inside one database access; it remembers tier tables and snapshot headers it
/// has read, which matters when one read serves hundreds of plans.
final class CoverageReader {
    let db: Database
    private var snapshots: [Int64: SnapshotRef] = [:]
    private var tiers: [Int64: [String: TierDefinition]] = [:]

    init(_ db: Database) {
        self.db = db
    }

    /// A plan row of the current data.
    struct PlanRow {
        var row: Int64
        var formularyRow: Int64
        var listing: PlanListing
    }

    // MARK: Plans

    /// `planSelect`'s columns, in order.
    static let planColumns = """
        p.id, p.formulary_id, p.external_id, p.name, p.organization_name, p.market, p.year, p.premium_monthly,
        p.drug_deductible, p.states, p.snp_type, f.external_id, f.version, f.name, f.contract_year,
        s.id, s.source_name, s.format, s.imported_at
        """
    static let planSelect = "SELECT \(planColumns) FROM plan p JOIN formulary f ON f.id = p.formulary_id JOIN snapshot s ON s.id = p.snapshot_id"

    /// The plans with this id in the current snapshots, newest snapshot first.
    func currentPlans(_ id: PlanID) throws -> [PlanRow] {
        let statement = try db.cachedStatement(sql: Self.planSelect + """
             WHERE p.external_id = ? AND p.snapshot_id IN (\(FormularyStore.currentSnapshotIDs)) ORDER BY s.id DESC
            """)
        var found: [PlanRow] = []
        try forEachRow(statement, [id.rawValue]) { found.append(planRow($0)) }
        return found
    }

    /// Plans from a `planSelect` statement with any filter.
    func plans(_ statement: Statement, _ arguments: StatementArguments) throws -> [PlanRow] {
        var found: [PlanRow] = []
        try forEachRow(statement, arguments) { found.append(planRow($0)) }
        return found
    }

    private func planRow(_ columns: Columns) -> PlanRow {
        let formulary = Formulary(id: FormularyID(columns.text(11) ?? ""), version: columns.text(12), name: columns.text(13),
                                  contractYear: columns.int(14).map(Int.init))
        let states = columns.text(9) ?? ""
        let plan = Plan(
            id: PlanID(columns.text(2) ?? ""), name: columns.text(3), organizationName: columns.text(4),
            market: columns.text(5).flatMap(Market.init(rawValue:)) ?? .other, formulary: formulary.id, year: columns.int(6).map(Int.init),
            premiumMonthly: columns.text(7).flatMap { Decimal(string: $0) }, drugDeductible: columns.text(8).flatMap { Decimal(string: $0) },
            states: states.isEmpty ? [] : states.split(separator: ",").map(String.init), snpType: columns.text(10))
        let snapshotID = columns.int(15) ?? 0
        let snapshot: SnapshotRef
        if let known = snapshots[snapshotID] {
            snapshot = known
        } else {
            snapshot = SnapshotRef(id: snapshotID, sourceName: columns.text(16) ?? "", format: columns.text(17).flatMap(SourceFormat.init(rawValue:)) ?? .partD,
                                   importedAt: StoreDates.parse(columns.text(18) ?? ""))
            snapshots[snapshotID] = snapshot
        }
        return PlanRow(row: columns.int(0) ?? 0, formularyRow: columns.int(1) ?? 0, listing: PlanListing(plan: plan, formulary: formulary, snapshot: snapshot))
    }

    // MARK: Drugs

    /// The drug ids of these RxCUIs (those any import has seen), in one statement.
    func drugIDs(rxcuis: [RxCUI]) throws -> [Int64] {
        guard !rxcuis.isEmpty else { return [] }
        let statement = try db.cachedStatement(sql: "SELECT d.id FROM json_each(?) j CROSS JOIN drug d ON d.rxcui = j.value")
        var ids: [Int64] = []
        try forEachRow(statement, [Self.jsonArray(rxcuis.map(\.rawValue))]) { if let id = $0.int(0) { ids.append(id) } }
        return ids
    }

    // MARK: Lines

    /// Every formulary line under `plan` for `drugIDs`: the formulary's own lines, then the
    /// plan-scoped (supplemental) ones, each ordered by drug name, with tier, cost shares,
    /// indication limits and source file.
    func lines(for plan: PlanRow, drugIDs: [Int64]) throws -> [CoverageLine] {
        guard !drugIDs.isEmpty else { return [] }
        let listing = plan.listing
        let snapshotID = listing.snapshot.id
        let contractPlan = FormularyStore.contractPlan(of: listing.plan.id.rawValue)
        let idList = "[" + drugIDs.map(String.init).joined(separator: ",") + "]"
        let tiers = try tierTable(formularyRow: plan.formularyRow, formulary: listing.formulary.id)
        let costs = try costShares(snapshot: snapshotID, plan: listing.plan.id)
        var indications: [String: [String]] = [:]
        let indicationStatement = try db.cachedStatement(sql: "SELECT rxcui, disease FROM indication WHERE snapshot_id = ? AND contract_plan = ? ORDER BY disease")
        try forEachRow(indicationStatement, [snapshotID, contractPlan]) { columns in
            if let rxcui = columns.text(0), let disease = columns.text(1) { indications[rxcui, default: []].append(disease) }
        }

        func line(_ columns: Columns, scope: EntryScope, planScoped: Bool) -> CoverageLine {
            // Columns 0–8 are common to both entry tables, then 9–13 the drug and source, then the details.
            let tierCode = columns.text(0) ?? ""
            let rxcui = columns.text(9)
            let name = columns.text(11) ?? columns.text(10)
            let pa = UMFlag(required: columns.bool(2), newStartsOnly: planScoped ? nil : columns.bool(14))
            let st = UMFlag(required: columns.bool(3), newStartsOnly: planScoped ? nil : columns.bool(15))
            let ql = QuantityLimit(required: columns.bool(4), amount: columns.double(5), days: columns.int(6).map(Int.init),
                                   maximumDaily: planScoped ? nil : columns.double(16), description: planScoped ? nil : columns.text(17))
            let entry = FormularyEntry(
                scope: scope, drug: DrugRef(rxcui: rxcui.map { RxCUI($0) }, ndc: columns.text(12).map { NDC($0) }, name: columns.text(10)),
                tierCode: tierCode, status: StatusCode.status(for: columns.int(1) ?? 0),
                priorAuthorization: pa, stepTherapy: st, quantityLimit: ql,
                selectedDrug: planScoped ? nil : columns.bool(7), cappedBenefit: planScoped ? columns.bool(7) : nil,
                sourceLine: columns.int(8).map(Int.init))
            let isInsulin = name?.lowercased().contains("insulin") ?? false
            let tierCosts = costs.filter { cost in
                switch cost.scope {
                case .all: cost.tierCode == tierCode
                case .insulin: isInsulin && (cost.tierCode == nil || cost.tierCode == tierCode)
                }
            }
            return CoverageLine(plan: listing, entry: entry, drugName: name, tier: tiers[tierCode], costShares: tierCosts,
                                indications: rxcui.flatMap { indications[$0] } ?? [], sourceFile: columns.text(13))
        }

        var found: [CoverageLine] = []
        let entries = try db.cachedStatement(sql: """
            SELECT e.tier_code, e.status, e.pa, e.st, e.ql, e.ql_amount, e.ql_days, e.selected_drug, e.source_line,
                   d.rxcui, d.name, c.name, (SELECT min(ndc) FROM drug_ndc WHERE drug_id = e.drug_id), sf.name,
                   x.pa_new_starts, x.st_new_starts, x.ql_max_daily, x.ql_description
            FROM json_each(?2) j CROSS JOIN entry e ON e.formulary_id = ?1 AND e.drug_id = j.value
            JOIN drug d ON d.id = e.drug_id
            LEFT JOIN entry_detail x ON x.formulary_id = e.formulary_id AND x.drug_id = e.drug_id
            LEFT JOIN concept c ON c.rxcui = d.rxcui
            LEFT JOIN source_file sf ON sf.id = e.file_id
            ORDER BY coalesce(c.name, d.name, d.rxcui)
            """)
        try forEachRow(entries, [plan.formularyRow, idList]) { found.append(line($0, scope: .formulary(listing.formulary.id), planScoped: false)) }
        let planEntries = try db.cachedStatement(sql: """
            SELECT e.tier_code, e.status, e.pa, e.st, e.ql, e.ql_amount, e.ql_days, e.capped_benefit, e.source_line,
                   d.rxcui, d.name, c.name, (SELECT min(ndc) FROM drug_ndc WHERE drug_id = e.drug_id), sf.name
            FROM json_each(?3) j CROSS JOIN plan_entry e ON e.snapshot_id = ?1 AND e.contract_plan = ?2 AND e.drug_id = j.value
            JOIN drug d ON d.id = e.drug_id
            LEFT JOIN concept c ON c.rxcui = d.rxcui
            LEFT JOIN source_file sf ON sf.id = e.file_id
            ORDER BY coalesce(c.name, d.name, d.rxcui)
            """)
        try forEachRow(planEntries, [snapshotID, contractPlan, idList]) { found.append(line($0, scope: .contractPlan(contractPlan), planScoped: true)) }
        return found
    }

    /// A formulary's tier definitions by source code (read once per reader).
    func tierTable(formularyRow: Int64, formulary: FormularyID) throws -> [String: TierDefinition] {
        if let known = tiers[formularyRow] { return known }
        let statement = try db.cachedStatement(sql: "SELECT source_code, source_system, category, label, is_specialty FROM tier WHERE formulary_id = ?")
        var table: [String: TierDefinition] = [:]
        try forEachRow(statement, [formularyRow]) { columns in
            let code = columns.text(0) ?? ""
            table[code] = TierDefinition(formulary: formulary, sourceCode: code, sourceSystem: columns.text(1),
                                         category: columns.text(2).flatMap(TierCategory.init(rawValue:)) ?? .unknown, label: columns.text(3),
                                         isSpecialty: columns.bool(4))
        }
        tiers[formularyRow] = table
        return table
    }

    /// Every cost share one snapshot lists for one plan, in file order.
    func costShares(snapshot: Int64, plan: PlanID) throws -> [CostShare] {
        let statement = try db.cachedStatement(sql: """
            SELECT tier_code, phase, channel, days_supply, offered, copay, coinsurance, coinsurance_raw, minimum, maximum,
                   deductible_applies, qualifier, scope
            FROM cost_share WHERE snapshot_id = ? AND plan_external_id = ? ORDER BY id
            """)
        var costs: [CostShare] = []
        try forEachRow(statement, [snapshot, plan.rawValue]) { columns in
            func decimal(_ index: Int32) -> Decimal? { columns.text(index).flatMap { Decimal(string: $0) } }
            costs.append(CostShare(
                plan: plan, tierCode: columns.text(0),
                phase: columns.text(1).flatMap(BenefitPhase.init(rawValue:)) ?? .any,
                channel: columns.text(2).flatMap(PharmacyChannel.init(rawValue:)) ?? .any,
                daysSupply: columns.int(3).map(Int.init), offered: columns.bool(4) ?? false,
                copay: decimal(5), coinsurance: decimal(6), coinsuranceRaw: columns.text(7),
                minimum: decimal(8), maximum: decimal(9), deductibleApplies: columns.bool(10),
                qualifier: columns.text(11).flatMap(CostShareQualifier.init(rawValue:)),
                scope: columns.text(12).flatMap(CostShareScope.init(rawValue:)) ?? .all))
        }
        return costs
    }

    // MARK: Stepping

    /// Steps `statement` with `arguments`, handing `body` each row's columns. GRDB's cursor does the
    /// stepping, resetting and error reporting; only the column reads go through the C API.
    func forEachRow(_ statement: Statement, _ arguments: StatementArguments, _ body: (Columns) throws -> Void) throws {
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        let columns = Columns(statement: statement.sqliteStatement)
        while try cursor.next() != nil { try body(columns) }
    }

    /// A JSON array of strings, for `json_each`.
    static func jsonArray(_ values: [String]) -> String {
        var out = "["
        for (index, value) in values.enumerated() {
            if index > 0 { out += "," }
            out += "\""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
                default: out.unicodeScalars.append(scalar)
                }
            }
            out += "\""
        }
        return out + "]"
    }
}

/// The current row of a statement being stepped, read by column position through the C API.
/// Valid only until the statement steps again.
struct Columns {
    let statement: SQLiteStatement

    func int(_ index: Int32) -> Int64? {
        sqlite3_column_type(statement, index) == SQLITE_NULL ? nil : sqlite3_column_int64(statement, index)
    }

    func double(_ index: Int32) -> Double? {
        sqlite3_column_type(statement, index) == SQLITE_NULL ? nil : sqlite3_column_double(statement, index)
    }

    func bool(_ index: Int32) -> Bool? {
        int(index).map { $0 != 0 }
    }

    func text(_ index: Int32) -> String? {
        guard let bytes = sqlite3_column_text(statement, index) else { return nil }
        return String(decoding: UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, index))), as: UTF8.self)
    }
}
