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
    private var fileNames: [Int64: String?] = [:]
    private var lastFileName: (id: Int64, name: String?)?

    init(_ db: Database) {
        self.db = db
    }

    /// A plan row of the current data.
    struct PlanRow {
        var formularyRow: Int64
        var listing: PlanListing
    }

    // MARK: Plans

    /// `planSelect`'s columns, in order.
    static let planColumns = """
        p.formulary_id, p.external_id, p.name, p.organization_name, p.market, p.year, p.premium_monthly,
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

    /// `currentPlans` for each of `ids`, in the order asked, from one statement: one statement
    /// per plan cost a twentieth of reading 404 plans' lines (`formulary-bench`).
    func currentPlans(_ ids: [PlanID]) throws -> [[PlanRow]] {
        // The position asked comes last, so `planRow` reads its columns where `planSelect` has them.
        let statement = try db.cachedStatement(sql: """
            SELECT \(Self.planColumns), j.key
            FROM json_each(?) j CROSS JOIN plan p ON p.external_id = j.value JOIN formulary f ON f.id = p.formulary_id
            JOIN snapshot s ON s.id = p.snapshot_id
            WHERE p.snapshot_id IN (\(FormularyStore.currentSnapshotIDs)) ORDER BY j.key, s.id DESC
            """)
        var found = ids.map { _ in [PlanRow]() }
        try forEachRow(statement, [Self.jsonArray(ids.map(\.rawValue))]) { found[Int($0.nonNullInt(18))].append(planRow($0)) }
        return found
    }

    /// Plans from a `planSelect` statement with any filter.
    func plans(_ statement: Statement, _ arguments: StatementArguments) throws -> [PlanRow] {
        var found: [PlanRow] = []
        try forEachRow(statement, arguments) { found.append(planRow($0)) }
        return found
    }

    private func planRow(_ columns: Columns) -> PlanRow {
        let formulary = Formulary(id: FormularyID(columns.text(10) ?? ""), version: columns.text(11), name: columns.text(12),
                                  contractYear: columns.int(13).map(Int.init))
        let states = columns.text(8) ?? ""
        let plan = Plan(
            id: PlanID(columns.text(1) ?? ""), name: columns.text(2), organizationName: columns.text(3),
            market: columns.text(4).flatMap(Market.init(rawValue:)) ?? .other, formulary: formulary.id, year: columns.int(5).map(Int.init),
            premiumMonthly: columns.text(6).flatMap { Decimal(string: $0) }, drugDeductible: columns.text(7).flatMap { Decimal(string: $0) },
            states: states.isEmpty ? [] : states.split(separator: ",").map(String.init), snpType: columns.text(9))
        let snapshotID = columns.int(14) ?? 0
        let snapshot: SnapshotRef
        if let known = snapshots[snapshotID] {
            snapshot = known
        } else {
            snapshot = SnapshotRef(id: snapshotID, sourceName: columns.text(15) ?? "", format: columns.text(16).flatMap(SourceFormat.init(rawValue:)) ?? .partD,
                                   importedAt: StoreDates.parse(columns.text(17) ?? ""))
            snapshots[snapshotID] = snapshot
        }
        return PlanRow(formularyRow: columns.int(0) ?? 0, listing: PlanListing(plan: plan, formulary: formulary, snapshot: snapshot))
    }

    // MARK: Drugs

    /// Drugs to read lines for, resolved once per read: what each line repeats about its drug
    /// (RxCUI, names, an NDC), in name order, and their ids as one `json_each` argument in the
    /// same order.
    struct DrugSet: Sendable {
        struct Drug: Sendable {
            var rxcui: String?
            var name: String?
            var conceptName: String?
            var ndc: String?
            /// Insulin lines take the plan's insulin cost shares.
            var isInsulin: Bool
        }

        var drugs: [Drug] = []
        /// `[id, id, …]`, positions matching `drugs`.
        var json = "[]"

        var isEmpty: Bool { drugs.isEmpty }
    }

    /// The drugs with these RxCUIs (those any import has seen; repeats are read once), read under
    /// `generation` (`drugGeneration()` in the same read). Answered from `cache` when no write
    /// since the cached answer can have changed drugs: the
    /// cache is keyed on the list as asked, so a hit neither hashes nor deduplicates it.
    func drugs(rxcuis: [RxCUI], generation: Int64, cache: DrugSetCache) throws -> DrugSet {
        guard !rxcuis.isEmpty else { return DrugSet() }
        let key = DrugSetCache.Key(generation: generation, request: rxcuis)
        if let known = cache.get(key) { return known }
        var seen = Set<RxCUI>()
        let unique = rxcuis.filter { seen.insert($0).inserted }
        let set = try drugSet(sql: Self.drugSelect(join: "d.rxcui = j.value"), argument: Self.jsonArray(unique.map(\.rawValue)))
        cache.put(key, set)
        return set
    }

    /// How many writes that may change drugs have committed (see `StoreMigrations`).
    func drugGeneration() throws -> Int64 {
        var generation: Int64 = -1
        try forEachRow(try db.cachedStatement(sql: "SELECT value FROM drug_generation WHERE id = 1"), []) { generation = $0.int(0) ?? -1 }
        return generation
    }

    /// The drugs with these ids; `ids` holds no repeats.
    func drugs(ids: [Int64]) throws -> DrugSet {
        guard !ids.isEmpty else { return DrugSet() }
        return try drugSet(sql: Self.drugSelect(join: "d.id = j.value"), argument: Self.jsonArray(ids))
    }

    private static func drugSelect(join: String) -> String {
        // `ORDER BY ndc LIMIT 1` is the first NDC in the index: a third cheaper than min(ndc) here.
        """
        SELECT d.id, d.rxcui, d.name, c.name, (SELECT ndc FROM drug_ndc WHERE drug_id = d.id ORDER BY ndc LIMIT 1)
        FROM json_each(?) j CROSS JOIN drug d ON \(join) LEFT JOIN concept c ON c.rxcui = d.rxcui
        """
    }

    private func drugSet(sql: String, argument: String) throws -> DrugSet {
        var ids: [Int64] = []
        var sortKeys: [String] = []
        var drugs: [DrugSet.Drug] = []
        try forEachRow(try db.cachedStatement(sql: sql), [argument]) { columns in
            let rxcui = columns.text(1)
            let name = columns.text(2)
            let conceptName = columns.text(3)
            ids.append(columns.int(0) ?? 0)
            sortKeys.append(conceptName ?? name ?? rxcui ?? "")
            drugs.append(DrugSet.Drug(rxcui: rxcui, name: name, conceptName: conceptName, ndc: columns.text(4),
                                      isInsulin: (conceptName ?? name).map(Self.containsInsulin) ?? false))
        }
        // By name as SQLite orders text (bytes), then id; sorted here rather than by a SQL sorter.
        let order = drugs.indices.sorted { a, b in
            sortKeys[a] == sortKeys[b] ? ids[a] < ids[b] : sortKeys[a].utf8.lexicographicallyPrecedes(sortKeys[b].utf8)
        }
        return DrugSet(drugs: order.map { drugs[$0] }, json: Self.jsonArray(order.map { ids[$0] }))
    }

    // MARK: Lines

    /// One row of `entry` or `plan_entry`, as read: what a line needs besides its plan. Column 0
    /// says whose row it is (formulary or plan position), column 1 the drug's position.
    private struct EntryRow {
        var drug: Int
        var tierCode: String
        var status: Int64
        var pa: Bool?
        var st: Bool?
        var ql: Bool?
        var qlAmount: Double?
        var qlDays: Int?
        /// `selected_drug` for formulary lines, `capped_benefit` for plan-scoped ones.
        var flag: Bool?
        var sourceLine: Int?
        var fileID: Int64?
        var paNewStarts: Bool?
        var stNewStarts: Bool?
        var qlMaxDaily: Double?
        var qlDescription: String?

        /// - Parameter details: whether columns 12–15 (the formulary table's details) were selected.
        init(_ columns: Columns, details: Bool) {
            // Columns 2–11 are common to both entry tables. Keys, tier and status are never NULL.
            drug = Int(columns.nonNullInt(1))
            tierCode = columns.text(2) ?? ""
            status = columns.nonNullInt(3)
            pa = columns.bool(4)
            st = columns.bool(5)
            ql = columns.bool(6)
            qlAmount = columns.double(7)
            qlDays = columns.int(8).map(Int.init)
            flag = columns.bool(9)
            sourceLine = columns.int(10).map(Int.init)
            fileID = columns.int(11)
            guard details else { return }
            paNewStarts = columns.bool(12)
            stNewStarts = columns.bool(13)
            qlMaxDaily = columns.double(14)
            qlDescription = columns.text(15)
        }
    }

    /// Every formulary line for `drugs` under each plan (answers in the order of `plans`): the
    /// formulary's own lines, then the plan-scoped (supplemental) ones, each in drug-name order,
    /// with tier, cost shares, indication limits and source file.
    ///
    /// Each table is read with one statement for all plans (`json_each` over the formularies or
    /// plans, then over the drugs): with hundreds of plans, per-plan statements cost more than
    /// the index seeks they run.
    func lines(for plans: [PlanRow], drugs: DrugSet) throws -> [[CoverageLine]] {
        guard !drugs.isEmpty, !plans.isEmpty else { return plans.map { _ in [] } }
        let contractPlans = plans.map { FormularyStore.contractPlan(of: $0.listing.plan.id.rawValue) }
        var formularyRows: [Int64] = []
        var formularyPosition: [Int64: Int] = [:]
        for plan in plans where formularyPosition[plan.formularyRow] == nil {
            formularyPosition[plan.formularyRow] = formularyRows.count
            formularyRows.append(plan.formularyRow)
        }
        let formularyJSON = Self.jsonArray(formularyRows)
        // [snapshot, "plan id"] and [snapshot, "contract plan"] pairs, one per plan.
        let planPairs = "[" + plans.map { "[\($0.listing.snapshot.id),\(Self.jsonString($0.listing.plan.id.rawValue))]" }.joined(separator: ",") + "]"
        let contractPairs = "[" + zip(plans, contractPlans).map { "[\($0.listing.snapshot.id),\(Self.jsonString($1))]" }.joined(separator: ",") + "]"

        try loadTiers(plans)
        // Cost shares and indication limits by plan position.
        var costs = plans.map { _ in [CostShare]() }
        try forEachRow(try db.cachedStatement(sql: """
            SELECT j.key, c.tier_code, c.phase, c.channel, c.days_supply, c.offered, c.copay, c.coinsurance, c.coinsurance_raw, c.minimum,
                   c.maximum, c.deductible_applies, c.qualifier, c.scope
            FROM json_each(?) j CROSS JOIN cost_share c ON c.snapshot_id = json_extract(j.value, '$[0]') AND c.plan_external_id = json_extract(j.value, '$[1]')
            ORDER BY j.key, c.id
            """), [planPairs]) { columns in
            let position = Int(columns.int(0) ?? 0)
            costs[position].append(Self.costShare(columns, from: 1, plan: plans[position].listing.plan.id))
        }
        var indications = plans.map { _ in [String: [String]]() }
        try forEachRow(try db.cachedStatement(sql: """
            SELECT j.key, i.rxcui, i.disease
            FROM json_each(?) j CROSS JOIN indication i ON i.snapshot_id = json_extract(j.value, '$[0]') AND i.contract_plan = json_extract(j.value, '$[1]')
            ORDER BY j.key, i.disease
            """), [contractPairs]) { columns in
            if let rxcui = columns.text(1), let disease = columns.text(2) { indications[Int(columns.int(0) ?? 0)][rxcui, default: []].append(disease) }
        }

        // Formulary lines, by formulary position; the detail table is joined only where it has rows.
        var withDetails = Set<Int64>()
        try forEachRow(try db.cachedStatement(sql: """
            SELECT j.value FROM json_each(?) j WHERE EXISTS (SELECT 1 FROM entry_detail WHERE formulary_id = j.value)
            """), [formularyJSON]) { if let row = $0.int(0) { withDetails.insert(row) } }
        var entries = formularyRows.map { _ in [EntryRow]() }
        let plain = formularyRows.filter { !withDetails.contains($0) }
        // Column 0 is the formulary's place in the statement's own list (`f.key`), mapped to its
        // position by an array, not a hash per row.
        if !plain.isEmpty {
            let positions = plain.map { formularyPosition[$0] ?? 0 }
            try forEachRow(try db.cachedStatement(sql: """
                SELECT f.key, j.key, e.tier_code, e.status, e.pa, e.st, e.ql, e.ql_amount, e.ql_days, e.selected_drug, e.source_line, e.file_id
                FROM json_each(?1) f CROSS JOIN json_each(?2) j CROSS JOIN entry e ON e.formulary_id = f.value AND e.drug_id = j.value
                """), [Self.jsonArray(plain), drugs.json]) { columns in
                entries[positions[Int(columns.nonNullInt(0))]].append(EntryRow(columns, details: false))
            }
        }
        if !withDetails.isEmpty {
            let detailed = withDetails.sorted()
            let positions = detailed.map { formularyPosition[$0] ?? 0 }
            try forEachRow(try db.cachedStatement(sql: """
                SELECT f.key, j.key, e.tier_code, e.status, e.pa, e.st, e.ql, e.ql_amount, e.ql_days, e.selected_drug, e.source_line, e.file_id,
                       x.pa_new_starts, x.st_new_starts, x.ql_max_daily, x.ql_description
                FROM json_each(?1) f CROSS JOIN json_each(?2) j CROSS JOIN entry e ON e.formulary_id = f.value AND e.drug_id = j.value
                LEFT JOIN entry_detail x ON x.formulary_id = e.formulary_id AND x.drug_id = e.drug_id
                """), [Self.jsonArray(detailed), drugs.json]) { columns in
                entries[positions[Int(columns.nonNullInt(0))]].append(EntryRow(columns, details: true))
            }
        }
        // Plan-scoped lines, by plan position, for the plans that have any.
        var planEntries = plans.map { _ in [EntryRow]() }
        try forEachRow(try db.cachedStatement(sql: """
            SELECT j.key, d.key, e.tier_code, e.status, e.pa, e.st, e.ql, e.ql_amount, e.ql_days, e.capped_benefit, e.source_line, e.file_id
            FROM json_each(?1) j CROSS JOIN json_each(?2) d
            CROSS JOIN plan_entry e ON e.snapshot_id = json_extract(j.value, '$[0]') AND e.contract_plan = json_extract(j.value, '$[1]') AND e.drug_id = d.value
            WHERE EXISTS (SELECT 1 FROM plan_entry WHERE snapshot_id = json_extract(j.value, '$[0]') AND contract_plan = json_extract(j.value, '$[1]'))
            """), [contractPairs, drugs.json]) { columns in
            planEntries[Int(columns.nonNullInt(0))].append(EntryRow(columns, details: false))
        }

        // In drug-name order within each formulary and plan. SQLite returns the nested loops' rows
        // in that order already, but only ORDER BY promises it, and its sorter cost a fifth of the
        // statement for rows that were in order: check, and sort only when needed.
        for index in entries.indices { Self.sortStably(&entries[index], by: \.drug) }
        for index in planEntries.indices { Self.sortStably(&planEntries[index], by: \.drug) }

        // What every line of a drug shares, built once per read rather than once per line.
        let drugRefs = drugs.drugs.map { DrugRef(rxcui: $0.rxcui.map { RxCUI($0) }, ndc: $0.ndc.map { NDC($0) }, name: $0.name) }
        // And what a line reads of its drug, by position (a whole `DrugSet.Drug` per line was
        // four strings copied and released, perf).
        let isInsulin = drugs.drugs.map(\.isInsulin)
        let lineNames = drugs.drugs.map { $0.conceptName ?? $0.name }
        let drugRxCUIs = drugs.drugs.map(\.rxcui)
        var result: [[CoverageLine]] = []
        result.reserveCapacity(plans.count)
        for (position, plan) in plans.enumerated() {
            let listing = plan.listing
            let tierTable = tiers[plan.formularyRow] ?? [:]
            // By tier code: the tier's definition and cost shares (one lookup per line).
            var byTier: [String: (tier: TierDefinition?, costs: [CostShare])] = [:]
            let planIndications = indications[position]
            func line(_ row: EntryRow, scope: EntryScope, planScoped: Bool) throws -> CoverageLine {
                let insulin = isInsulin[row.drug]
                let tierCosts: [CostShare]
                let tier: TierDefinition?
                if !insulin, let known = byTier[row.tierCode] {
                    (tier, tierCosts) = known
                } else {
                    tier = tierTable[row.tierCode]
                    tierCosts = costs[position].filter { cost in
                        switch cost.scope {
                        case .all: cost.tierCode == row.tierCode
                        case .insulin: insulin && (cost.tierCode == nil || cost.tierCode == row.tierCode)
                        }
                    }
                    if !insulin { byTier[row.tierCode] = (tier, tierCosts) }
                }
                let entry = FormularyEntry(
                    scope: scope, drug: drugRefs[row.drug],
                    tierCode: row.tierCode, status: StatusCode.status(for: row.status),
                    priorAuthorization: UMFlag(required: row.pa, newStartsOnly: planScoped ? nil : row.paNewStarts),
                    stepTherapy: UMFlag(required: row.st, newStartsOnly: planScoped ? nil : row.stNewStarts),
                    quantityLimit: QuantityLimit(required: row.ql, amount: row.qlAmount, days: row.qlDays,
                                                 maximumDaily: planScoped ? nil : row.qlMaxDaily, description: planScoped ? nil : row.qlDescription),
                    selectedDrug: planScoped ? nil : row.flag, cappedBenefit: planScoped ? row.flag : nil, sourceLine: row.sourceLine)
                return CoverageLine(plan: listing, entry: entry, drugName: lineNames[row.drug], tier: tier, costShares: tierCosts,
                                    indications: planIndications.isEmpty ? [] : drugRxCUIs[row.drug].flatMap { planIndications[$0] } ?? [],
                                    sourceFile: try fileName(row.fileID))
            }
            var found: [CoverageLine] = []
            let own = entries[formularyPosition[plan.formularyRow] ?? 0]
            found.reserveCapacity(own.count + planEntries[position].count)
            let formularyScope = EntryScope.formulary(listing.formulary.id)
            for row in own { found.append(try line(row, scope: formularyScope, planScoped: false)) }
            let planScope = EntryScope.contractPlan(contractPlans[position])
            for row in planEntries[position] { found.append(try line(row, scope: planScope, planScoped: true)) }
            result.append(found)
        }
        return result
    }

    /// Sorts `rows` by `key`, keeping the order of equal keys; rows already in order are left
    /// as they are after one pass.
    static func sortStably<Row>(_ rows: inout [Row], by key: (Row) -> Int) {
        // Checked in place (zipping the array copied every row, perf).
        let sorted = rows.withUnsafeBufferPointer { buffer in buffer.indices.dropFirst().allSatisfy { key(buffer[$0 - 1]) <= key(buffer[$0]) } }
        guard !sorted else { return }
        rows = rows.enumerated().sorted { (key($0.element), $0.offset) < (key($1.element), $1.offset) }.map(\.element)
    }

    /// A source file's name by id (read once per reader).
    private func fileName(_ id: Int64?) throws -> String? {
        guard let id else { return nil }
        // A formulary's lines mostly come from one file.
        if let last = lastFileName, last.id == id { return last.name }
        if let known = fileNames[id] {
            lastFileName = (id, known)
            return known
        }
        let statement = try db.cachedStatement(sql: "SELECT name FROM source_file WHERE id = ?")
        var name: String?
        try forEachRow(statement, [id]) { name = $0.text(0) }
        fileNames[id] = name
        lastFileName = (id, name)
        return name
    }

    /// Tier definitions of these plans' formularies by source code, into `tiers`, in one statement.
    private func loadTiers(_ plans: [PlanRow]) throws {
        var missing: [Int64: FormularyID] = [:]
        for plan in plans where tiers[plan.formularyRow] == nil { missing[plan.formularyRow] = plan.listing.formulary.id }
        guard !missing.isEmpty else { return }
        for row in missing.keys { tiers[row] = [:] }
        try forEachRow(try db.cachedStatement(sql: """
            SELECT t.formulary_id, t.source_code, t.source_system, t.category, t.label, t.is_specialty
            FROM json_each(?) j CROSS JOIN tier t ON t.formulary_id = j.value
            """), [Self.jsonArray(Array(missing.keys))]) { columns in
            let row = columns.nonNullInt(0)
            let code = columns.text(1) ?? ""
            tiers[row]?[code] = TierDefinition(formulary: missing[row] ?? FormularyID(""), sourceCode: code, sourceSystem: columns.text(2),
                                               category: columns.text(3).flatMap(TierCategory.init(rawValue:)) ?? .unknown, label: columns.text(4),
                                               isSpecialty: columns.bool(5))
        }
    }

    /// Every cost share one snapshot lists for one plan, in file order.
    func costShares(snapshot: Int64, plan: PlanID) throws -> [CostShare] {
        let statement = try db.cachedStatement(sql: """
            SELECT tier_code, phase, channel, days_supply, offered, copay, coinsurance, coinsurance_raw, minimum, maximum,
                   deductible_applies, qualifier, scope
            FROM cost_share WHERE snapshot_id = ? AND plan_external_id = ? ORDER BY id
            """)
        var costs: [CostShare] = []
        try forEachRow(statement, [snapshot, plan.rawValue]) { costs.append(Self.costShare($0, from: 0, plan: plan)) }
        return costs
    }

    /// A cost share from 13 columns starting at `first`, in `costShares`' column order.
    private static func costShare(_ columns: Columns, from first: Int32, plan: PlanID) -> CostShare {
        func decimal(_ index: Int32) -> Decimal? { columns.text(first + index).flatMap { Decimal(string: $0) } }
        return CostShare(
            plan: plan, tierCode: columns.text(first),
            phase: columns.text(first + 1).flatMap(BenefitPhase.init(rawValue:)) ?? .any,
            channel: columns.text(first + 2).flatMap(PharmacyChannel.init(rawValue:)) ?? .any,
            daysSupply: columns.int(first + 3).map(Int.init), offered: columns.bool(first + 4) ?? false,
            copay: decimal(5), coinsurance: decimal(6), coinsuranceRaw: columns.text(first + 7),
            minimum: decimal(8), maximum: decimal(9), deductibleApplies: columns.bool(first + 10),
            qualifier: columns.text(first + 11).flatMap(CostShareQualifier.init(rawValue:)),
            scope: columns.text(first + 12).flatMap(CostShareScope.init(rawValue:)) ?? .all)
    }

    // MARK: Stepping

    /// Steps `statement` with `arguments`, handing `body` each row's columns. GRDB's cursor does the
    /// stepping, resetting and error reporting; only the column reads go through the C API.
    func forEachRow(_ statement: Statement, _ arguments: StatementArguments, _ body: (Columns) throws -> Void) throws {
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        let columns = Columns(statement: statement.sqliteStatement)
        while try cursor.next() != nil { try body(columns) }
    }

    /// Case-insensitive "insulin" in a drug name, without Foundation's `NSString` bridge (which
    /// cost an eighth of the store's time when it ran for every line).
    static func containsInsulin(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { bytes in
            let needle = insulin
            guard bytes.count >= needle.count else { return false }
            search: for start in 0...(bytes.count - needle.count) {
                for offset in 0..<needle.count where bytes[start + offset] | 0x20 != needle[offset] { continue search }
                return true
            }
            return false
        }
    }

    private static let insulin = Array("insulin".utf8)

    /// A JSON array of strings, for `json_each`.
    static func jsonArray(_ values: [String]) -> String {
        "[" + values.map(jsonString).joined(separator: ",") + "]"
    }

    /// A JSON array of ids, for `json_each`.
    static func jsonArray(_ values: [Int64]) -> String {
        "[" + values.map(String.init).joined(separator: ",") + "]"
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func jsonString(_ value: String) -> String {
        if value.utf8.allSatisfy({ $0 >= 0x20 && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) { return "\"" + value + "\"" }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// The current row of a statement being stepped, read by column position through the C API.
/// Valid only until the statement steps again.
struct Columns {
    let statement: SQLiteStatement

    /// A column the query guarantees is not NULL.
    func nonNullInt(_ index: Int32) -> Int64 {
        sqlite3_column_int64(statement, index)
    }

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

/// Drug sets by request, valid for one drug generation: the analysis asks for the same few
/// hundred RxCUIs every time, and resolving them (names, an NDC each) was about a third of a
/// one-plan read. A generation counter bumped by every write that may change drugs keys the
/// entries, so an import or pruning makes them unreachable; the cache holds a few entries only.
final class DrugSetCache: Sendable {
    struct Key: Equatable, Sendable {
        var generation: Int64
        var request: [RxCUI]
    }

    /// `NSLock`, not `Synchronization.Mutex`: that needs macOS 15, the package supports 14.
    private let lock = NSLock()
    /// Newest last. A few entries, compared in turn: comparing a request of hundreds of RxCUIs
    /// (same count, then short strings) costs less than hashing it, and a hit is the usual case.
    nonisolated(unsafe) private var entries: [(key: Key, set: CoverageReader.DrugSet)] = []
    private static let capacity = 8

    func get(_ key: Key) -> CoverageReader.DrugSet? {
        lock.lock()
        defer { lock.unlock() }
        return entries.last { $0.key == key }?.set
    }

    func put(_ key: Key, _ set: CoverageReader.DrugSet) {
        lock.lock()
        defer { lock.unlock() }
        entries.removeAll { $0.key == key || $0.key.generation != key.generation }
        if entries.count >= Self.capacity { entries.removeFirst() }
        entries.append((key, set))
    }
}
