import Foundation
import GRDB
import FormularyModel

extension FormularyStore {
    /// Compares two snapshots of one source. `to` defaults to the current snapshot and `from` to
    /// the one before it. `drugs` limits the entry comparison to those RxCUIs.
    ///
    /// Entries are compared by merging each formulary's lines in key order (the table is
    /// clustered on `(formulary_id, drug_id)`), so two 1.5M-row snapshots diff in one pass.
    public func diff(sourceName: String, from: Int64? = nil, to: Int64? = nil, drugs: [RxCUI] = []) throws -> SnapshotDiff {
        try pool.read { db in
            let ids = try Int64.fetchAll(db, sql: "SELECT id FROM snapshot WHERE source_name = ? ORDER BY id", arguments: [sourceName])
            guard let newest = ids.last else { throw StoreError.sourceNotFound(sourceName) }
            let toID = to ?? newest
            guard ids.contains(toID) else { throw StoreError.snapshotNotInSource(toID, sourceName) }
            let fromID: Int64
            if let from {
                guard ids.contains(from) else { throw StoreError.snapshotNotInSource(from, sourceName) }
                fromID = from
            } else {
                guard let previous = ids.last(where: { $0 < toID }) else { throw StoreError.nothingToCompare(sourceName, toID) }
                fromID = previous
            }
            return try SnapshotDiffer(db: db, fromID: fromID, toID: toID, drugs: drugs).run()
        }
    }
}

/// Computes one `SnapshotDiff` inside a read transaction.
private struct SnapshotDiffer {
    let db: Database
    let fromID: Int64
    let toID: Int64
    let drugFilter: String

    init(db: Database, fromID: Int64, toID: Int64, drugs: [RxCUI]) throws {
        self.db = db
        self.fromID = fromID
        self.toID = toID
        if drugs.isEmpty {
            drugFilter = ""
        } else {
            let quoted = drugs.map { "'" + $0.rawValue.replacingOccurrences(of: "'", with: "''") + "'" }.joined(separator: ",")
            drugFilter = " AND drug_id IN (SELECT id FROM drug WHERE rxcui IN (\(quoted)))"
        }
    }

    /// One formulary line's comparable fields.
    private struct Line: Equatable {
        var drugID: Int64
        var tierCode: String
        var status: Int64
        var pa: Bool?
        var st: Bool?
        var ql: Bool?
        var qlAmount: Double?
        var qlDays: Int?
    }

    func run() throws -> SnapshotDiff {
        let from = try snapshotRef(fromID)
        let to = try snapshotRef(toID)
        let oldFormularies = try formularies(fromID)
        let newFormularies = try formularies(toID)
        let oldPlans = try plans(fromID)
        let newPlans = try plans(toID)

        var drugNames: [Int64: DrugRef] = [:]
        func drug(_ id: Int64) throws -> DrugRef {
            if let known = drugNames[id] { return known }
            let row = try Row.fetchOne(db, sql: """
                SELECT d.rxcui, coalesce(c.name, d.name) AS name FROM drug d LEFT JOIN concept c ON c.rxcui = d.rxcui WHERE d.id = ?
                """, arguments: [id])
            let ref = DrugRef(rxcui: (row?["rxcui"] as String?).map { RxCUI($0) }, name: row?["name"])
            drugNames[id] = ref
            return ref
        }

        var formularyDiffs: [FormularyDiff] = []
        for external in Set(oldFormularies.keys).union(newFormularies.keys).sorted() {
            let old = oldFormularies[external]
            let new = newFormularies[external]
            let oldTiers = try old.map(tiers) ?? [:]
            let newTiers = try new.map(tiers) ?? [:]
            var added: [DrugLine] = []
            var removed: [DrugLine] = []
            var changed: [EntryChange] = []
            let oldCursor = try old.map(lines)
            let newCursor = try new.map(lines)
            var a = try oldCursor?.next()
            var b = try newCursor?.next()
            while a != nil || b != nil {
                if let left = a, b == nil || left.drugID < b!.drugID {
                    removed.append(DrugLine(drug: try drug(left.drugID), tierCode: left.tierCode, tierCategory: oldTiers[left.tierCode] ?? .unknown))
                    a = try oldCursor?.next()
                } else if let right = b, a == nil || right.drugID < a!.drugID {
                    added.append(DrugLine(drug: try drug(right.drugID), tierCode: right.tierCode, tierCategory: newTiers[right.tierCode] ?? .unknown))
                    b = try newCursor?.next()
                } else if let left = a, let right = b {
                    if left != right || oldTiers[left.tierCode] != newTiers[right.tierCode] {
                        let fields = Self.changes(left, right, oldTiers[left.tierCode] ?? .unknown, newTiers[right.tierCode] ?? .unknown)
                        if !fields.isEmpty { changed.append(EntryChange(drug: try drug(left.drugID), changes: fields)) }
                    }
                    a = try oldCursor?.next()
                    b = try newCursor?.next()
                }
            }
            let users = (new != nil ? newPlans : oldPlans).filter { $0.value == external }.map(\.key).sorted()
            let diff = FormularyDiff(
                formulary: FormularyID(external), plans: users, added: old == nil, removed: new == nil,
                drugsAdded: added, drugsRemoved: removed, changed: changed)
            if !diff.isEmpty { formularyDiffs.append(diff) }
        }

        var costChanges: [CostShareChange] = []
        for plan in Set(oldPlans.keys).intersection(newPlans.keys).sorted() {
            costChanges += try costDiff(plan: plan)
        }
        return SnapshotDiff(
            from: from, to: to, formularies: formularyDiffs,
            plansAdded: Set(newPlans.keys).subtracting(oldPlans.keys).sorted(),
            plansRemoved: Set(oldPlans.keys).subtracting(newPlans.keys).sorted(),
            costChanges: costChanges)
    }

    private func snapshotRef(_ id: Int64) throws -> SnapshotRef {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM snapshot WHERE id = ?", arguments: [id]) else {
            throw StoreError.snapshotNotFound(id)
        }
        return FormularyStore.snapshotRef(row)
    }

    private func formularies(_ snapshot: Int64) throws -> [String: Int64] {
        try Row.fetchAll(db, sql: "SELECT id, external_id FROM formulary WHERE snapshot_id = ?", arguments: [snapshot])
            .reduce(into: [:]) { $0[$1["external_id"]] = $1["id"] }
    }

    /// Plan id → formulary external id.
    private func plans(_ snapshot: Int64) throws -> [PlanID: String] {
        try Row.fetchAll(db, sql: """
            SELECT p.external_id, f.external_id AS formulary FROM plan p JOIN formulary f ON f.id = p.formulary_id WHERE p.snapshot_id = ?
            """, arguments: [snapshot])
            .reduce(into: [:]) { $0[PlanID($1["external_id"])] = $1["formulary"] }
    }

    private func tiers(_ formularyRow: Int64) throws -> [String: TierCategory] {
        try Row.fetchAll(db, sql: "SELECT source_code, category FROM tier WHERE formulary_id = ?", arguments: [formularyRow])
            .reduce(into: [:]) { $0[$1["source_code"]] = TierCategory(rawValue: $1["category"]) ?? .unknown }
    }

    /// A cursor over a formulary's lines in drug-id order, mapped to `Line`.
    private func lines(_ formularyRow: Int64) throws -> MapCursor<RowCursor, Line> {
        try Row.fetchCursor(db, sql: """
            SELECT drug_id, tier_code, status, pa, st, ql, ql_amount, ql_days FROM entry
            WHERE formulary_id = ?\(drugFilter) ORDER BY drug_id
            """, arguments: [formularyRow]
        ).map { row in
            Line(drugID: row[0], tierCode: row[1], status: row[2], pa: row[3], st: row[4], ql: row[5], qlAmount: row[6], qlDays: row[7])
        }
    }

    private static func changes(_ old: Line, _ new: Line, _ oldCategory: TierCategory, _ newCategory: TierCategory) -> [FieldChange] {
        var fields: [FieldChange] = []
        if old.tierCode != new.tierCode { fields.append(FieldChange(field: "tier", before: old.tierCode, after: new.tierCode)) }
        if oldCategory != newCategory {
            fields.append(FieldChange(field: "tier category", before: oldCategory.rawValue, after: newCategory.rawValue))
        }
        if old.status != new.status {
            fields.append(FieldChange(field: "status", before: StatusCode.status(for: old.status).rawValue, after: StatusCode.status(for: new.status).rawValue))
        }
        if old.pa != new.pa { fields.append(FieldChange(field: "prior authorization", before: flag(old.pa), after: flag(new.pa))) }
        if old.st != new.st { fields.append(FieldChange(field: "step therapy", before: flag(old.st), after: flag(new.st))) }
        if old.ql != new.ql || old.qlAmount != new.qlAmount || old.qlDays != new.qlDays {
            fields.append(FieldChange(field: "quantity limit", before: quantity(old), after: quantity(new)))
        }
        return fields
    }

    private static func flag(_ value: Bool?) -> String? {
        value.map { $0 ? "required" : "not required" }
    }

    private static func quantity(_ line: Line) -> String? {
        guard let required = line.ql else { return nil }
        guard required else { return "none" }
        switch (line.qlAmount, line.qlDays) {
        case let (amount?, days?): return "\(amount.formatted()) per \(days) days"
        case let (amount?, nil): return "\(amount.formatted())"
        default: return "limited (amount not stated)"
        }
    }

    private func costDiff(plan: PlanID) throws -> [CostShareChange] {
        struct Key: Hashable {
            var tier: String?
            var phase: BenefitPhase
            var channel: PharmacyChannel
            var days: Int?
            var scope: CostShareScope
        }
        func load(_ snapshot: Int64) throws -> [Key: String] {
            try CoverageReader(db).costShares(snapshot: snapshot, plan: plan)
                .reduce(into: [:]) { result, cost in
                    result[Key(tier: cost.tierCode, phase: cost.phase, channel: cost.channel, days: cost.daysSupply, scope: cost.scope)] = Self.describe(cost)
                }
        }
        let old = try load(fromID)
        let new = try load(toID)
        return Set(old.keys).union(new.keys)
            .filter { old[$0] != new[$0] }
            .sorted { ($0.tier ?? "", $0.phase.rawValue, $0.channel.rawValue, $0.days ?? 0) < ($1.tier ?? "", $1.phase.rawValue, $1.channel.rawValue, $1.days ?? 0) }
            .map { CostShareChange(plan: plan, tierCode: $0.tier, phase: $0.phase, channel: $0.channel, daysSupply: $0.days, before: old[$0], after: new[$0]) }
    }

    private static func describe(_ cost: CostShare) -> String {
        guard cost.offered else { return "not offered" }
        var parts: [String] = []
        if let copay = cost.copay { parts.append("$\(copay) copay") }
        if let coinsurance = cost.coinsurance { parts.append("\(coinsurance * 100)% coinsurance") }
        if let deductible = cost.deductibleApplies { parts.append(deductible ? "deductible applies" : "no deductible") }
        if let qualifier = cost.qualifier { parts.append(qualifier.rawValue) }
        return parts.isEmpty ? "offered" : parts.joined(separator: ", ")
    }
}
